import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OnlineSignal } from '../../electron/core/contract.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import { JobsRepo } from '../../electron/store/jobs-repo.ts';
import { openDatabase } from '../../electron/store/db.ts';
import { join } from 'node:path';
import type { JobState } from '../../shared/desk.ts';
import { atlasFor, openDesk, withSimulator, type Desk, depositIntents, approvalFor } from './queue-harness.ts';
import { orderA, orderB } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let desk: Desk;

beforeEach(async () => {
  sim = await withSimulator();
  desk = openDesk(sim);
});

afterEach(async () => {
  await desk.close();
  await sim.stop();
  removeDir(desk.dir);
});

function statesSeen(jobId: string): JobState[] {
  const seen: JobState[] = [];
  desk.queue.onChange((jobs) => {
    const s = jobs.find((j) => j.id === jobId)?.state;
    if (s && seen[seen.length - 1] !== s) seen.push(s);
  });
  return seen;
}

describe('unknown outcomes are settled by query only', () => {
  it('commit_then_drop on pay.do: sent exactly once, reconciled as paid, tracked to ticketed', async () => {
    const order = sim.control.createOrder(orderA());
    sim.control.setFault('pay', { kind: 'commit_then_drop' }, { times: 1 });
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(sim.control.requests('pay', order.orderNo)).toHaveLength(1);
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    const steps = desk.queue.jobs.steps(job!.id);
    expect(steps.map((s) => [s.kind, s.state, s.result?.paid])).toEqual([['pay', 'reconciled', true]]);
  });

  it('a reset pay.do that did not take effect leaves the job in attention and never re-sends', async () => {
    const order = sim.control.createOrder(orderA());
    sim.control.setFault('pay', { kind: 'reset' });
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
    expect(sim.control.requests('pay', order.orderNo)).toHaveLength(1);
    expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
  });

  it('a regenerate whose answer was lost finds the twin by orderList and pays it, not the original', async () => {
    const order = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['LIM/ANNA', 'LIM/BEN'] }));
    // A decoy with other passengers, created in the same window, must not be taken for the twin.
    sim.control.createOrder(orderA({ passengers: ['KOH/JOE'] }));
    sim.control.setFault('regenerateOrder', { kind: 'commit_then_drop' }, { times: 1 });
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    const twin = sim.control.orders().find((o) => o.originalOrderNo === order.orderNo);
    expect(twin).toBeDefined();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', currentOrderNo: twin!.orderNo });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(1);
    expect(sim.control.paymentsFor(twin!.orderNo)).toBe(1);
  });

  it('318 on regenerate stops in attention with the duplicate order numbers in the event', async () => {
    const order = sim.control.createOrder(orderB(sim.control.now()));
    const twin = sim.control.createOrder(orderA({ originalOrderNo: order.orderNo }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'attention', reason: 'duplicate_booking' });
    const failed = new EventsRepo(desk.store.db).timeline(order.orderNo).find((e) => e.kind === 'step_failed');
    expect(failed?.data).toMatchObject({ code: 318, duplicateOrders: [twin.orderNo] });
    expect(sim.control.requests('pay')).toHaveLength(0);
  });
});

describe('a look-alike booked after the original stops a regeneration (rule 3 across desks)', () => {
  const lookAlikeNote = (orderNo: string) => new EventsRepo(desk.store.db).timeline(orderNo).find((e) => e.kind === 'note' && e.data.reason === 'look_alikes_found');

  it('another desk regenerated it and that order lapsed: Atlas would allow a second regeneration, the desk does not', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['ONG/MAY'] }));
    // Another desk (or ATRIP's web UI) regenerated it; its new order then lapsed unpaid. No live
    // twin is left, so Atlas would not answer 318: only this desk's own check stands in the way.
    const elsewhere = await atlasFor(sim).regenerate(original.orderNo);
    sim.control.advanceClock(31 * 60_000);
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [original.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'attention', reason: 'duplicate_booking', outcome: 'not_recovered' });
    expect(lookAlikeNote(original.orderNo)?.data).toMatchObject({ duplicateOrders: [elsewhere.orderNo] });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(1); // the other desk's, not ours
    expect(sim.control.requests('pay')).toHaveLength(0);
  });

  it("still finds a booking made by hand after the desk's clock was set back 3 hours (Atlas's clock measured anew)", async () => {
    // The desk ran 3 hours fast when it last heard from Atlas, then its clock was corrected.
    let skew = 3 * 60 * 60_000;
    await desk.close();
    desk = openDesk(sim, { clock: { now: () => sim.control.now() + skew } }, desk.dir);
    const original = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['ONG/MAY'], depDate: '2027-02-14' }));
    await desk.queue.atlasClock.wrap(desk.atlas).queryOrder(original.orderNo);
    skew = 0;
    const byHand = sim.control.createOrder(orderA({ passengers: ['ONG/MAY'], depDate: '2027-02-14' }));
    await desk.queue.atlasClock.wrap(desk.atlas).queryOrder(original.orderNo);
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [original.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'attention', reason: 'duplicate_booking' });
    expect(lookAlikeNote(original.orderNo)?.data).toMatchObject({ duplicateOrders: [byHand.orderNo] });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(0);
    expect(sim.control.requests('pay')).toHaveLength(0);
  });

  it('a live booking of the same travellers and flight made by hand stops it too', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['ONG/MAY', 'ONG/LIN'], depDate: '2027-02-14' }));
    const byHand = sim.control.createOrder(orderA({ passengers: ['ONG/LIN', 'ONG/MAY'], depDate: '2027-02-14' }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [original.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'attention', reason: 'duplicate_booking' });
    expect(lookAlikeNote(original.orderNo)?.data).toMatchObject({ duplicateOrders: [byHand.orderNo] });
    // Atlas was asked for that traveller, route and date only, from the original's creation on
    // (after one lookup of the original's own list row, for its creation time and city codes).
    const [ownRow, search] = sim.control.requests('orderList');
    expect(ownRow?.body).toMatchObject({ orderNo: original.orderNo });
    expect(search?.body).toMatchObject({
      paxName: 'ONG/MAY',
      fromCity: original.fromCity,
      toCity: original.toCity,
      depDate: '20270214',
      createTimeRangeFrom: new Date(original.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(0);
    expect(sim.control.paymentsFor(byHand.orderNo)).toBe(0);
  });

  it('bookings made before the original, or for other travellers or another date, do not stop it', async () => {
    const now = sim.control.now();
    const earlier = sim.control.createOrder(orderB(now, { passengers: ['ONG/MAY'], createdAt: now - 60 * 60_000 }));
    const original = sim.control.createOrder(orderB(now, { passengers: ['ONG/MAY'], depDate: earlier.depDate }));
    sim.control.createOrder(orderA({ passengers: ['ONG/TIM'], depDate: earlier.depDate }));
    sim.control.createOrder(orderA({ passengers: ['ONG/MAY'], depDate: '2027-03-01' }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [original.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    const twin = sim.control.orders().find((o) => o.originalOrderNo === original.orderNo);
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', currentOrderNo: twin?.orderNo });
    expect(sim.control.paymentsFor(twin!.orderNo)).toBe(1);
    expect(lookAlikeNote(original.orderNo)).toBeUndefined();
  });
});

describe('network loss pauses the queue and it resumes by itself', () => {
  it('reads failing with resets put the job in waiting_network, then it completes with one payment', async () => {
    const order = sim.control.createOrder(orderA());
    sim.control.setFault('queryOrderDetails', { kind: 'reset' }, { times: 3 });
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    const seen = statesSeen(job!.id);
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(seen).toContain('waiting_network');
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
  });

  it('an online signal wakes the prober at once instead of waiting out the back-off', async () => {
    await desk.close();
    removeDir(desk.dir);
    let emit: (online: boolean) => void = () => {};
    const online: OnlineSignal = { isOnline: () => true, onChange: (l) => ((emit = l), () => {}) };
    // Probe back-off sleeps are "forever" unless aborted; other sleeps are short.
    const sleep = (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        if (ms < 900_000) return void setTimeout(resolve, 1);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    desk = openDesk(sim, { online, sleep, probeBaseMs: 1_000_000, probeCapMs: 10_000_000, random: () => 0.99 });
    const order = sim.control.createOrder(orderA());
    sim.control.setFault('queryOrderDetails', { kind: 'reset' }, { times: 1 });
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    const wentOffline = new Promise<void>((resolve) =>
      desk.queue.onChange((jobs) => jobs.some((j) => j.id === job!.id && j.state === 'waiting_network') && resolve()),
    );
    await desk.queue.start();
    await wentOffline;
    expect(desk.queue.isPaused()).toBe(true);
    emit(true);
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id).state).toBe('done');
  });

  it('other queued jobs wait while paused and none of them fails', async () => {
    const orders = Array.from({ length: 6 }, () => sim.control.createOrder(orderA()).orderNo);
    sim.control.setFault('*', { kind: 'reset' }, { times: 6 });
    desk.queue.enqueueDeposit(depositIntents(sim, orders), 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    const jobs = desk.queue.list();
    // A reset on pay.do itself is unknown (attention); a reset on a read never fails a job.
    expect(jobs.every((j) => j.state === 'done' || (j.state === 'attention' && j.reason === 'outcome_unknown'))).toBe(true);
    expect(jobs.some((j) => j.state === 'failed')).toBe(false);
    expect(orders.every((o) => sim.control.paymentsFor(o) <= 1)).toBe(true);
  });
});

describe('crash recovery (rule 5)', () => {
  it('a pay step left in flight becomes unknown and is reconciled by query before any other job runs', async () => {
    await desk.close();
    // Simulate the previous run: journaled pay on an order Atlas did charge, then the process died.
    const paid = sim.control.createOrder({ orderStatus: 1, paymentMethod: 1, paymentTimestamp: sim.control.now() });
    const other = sim.control.createOrder(orderA());
    const prev = openDatabase(join(desk.dir, 'desk.db'));
    const jobs = new JobsRepo(prev.db);
    const now = new Date(sim.control.now()).toISOString();
    const { job } = jobs.createOrMerge({ id: 'j-crash', orderNo: paid.orderNo, method: 1, cardMask: null, actor: 'mei', state: 'running', now, approval: approvalFor(sim, paid.orderNo, now) });
    jobs.beginStep(job.id, paid.orderNo, 'pay', { orderNo: paid.orderNo, paymentMethod: 1 }, now);
    prev.close();
    const dir = desk.dir;
    desk = openDesk(sim, {}, dir);
    const [otherJob] = desk.queue.enqueueDeposit(depositIntents(sim, [other.orderNo]), 'ali').jobs;
    const order: string[] = [];
    desk.queue.onChange((list) => {
      for (const j of list) if (j.state !== 'queued' && !order.includes(j.id)) order.push(j.id);
    });
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(order[0]).toBe('j-crash');
    expect(desk.queue.jobs.steps('j-crash').map((s) => s.state)).toEqual(['reconciled']);
    expect(desk.queue.jobs.mustGet('j-crash')).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.requests('pay', paid.orderNo)).toHaveLength(0);
    expect(desk.queue.jobs.mustGet(otherJob!.id).state).toBe('done');
  });
});
