// Bulk recovery with deposit while the network drops: 20 Scenario A orders, the office network
// goes down for a while in the middle of the run (every new request fails before it leaves), the
// queue waits (visible in the dialog and the queue screen), resumes by itself, and every order ends
// paid exactly once — counted by the simulator's own ledger, not by the desk.
//
// The drop is the harness's network switch, not the simulator's `reset` fault: a reset after a
// pay.do was sent is "maybe charged", which the desk rightly leaves to a human (covered in
// test/core/recovery-steps.test.ts), and with four workers whether one lands on a pay.do is luck.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { vi } from 'vitest';
import type { E2E } from './harness.ts';
import { startE2E } from './harness.ts';
import { LONG, readCounts, showTab, syncViaUi, text, waitJob } from './ui.ts';

let e2e: E2E;
const MINUTE = 60_000;
const ORDERS = 20;

beforeAll(async () => {
  e2e = await startE2E({ name: 'bulk-offline', simulator: { scenario: 'empty', ticketingDelayMs: 1000 } });
  await e2e.open();
});

afterAll(async () => {
  await e2e?.close();
});

afterEach(() => {
  expect(e2e.pageErrors.splice(0)).toEqual([]);
});

it('bulk-recovers 20 orders with deposit through a network drop: waits, resumes, pays each exactly once', { timeout: 180_000 }, async () => {
  const { control } = e2e.sim;
  control.setBalance('USD', 20_000);
  const now = control.now();
  const orderNos = Array.from({ length: ORDERS }, (_, i) =>
    control.createOrder({
      airline: ['AK', 'VJ', 'FD', 'QZ'][i % 4],
      currency: 'USD',
      price: 100 + i * 7.25,
      orderStatus: 0,
      // No card charge started at the airline: staff mark these failed (below), which is their evidence.
      paymentAttempted: false,
      createdAt: now - (10 + i) * MINUTE,
      tktLimitTime: now + 90 * MINUTE,
      supportPaymentMethods: [1, 3],
      passengers: [`TAN/P${String.fromCharCode(65 + i)}`],
    }).orderNo,
  );
  // One plain unpaid order on the side: never part of a bulk recovery.
  const plainUnpaid = control.createOrder({ currency: 'USD', price: 80, orderStatus: 0, createdAt: now - 5 * MINUTE, tktLimitTime: now + 60 * MINUTE, supportPaymentMethods: [1, 3] }).orderNo;

  await syncViaUi(e2e);
  await e2e.call('orders:add', { orderNos, markFailed: true });
  await expect.poll(() => readCounts(e2e.page), LONG).toMatchObject({ A: ORDERS, unpaid: 1 });

  await showTab(e2e.page, 'A');
  await e2e.page.getByTestId('select-all').check();
  await e2e.page.getByTestId('bulk-deposit').click();
  await e2e.page.getByTestId('bulk-dialog').waitFor({ state: 'visible' });
  await expect.poll(() => e2e.page.getByTestId('bulk-count').textContent(), LONG).toBe(text('en', 'bulk.count', { count: ORDERS }));
  expect(await e2e.page.getByTestId('bulk-total-USD').locator('td').nth(1).textContent()).toBe(String(ORDERS));

  // Slow payments down so the drop lands in the middle of the run, not after it.
  control.setFault('pay', { kind: 'latency', ms: 400 });
  // And for one order the worst case: Atlas takes the money, then the answer is lost (rule 2).
  const ambiguous = orderNos[10]!;
  control.setFault('pay', { kind: 'commit_then_drop' }, { orderNo: ambiguous, times: 1 });
  await e2e.page.getByTestId('bulk-confirm').click();
  await e2e.page.getByTestId('bulk-results').waitFor({ state: 'visible' });
  await vi.waitFor(() => {
    if (control.ledger().filter((l) => l.kind === 'pay').length < 3) throw new Error('fewer than 3 payments so far');
  }, LONG);

  // The network drops: every new request to Atlas fails before it leaves this machine.
  e2e.network.down();
  const paidBeforeDrop = control.ledger().filter((l) => l.kind === 'pay').length;
  expect(paidBeforeDrop).toBeLessThan(ORDERS);

  // The queue notices by itself and waits; the dialog's per-row results say so.
  const waitingText = text('en', 'queue.state.waiting_network');
  await vi.waitFor(async () => {
    const jobs = await e2e.call('queue:list', {});
    if (!jobs.some((j) => j.state === 'waiting_network')) throw new Error(`no job waiting: ${jobs.map((j) => j.state).join(',')}`);
  }, LONG);
  await expect.poll(() => e2e.page.getByTestId('bulk-results').textContent(), LONG).toContain(waitingText);
  await e2e.shot('bulk-offline-waiting', 'en');

  // Stay down until the queue has probed at least once more and been refused: it keeps waiting.
  const refusedAtWait = e2e.network.refused();
  await vi.waitFor(() => {
    if (e2e.network.refused() <= refusedAtWait) throw new Error('no probe refused yet');
  }, LONG);
  expect((await e2e.call('queue:list', {})).some((j) => j.state === 'waiting_network')).toBe(true);

  // The network comes back; nobody clicks anything. (The one-off fault on `ambiguous` stays armed
  // until its pay.do comes, before or after the drop.)
  e2e.network.up();
  control.setFault('pay', null);
  for (const orderNo of orderNos) {
    const job = await waitJob(e2e, orderNo, ['done', 'blocked', 'attention', 'failed', 'cancelled'], 120_000);
    expect(job, orderNo).toMatchObject({ state: 'done', outcome: 'ticketed', method: 1 });
  }

  // The simulator's ledger: exactly one payment per recovered order, all by deposit, nothing else.
  const pays = control.ledger().filter((l) => l.kind === 'pay');
  for (const orderNo of orderNos) expect(control.paymentsFor(orderNo), orderNo).toBe(1);
  expect(pays).toHaveLength(ORDERS);
  expect(pays.every((p) => p.paymentMethod === 1)).toBe(true);
  expect(control.paymentsFor(plainUnpaid)).toBe(0);
  // The charge whose answer was lost was found by query, not paid again.
  expect(control.requests('pay', ambiguous).map((r) => r.fault)).toContain('commit_then_drop');
  expect(control.ledger().filter((l) => l.kind === 'regenerate')).toEqual([]);
  for (const orderNo of orderNos) expect(control.order(orderNo)?.orderStatus, orderNo).toBe(2);

  // The UI shows them all done once the stream settles.
  await expect.poll(async () => (await e2e.page.getByTestId('bulk-results').textContent())?.split(text('en', 'queue.outcome.ticketed')).length ?? 0, LONG).toBe(ORDERS + 1);
  await e2e.page.getByTestId('bulk-dialog').locator('.dialog-head button').click();
  await e2e.page.getByTestId('nav-queue').click();
  await expect.poll(() => e2e.page.getByTestId('queue-group-done').locator('h2 .count').textContent(), LONG).toBe(String(ORDERS));
  expect(await e2e.page.getByTestId('queue-group-waiting_network').count()).toBe(0);
});
