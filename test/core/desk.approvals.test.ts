// The desk core's side of issue 8's money-safety edges, through its own channels against the real
// simulator: intents carry what staff approved (checked against the core's plan), staff approve
// a re-priced job (recovery:approve), an approval never outlives the chain's regeneration window,
// a started card charge waits for staff (orders:confirmNotCharged), and a card for an order that
// already has a job is refused or, explicitly, replaces that job's method.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { REGENERATION_WINDOW_MS } from '../../shared/planner.ts';
import { cardApproval, depositRequest, deskFor, markFailed, settled } from './desk-support.ts';
import { CARD } from '../support/cards.ts';
import { orderA, orderAttempted, orderB, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
let desk: DeskCore;
const others: DeskCore[] = [];
const MIN = 60_000;

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.control.setBalance('USD', 10_000);
  tmp = tempDir('desk-approvals-');
  desk = deskFor(sim, join(tmp.dir, 'desk.sqlite'));
  await desk.start();
});

afterEach(async () => {
  await desk.stop({ timeoutMs: 2000 });
  for (const other of others.splice(0)) await other.stop({ timeoutMs: 2000 });
  await sim.stop();
  tmp.cleanup();
});

const usd = (amount: number) => ({ amount, currency: 'USD' });
const paysOf = (orderNo: string) => sim.control.ledger().filter((e) => e.kind === 'pay' && e.orderNo === orderNo);
const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { reason?: string }) => error.reason,
  );

async function idleDesk(name: string): Promise<DeskCore> {
  const idle = deskFor(sim, join(tmp.dir, name), { options: { runQueue: false } });
  others.push(idle);
  await idle.start();
  return idle;
}

describe('an intent records what staff approved, checked against the core’s plan', () => {
  it('refuses an order whose approval is missing or in another currency; accepts a lower one and stops before paying', async () => {
    const [a1, a2, a3] = [0, 1, 2].map(() => sim.control.createOrder(orderA({ price: 200, fee: 0 })).orderNo) as [string, string, string];
    await markFailed(desk, [a1, a2, a3]);

    const { jobs, rejected } = await desk.handlers['recovery:deposit']({
      orderNos: [a1, a2, a3],
      approvals: [
        { orderNo: a2, dueFromDeposit: { amount: 200, currency: 'EUR' } },
        { orderNo: a3, dueFromDeposit: usd(150) },
      ],
    });

    expect(rejected).toEqual([
      { orderNo: a1, reason: 'approval_missing' },
      { orderNo: a2, reason: 'approval_currency' },
    ]);
    expect(jobs.map((j) => [j.orderNo, j.approval?.dueFromDeposit])).toEqual([[a3, usd(150)]]);
    const [job] = await settled(desk, [jobs[0]!.id]);
    expect(job).toMatchObject({ state: 'needs_approval', reason: 'price_changed', quote: { dueFromDeposit: usd(200) } });
    expect(sim.control.requests('pay')).toHaveLength(0);
  });

  it('refuses a card intent without the approval of the card charge and Atlas’s deposit fee', async () => {
    const a = sim.control.createOrder(orderA({ vendorCurrency: 'MYR', vendorPrice: 400, fee: 2 })).orderNo;
    await markFailed(desk, [a]);
    const cardOnly = { dueFromCard: { amount: 400, currency: 'MYR' }, dueFromDeposit: null };
    expect(await reasonOf(desk.handlers['recovery:card']({ orderNo: a, card: { ...CARD }, approved: cardOnly }))).toBe('approval_missing');
    expect(await desk.handlers['queue:list']({})).toEqual([]);
    const job = await desk.handlers['recovery:card']({ orderNo: a, card: { ...CARD }, approved: await cardApproval(desk, a) });
    expect(job.approval).toMatchObject({ dueFromCard: { amount: 400, currency: 'MYR' }, dueFromDeposit: usd(2), by: 'Ana (test)' });
    const [done] = await settled(desk, [job.id]);
    expect(done).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(paysOf(a)).toEqual([expect.objectContaining({ paymentMethod: 3, cardCharge: 400 })]);
  });
});

describe('recovery:approve: staff approve the new amount of a re-priced order', () => {
  it('a Scenario B order regenerated at a higher fare waits, is approved, and is paid once at the new amount', async () => {
    const b = sim.control.createOrder(orderB(sim.control.now(), { price: 150, fee: 2, regenerateFareDelta: 1.5 })).orderNo;
    const { jobs } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [b]));
    const [parked] = await settled(desk, [jobs[0]!.id]);
    const newNo = parked!.currentOrderNo;
    expect(parked).toMatchObject({ state: 'needs_approval', reason: 'price_changed', quote: { orderNo: newNo, dueFromDeposit: usd(377) } });
    const { order: waiting, timeline } = await desk.handlers['orders:show']({ orderNo: newNo });
    expect(waiting.regeneratedFrom).toBe(b);
    expect(timeline.find((e) => e.kind === 'note')?.data).toMatchObject({ reason: 'price_changed', changes: [{ approved: usd(152), due: usd(377) }] });

    const result = await desk.handlers['recovery:approve']({
      approvals: [
        { jobId: parked!.id, dueFromDeposit: usd(377), dueFromCard: null },
        { jobId: 'no-such-job', dueFromDeposit: usd(1), dueFromCard: null },
      ],
    });
    expect(result.rejected).toEqual([{ jobId: 'no-such-job', reason: 'not_found' }]);
    expect(result.jobs.map((j) => [j.id, j.state, j.approval?.by])).toEqual([[parked!.id, 'queued', 'Ana (test)']]);
    const [paid] = await settled(desk, [parked!.id]);
    expect(paid).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: newNo });
    expect(paysOf(newNo)).toEqual([expect.objectContaining({ depositDebit: 377 })]);
    expect(paysOf(b)).toEqual([]);
    // Approving it again is refused: it no longer waits.
    const again = await desk.handlers['recovery:approve']({ approvals: [{ jobId: parked!.id, dueFromDeposit: usd(377), dueFromCard: null }] });
    expect(again).toEqual({ jobs: [], rejected: [{ jobId: parked!.id, reason: 'not_waiting_approval' }] });
  });

  it('an approval ends with the regeneration window of the chain (the original’s creation + 24 h)', async () => {
    const now = sim.control.now();
    const createdAt = now - REGENERATION_WINDOW_MS + 5 * MIN;
    const a = sim.control.createOrder(orderA({ createdAt, tktLimitTime: now + 30 * MIN })).orderNo;
    const idle = await idleDesk('window.sqlite');
    await markFailed(idle, [a]);
    const { jobs } = await idle.handlers['recovery:deposit'](await depositRequest(idle, [a]));
    // Atlas's creation time, as the desk knows it (to the second, from the order number).
    const created = Date.parse((await idle.handlers['orders:show']({ orderNo: a })).order.details.createdAt!);
    expect(Math.abs(created - createdAt)).toBeLessThan(1000);
    expect(jobs[0]!.approval?.expiresAt).toBe(new Date(created + REGENERATION_WINDOW_MS).toISOString());
    await idle.stop();

    sim.control.advanceClock(5 * MIN);
    const runner = deskFor(sim, join(tmp.dir, 'window.sqlite'));
    others.push(runner);
    await runner.start();
    const [job] = await settled(runner, [jobs[0]!.id]);
    expect(job).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
    expect(paysOf(a)).toEqual([]);
  });
});

describe("recovery:approve counts the approval's hour on Atlas's clock", () => {
  it('a fresh desk (a CLI approve) whose clock runs 3 hours fast reads Atlas first: the approval ages out an hour after it was given', async () => {
    const HOUR = 60 * MIN;
    const fast = { deps: { clock: { now: () => sim.control.now() + 3 * HOUR } } };
    const path = join(tmp.dir, 'fast.sqlite');
    const b = sim.control.createOrder(orderB(sim.control.now(), { price: 150, fee: 2, regenerateFareDelta: 1.5 })).orderNo;
    const first = deskFor(sim, path, fast);
    others.push(first);
    await first.start();
    const { jobs } = await first.handlers['recovery:deposit'](await depositRequest(first, [b]));
    const [parked] = await settled(first, [jobs[0]!.id]);
    expect(parked).toMatchObject({ state: 'needs_approval', reason: 'price_changed' });
    await first.stop({ timeoutMs: 2000 });

    // A new process, which has not heard from Atlas, approves the new amount.
    const approver = deskFor(sim, path, { ...fast, options: { runQueue: false } });
    others.push(approver);
    await approver.start();
    const { jobs: approved } = await approver.handlers['recovery:approve']({
      approvals: [{ jobId: parked!.id, dueFromDeposit: parked!.quote!.dueFromDeposit, dueFromCard: null }],
    });
    expect(Date.parse(approved[0]!.approval!.expiresAt)).toBeLessThanOrEqual(sim.control.now() + HOUR + 2000);
    await approver.stop({ timeoutMs: 2000 });

    sim.control.advanceClock(HOUR + 30 * MIN);
    const runner = deskFor(sim, path, fast);
    others.push(runner);
    await runner.start();
    const [job] = await settled(runner, [parked!.id]);
    expect(job).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
    expect(paysOf(parked!.currentOrderNo)).toEqual([]);
  });
});

describe('queueing while the system says the network is down', () => {
  it('stamps the approval on the desk clock without trying a read first, so queueing does not wait on the network', async () => {
    const orderNo = sim.control.createOrder(orderA()).orderNo;
    await markFailed(desk, [orderNo]);
    const request = await depositRequest(desk, [orderNo]);
    const offline = deskFor(sim, join(tmp.dir, 'desk.sqlite'), {
      options: { runQueue: false },
      deps: { online: { isOnline: () => false, onChange: () => () => {} } },
    });
    others.push(offline);
    await desk.stop({ timeoutMs: 2000 });
    await offline.start();
    const reads = () => sim.control.requests('queryOrderDetails', orderNo).length;
    const before = reads();
    const { jobs } = await offline.handlers['recovery:deposit'](request);
    expect(jobs).toHaveLength(1);
    expect(reads()).toBe(before);
    expect(Date.parse(jobs[0]!.approval!.expiresAt)).toBe(Date.parse(jobs[0]!.approval!.at) + 60 * MIN);
  });
});

describe('orders:confirmNotCharged: a card charge Atlas started waits for staff (rule 12)', () => {
  it('refuses recovery until staff confirm per order, records who and when, then pays once', async () => {
    const at = sim.control.createOrder(orderAttempted()).orderNo;
    const plain = sim.control.createOrder(orderA()).orderNo;
    await markFailed(desk, [plain]);

    const bulk = await desk.handlers['recovery:deposit'](await depositRequest(desk, [at, plain]));
    expect(bulk.rejected).toEqual([{ orderNo: at, reason: 'card_charge_unconfirmed' }]);
    expect(await reasonOf(desk.handlers['recovery:card']({ orderNo: at, card: { ...CARD }, approved: await cardApproval(desk, at) }))).toBe(
      'card_charge_unconfirmed',
    );
    expect((await desk.handlers['orders:show']({ orderNo: at })).order.notChargedCheck).toBeNull();

    const confirmed = await desk.handlers['orders:confirmNotCharged']({ orderNo: at });
    expect(confirmed.notChargedCheck).toMatchObject({ by: 'Ana (test)' });
    const { timeline } = await desk.handlers['orders:show']({ orderNo: at });
    expect(timeline.at(-1)).toMatchObject({ kind: 'card_not_charged', actor: 'Ana (test)', at: confirmed.notChargedCheck!.at });

    const { jobs } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [at]));
    await settled(desk, [...jobs.map((j) => j.id), ...bulk.jobs.map((j) => j.id)]);
    expect(paysOf(at)).toHaveLength(1);
    expect(paysOf(plain)).toHaveLength(1);
  });

  it('refuses to confirm an order with no card charge started', async () => {
    const plain = sim.control.createOrder(orderA()).orderNo;
    await markFailed(desk, [plain]);
    expect(await reasonOf(desk.handlers['orders:confirmNotCharged']({ orderNo: plain }))).toBe('nothing_to_confirm');
  });
});

describe('a card for an order that already has an unsettled job', () => {
  it('is refused (already_queued, naming the job and its method), or replaces that job’s method when asked', async () => {
    const idle = await idleDesk('replace.sqlite');
    const a = sim.control.createOrder(orderA()).orderNo;
    await markFailed(idle, [a]);
    const { jobs } = await idle.handlers['recovery:deposit'](await depositRequest(idle, [a]));
    const approved = await cardApproval(idle, a);

    const refused = await idle.handlers['recovery:card']({ orderNo: a, card: { ...CARD }, approved }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'conflict', reason: 'already_queued' });
    expect(String((refused as Error).message)).toContain(`${jobs[0]!.id} (deposit, queued)`);

    const replaced = await idle.handlers['recovery:card']({ orderNo: a, card: { ...CARD }, approved, replaceJobId: jobs[0]!.id });
    const list = await idle.handlers['queue:list']({});
    expect(list.map((j) => [j.id, j.method, j.state, j.reason])).toEqual([
      [jobs[0]!.id, 1, 'cancelled', 'replaced_by_card'],
      [replaced.id, 3, 'queued', null],
    ]);
    expect(paysOf(a)).toEqual([]);
  });
});

describe('balances Atlas answers in another currency are not that balance', () => {
  it('balance:get leaves them out, and the deposit preview shows the balance as unknown', async () => {
    const odd = deskFor(sim, join(tmp.dir, 'odd.sqlite'), {
      atlas: (real) => ({ ...real, balance: async (currency) => ({ ...(await real.balance(currency)), currency: currency === 'USD' ? 'EUR' : currency }) }),
    });
    others.push(odd);
    await odd.start();
    sim.control.setBalance('CNY', 5);
    expect(await odd.handlers['balance:get']({ currencies: ['USD', 'CNY'] })).toEqual([{ amount: 5, currency: 'CNY' }]);
    const a = sim.control.createOrder(orderA({ price: 100, fee: 0 })).orderNo;
    await markFailed(odd, [a]);
    const preview = await odd.handlers['recovery:previewDeposit']({ orderNos: [a] });
    expect(preview.totals).toEqual([{ currency: 'USD', due: 100, balance: null, orders: 1, left: null }]);
  });
});
