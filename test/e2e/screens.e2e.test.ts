// A screenshot of every screen in English and 简体中文 (test/artifacts/screenshots/<screen>.<lang>.png),
// on the training scenario after some real recoveries, so the queue and history have content.
// Each screen is also checked for what a screenshot cannot show a reviewer at a glance: the
// expected element is there, and no untranslated i18n key leaks into the text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedFromOffer } from '../../shared/approval.ts';
import { SETTLED_JOB_STATES, type DeskOrder } from '../../shared/desk.ts';
import type { Language } from '../../shared/ipc.ts';
import type { E2E } from './harness.ts';
import { startE2E } from './harness.ts';
import { LONG, openDetail, openRecover, resetUi, setLanguage, showTab, syncViaUi, text, waitJob } from './ui.ts';
import { TYPED_CARD } from '../support/cards.ts';

let e2e: E2E;
let orders: DeskOrder[] = [];
const shots: string[] = [];

// Raw keys that i18next prints when a translation is missing, e.g. "plan.reason.foo_bar".
const NAMESPACES = ['app', 'approve', 'jobReason', 'nav', 'orders', 'category', 'plan', 'queue', 'card', 'bulk', 'recover', 'settings', 'detail', 'history', 'sync', 'add', 'env', 'banner', 'method', 'orderStatus', 'shortcuts', 'common', 'error', 'errors', 'timeline', 'event', 'reason', 'warning', 'code'];
const RAW_KEY = new RegExp(`\\b(?:${NAMESPACES.join('|')})\\.[A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*\\b`);

beforeAll(async () => {
  e2e = await startE2E({ name: 'screens', settings: { staffName: 'Lin Mei' } });
  await e2e.open();
  await syncViaUi(e2e);

  // Some real work, so the queue and history screens have something to show: a few orders by
  // deposit (the EUR one is beyond the training scenario's low EUR balance: the preview leaves it
  // out, so no job starts for it), one B order by card, and one B order the simulator re-prices up
  // when it regenerates it (its job waits for a new approval).
  const failed = await e2e.call('orders:list', { scope: 'failed' });
  const repriced = e2e.sim.control.orders().find((o) => (o.regenerateFareDelta ?? 0) > 0)?.orderNo;
  const byDeposit = ['USD', 'CNY', 'EUR']
    .map((c) => failed.find((o) => o.category === 'A' && o.details.currency === c && o.plan.methods.some((m) => m.paymentMethod === 1)))
    .filter((o): o is DeskOrder => o !== undefined);
  const byCard = failed.find((o) => o.category === 'B' && o.plan.methods.some((m) => m.paymentMethod === 3) && !byDeposit.includes(o) && o.orderNo !== repriced);
  // One more A order, checked but not recovered, for the recover dialog's screenshot.
  const checkedOnly = failed.find((o) => o.category === 'A' && o.details.currency === 'USD' && !byDeposit.includes(o));
  expect(byDeposit.length).toBeGreaterThan(0);
  expect(byCard).toBeDefined();
  expect(repriced).toBeDefined();
  expect(checkedOnly).toBeDefined();
  // Training's A orders show a card charge Atlas started: staff check each one before another payment.
  for (const o of [...byDeposit, checkedOnly!]) await e2e.call('orders:confirmNotCharged', { orderNo: o.orderNo });
  const preview = await e2e.call('recovery:previewDeposit', { orderNos: [...byDeposit.map((o) => o.orderNo), repriced!] });
  // The EUR order is beyond the balance in the preview; it is queued anyway (as a single recovery
  // would be), so the Queue shows a job the runner's own funds check stopped.
  await e2e.call('recovery:deposit', { orderNos: [...byDeposit.map((o) => o.orderNo), repriced!], approvals: [...preview.dues, ...preview.beyondBalance] });
  const { cardNumber, ...rest } = TYPED_CARD;
  const { plan } = await e2e.call('recovery:plan', { orderNo: byCard!.orderNo });
  const approved = approvedFromOffer(plan.methods.find((m) => m.paymentMethod === 3)!);
  await e2e.call('recovery:card', { orderNo: byCard!.orderNo, card: { ...rest, cardNumber: cardNumber.replace(/ /g, ''), reusable: false, paymentLimit: null }, approved });
  expect(preview.beyondBalance.map((b) => b.orderNo)).toEqual(byDeposit.filter((o) => o.details.currency === 'EUR').map((o) => o.orderNo));
  for (const o of [...byDeposit.filter((o) => preview.eligible.includes(o.orderNo)), byCard!]) await waitJob(e2e, o.orderNo);
  expect(await waitJob(e2e, repriced!, [...SETTLED_JOB_STATES, 'needs_approval'])).toMatchObject({ state: 'needs_approval', reason: 'price_changed' });
  orders = await e2e.call('orders:list', { scope: 'failed' });
});

afterAll(async () => {
  await e2e?.close();
  console.log(`screenshots:\n${shots.join('\n')}`);
});

async function screen(name: string, lang: Language, problems: string[]): Promise<void> {
  const body = await e2e.page.evaluate(() => document.body.innerText);
  const raw = RAW_KEY.exec(body);
  if (raw) problems.push(`${name}.${lang}: untranslated key "${raw[0]}"`);
  if ((await e2e.page.getByTestId('nav-orders').textContent())?.includes(text(lang, 'nav.orders')) !== true) {
    problems.push(`${name}.${lang}: navigation is not in ${lang}`);
  }
  shots.push(await e2e.shot(name, lang));
}

async function captureAll(lang: Language): Promise<string[]> {
  const problems: string[] = [];
  const { page } = e2e;
  const first = (category: DeskOrder['category'], need?: 1 | 3) =>
    orders.find((o) => o.category === category && (need === undefined || o.plan.methods.some((m) => m.paymentMethod === need)));

  await resetUi(page);
  await showTab(page, 'failed');
  await page.getByTestId('orders-table').waitFor();
  await screen('orders-failed', lang, problems);

  await showTab(page, 'unpaid');
  await page.getByTestId('unpaid-note').waitFor();
  await screen('orders-unpaid', lang, problems);

  const b = first('B', 3) ?? first('B');
  expect(b, 'a B order in the training scenario').toBeDefined();
  await openDetail(page, 'B', b!.orderNo);
  await page.getByTestId('timeline').waitFor({ timeout: 20_000 });
  await screen('order-detail', lang, problems);
  await resetUi(page);

  const a = orders.find((o) => o.category === 'A' && o.notChargedCheck !== null && o.plan.methods.some((m) => m.paymentMethod === 1));
  expect(a, 'an A order payable by deposit, its card charge checked').toBeDefined();
  await openRecover(page, 'A', a!.orderNo);
  await page.getByTestId('choose-deposit').check();
  await expect.poll(() => page.getByTestId('deposit-balance').textContent(), LONG).not.toBe(text(lang, 'recover.balanceUnknown'));
  await screen('recover-deposit', lang, problems);
  await resetUi(page);

  const card = first('B', 3);
  expect(card, 'a B order payable by card').toBeDefined();
  await openRecover(page, 'B', card!.orderNo);
  await page.getByTestId('choose-card').check();
  await page.getByTestId('card-cardNumber').fill('4111 1111 1111 1112');
  await page.getByTestId('card-cardCVV').fill('12');
  await page.getByTestId('card-submit').click();
  await page.getByTestId('card-error-cardNumber').waitFor();
  await screen('recover-card-errors-empty', lang, problems);
  await resetUi(page);

  // Rule 12: the order panel asks staff to check a card charge Atlas started.
  const unchecked = orders.find((o) => o.category === 'A' && o.details.paymentAttempted === true && o.notChargedCheck === null);
  expect(unchecked, 'an A order with a card charge nobody checked').toBeDefined();
  await openDetail(page, 'A', unchecked!.orderNo);
  await page.getByTestId('not-charged-start').click();
  await page.getByTestId('not-charged-confirm').scrollIntoViewIfNeeded();
  await screen('card-not-charged', lang, problems);
  await resetUi(page);

  // Rule 9: a job stopped for a new amount, approved from its queue row.
  await page.getByTestId('nav-queue').click();
  await page.locator('[data-testid^="approve-"]').first().click();
  await page.getByTestId('approve-table').waitFor();
  await screen('approve-new-amount', lang, problems);
  await resetUi(page);
  await page.getByTestId('nav-orders').click();

  await showTab(page, 'failed');
  await page.getByTestId('select-all').check();
  await page.getByTestId('bulk-deposit').click();
  await page.getByTestId('bulk-count').waitFor({ timeout: 20_000 });
  await screen('bulk-confirm', lang, problems);
  await resetUi(page);
  if ((await page.getByTestId('select-all').count()) > 0 && (await page.getByTestId('select-all').isChecked())) await page.getByTestId('select-all').uncheck();

  const unpaid = (await e2e.call('orders:list', { scope: 'unpaid' }))[0];
  await page.getByTestId('add-orders').click();
  await page.getByTestId('add-text').fill(`${unpaid?.orderNo ?? ''}\nZZ00000000\nnot-an-order`);
  await page.getByTestId('add-mark-failed').uncheck();
  await page.getByTestId('add-submit').click();
  await page.getByTestId('add-result').waitFor({ timeout: 20_000 });
  await screen('add-orders', lang, problems);
  await resetUi(page);

  await page.getByTestId('nav-queue').click();
  await page.getByTestId('queue-screen').waitFor();
  await screen('queue', lang, problems);

  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-screen').waitFor();
  const row = page.locator('.history-row').first();
  await row.waitFor({ timeout: 20_000 });
  await row.locator('button').first().click();
  await row.getByTestId('timeline').waitFor({ timeout: 20_000 });
  await screen('history', lang, problems);

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-screen').waitFor();
  await screen('settings', lang, problems);

  await page.getByTestId('nav-orders').click();
  await page.getByTestId('help').click();
  await page.getByTestId('shortcuts').waitFor();
  await screen('shortcuts', lang, problems);
  await resetUi(page);

  e2e.setShellOnline(false);
  await page.getByTestId('banner-offline').waitFor();
  await screen('offline-banner', lang, problems);
  e2e.setShellOnline(true);
  await page.getByTestId('banner-offline').waitFor({ state: 'detached' });

  if (lang === 'en') {
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen('orders-failed-dark', lang, problems);
    await page.emulateMedia({ colorScheme: 'light' });
  }
  return problems;
}

describe('screenshots of every screen', () => {
  it('in English', { timeout: 120_000 }, async () => {
    const problems = await captureAll('en');
    expect(problems).toEqual([]);
    expect(e2e.pageErrors.splice(0)).toEqual([]);
  });

  it('in 简体中文', { timeout: 120_000 }, async () => {
    await setLanguage(e2e.page, 'zh-CN');
    const problems = await captureAll('zh-CN');
    expect(problems).toEqual([]);
    expect(e2e.pageErrors.splice(0)).toEqual([]);
    expect(shots.length).toBeGreaterThanOrEqual(24);
  });
});
