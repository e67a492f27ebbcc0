// The bulk plan in the browser (docs/money-safety.md rule 8): staff select more orders than the
// deposit covers. The dialog lists, per currency, the orders the balance pays — soonest deadline
// first, an order too big passed over for a later smaller one — and names the rest "not paid now".
// Confirming pays exactly the listed orders, once each (the simulator's ledger), and sends nothing
// for the others. Screenshots in both languages.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Language } from '../../shared/ipc.ts';
import type { E2E } from './harness.ts';
import { startE2E } from './harness.ts';
import { LONG, readCounts, resetUi, setLanguage, showTab, syncViaUi, text, waitJob } from './ui.ts';

let e2e: E2E;
const MINUTE = 60_000;

beforeAll(async () => {
  e2e = await startE2E({ name: 'bulk-plan', simulator: { scenario: 'empty', ticketingDelayMs: 500 } });
  await e2e.open();
});

afterAll(async () => {
  await e2e?.close();
});

afterEach(() => {
  expect(e2e.pageErrors.splice(0)).toEqual([]);
});

/** The order numbers listed under `testId`, top to bottom. */
async function listed(testId: string): Promise<string[]> {
  return e2e.page.getByTestId(testId).locator('li .mono').allTextContents();
}

async function openBulk(): Promise<void> {
  await showTab(e2e.page, 'A');
  await e2e.page.getByTestId('select-all').check();
  await e2e.page.getByTestId('bulk-deposit').click();
  await e2e.page.getByTestId('bulk-dialog').waitFor({ state: 'visible' });
  await e2e.page.getByTestId('bulk-fits').waitFor({ timeout: 20_000 });
}

it('pays only what the deposit covers, per currency and soonest deadline first, and leaves the rest unsent', { timeout: 180_000 }, async () => {
  const { control } = e2e.sim;
  const now = control.now();
  // Created in an order unlike their deadlines, so the list's order proves the sorting.
  const order = (currency: string, price: number, deadlineMin: number, name: string) =>
    control.createOrder({
      airline: 'AK',
      currency,
      price,
      orderStatus: 0,
      paymentAttempted: false,
      createdAt: now - 20 * MINUTE,
      tktLimitTime: now + deadlineMin * MINUTE,
      supportPaymentMethods: [1, 3],
      passengers: [name],
    }).orderNo;
  // USD 1,000: 300 (soonest) and 450 fit (250 left); 400 does not; 200 does (50 left); 100 does not.
  const usd = {
    d40: order('USD', 400, 40, 'LIM/A'),
    d20: order('USD', 300, 20, 'LIM/B'),
    d60: order('USD', 100, 60, 'LIM/C'),
    d30: order('USD', 450, 30, 'LIM/D'),
    d50: order('USD', 200, 50, 'LIM/E'),
  };
  // CNY 5,000: 2,500 (soonest) fits, 3,000 then does not.
  const cny = { d45: order('CNY', 3000, 45, 'WANG/F'), d25: order('CNY', 2500, 25, 'WANG/G') };
  control.setBalance('USD', 1000);
  control.setBalance('CNY', 5000);
  const paid = [usd.d20, usd.d30, usd.d50, cny.d25];
  const left = [usd.d40, usd.d60, cny.d45];

  await syncViaUi(e2e);
  await e2e.call('orders:add', { orderNos: [...Object.values(usd), ...Object.values(cny)], markFailed: true });
  await expect.poll(() => readCounts(e2e.page), LONG).toMatchObject({ A: 7 });

  for (const lang of ['zh-CN', 'en'] as const satisfies readonly Language[]) {
    await setLanguage(e2e.page, lang);
    await openBulk();
    expect(await e2e.page.getByTestId('bulk-count').textContent()).toBe(text(lang, 'bulk.count', { count: paid.length }));
    // Per currency in the order paid; the currencies in the order first met.
    const fits = await listed('bulk-fits');
    expect(fits.filter((n) => Object.values(usd).includes(n))).toEqual([usd.d20, usd.d30, usd.d50]);
    expect(fits.filter((n) => Object.values(cny).includes(n))).toEqual([cny.d25]);
    expect((await listed('bulk-beyond')).sort()).toEqual([...left].sort());
    expect(await e2e.page.getByTestId('bulk-dialog').textContent()).toContain(text(lang, 'bulk.beyond', { count: left.length }));
    expect(await e2e.page.getByTestId('bulk-confirm').textContent()).toBe(text(lang, 'bulk.confirm', { count: paid.length }));
    await e2e.shot('bulk-plan', lang);
    if (lang === 'zh-CN') await resetUi(e2e.page);
  }

  await e2e.page.getByTestId('bulk-confirm').click();
  await e2e.page.getByTestId('bulk-results').waitFor({ state: 'visible' });
  for (const orderNo of paid) {
    const job = await waitJob(e2e, orderNo, ['done', 'blocked', 'attention', 'failed', 'cancelled'], 120_000);
    expect(job, orderNo).toMatchObject({ state: 'done', outcome: 'ticketed', method: 1 });
  }

  // The simulator's ledger: each covered order paid once by deposit; nothing sent for the rest.
  for (const orderNo of paid) expect(control.paymentsFor(orderNo), orderNo).toBe(1);
  expect(control.ledger().filter((l) => l.kind === 'pay')).toHaveLength(paid.length);
  for (const orderNo of left) {
    expect(control.requests('pay', orderNo), orderNo).toEqual([]);
    expect(await e2e.call('queue:list', {}).then((jobs) => jobs.filter((j) => j.orderNo === orderNo)), orderNo).toEqual([]);
  }
  for (const orderNo of paid) await expect.poll(() => e2e.page.getByTestId(`bulk-result-${orderNo}`).textContent(), LONG).toContain(text('en', 'queue.outcome.ticketed'));
  for (const orderNo of left) expect(await e2e.page.getByTestId(`bulk-result-${orderNo}`).textContent(), orderNo).toContain(text('en', 'bulk.notPaidNow'));
  await e2e.shot('bulk-plan-results', 'en');
});
