// The queue under its adaptive limit (electron/core/adaptive-limit.ts), against the real simulator:
// it never runs more jobs than the limit allows at that moment, never two jobs of one regeneration
// chain at once, and a bulk that meets bursts of 429s still pays every order exactly once. Overlap
// is recorded from the queue's own progress points (`advance` … `advanced` of each job).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../electron/core/trace.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { LinksRepo } from '../../electron/store/links-repo.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import { atlasFor, depositIntents, openDesk, withSimulator, type Desk } from './queue-harness.ts';
import { orderA, orderB } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let desk: Desk | null = null;
beforeEach(async () => {
  sim = await withSimulator(23);
  // Slow enough that jobs overlap; the pay lock of the simulator answers 406 to a second pay.do.
  sim.control.setSwitches({ latencyMs: { pay: 15, regenerateOrder: 15, queryOrderDetails: 2, orderList: 2, balance: 2 } });
});
afterEach(async () => {
  if (desk) {
    await desk.close();
    removeDir(desk.dir);
    desk = null;
  }
  await sim.stop();
});

/** At these job starts (counted), Atlas's limiter turns the next `size` requests away (retryAfter 1 s). */
function burstsOf429(atStarts: readonly number[], size: number): (event: TraceEvent) => void {
  let starts = 0;
  return (event) => {
    if (event.point === 'advance' && atStarts.includes(++starts)) {
      sim.control.setFault('*', { kind: 'rate_limit', retryAfter: 1, httpStatus: 429 }, { times: size });
    }
  };
}

/** Order numbers of `orderNo`'s chain paid in the simulator's ledger, counted per payment. */
function chainPayments(d: Desk, orderNo: string): number {
  return [...new LinksRepo(d.store.db).chain(orderNo)].reduce((sum, n) => sum + sim.control.paymentsFor(n), 0);
}

describe('the queue under its adaptive limit', () => {
  it('never starts a job beyond the limit of that moment, while the limit grows to the cap and is cut by 429s', async () => {
    const running = new Set<string>();
    const overLimit: string[] = [];
    let peak = 0;
    const bursts = burstsOf429([25, 60], 5);
    const limits: number[] = [];
    desk = openDesk(sim, {
      maxConcurrency: () => 6,
      trace: (event) => {
        bursts(event);
        if (event.point === 'advance' && event.jobId) {
          running.add(event.jobId);
          peak = Math.max(peak, running.size);
          const limit = desk?.queue.pace.current() ?? 0;
          if (running.size > limit) overLimit.push(`${running.size} running, limit ${limit}`);
        }
        if (event.point === 'advanced' && event.jobId) running.delete(event.jobId);
      },
    });
    desk.queue.pace.onChange((limit) => limits.push(limit));
    const orders = Array.from({ length: 30 }, (_, i) => sim.control.createOrder(orderA({ passengers: [`PACE/A${i}`] })).orderNo);
    desk.queue.enqueueDeposit(depositIntents(sim, orders), 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(overLimit).toEqual([]);
    expect(peak).toBe(6);
    expect(Math.max(...limits)).toBe(6);
    // The 429 bursts cut it: some change went down.
    expect(limits.some((limit, i) => i > 0 && limit < (limits[i - 1] as number))).toBe(true);
    expect(sim.control.requests().some((r) => r.fault === 'rate_limit')).toBe(true);
    for (const orderNo of orders) expect(sim.control.paymentsFor(orderNo), orderNo).toBe(1);
  });

  it('never runs two jobs of one chain at once, though each was enqueued before the link between their orders was known', async () => {
    // Another desk regenerated X into Y; this desk queued X and Y apart, then learnt the link (as
    // team mode's claims record it). Both jobs would pay Y.
    const x = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['CHAIN/ONE'] })).orderNo;
    const y = (await atlasFor(sim).regenerate(x)).orderNo;
    const overlaps: string[] = [];
    const runningOrders = new Map<string, string>();
    let links: LinksRepo | null = null;
    desk = openDesk(sim, {
      maxConcurrency: () => 8,
      trace: (event) => {
        if (!event.jobId || !desk || !links) return;
        if (event.point === 'advance') {
          const chain = links.chain(desk.queue.jobs.mustGet(event.jobId).currentOrderNo);
          for (const [other, orderNo] of runningOrders) if (chain.has(orderNo)) overlaps.push(`${event.jobId} with ${other}`);
          runningOrders.set(event.jobId, desk.queue.jobs.mustGet(event.jobId).currentOrderNo);
        }
        if (event.point === 'advanced') runningOrders.delete(event.jobId);
      },
    });
    links = new LinksRepo(desk.store.db);
    const first = desk.queue.enqueueDeposit(depositIntents(sim, [x]), 'mei').jobs[0]!;
    const second = desk.queue.enqueueDeposit(depositIntents(sim, [y]), 'mei').jobs[0]!;
    expect(second.id).not.toBe(first.id);
    links.link(x, y, new Date(sim.control.now()).toISOString());
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(overlaps).toEqual([]);
    expect(sim.control.paymentsFor(x)).toBe(0);
    expect(sim.control.paymentsFor(y)).toBe(1);
    expect(sim.control.ledger().filter((e) => e.kind === 'regenerate')).toHaveLength(1);
    for (const job of [first, second]) expect(SETTLED_JOB_STATES).toContain(desk.queue.jobs.mustGet(job.id).state);
  });

  it('starts untouched orders before paying regenerated ones until as many regenerated orders wait as the limit, or one waited a round; ticketing polls last', async () => {
    // The limit stays at 3 (its start, 4, clamped by the cap). At every job start, the waiting
    // jobs are classed from their rows: untouched (still on the order staff named), regenerated
    // and unpaid, or tracking; the started job is among them.
    const limit = 3;
    const running = new Set<string>();
    const wrong: string[] = [];
    // Untouched starts so far, and that count when each regenerated job was first seen waiting.
    let untouchedStarts = 0;
    const regeneratedSince = new Map<string, number>();
    let boundHits = 0;
    let pollsPassed = 0;
    desk = openDesk(sim, {
      maxConcurrency: () => limit,
      trace: (event) => {
        if (!event.jobId || !desk) return;
        if (event.point === 'advanced') running.delete(event.jobId);
        if (event.point !== 'advance') return;
        const waiting = desk.queue.jobs.listUnsettled().filter((j) => !running.has(j.id) && !['needs_card', 'needs_approval'].includes(j.state));
        const kindOf = (j: (typeof waiting)[number]) => (j.state === 'tracking' ? 'tracking' : j.currentOrderNo !== j.orderNo ? 'regenerated' : 'untouched');
        const count = (kind: string) => waiting.filter((j) => kindOf(j) === kind).length;
        const started = waiting.find((j) => j.id === event.jobId);
        running.add(event.jobId);
        if (!started) return;
        const kind = kindOf(started);
        const [untouched, regenerated, tracking] = [count('untouched'), count('regenerated'), count('tracking')];
        for (const j of waiting) if (kindOf(j) === 'regenerated' && !regeneratedSince.has(j.id)) regeneratedSince.set(j.id, untouchedStarts);
        const waitedARound = untouchedStarts - (regeneratedSince.get(started.id) ?? untouchedStarts) >= limit;
        if (kind === 'untouched') untouchedStarts++;
        if (kind === 'regenerated' && untouched > 0 && regenerated < limit && !waitedARound) {
          wrong.push(`paid a regenerated order with ${regenerated} waiting and ${untouched} untouched`);
        }
        if (kind === 'regenerated' && untouched > 0) boundHits++;
        if (kind === 'untouched' && regenerated >= limit) wrong.push(`started an untouched order with ${regenerated} regenerated waiting`);
        if (kind === 'tracking' && untouched + regenerated > 0) wrong.push(`polled before ${untouched + regenerated} jobs with work to do`);
        if (kind !== 'tracking' && tracking > 0) pollsPassed++;
      },
    });
    sim.control.setSwitches({ ticketingDelayMs: 20 });
    const now = sim.control.now();
    const orders = Array.from({ length: 12 }, (_, i) => sim.control.createOrder(orderB(now, { passengers: [`ORDER/B${i}`] })).orderNo);
    desk.queue.enqueueDeposit(depositIntents(sim, orders), 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(wrong).toEqual([]);
    // Both rules were put to the test: regenerated orders were paid because enough of them waited,
    // and polls waited while other work went first.
    expect(boundHits).toBeGreaterThan(0);
    expect(pollsPassed).toBeGreaterThan(0);
    for (const orderNo of orders) expect(chainPayments(desk, orderNo), orderNo).toBe(1);
    for (const job of desk.queue.list()) expect(job.state, job.orderNo).toBe('done');
  });

  it('pays a regenerated order within one round of untouched orders, before its own short payment deadline passes', async () => {
    // Atlas holds a new order 5 minutes (a Fulfilment-API order, docs/atlas-api.md §3.3); here each
    // untouched order the desk starts takes a minute of Atlas's time. Fewer regenerated orders wait
    // than the limit, so only a bound on how long one waits keeps it from lapsing behind the bulk
    // (which would burn it and regenerate its chain a second time).
    const limit = 2;
    sim.control.setSwitches({ holdMinutes: 5 });
    desk = openDesk(sim, {
      maxConcurrency: () => limit,
      trace: (event) => {
        if (event.point !== 'advance' || !event.jobId || !desk) return;
        const job = desk.queue.jobs.mustGet(event.jobId);
        if (job.state !== 'tracking' && job.currentOrderNo === job.orderNo) sim.control.advanceClock(60_000);
      },
    });
    const now = sim.control.now();
    const scenarioB = sim.control.createOrder(orderB(now, { passengers: ['LAPSE/B'] })).orderNo;
    const payable = Array.from({ length: 10 }, (_, i) => sim.control.createOrder(orderA({ holdMinutes: 600, passengers: [`LAPSE/A${i}`] })).orderNo);
    const { jobs } = desk.queue.enqueueDeposit(depositIntents(sim, [scenarioB, ...payable]), 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(sim.control.ledger().filter((e) => e.kind === 'regenerate')).toHaveLength(1);
    expect(chainPayments(desk, scenarioB)).toBe(1);
    expect(desk.queue.jobs.mustGet(jobs[0]!.id).state).toBe('done');
    for (const orderNo of payable) expect(sim.control.paymentsFor(orderNo), orderNo).toBe(1);
  });

  it('pays each of 50 Scenario B orders exactly once through bursts of 429s, or stops it with a reason', async () => {
    const bursts = burstsOf429([30, 80, 130, 180], 8);
    desk = openDesk(sim, { maxConcurrency: () => 16, trace: bursts });
    const cuts: number[] = [];
    let last = desk.queue.pace.current();
    desk.queue.pace.onChange((limit) => {
      if (limit < last) cuts.push(limit);
      last = limit;
    });
    const now = sim.control.now();
    const orders = Array.from({ length: 50 }, (_, i) => sim.control.createOrder(orderB(now, { passengers: [`BULK/B${i}`] })).orderNo);
    const { jobs } = desk.queue.enqueueDeposit(depositIntents(sim, orders), 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(sim.control.requests().filter((r) => r.fault === 'rate_limit').length).toBeGreaterThanOrEqual(16);
    expect(cuts.length).toBeGreaterThan(0);
    const stopped: string[] = [];
    for (const [i, orderNo] of orders.entries()) {
      const job = desk.queue.jobs.mustGet(jobs[i]!.id);
      const paid = chainPayments(desk, orderNo);
      if (job.state === 'done') {
        expect(paid, orderNo).toBe(1);
        expect(job.outcome, orderNo).toBe('ticketed');
      } else {
        // Not paid, and the job says why (a rate-limit budget spent, for instance).
        expect(paid, orderNo).toBe(0);
        expect(SETTLED_JOB_STATES, orderNo).toContain(job.state);
        expect(job.reason, orderNo).toBeTruthy();
        stopped.push(`${orderNo}: ${job.state}/${job.reason}`);
      }
    }
    expect(stopped.length, stopped.join('\n')).toBeLessThan(orders.length);
  }, 60_000);
});
