// The desk in a real browser against the real core and simulator: the training scenario's counts,
// Scenario A (added by staff, paid with deposit, ticketed), Scenario B (regenerated, paid with a
// new card), Scenario B re-priced up on regeneration (stopped, approved by staff, paid once), the
// card form's refusals, and switching language.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDeskApi } from '../../electron/shell/desk-bridge.ts';
import type { E2E } from './harness.ts';
import { startE2E } from './harness.ts';
import { LONG, addOrders, amountOf, clearSearch, closeDialog, expectedCounts, fillCard, openDetail, openRecover, readCounts, resetUi, setLanguage, syncViaUi, text, waitJob } from './ui.ts';
import { TYPED_CARD } from '../support/cards.ts';

let e2e: E2E;
const MINUTE = 60_000;

/** The queue screen lists the job with `expected` in its row. */
async function expectJobShown(jobId: string, expected: string): Promise<void> {
  await resetUi(e2e.page);
  await e2e.page.getByTestId('nav-queue').click();
  await expect.poll(() => e2e.page.getByTestId(`job-${jobId}`).textContent(), LONG).toContain(expected);
}

beforeAll(async () => {
  e2e = await startE2E({ name: 'desk' });
  await e2e.open();
});

afterAll(async () => {
  await e2e?.close();
});

afterEach(async () => {
  // A test that "passes" while the renderer threw is not a pass.
  expect(e2e.pageErrors.splice(0)).toEqual([]);
  await resetUi(e2e.page);
});

describe('the desk in Chromium, wired to the real core and simulator', () => {
  it('exposes exactly the contract as window.desk, and the bridge validates requests like the shell', async () => {
    const expected = buildDeskApi({ invoke: async () => ({ ok: true, value: null }), subscribe: () => () => {} });
    const shape = (api: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(api).map(([k, v]) => [k, typeof v === 'function' ? 'function' : Object.keys(v as object).sort()]));
    const inPage = await e2e.page.evaluate(() => {
      const api = (window as unknown as { desk: Record<string, unknown> }).desk;
      return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, typeof v === 'function' ? 'function' : Object.keys(v as object).sort()]));
    });
    expect(inPage).toEqual(shape(expected as unknown as Record<string, unknown>));

    // A malformed order number never reaches the core: zod at the boundary, as in Electron.
    const bad = await e2e.page.evaluate(() =>
      (window as unknown as { desk: { orders: { show(r: unknown): Promise<unknown> } } }).desk.orders.show({ orderNo: 'not an order; DROP' }),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('sync shows the training scenario with the counts the core computes', async () => {
    await syncViaUi(e2e);
    const expected = await expectedCounts(e2e);
    // The training scenario has every kind of case; a vacuous scenario would make this test meaningless.
    expect(expected.B).toBeGreaterThan(0);
    expect(expected.A).toBeGreaterThan(0);
    expect(expected.attention).toBeGreaterThan(0);
    expect(expected.unpaid).toBeGreaterThan(0);
    await expect.poll(() => readCounts(e2e.page), LONG).toEqual(expected);

    // Every order the simulator holds that sync looks for (unpaid, ticketing, cancelled) was seen.
    const known = new Set((await e2e.call('orders:list', { scope: 'all' })).map((o) => o.orderNo));
    const wanted = e2e.sim.control.orders().filter((o) => o.orderStatus !== 2);
    expect(wanted.length).toBeGreaterThan(20);
    const missing = wanted.filter((o) => !known.has(o.orderNo)).map((o) => `${o.orderNo}/${o.orderStatus}`);
    expect(missing).toEqual([]);

    // The table lists exactly the failed orders (aria-rowcount counts the header row too).
    await expect.poll(() => e2e.page.getByTestId('orders-table').getAttribute('aria-rowcount')).toBe(String(expected.failed + 1));
    await expect.poll(() => e2e.page.getByTestId('sync-last').textContent()).not.toBe(text('en', 'sync.never'));
  });

  it('adds an unpaid order as payment-failed and recovers it with deposit through to ticketed', async () => {
    const now = e2e.sim.control.now();
    const sim = e2e.sim.control.createOrder({
      airline: 'AK',
      currency: 'USD',
      price: 187.4,
      fee: 2.5,
      orderStatus: 0,
      createdAt: now - 5 * MINUTE,
      tktLimitTime: now + 60 * MINUTE,
      supportPaymentMethods: [1, 3],
      passengers: ['TAN/MEI'],
    });
    const orderNo = sim.orderNo;
    const balanceBefore = e2e.sim.control.balance('USD');
    const countsBefore = await readCounts(e2e.page);

    await addOrders(e2e.page, [orderNo], true);
    await expect.poll(() => e2e.page.getByTestId('add-added').textContent()).toBe(text('en', 'add.added', { count: 1 }));
    await closeDialog(e2e.page, 'add-dialog');
    // It is now a Scenario A order: one more in "payment failed", none more in "unpaid".
    await expect.poll(() => readCounts(e2e.page), LONG).toMatchObject({ A: countsBefore.A + 1, failed: countsBefore.failed + 1, unpaid: countsBefore.unpaid });

    await openRecover(e2e.page, 'A', orderNo);
    await e2e.page.getByTestId('choose-deposit').check();
    await e2e.page.getByTestId('deposit-summary').waitFor({ state: 'visible' });
    // The balance shown is the simulator's balance, formatted in the order's currency.
    await expect.poll(async () => amountOf(await e2e.page.getByTestId('deposit-balance').textContent()), LONG).toBe(balanceBefore);
    expect(e2e.sim.control.paymentsFor(orderNo)).toBe(0);
    await e2e.page.getByTestId('confirm-deposit').click();
    await e2e.page.getByTestId('recover-result').waitFor({ state: 'visible' });

    const job = await waitJob(e2e, orderNo);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', method: 1, currentOrderNo: orderNo });
    await expectJobShown(job.id, text('en', 'queue.outcome.ticketed'));

    // Atlas' side: paid once, with deposit, and ticketed.
    const pays = e2e.sim.control.ledger().filter((l) => l.kind === 'pay' && l.orderNo === orderNo);
    expect(pays).toHaveLength(1);
    expect(pays[0]).toMatchObject({ paymentMethod: 1 });
    expect(e2e.sim.control.order(orderNo)).toMatchObject({ orderStatus: 2, ticketStatus: 1 });
    expect(e2e.sim.control.balance('USD')).toBeCloseTo(balanceBefore - (pays[0]?.depositDebit ?? NaN), 2);

    // Ticketed orders leave the failed list.
    await e2e.page.getByTestId('nav-orders').click();
    await expect.poll(() => readCounts(e2e.page), LONG).toMatchObject({ A: countsBefore.A });
    await clearSearch(e2e.page);
  });

  it('recovers an airline-rejected (B) order with a new card: regenerated, then the NEW order paid', async () => {
    const now = e2e.sim.control.now();
    const original = e2e.sim.control.createOrder({
      airline: 'TR', // asks for holder country, city, post code and address
      currency: 'USD',
      price: 240,
      orderStatus: -3,
      errorCode: '604',
      errorMessage: 'Card declined by airline',
      paymentMethod: 3,
      paymentTimestamp: now - 40 * MINUTE,
      createdAt: now - 60 * MINUTE,
      supportPaymentMethods: [1, 3],
      passengers: ['LIM/WEI', 'LIM/LING'],
    }).orderNo;
    // regenerateOrder.do re-prices at the current fare; here it has not moved (the simulator's
    // default), so the new order is paid at the amount staff approved in the dialog.
    await syncViaUi(e2e);

    await openRecover(e2e.page, 'B', original);
    await e2e.page.getByTestId('choose-card').check();
    await e2e.page.getByTestId('card-form').waitFor({ state: 'visible' });
    await expect.poll(() => e2e.page.getByTestId('holder-fields').isVisible()).toBe(true);
    await fillCard(e2e.page, TYPED_CARD);
    await expect.poll(() => e2e.page.getByTestId('card-brand').textContent()).toMatch(/visa/i);
    await e2e.page.getByTestId('card-submit').click();
    await e2e.page.getByTestId('recover-result').waitFor({ state: 'visible', timeout: 20_000 });

    const job = await waitJob(e2e, original);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', method: 3 });
    expect(job.currentOrderNo).not.toBe(original);
    expect(job.cardMask ?? '').not.toContain('41111111111');

    const ledger = e2e.sim.control.ledger();
    const regenerations = ledger.filter((l) => l.kind === 'regenerate' && l.originalOrderNo === original);
    expect(regenerations).toHaveLength(1);
    const fresh = regenerations[0]!.orderNo;
    expect(fresh).toBe(job.currentOrderNo);
    const pays = ledger.filter((l) => l.kind === 'pay' && (l.orderNo === original || l.orderNo === fresh));
    expect(pays).toEqual([expect.objectContaining({ orderNo: fresh, paymentMethod: 3, cardTail: '1111' })]);
    expect(e2e.sim.control.order(fresh)).toMatchObject({ orderStatus: 2, originalOrderNo: original });

    // The queue shows the outcome and links the original to the new order.
    await expectJobShown(job.id, fresh);

    // Card data stays in memory: not in the page, not in the SQLite file or its WAL (rule 6).
    expect(await e2e.page.content()).not.toContain('4111 1111 1111 1111');
    for (const suffix of ['', '-wal']) {
      let bytes = '';
      try {
        bytes = readFileSync(`${e2e.databasePath}${suffix}`).toString('latin1');
      } catch {
        continue;
      }
      expect(bytes).not.toContain('4111111111111111');
    }
    await clearSearch(e2e.page);
  });

  it('a B order re-priced up when regenerated stops before paying; staff approve the new amount; it is paid once at it', async () => {
    const now = e2e.sim.control.now();
    // Staff see 150.00 + 2.00 = 152.00 USD; Atlas re-prices the regenerated order to 375.00 + 2.00 = 377.00 USD.
    const original = e2e.sim.control.createOrder({
      airline: 'AK',
      currency: 'USD',
      price: 150,
      fee: 2,
      orderStatus: -3,
      errorCode: '604',
      paymentMethod: 3,
      paymentTimestamp: now - 40 * MINUTE,
      createdAt: now - 60 * MINUTE,
      supportPaymentMethods: [1, 3],
      passengers: ['NG/HUI'],
      regenerateFareDelta: 1.5,
    }).orderNo;
    await syncViaUi(e2e);

    await openRecover(e2e.page, 'B', original);
    await e2e.page.getByTestId('choose-deposit').check();
    await expect.poll(async () => amountOf(await e2e.page.getByTestId('deposit-summary').locator('dd').first().textContent()), LONG).toBe(152);
    await e2e.page.getByTestId('confirm-deposit').click();
    const stopped = await waitJob(e2e, original, ['needs_approval', 'done', 'blocked', 'attention', 'failed', 'cancelled']);
    expect(stopped).toMatchObject({ state: 'needs_approval', reason: 'price_changed', approval: { dueFromDeposit: { amount: 152, currency: 'USD' } } });
    const fresh = stopped.currentOrderNo;
    expect(fresh).not.toBe(original);
    expect(e2e.sim.control.paymentsFor(fresh)).toBe(0);
    await closeDialog(e2e.page, 'recover-dialog');

    // The regenerated order (now in "payment failed", linked to the original) says so in its
    // panel and opens the approval: 152.00 → 377.00 USD.
    await openDetail(e2e.page, 'A', fresh);
    await e2e.page.getByTestId('waiting-approval').waitFor({ state: 'visible', ...LONG });
    await e2e.page.getByTestId('detail-approve').click();
    const before = e2e.page.getByTestId(`approve-before-${original}`);
    const after = e2e.page.getByTestId(`approve-now-${original}`);
    expect(amountOf(await before.textContent())).toBe(152);
    expect(amountOf(await after.textContent())).toBe(377);
    expect(amountOf(await e2e.page.getByTestId('approve-total-USD').locator('td').nth(2).textContent())).toBe(377);
    await e2e.page.getByTestId('approve-confirm').click();

    const paid = await waitJob(e2e, original);
    expect(paid).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: fresh, approval: { dueFromDeposit: { amount: 377, currency: 'USD' }, by: 'E2E Staff' } });
    const pays = e2e.sim.control.ledger().filter((l) => l.kind === 'pay' && (l.orderNo === original || l.orderNo === fresh));
    expect(pays).toEqual([expect.objectContaining({ orderNo: fresh, paymentMethod: 1, depositDebit: 377 })]);
    expect(e2e.sim.control.ledger().filter((l) => l.kind === 'regenerate' && l.originalOrderNo === original)).toHaveLength(1);
    await closeDialog(e2e.page, 'approve-dialog');
    await resetUi(e2e.page);
  });

  it('the card form refuses bad input with clear messages and sends nothing', async () => {
    const now = e2e.sim.control.now();
    const orderNo = e2e.sim.control.createOrder({
      airline: 'TR',
      currency: 'USD',
      price: 99,
      orderStatus: -3,
      errorCode: '613',
      paymentMethod: 3,
      paymentTimestamp: now - 30 * MINUTE,
      createdAt: now - 45 * MINUTE,
      supportPaymentMethods: [1, 3],
    }).orderNo;
    await syncViaUi(e2e);
    const requestsBefore = e2e.sim.control.requests().filter((r) => r.endpoint === 'pay' || r.endpoint === 'regenerateOrder').length;

    await openRecover(e2e.page, 'B', orderNo);
    await e2e.page.getByTestId('choose-card').check();
    const year = new Date().getUTCFullYear();
    await fillCard(e2e.page, {
      ...TYPED_CARD,
      cardNumber: '4111 1111 1111 1112', // bad check digit
      cardExpireMonth: '01',
      cardExpireYear: String(year - 1), // expired
      cardCVV: '12', // Visa needs 3
      cardHolderFirstName: '', // required
      cardHolderCity: '', // TR requires the holder's city
    });
    await e2e.page.getByTestId('card-submit').click();

    const error = (field: string) => e2e.page.getByTestId(`card-error-${field}`);
    await expect.poll(() => error('cardNumber').textContent()).toBe(text('en', 'card.error.luhn'));
    await expect.poll(() => error('cardExpireYear').textContent()).toBe(text('en', 'card.error.expired'));
    await expect.poll(() => error('cardCVV').textContent()).toBe(text('en', 'card.error.cvv_length', { digits: 3 }));
    await expect.poll(() => error('cardHolderFirstName').textContent()).toBe(text('en', 'card.error.required'));
    await expect.poll(() => error('cardHolderCity').textContent()).toBe(text('en', 'card.error.required'));
    expect(await e2e.page.getByTestId('card-cardNumber').getAttribute('aria-invalid')).toBe('true');
    await e2e.shot('recover-card-errors', 'en');

    // Fixing one field clears its message; the others stay.
    await e2e.page.getByTestId('card-cardCVV').fill('123');
    await expect.poll(() => error('cardCVV').count()).toBe(0);
    await expect.poll(() => error('cardNumber').count()).toBe(1);

    expect(await e2e.page.getByTestId('recover-result').count()).toBe(0);
    expect(await e2e.call('queue:list', {}).then((jobs) => jobs.filter((j) => j.orderNo === orderNo))).toEqual([]);
    const requestsAfter = e2e.sim.control.requests().filter((r) => r.endpoint === 'pay' || r.endpoint === 'regenerateOrder').length;
    expect(requestsAfter).toBe(requestsBefore);
    await e2e.page.keyboard.press('Escape');
    await e2e.page.getByTestId('recover-dialog').waitFor({ state: 'detached' });
    await clearSearch(e2e.page);
  });

  it('switching language changes the UI text, and back', async () => {
    await setLanguage(e2e.page, 'zh-CN');
    await e2e.page.getByTestId('nav-orders').click();
    expect(await e2e.page.getByTestId('nav-queue').textContent()).toContain(text('zh-CN', 'nav.queue'));
    expect(await e2e.page.getByTestId('tab-B').textContent()).toContain(text('zh-CN', 'category.B'));
    expect(await e2e.page.getByTestId('sync-now').textContent()).toBe(text('zh-CN', 'sync.now'));
    expect(text('zh-CN', 'sync.now')).not.toBe(text('en', 'sync.now'));
    expect((await e2e.call('settings:get', {})).language).toBe('zh-CN');

    await setLanguage(e2e.page, 'en');
    await e2e.page.getByTestId('nav-orders').click();
    expect(await e2e.page.getByTestId('sync-now').textContent()).toBe(text('en', 'sync.now'));
    expect(await e2e.page.getByTestId('tab-B').textContent()).toContain(text('en', 'category.B'));
  });
});
