// Small steps the browser specs share: driving the UI by its test ids and waiting on conditions
// (never on fixed sleeps). Expected values are computed from the core or the simulator.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import type { DeskOrder, Job, JobState } from '../../shared/desk.ts';
import type { Language } from '../../shared/ipc.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import { ROOT, type E2E } from './harness.ts';

export type Tab = 'failed' | 'B' | 'A' | 'attention' | 'ticketing' | 'unpaid';
export const TABS: readonly Tab[] = ['failed', 'B', 'A', 'attention', 'ticketing', 'unpaid'];

// ---- locale text, so assertions follow the copy instead of hard-coding it ----

type Messages = Record<string, unknown>;
const messages: Record<Language, Messages> = {
  en: JSON.parse(readFileSync(path.join(ROOT, 'renderer/src/locales/en.json'), 'utf8')) as Messages,
  'zh-CN': JSON.parse(readFileSync(path.join(ROOT, 'renderer/src/locales/zh-CN.json'), 'utf8')) as Messages,
};

/** The translated string for `key` (dotted), with {{var}} filled in. Throws on a missing key. */
export function text(lang: Language, key: string, vars: Record<string, string | number> = {}): string {
  const lookup = (k: string): unknown => {
    let node: unknown = messages[lang];
    for (const part of k.split('.')) node = (node as Messages | undefined)?.[part];
    return node;
  };
  // i18next plurals: English has _one/_other, Chinese only _other.
  const count = vars.count;
  const plural = typeof count === 'number' ? (lang === 'en' && count === 1 ? 'one' : 'other') : null;
  const node = (plural !== null ? lookup(`${key}_${plural}`) : undefined) ?? lookup(key);
  if (typeof node !== 'string') throw new Error(`no ${lang} message for ${key}`);
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(vars[name] ?? `{{${name}}}`));
}

// ---- waits ----

export const LONG = { timeout: 45_000, interval: 200 };

export async function waitSynced(e2e: E2E, since = 0): Promise<void> {
  await vi.waitFor(async () => {
    const s = await e2e.call('sync:status', {});
    if (s.running || !s.lastSyncAt || Date.parse(s.lastSyncAt) < since) throw new Error(`sync not finished: ${JSON.stringify(s)}`);
  }, LONG);
}

/** Clicks "Sync now" and waits until the core reports a finished sync that started after the click. */
export async function syncViaUi(e2e: E2E): Promise<void> {
  const started = Date.now() - 1;
  await e2e.page.getByTestId('sync-now').click();
  await waitSynced(e2e, started);
}

export async function jobsFor(e2e: E2E, orderNo: string): Promise<Job[]> {
  return (await e2e.call('queue:list', {})).filter((j) => j.orderNo === orderNo);
}

/** Waits until the newest job of `orderNo` is settled (or in one of `states`) and returns it. */
export async function waitJob(e2e: E2E, orderNo: string, states: readonly JobState[] = SETTLED_JOB_STATES, timeout = 60_000): Promise<Job> {
  return vi.waitFor(
    async () => {
      const jobs = await jobsFor(e2e, orderNo);
      const job = jobs.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
      if (!job || !states.includes(job.state)) throw new Error(`job for ${orderNo}: ${job ? `${job.state}/${job.outcome}/${job.reason}` : 'none'}`);
      return job;
    },
    { timeout, interval: 250 },
  );
}

// ---- counts ----

export async function readCounts(page: Page): Promise<Record<Tab, number>> {
  const out = {} as Record<Tab, number>;
  for (const tab of TABS) out[tab] = Number((await page.getByTestId(`count-${tab}`).textContent())?.trim());
  return out;
}

export function countOrders(orders: readonly DeskOrder[]): Record<Tab, number> {
  const counts: Record<Tab, number> = { failed: 0, B: 0, A: 0, attention: 0, ticketing: 0, unpaid: 0 };
  for (const o of orders) {
    if (o.category === 'done') continue;
    counts[o.category] += 1;
    if (o.category !== 'unpaid') counts.failed += 1;
  }
  return counts;
}

/** What the badges must say: the core's own lists, counted per category. */
export async function expectedCounts(e2e: E2E): Promise<Record<Tab, number>> {
  const failed = await e2e.call('orders:list', { scope: 'failed' });
  const unpaid = await e2e.call('orders:list', { scope: 'unpaid' });
  const byNo = new Map([...failed, ...unpaid].map((o) => [o.orderNo, o]));
  return countOrders([...byNo.values()]);
}

// ---- navigation and dialogs ----

export async function showTab(page: Page, tab: Tab): Promise<void> {
  await page.getByTestId('nav-orders').click();
  await page.getByTestId(`tab-${tab}`).click();
  await expect.poll(() => page.getByTestId(`tab-${tab}`).getAttribute('aria-selected')).toBe('true');
  // The list follows the tab in a deferred render: until then a key acts on the old tab's rows.
  await expect.poll(() => page.getByTestId('list-pane').getAttribute('aria-busy'), LONG).toBeNull();
}

/** Finds the order through the search box (the table is virtualized) and opens its detail panel. */
export async function openDetail(page: Page, tab: Tab, orderNo: string): Promise<void> {
  await showTab(page, tab);
  await page.getByTestId('search').fill(orderNo);
  await page.getByTestId(`row-${orderNo}`).click({ timeout: 20_000 });
  await page.getByTestId('order-detail').waitFor({ state: 'visible' });
  await expect.poll(() => page.getByTestId('order-detail').locator('h2').textContent(), LONG).toBe(orderNo);
}

export async function openRecover(page: Page, tab: Tab, orderNo: string): Promise<void> {
  await openDetail(page, tab, orderNo);
  await page.getByTestId('detail-recover').click();
  await page.getByTestId('recover-dialog').waitFor({ state: 'visible' });
}

export async function closeDialog(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).getByRole('button', { name: /close|关闭/i }).first().click();
  await page.getByTestId(testId).waitFor({ state: 'detached' });
}

/** Back to a known state after a test, whatever it left open: no dialog, no detail, no search. */
export async function resetUi(page: Page): Promise<void> {
  for (let i = 0; i < 4 && (await page.locator('[role="dialog"]').count()) > 0; i++) {
    // The dialog may close by itself meanwhile (the recover dialog does when its order leaves the list).
    await page.locator('[role="dialog"] .dialog-head button').last().click({ timeout: 2_000 }).catch(() => undefined);
  }
  await page.getByTestId('nav-orders').click();
  if ((await page.getByTestId('detail-close').count()) > 0) await page.getByTestId('detail-close').click();
  await page.getByTestId('search').fill('');
  await page.getByTestId('search').blur();
}

export async function clearSearch(page: Page): Promise<void> {
  await page.getByTestId('nav-orders').click();
  await page.getByTestId('search').fill('');
}

export async function addOrders(page: Page, orderNos: string[], markFailed: boolean): Promise<void> {
  await page.getByTestId('nav-orders').click();
  await page.getByTestId('add-orders').click();
  await page.getByTestId('add-dialog').waitFor({ state: 'visible' });
  await page.getByTestId('add-text').fill(orderNos.join('\n'));
  const box = page.getByTestId('add-mark-failed');
  if ((await box.isChecked()) !== markFailed) await box.click();
  await page.getByTestId('add-submit').click();
  await page.getByTestId('add-result').waitFor({ state: 'visible', timeout: 20_000 });
}

export interface CardInput {
  cardNumber: string;
  cardExpireMonth: string;
  cardExpireYear: string;
  cardCVV: string;
  cardHolderFirstName: string;
  cardHolderLastName: string;
  cardHolderCountry?: string;
  cardHolderProvince?: string;
  cardHolderCity?: string;
  cardHolderPostCode?: string;
  cardHolderAddress?: string;
}

/** Fills every field the form shows; holder-address fields only when the form asks for them. */
export async function fillCard(page: Page, card: CardInput): Promise<void> {
  for (const [key, value] of Object.entries(card) as [keyof CardInput, string | undefined][]) {
    const input = page.getByTestId(`card-${key}`);
    if ((await input.count()) === 0) continue;
    await input.fill(value ?? '');
  }
}

export async function setLanguage(page: Page, lang: Language): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-language').selectOption(lang);
  await page.getByTestId('settings-save').click();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang), LONG).toBe(lang);
  await expect.poll(() => page.getByTestId('nav-orders').textContent(), LONG).toContain(text(lang, 'nav.orders'));
}

/** The number in a formatted amount ("USD 5,000.00", "US$5,000.00", "5.000,00 €" is not used here). */
export function amountOf(formatted: string | null): number {
  return Number((formatted ?? '').replace(/[^0-9.]/g, ''));
}
