// The Reports screen in the built app under its real CSP, after real recoveries through the
// simulator (deposit in two currencies, and a declined-card order regenerated and paid by card).
// Expected figures come from the simulator (what was paid, at which price) and from what the desk
// stored at sync (which orders had failed), never from the report code itself. Screenshots in
// English and 简体中文, light and dark; axe-core in both themes; the CSV export read back.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedFromOffer } from '../../shared/approval.ts';
import type { DeskOrder } from '../../shared/desk.ts';
import type { Language } from '../../shared/ipc.ts';
import { axeViolations } from './axe.ts';
import type { E2E } from './harness.ts';
import { startE2E } from './harness.ts';
import { LONG, setLanguage, syncViaUi, text, waitJob } from './ui.ts';
import { TYPED_CARD } from '../support/cards.ts';

const B_CODES = ['604', '613', '616', '623', '633', '617'];

let e2e: E2E;
/** Per currency: orders and cents the desk paid that were ticketed. */
const recovered = new Map<string, { orders: number; cents: number }>();
/** What the desk saw at sync: orders that had failed, by scenario and code, and by airline. */
const codes = new Map<string, number>();
const airlines = new Map<string, { a: number; b: number }>();
let recoveries = 0;

/** Intl puts no-break spaces between a currency code and its amount. */
const plain = (s: string | null) => (s ?? '').replace(/\u00a0/g, ' ');

async function cspViolations(): Promise<string[]> {
  return e2e.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

beforeAll(async () => {
  e2e = await startE2E({ name: 'reports', settings: { staffName: 'Lin Mei' } });
  await e2e.open();
  // Every CSP refusal from now on (an injected <style>, eval, an inline style attribute) lands here.
  await e2e.page.evaluate(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  await syncViaUi(e2e);

  const known = await e2e.call('orders:list', { scope: 'all' });
  for (const o of known) {
    const d = o.details;
    const scenario = d.orderStatus === 'unpaid' && d.paymentAttempted === true ? 'A' : d.orderStatus === 'cancelled' && B_CODES.includes(d.errorCode ?? '') ? 'B' : null;
    if (!scenario) continue;
    const key = scenario === 'A' ? 'A' : `B-${d.errorCode}`;
    codes.set(key, (codes.get(key) ?? 0) + 1);
    const airline = [...d.airlines].sort().join('+');
    const row = airlines.get(airline) ?? { a: 0, b: 0 };
    if (scenario === 'A') row.a += 1;
    else row.b += 1;
    airlines.set(airline, row);
  }

  // Deposit for an A order in USD and one in CNY; a card for a B order (regenerated, then paid).
  const failed = await e2e.call('orders:list', { scope: 'failed' });
  const byDeposit = ['USD', 'CNY']
    .map((c) => failed.find((o) => o.category === 'A' && o.details.currency === c && o.plan.methods.some((m) => m.paymentMethod === 1)))
    .filter((o): o is DeskOrder => o !== undefined);
  // Not one the simulator re-prices when it regenerates it: that job would wait for a new approval.
  const repriced = new Set(e2e.sim.control.orders().filter((o) => (o.regenerateFareDelta ?? 0) > 0).map((o) => o.orderNo));
  const byCard = failed.find(
    (o) => o.category === 'B' && o.plan.action === 'regenerate_then_pay' && o.plan.methods.some((m) => m.paymentMethod === 3) && !repriced.has(o.orderNo),
  );
  expect(byDeposit).toHaveLength(2);
  expect(byCard).toBeDefined();
  // A card charge Atlas started on an A order is checked by staff first (docs/money-safety.md rule 12).
  for (const o of byDeposit) if (o.details.paymentAttempted) await e2e.call('orders:confirmNotCharged', { orderNo: o.orderNo });
  // What staff approve is what the desk previews and plans: sent with each intent.
  const preview = await e2e.call('recovery:previewDeposit', { orderNos: byDeposit.map((o) => o.orderNo) });
  await e2e.call('recovery:deposit', { orderNos: byDeposit.map((o) => o.orderNo), approvals: preview.dues });
  const { cardNumber, ...rest } = TYPED_CARD;
  const { plan } = await e2e.call('recovery:plan', { orderNo: byCard!.orderNo });
  const approved = approvedFromOffer(plan.methods.find((m) => m.paymentMethod === 3)!);
  await e2e.call('recovery:card', { orderNo: byCard!.orderNo, card: { ...rest, cardNumber: cardNumber.replace(/ /g, ''), reusable: false, paymentLimit: null }, approved });
  for (const o of [...byDeposit, byCard!]) {
    const job = await waitJob(e2e, o.orderNo);
    expect(job.outcome, `${o.orderNo} ${job.state}/${job.reason}`).toBe('ticketed');
    if (o === byCard) expect(job.currentOrderNo, 'the declined order was regenerated, then paid').not.toBe(o.orderNo);
    const paid = e2e.sim.control.order(job.currentOrderNo)!;
    expect(e2e.sim.control.paymentsFor(paid.orderNo), 'paid exactly once').toBe(1);
    const total = recovered.get(paid.currency) ?? { orders: 0, cents: 0 };
    total.orders += 1;
    total.cents += Math.round(paid.totalPrice * 100);
    recovered.set(paid.currency, total);
    recoveries += 1;
  }
}, 180_000);

afterAll(async () => {
  await e2e?.close();
});

async function openReports(): Promise<void> {
  const { page } = e2e;
  await page.getByTestId('nav-orders').click();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('g');
  await page.keyboard.press('r');
  await page.getByTestId('report-body').waitFor({ timeout: 20_000 });
}

async function checkFigures(lang: Language): Promise<void> {
  const { page } = e2e;
  for (const [currency, t] of recovered) {
    const amount = new Intl.NumberFormat(lang, { style: 'currency', currency, currencyDisplay: 'code' }).format(t.cents / 100);
    await expect.poll(async () => plain(await page.getByTestId(`recovered-total-${currency}`).textContent()), LONG).toBe(
      plain(text(lang, 'reports.currencyTotal', { amount, count: t.orders })),
    );
  }
  expect(await page.locator('[data-testid^="recovered-total-"]').count()).toBe(recovered.size);
  for (const [key, n] of codes) {
    expect(await page.getByTestId(`failures-code-${key}`).locator('td').last().textContent(), key).toBe(String(n));
  }
  expect(await page.locator('[data-testid^="failures-code-"]').count()).toBe(codes.size);
  for (const [airline, r] of airlines) {
    const cells = await page.getByTestId(`failures-airline-${airline || 'none'}`).locator('td').allTextContents();
    expect(cells, airline).toEqual([String(r.b), String(r.a), String(r.a + r.b)]);
  }
  expect(await page.getByTestId('time-measured').textContent()).toBe(String(recoveries));
}

async function shots(lang: Language): Promise<void> {
  const { page } = e2e;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const suffix = scheme === 'dark' ? '-dark' : '';
    await page.getByTestId('reports-screen').locator('h1').scrollIntoViewIfNeeded();
    await e2e.shot(`reports${suffix}`, lang);
    await page.getByTestId('report-failures').scrollIntoViewIfNeeded();
    await e2e.shot(`reports-failures${suffix}`, lang);
    await page.getByTestId('report-time').scrollIntoViewIfNeeded();
    await e2e.shot(`reports-time${suffix}`, lang);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('Reports after real recoveries', () => {
  it('shows the figures, passes axe in both themes and raises no CSP violation (English)', async () => {
    const { page } = e2e;
    await openReports();
    expect(await page.getByTestId('nav-reports').getAttribute('aria-current')).toBe('page');
    expect(await page.getByText(text('en', 'reports.timeZone', { zone: 'Asia/Jakarta' })).count()).toBe(1);
    await checkFigures('en');
    const problems: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      problems.push(...(await axeViolations(page, `reports ${scheme}`)));
    }
    expect(problems).toEqual([]);
    await shots('en');
    expect(await cspViolations()).toEqual([]);
    expect(e2e.pageErrors.splice(0)).toEqual([]);
  });

  it('exports the same figures as CSV through the save path', async () => {
    const { page } = e2e;
    await page.getByTestId('report-export').click();
    const note = plain(await page.getByTestId('report-exported').textContent());
    const path = note.slice(note.indexOf('/'));
    expect(path).toMatch(/atlas-retry-desk-report-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const quoted = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    // Every cell is quoted by the safe CSV writer; none of these values holds a quote.
    for (const line of quoted) expect(line).toMatch(/^"[^"]*"(,"[^"]*")*$/);
    const lines = quoted.map((line) => line.replaceAll('"', ''));
    expect(lines[0]).toBe('figure,day,time_zone,currency,airline,scenario,error_code,duration_bucket,orders,amount,seconds');
    expect(lines[1]).toMatch(/^range,\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2},Asia\/Jakarta,/);
    for (const [currency, t] of recovered) expect(lines).toContain(`recovered_total,,,${currency},,,,,${t.orders},${(t.cents / 100).toFixed(2)},`);
    for (const [key, n] of codes) {
      const [scenario, code] = key.split('-');
      expect(lines).toContain(`failures_by_error_code,,,,,${scenario},${code ?? ''},,${n},,`);
    }
    expect(lines.find((l) => l.startsWith('time_to_ticket_median,'))).toMatch(new RegExp(`^time_to_ticket_median,,,,,,,,${recoveries},,\\d+$`));
  });

  it('says the same in 简体中文', async () => {
    const { page } = e2e;
    await setLanguage(page, 'zh-CN');
    await openReports();
    expect(await page.getByTestId('reports-screen').locator('h1').textContent()).toBe('报表');
    await checkFigures('zh-CN');
    const body = await page.getByTestId('reports-screen').innerText();
    expect(body).not.toMatch(/\breports\.[A-Za-z0-9_.]+/);
    await shots('zh-CN');
    expect(await cspViolations()).toEqual([]);
    expect(e2e.pageErrors.splice(0)).toEqual([]);
  });

  it('would have seen a CSP violation: an injected inline <style> is refused and recorded', async () => {
    await e2e.page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { outline: 1px solid red }';
      document.head.append(style);
    });
    await expect.poll(cspViolations, LONG).toEqual([expect.stringMatching(/^style-src-elem /)]);
    e2e.pageErrors.splice(0);
  });
});
