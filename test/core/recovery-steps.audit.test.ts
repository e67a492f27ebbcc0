// Audit of docs/money-safety.md rules 1 and 2 against the real simulator over HTTP: the runner
// re-reads the order right before acting (another desk or ATRIP may have acted since the intent was
// queued), and every ambiguous pay.do answer is settled by query only — one pay.do ever, even
// across a restart.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import type { Fault, RunningSimulator } from '../../electron/simulator/index.ts';
import { openDatabase } from '../../electron/store/db.ts';
import { JobsRepo } from '../../electron/store/jobs-repo.ts';
import { atlasFor, openDesk, withSimulator, type Desk, depositIntents, approvalFor } from './queue-harness.ts';
import { orderA, orderB } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

const MIN = 60_000;

let sim: RunningSimulator;
let desks: Desk[];

beforeEach(async () => {
  sim = await withSimulator(21);
  desks = [];
});

afterEach(async () => {
  for (const d of desks) {
    await d.close();
    removeDir(d.dir);
  }
  await sim.stop();
});

function desk(extra: Parameters<typeof openDesk>[1] = {}, dir?: string): Desk {
  const d = openDesk(sim, extra, dir);
  desks.push(d);
  return d;
}

describe('rule 1: the order is re-read right before a mutating call', () => {
  it('an order ATRIP paid between enqueue and run gets no pay.do from the desk and no step', async () => {
    const order = sim.control.createOrder(orderA());
    const d = desk();
    const [job] = d.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    sim.control.setSwitches({ ticketingDelayMs: 10 * MIN });
    // ATRIP's web UI (another client on the same account) pays it while the job waits.
    await atlasFor(sim).pay({ orderNo: order.orderNo, paymentMethod: 1 });
    await d.queue.start();
    await d.queue.whenIdle();
    expect(sim.control.requests('pay', order.orderNo)).toHaveLength(1);
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
    expect(d.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', reason: 'paid_elsewhere', outcome: 'paid_pending_ticket' });
    expect(d.queue.jobs.steps(job!.id)).toEqual([]);
  });

  it('an order another desk regenerated between enqueue and run is stopped by 318 and neither it nor the twin is paid', async () => {
    const order = sim.control.createOrder(orderB(sim.control.now()));
    const d = desk();
    const [job] = d.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    const twin = await atlasFor(sim).regenerate(order.orderNo);
    await d.queue.start();
    await d.queue.whenIdle();
    expect(d.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'attention', reason: 'duplicate_booking' });
    expect(sim.control.requests('pay')).toHaveLength(0);
    expect(sim.control.orders().filter((o) => o.originalOrderNo === order.orderNo).map((o) => o.orderNo)).toEqual([twin.orderNo]);
  });

  it('a Scenario A order whose deadline passes between enqueue and run is regenerated; the original never gets a pay.do', async () => {
    const now = sim.control.now();
    const order = sim.control.createOrder(orderA({ createdAt: now - 10 * MIN, tktLimitTime: now + 2 * MIN }));
    const d = desk();
    const [job] = d.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    // Well past the deadline on Atlas's own clock (more than the 5-minute margin, rule 11).
    sim.control.advanceClock(8 * MIN);
    await d.queue.start();
    await d.queue.whenIdle();
    const twin = sim.control.orders().find((o) => o.originalOrderNo === order.orderNo);
    expect(twin).toBeDefined();
    expect(sim.control.requests('pay', order.orderNo)).toHaveLength(0);
    expect(sim.control.paymentsFor(twin!.orderNo)).toBe(1);
    expect(d.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: twin!.orderNo });
  });
});

/**
 * An Atlas client whose pay.do reaches the simulator for real (committed, or turned away by a
 * non-applying fault) but whose answer is replaced by `{status: code}`: the business codes the
 * simulator never produces on a payable order (406, 411 after a race, 615, undocumented ones).
 */
function atlasAnsweringPay(code: number): AtlasApi {
  const rewrite: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.endsWith('/pay.do')) return res;
    await res.arrayBuffer().catch(() => undefined);
    return new Response(JSON.stringify({ status: code, msg: 'rewritten by the audit' }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return createAtlasClient({
    connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret },
    fetch: rewrite,
    timeouts: { readMs: 1500, payMs: 1500, regenerateMs: 1500 },
  });
}

/** Runs one deposit job to rest, then a brand-new queue on the same database (a restart). */
async function runThenRestart(atlas: AtlasApi | undefined, orderNo: string) {
  const first = openDesk(sim, atlas ? { atlas } : {});
  const [job] = first.queue.enqueueDeposit(depositIntents(sim, [orderNo]), 'mei').jobs;
  await first.queue.start();
  await first.queue.whenIdle();
  const afterFirst = first.queue.jobs.mustGet(job!.id);
  const steps = first.queue.jobs.steps(job!.id);
  await first.queue.stop();
  first.store.close();
  const second = desk({}, first.dir);
  await second.queue.start();
  await second.queue.whenIdle();
  return { job: afterFirst, steps, afterRestart: second.queue.jobs.mustGet(job!.id) };
}

describe('rule 2: an ambiguous pay.do is unknown, settled by query only, never re-sent (also not after a restart)', () => {
  // 411 on a deposit payment is settled by the same query, but ends as a refusal (deposit-race.test.ts).
  const codes = [406, 615, 777, 9999];
  it.each(codes.flatMap((code) => [true, false].map((committed) => ({ code, committed }))))(
    'pay.do status $code (payment committed at Atlas: $committed)',
    async ({ code, committed }) => {
      const order = sim.control.createOrder(orderA());
      // Not committed: a 502 fault turns the request away before the booking system; the client
      // still sees the rewritten business code.
      if (!committed) sim.control.setFault('pay', { kind: 'http_error', status: 502 }, { times: 1 });
      const { job, steps, afterRestart } = await runThenRestart(atlasAnsweringPay(code), order.orderNo);
      expect(steps.map((s) => [s.kind, s.state, s.result?.paid])).toEqual([['pay', 'reconciled', committed]]);
      if (committed) expect(job).toMatchObject({ state: 'done', outcome: 'ticketed' });
      else expect(job).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
      expect(afterRestart.state).toBe(job.state);
      expect(sim.control.requests('pay', order.orderNo)).toHaveLength(1);
      expect(sim.control.paymentsFor(order.orderNo)).toBe(committed ? 1 : 0);
    },
  );

  const faults: Fault[] = [
    { kind: 'hang' },
    { kind: 'reset' },
    { kind: 'http_error', status: 503 },
    { kind: 'malformed' },
    { kind: 'commit_then_drop' },
    { kind: 'reset_mid_response' },
  ];
  it.each(faults)('transport fault $kind on pay.do', async (fault) => {
    const order = sim.control.createOrder(orderA());
    sim.control.setFault('pay', fault, { times: 1 });
    const { job, steps, afterRestart } = await runThenRestart(atlasFor(sim, 400), order.orderNo);
    const applied = fault.kind === 'commit_then_drop' || fault.kind === 'reset_mid_response';
    expect(steps.map((s) => [s.kind, s.state, s.result?.paid])).toEqual([['pay', 'reconciled', applied]]);
    expect(job.state).toBe(applied ? 'done' : 'attention');
    expect(afterRestart.state).toBe(job.state);
    expect(sim.control.requests('pay', order.orderNo)).toHaveLength(1);
    expect(sim.control.paymentsFor(order.orderNo)).toBe(applied ? 1 : 0);
  });

  it('a step journaled unknown whose reconciliation never ran (crash) is reconciled on restart, not re-sent', async () => {
    const order = sim.control.createOrder(orderA());
    const d0 = desk();
    await d0.close();
    desks.pop();
    const prev = openDatabase(join(d0.dir, 'desk.db'));
    const jobs = new JobsRepo(prev.db);
    const now = new Date(sim.control.now()).toISOString();
    const { job } = jobs.createOrMerge({ id: 'j-unknown', orderNo: order.orderNo, method: 1, cardMask: null, actor: 'mei', state: 'reconciling', now, approval: approvalFor(sim, order.orderNo, now) });
    const step = jobs.beginStep(job.id, order.orderNo, 'pay', { orderNo: order.orderNo, paymentMethod: 1 }, now);
    jobs.finishStep(step, 'unknown', { kind: 'unknown_outcome' }, now);
    prev.close();
    const d = desk({}, d0.dir);
    await d.queue.start();
    await d.queue.whenIdle();
    expect(d.queue.jobs.mustGet('j-unknown')).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
    expect(sim.control.requests('pay')).toHaveLength(0);
  });
});

describe('rule 5: a step journaled before a crash is reconciled by query before anything else', () => {
  /** The previous run's database: one job with one in_flight step, as if killed mid-call. */
  async function crashedWith(orderNo: string, kind: 'pay' | 'regenerate', request: Record<string, unknown>): Promise<string> {
    const d0 = desk();
    await d0.close();
    desks.pop();
    const prev = openDatabase(join(d0.dir, 'desk.db'));
    const jobs = new JobsRepo(prev.db);
    const now = new Date(sim.control.now()).toISOString();
    jobs.createOrMerge({ id: 'j-crash', orderNo, method: 1, cardMask: null, actor: 'mei', state: 'running', now, approval: approvalFor(sim, orderNo, now) });
    jobs.beginStep('j-crash', orderNo, kind, request, now);
    prev.close();
    return d0.dir;
  }

  it('killed after the journal but before pay.do left: unknown → query says unpaid → attention, no pay.do ever', async () => {
    const order = sim.control.createOrder(orderA());
    const d = desk({}, await crashedWith(order.orderNo, 'pay', { orderNo: order.orderNo, paymentMethod: 1 }));
    await d.queue.start();
    await d.queue.whenIdle();
    expect(d.queue.jobs.steps('j-crash').map((s) => [s.state, s.result?.paid])).toEqual([['reconciled', false]]);
    expect(d.queue.jobs.mustGet('j-crash')).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
    expect(sim.control.requests('pay')).toHaveLength(0);
  });

  it('killed after regenerateOrder.do committed but before the answer was stored: the twin is found and paid, no second regenerate', async () => {
    const order = sim.control.createOrder(orderB(sim.control.now()));
    const journal = { originalOrderNo: order.orderNo, createdFrom: sim.control.now() - 10 * MIN, preexisting: [] };
    const dir = await crashedWith(order.orderNo, 'regenerate', journal);
    const twin = await atlasFor(sim).regenerate(order.orderNo); // reached Atlas; the answer died with the process
    const d = desk({}, dir);
    await d.queue.start();
    await d.queue.whenIdle();
    expect(d.queue.jobs.mustGet('j-crash')).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: twin.orderNo });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(1);
    expect(sim.control.requests('pay').map((r) => r.orderNo)).toEqual([twin.orderNo]);
  });
});
