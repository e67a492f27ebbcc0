// Evidence before money, and answers that settle (docs/money-safety.md rules 1, 2, 10), against
// the real simulator: the order is read again after balance.do; bulk deposit jobs share the
// balance instead of racing into 411s; a deposit 411 is a refusal once a query shows no payment;
// an outcome nobody could read is settled by the first read that shows it; retry budgets are
// separate; and an older answer that arrives late never overwrites a newer one.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtlasError, type AtlasApi } from '../../electron/atlas/api.ts';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import type { DeskCore } from '../../electron/core/contract.ts';
import { TRACKING_SCHEDULE_S } from '../../electron/core/backoff.ts';
import { createDesk } from '../../electron/core/desk.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import type { Job } from '../../shared/desk.ts';
import { settled, depositRequest } from './desk-support.ts';
import { atlasFor, depositIntents, fastSleep, openDesk, withSimulator, type Desk } from './queue-harness.ts';
import { orderA, startTestSimulator } from '../support/scenarios.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

const MIN = 60_000;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe('with the queue on the simulator', () => {
  let sim: RunningSimulator;
  let desks: Desk[];

  beforeEach(async () => {
    sim = await withSimulator(61);
    desks = [];
  });

  afterEach(async () => {
    for (const d of desks) {
      await d.close();
      removeDir(d.dir);
    }
    await sim.stop();
  });

  async function drain(orderNos: string[], extra: Parameters<typeof openDesk>[1] = {}): Promise<{ d: Desk; jobs: Job[] }> {
    const d = openDesk(sim, extra);
    desks.push(d);
    const { jobs } = d.queue.enqueueDeposit(depositIntents(sim, orderNos), 'mei');
    await d.queue.start();
    await d.queue.whenIdle();
    return { d, jobs: jobs.map((j) => d.queue.jobs.mustGet(j.id)) };
  }

  it('rule 1: reads the order again after balance.do — one paid by ATRIP meanwhile gets no pay.do from the desk', async () => {
    sim.control.setSwitches({ ticketingDelayMs: 10 * MIN });
    const order = sim.control.createOrder(orderA());
    sim.control.setFault('balance', { kind: 'latency', ms: 300 }, { times: 1 });
    const d = openDesk(sim);
    desks.push(d);
    const [job] = d.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    const started = d.queue.start();
    // While the desk waits for its balance, ATRIP's web UI pays the order.
    await until(() => sim.control.requests('balance').length > 0);
    await atlasFor(sim).pay({ orderNo: order.orderNo, paymentMethod: 1 });
    await started;
    await d.queue.whenIdle();
    expect(sim.control.requests('pay', order.orderNo)).toHaveLength(1); // ATRIP's
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
    expect(d.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', reason: 'paid_elsewhere', outcome: 'paid_pending_ticket' });
    expect(d.queue.jobs.steps(job!.id)).toEqual([]);
  });

  it('bulk deposit jobs hold what they are about to pay: the balance covers two of three, the third stops without a pay.do', async () => {
    sim.control.setBalance('USD', 1000);
    // Every balance read overlaps the others: all three see the whole 1,000 USD.
    sim.control.setFault('balance', { kind: 'latency', ms: 150 });
    const orders = [0, 1, 2].map((i) => sim.control.createOrder(orderA({ price: 400, fee: 2, passengers: [`BULK/P${i}`] })).orderNo);
    const { jobs } = await drain(orders);
    const paid = orders.filter((o) => sim.control.paymentsFor(o) === 1);
    expect(paid).toHaveLength(2);
    expect(sim.control.requests('pay')).toHaveLength(2); // no 411 race
    expect(jobs.filter((j) => j.state === 'done' && j.outcome === 'ticketed')).toHaveLength(2);
    expect(jobs.filter((j) => j.state === 'blocked' && j.reason === 'deposit_below_due')).toHaveLength(1);
    expect(sim.control.balance('USD')).toBe(196);
  });

  /** pay.do reaches the simulator (committed, or turned away by a 502), its answer rewritten to `{status: code}`. */
  function answeringPay(code: number): AtlasApi {
    const rewrite: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.endsWith('/pay.do')) return res;
      await res.arrayBuffer().catch(() => undefined);
      return new Response(JSON.stringify({ status: code, msg: 'rewritten' }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    return createAtlasClient({
      connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret },
      fetch: rewrite,
      timeouts: { readMs: 1500, payMs: 1500, regenerateMs: 1500 },
    });
  }

  it('a deposit pay.do answered 411 that a query shows unpaid is a refusal: deposit_below_due, not an unknown outcome', async () => {
    const order = sim.control.createOrder(orderA());
    sim.control.setFault('pay', { kind: 'http_error', status: 502 }, { times: 1 }); // never reaches the booking system
    const { d, jobs } = await drain([order.orderNo], { atlas: answeringPay(411) });
    expect(jobs[0]).toMatchObject({ state: 'blocked', reason: 'deposit_below_due', outcome: 'not_recovered' });
    expect(d.queue.jobs.steps(jobs[0]!.id).map((s) => [s.kind, s.state, s.result?.code])).toEqual([['pay', 'failed', 411]]);
    expect(sim.control.requests('pay', order.orderNo)).toHaveLength(1);
    expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
  });

  it('a deposit pay.do answered 411 after which the order turns out paid is tracked as paid, never paid again', async () => {
    const order = sim.control.createOrder(orderA());
    const { jobs } = await drain([order.orderNo], { atlas: answeringPay(411) });
    expect(jobs[0]).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.requests('pay', order.orderNo)).toHaveLength(1);
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
  });

  it('ticket tracking that gives up leaves the job done as "paid, ticket pending", after the whole poll schedule, each wait once', async () => {
    sim.control.setSwitches({ ticketingDelayMs: 60 * MIN });
    const order = sim.control.createOrder(orderA());
    const waits: number[] = [];
    const { d, jobs } = await drain([order.orderNo], { sleep: (ms, signal) => (waits.push(ms), fastSleep(ms, signal)) });
    expect(jobs[0]).toMatchObject({ state: 'done', outcome: 'paid_pending_ticket', reason: 'ticketing_pending' });
    expect(d.queue.jobs.budgets(jobs[0]!.id).polls).toBe(TRACKING_SCHEDULE_S.length);
    expect(waits).toEqual(TRACKING_SCHEDULE_S.map((s) => s * 1000));
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
  });

  it('retry budgets are separate: read failures do not use up the re-plan that a pay.do 401 needs', async () => {
    const now = sim.control.now();
    // Past the deadline, but within the margin on Atlas's clock: the desk asks Atlas with pay.do first.
    const order = sim.control.createOrder(orderA({ createdAt: now - 40 * MIN, tktLimitTime: now - 2 * MIN }));
    sim.control.setFault('queryOrderDetails', { kind: 'malformed' }, { times: 4, orderNo: order.orderNo });
    const { jobs } = await drain([order.orderNo]);
    const [twin] = sim.control.ledger().filter((e) => e.kind === 'regenerate');
    expect(sim.control.requests('pay', order.orderNo).map((r) => r.status)).toEqual([401]);
    expect(jobs[0]).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: twin?.orderNo });
    expect(sim.control.paymentsFor(twin!.orderNo)).toBe(1);
  });
});

describe('through the desk core', () => {
  let sim: RunningSimulator;
  let tmp: ReturnType<typeof tempDir>;
  let desk: DeskCore;
  /** While true, every queryOrderDetails of the desk is refused (credentials revoked at Atlas, say). */
  let readsFail = false;

  beforeEach(async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 100_000);
    tmp = tempDir('desk-evidence-');
    readsFail = false;
    const base = atlasFor(sim);
    const atlas: AtlasApi = {
      ...base,
      queryOrder: (orderNo, options) => {
        if (readsFail) return Promise.reject(new AtlasError({ kind: 'unauthorized', endpoint: 'queryOrderDetails', code: 900 }));
        return base.queryOrder(orderNo, options);
      },
    };
    desk = createDesk({ atlas, databasePath: join(tmp.dir, 'desk.sqlite'), clock: { now: () => sim.control.now() }, staffName: () => 'Ana (test)', environment: 'training', osAccount: 'ana.os' });
    await desk.start();
  });

  afterEach(async () => {
    await desk.stop({ timeoutMs: 2000 });
    await sim.stop();
    tmp.cleanup();
  });

  /** A deposit job whose pay.do answer is lost, and whose reconciliation cannot read the order. */
  async function unknownAndUnreadable(fault: 'commit_then_drop' | 'reset'): Promise<{ orderNo: string; job: Job }> {
    const orderNo = sim.control.createOrder(orderA()).orderNo;
    await desk.handlers['orders:add']({ orderNos: [orderNo], markFailed: true });
    sim.control.setFault('pay', { kind: fault }, { times: 1, orderNo });
    const payAnswered = new Promise<void>((resolve) => {
      const off = desk.on('queue:changed', (jobs) => {
        if (jobs.some((j) => j.state === 'reconciling')) {
          readsFail = true;
          off();
          resolve();
        }
      });
    });
    const { jobs } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [orderNo]));
    await payAnswered;
    const [job] = await settled(desk, [jobs[0]!.id]);
    readsFail = false;
    return { orderNo, job: job! };
  }

  it('an unknown payment no read could settle is settled by the next read that shows it: a ticketed order leaves attention', async () => {
    const { orderNo, job } = await unknownAndUnreadable('commit_then_drop');
    expect(job).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
    expect((await desk.handlers['orders:show']({ orderNo })).order.category).toBe('attention');
    await until(() => sim.control.order(orderNo)?.orderStatus === 2);

    await desk.handlers['recovery:plan']({ orderNo }); // the plan shown to staff reads Atlas
    const [after] = await settled(desk, [job.id]);
    expect(after).toMatchObject({ state: 'done', outcome: 'ticketed' });
    const { order } = await desk.handlers['orders:show']({ orderNo });
    expect(order).toMatchObject({ category: 'done' });
    expect(sim.control.requests('pay', orderNo)).toHaveLength(1);
    expect(sim.control.paymentsFor(orderNo)).toBe(1);
  });

  it('acknowledging an unknown payment no read could settle works, even while Atlas still cannot be read', async () => {
    const { orderNo, job } = await unknownAndUnreadable('reset');
    expect(job).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
    // No read settled it: the step is still unknown, which once kept the order in attention for good.
    expect((await desk.handlers['orders:show']({ orderNo })).timeline.map((e) => e.kind)).not.toContain('reconciled');
    // Staff checked in ATRIP that nothing was taken; the desk itself still cannot read the order.
    readsFail = true;
    const checked = await desk.handlers['orders:acknowledge']({ orderNo });
    readsFail = false;
    expect(checked.category).toBe('A');
    const { jobs } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [orderNo]));
    const [again] = await settled(desk, [jobs[0]!.id]);
    expect(again).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.requests('pay', orderNo)).toHaveLength(2); // the lost one (never taken) and this one
    expect(sim.control.paymentsFor(orderNo)).toBe(1);
  });

  it('the newest answer wins: an older read that arrives late does not overwrite a newer one', async () => {
    const now = sim.control.now();
    sim.control.setSwitches({ ticketingDelayMs: 60 * MIN });
    const orderNo = sim.control.createOrder({ orderStatus: 1, paymentMethod: 1, createdAt: now - 5 * MIN, paymentTimestamp: now, currency: 'USD' }).orderNo;
    await desk.handlers['orders:add']({ orderNos: [orderNo], markFailed: false });
    // Read A leaves first and sees "ticketing"; its answer is held back.
    sim.control.setFault('queryOrderDetails', { kind: 'late_answer', ms: 400 }, { times: 1, orderNo });
    const before = sim.control.requests('queryOrderDetails', orderNo).length;
    const readA = desk.handlers['recovery:plan']({ orderNo });
    await until(() => sim.control.requests('queryOrderDetails', orderNo).length > before);
    // Tickets are issued; read B leaves later, sees "ticketed" and is stored first.
    sim.control.advanceClock(60 * MIN);
    await desk.handlers['orders:add']({ orderNos: [orderNo], markFailed: false });
    expect((await desk.handlers['orders:show']({ orderNo })).order.details.orderStatus).toBe('ticketed');
    await readA;
    const { order, timeline } = await desk.handlers['orders:show']({ orderNo });
    expect(order.details.orderStatus).toBe('ticketed');
    expect(timeline.filter((e) => e.kind === 'status_changed').map((e) => e.data.to)).toEqual(['ticketed']);
  });
});
