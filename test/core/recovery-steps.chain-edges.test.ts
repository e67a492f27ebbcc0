// Regeneration chains at their edges (docs/money-safety.md rules 2 and 3), against the real simulator:
// look-alikes compared like with like (city vs airport codes) and failing closed; a lost regenerate
// answer adopted only inside its window; a status-0 answer kept; a chain that fails twice. The
// simulator's ledger is the judge of "paid", "regenerated".
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import { JobsRepo } from '../../electron/store/jobs-repo.ts';
import { openDatabase } from '../../electron/store/db.ts';
import type { Job } from '../../shared/desk.ts';
import { atlasFor, openDesk, withSimulator, type Desk, depositIntents, approvalFor } from './queue-harness.ts';
import { orderB } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

const MIN = 60_000;
let sim: RunningSimulator;
let desks: Desk[];

beforeEach(async () => {
  sim = await withSimulator(51);
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

async function recover(d: Desk, orderNo: string): Promise<Job> {
  const [job] = d.queue.enqueueDeposit(depositIntents(sim, [orderNo]), 'mei').jobs;
  await d.queue.start();
  await d.queue.whenIdle();
  return d.queue.jobs.mustGet(job!.id);
}

const note = (d: Desk, orderNo: string, reason: string) =>
  new EventsRepo(d.store.db).timeline(orderNo).find((e) => e.kind === 'note' && e.data.reason === reason);
const regenerations = () => sim.control.ledger().filter((e) => e.kind === 'regenerate');

describe('the look-alike guard compares like with like and fails closed', () => {
  it('finds a re-booking of the same flight when the list says BKK and the segments say DMK', async () => {
    sim.control.setSwitches({ cityOfAirport: { DMK: 'BKK' } });
    const original = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['ONG/MAY'], fromCity: 'DMK', toCity: 'SIN' }));
    const byHand = sim.control.rebookByHand(original.orderNo);
    const d = desk();
    const job = await recover(d, original.orderNo);
    expect(job).toMatchObject({ state: 'attention', reason: 'duplicate_booking', outcome: 'not_recovered' });
    expect(note(d, original.orderNo, 'look_alikes_found')?.data).toMatchObject({ duplicateOrders: [byHand.orderNo] });
    expect(regenerations()).toEqual([]);
    expect(sim.control.requests('pay')).toHaveLength(0);
  });

  /** The original's queryOrderDetails without routing or travellers, as a wrapped client. */
  function stripped(strip: { route?: boolean; passengers?: boolean; listCities?: boolean }): AtlasApi {
    const base = atlasFor(sim);
    return {
      ...base,
      queryOrder: async (orderNo) => {
        const o = await base.queryOrder(orderNo);
        return {
          ...o,
          ...(strip.route ? { fromCity: null, toCity: null, fromAirport: null, toAirport: null } : {}),
          ...(strip.passengers ? { passengers: [] } : {}),
        };
      },
      listOrders: async (query) => {
        const page = await base.listOrders(query);
        return strip.listCities ? { ...page, orders: page.orders.map((o) => ({ ...o, fromCity: null, toCity: null })) } : page;
      },
    };
  }

  it('with no routing in the details, compares by the city codes of the original\'s own list row', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['LEE/ANN'] }));
    const byHand = sim.control.rebookByHand(original.orderNo);
    const d = desk({ atlas: stripped({ route: true }) });
    const job = await recover(d, original.orderNo);
    expect(job).toMatchObject({ state: 'attention', reason: 'duplicate_booking' });
    expect(note(d, original.orderNo, 'look_alikes_found')?.data).toMatchObject({ duplicateOrders: [byHand.orderNo] });
    expect(regenerations()).toEqual([]);
  });

  it('stops for staff, naming what is missing, when the route cannot be compared at all', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['LEE/BOB'] }));
    const byHand = sim.control.rebookByHand(original.orderNo);
    const d = desk({ atlas: stripped({ route: true, listCities: true }) });
    const job = await recover(d, original.orderNo);
    expect(job).toMatchObject({ state: 'attention', reason: 'look_alike_unverifiable', outcome: 'not_recovered' });
    expect(note(d, original.orderNo, 'look_alike_unverifiable')?.data).toMatchObject({ missing: ['route'], candidates: [byHand.orderNo] });
    expect(regenerations()).toEqual([]);
    expect(sim.control.requests('pay')).toHaveLength(0);
  });

  it('stops for staff when the original\'s travellers are unknown: every order could be its twin', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['LEE/CAL'] }));
    const d = desk({ atlas: stripped({ passengers: true }) });
    const job = await recover(d, original.orderNo);
    expect(job).toMatchObject({ state: 'attention', reason: 'look_alike_unverifiable' });
    expect(note(d, original.orderNo, 'look_alike_unverifiable')?.data).toMatchObject({ missing: ['passengers'] });
    expect(regenerations()).toEqual([]);
    expect(sim.control.requests('pay')).toHaveLength(0);
  });
});

describe('a lost regenerate answer', () => {
  /** The previous run's database: a regenerate journaled (in flight) at this moment, then the process died. */
  async function journaledThenKilled(orderNo: string): Promise<string> {
    const d0 = desk();
    await d0.close();
    desks.pop();
    const prev = openDatabase(join(d0.dir, 'desk.db'));
    const jobs = new JobsRepo(prev.db);
    const now = new Date(sim.control.now()).toISOString();
    jobs.createOrMerge({ id: 'j-lost', orderNo, method: 1, cardMask: null, actor: 'mei', state: 'running', now, approval: approvalFor(sim, orderNo, now) });
    jobs.beginStep('j-lost', orderNo, 'regenerate', { originalOrderNo: orderNo, createdFrom: sim.control.now() - 30 * MIN }, now);
    prev.close();
    return d0.dir;
  }

  it('never takes the traveller\'s own later re-booking for the new order: staff are shown it, nothing is paid', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['TAY/IVY'] }));
    const dir = await journaledThenKilled(original.orderNo); // the regenerate never reached Atlas
    sim.control.advanceClock(20 * MIN);
    const byHand = sim.control.rebookByHand(original.orderNo);
    const d = desk({}, dir);
    await d.queue.start();
    await d.queue.whenIdle();
    expect(d.queue.jobs.mustGet('j-lost')).toMatchObject({ state: 'attention', reason: 'outcome_unknown', outcome: 'not_recovered' });
    const reconciled = new EventsRepo(d.store.db).timeline(original.orderNo).find((e) => e.kind === 'reconciled');
    expect(reconciled?.data).toMatchObject({ step: 'regenerate', candidates: [byHand.orderNo] });
    expect(sim.control.requests('pay')).toHaveLength(0);
    expect(regenerations()).toEqual([]);
  });

  it('adopts the one order made inside the call\'s window, not a re-booking made later', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['TAY/JON'] }));
    const dir = await journaledThenKilled(original.orderNo);
    const twin = await atlasFor(sim).regenerate(original.orderNo); // reached Atlas; the answer died with the process
    sim.control.advanceClock(20 * MIN);
    const byHand = sim.control.rebookByHand(original.orderNo);
    const d = desk({}, dir);
    await d.queue.start();
    await d.queue.whenIdle();
    expect(d.queue.jobs.mustGet('j-lost')).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: twin.orderNo });
    expect(sim.control.paymentsFor(twin.orderNo)).toBe(1);
    expect(sim.control.paymentsFor(byHand.orderNo)).toBe(0);
    expect(regenerations()).toHaveLength(1);
  });

  it('keeps the new order number of a status-0 answer whose other fields do not parse', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['TAY/KIM'] }));
    // Atlas answers status 0 with the new order number, and a deadline nobody can read.
    const odd: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.endsWith('/regenerateOrder.do')) return res;
      const body = JSON.parse(await res.text()) as Record<string, unknown>;
      return new Response(JSON.stringify({ ...body, tktLimitTime: 'in 30 minutes' }), { status: 200, headers: { 'content-type': 'application/json', date: res.headers.get('date') ?? '' } });
    };
    const atlas = createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret }, fetch: odd });
    const d = desk({ atlas });
    const job = await recover(d, original.orderNo);
    const [made] = regenerations();
    expect(d.queue.jobs.steps(job.id).map((s) => [s.kind, s.state])).toEqual([
      ['regenerate', 'succeeded'],
      ['pay', 'succeeded'],
    ]);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: made!.orderNo });
    expect(sim.control.paymentsFor(made!.orderNo)).toBe(1);
  });
});

describe('a chain the airline rejects twice', () => {
  it('regenerates the rejected new order, never flagging the chain\'s own first order as a look-alike', async () => {
    // Booked minutes ago, so it lies inside any "booked since" search of its own chain.
    const x = sim.control.createOrder(orderB(sim.control.now(), { createdAt: sim.control.now() - 3 * MIN, passengers: ['WEE/AMY'] })).orderNo;
    sim.control.setSwitches({ regeneratedTicketingOutcome: '604' });
    const d = desk();
    const first = await recover(d, x);
    const y = first.currentOrderNo;
    expect(first).toMatchObject({ state: 'failed', outcome: 'cancelled_again', reason: '604' });
    expect(sim.control.order(y)).toMatchObject({ orderStatus: -3, errorCode: '604', originalOrderNo: x });

    sim.control.setSwitches({ regeneratedTicketingOutcome: null });
    const second = await recover(d, x);
    const z = second.currentOrderNo;
    expect(second).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(regenerations().map((e) => [e.originalOrderNo, e.orderNo])).toEqual([
      [x, y],
      [y, z],
    ]);
    expect(sim.control.ledger().filter((e) => e.kind === 'pay').map((e) => e.orderNo)).toEqual([y, z]);
  });
});
