// docs/money-safety.md rule 11 against the real simulator: Atlas's clock — read from the Date
// header of its answers — decides when an unpaid order has expired, with a margin; and an order
// whose creation time Atlas never stated is not regenerated. The simulator's ledger is the judge.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { AtlasClock } from '../../electron/core/atlas-clock.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import { atlasFor, openDesk, withSimulator, type Desk, depositIntents } from './queue-harness.ts';
import { orderA, orderB } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

const MIN = 60_000;
let sim: RunningSimulator;
let desks: Desk[];

beforeEach(async () => {
  sim = await withSimulator(41);
  desks = [];
});

afterEach(async () => {
  for (const d of desks) {
    await d.close();
    removeDir(d.dir);
  }
  await sim.stop();
});

async function drain(extra: Parameters<typeof openDesk>[1] = {}, orderNo: string) {
  const d = openDesk(sim, extra);
  desks.push(d);
  const [job] = d.queue.enqueueDeposit(depositIntents(sim, [orderNo]), 'mei').jobs;
  await d.queue.start();
  await d.queue.whenIdle();
  return d.queue.jobs.mustGet(job!.id);
}

const regenerations = () => sim.control.ledger().filter((e) => e.kind === 'regenerate');

describe('rule 11: never regenerate an unpaid order Atlas may still accept payment for', () => {
  it('with the desk\'s clock 10 minutes fast, a still-payable order is paid, not regenerated into a second payable order', async () => {
    // Atlas's clock is 10 minutes behind the desk's: the desk sees the deadline 7 minutes gone
    // (past any margin on its own clock), Atlas still has 3 minutes to go.
    sim.control.setSwitches({ atlasClockOffsetMs: -10 * MIN });
    const order = sim.control.createOrder(orderA({ tktLimitTime: sim.control.now() - 7 * MIN }));
    const job = await drain({}, order.orderNo);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: order.orderNo });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
    expect(sim.control.ledger().filter((e) => e.kind === 'pay')).toHaveLength(1);
    expect(regenerations()).toEqual([]);
  });

  it('without any clock evidence from Atlas, an expired order is regenerated only after Atlas refuses pay.do with 401', async () => {
    // No Date header on any answer: the desk cannot know Atlas's clock and must ask Atlas itself.
    const noDate: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const headers = new Headers(res.headers);
      headers.delete('date');
      return new Response(await res.arrayBuffer(), { status: res.status, headers });
    };
    const atlas = createAtlasClient({
      connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret },
      fetch: noDate,
      timeouts: { readMs: 1500, payMs: 1500, regenerateMs: 1500 },
    });
    const now = sim.control.now();
    const order = sim.control.createOrder(orderA({ createdAt: now - 60 * MIN, tktLimitTime: now - 30 * MIN }));
    const job = await drain({ atlas }, order.orderNo);
    const [twin] = regenerations();
    expect(sim.control.requests('pay', order.orderNo).map((r) => r.status)).toEqual([401]);
    expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
    expect(twin?.originalOrderNo).toBe(order.orderNo);
    expect(sim.control.paymentsFor(twin!.orderNo)).toBe(1);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: twin!.orderNo });
  });

  it('within the margin on Atlas\'s clock it asks Atlas first: one pay.do answered 401, then one regeneration paid once', async () => {
    const now = sim.control.now();
    const order = sim.control.createOrder(orderA({ createdAt: now - 40 * MIN, tktLimitTime: now - 2 * MIN }));
    const job = await drain({}, order.orderNo);
    const [twin] = regenerations();
    expect(sim.control.requests('pay', order.orderNo).map((r) => r.status)).toEqual([401]);
    expect(regenerations()).toHaveLength(1);
    expect(sim.control.paymentsFor(twin!.orderNo)).toBe(1);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: twin!.orderNo });
  });
});

describe('the 24-hour window needs a creation time Atlas stated', () => {
  it('stops for staff (created_at_unknown) when the order list does not state when the order was created', async () => {
    const base = atlasFor(sim);
    // orderList without orderCreateTimestamp (queryOrderDetails never has it): only the order
    // number's embedded stamp would be left, and that is a guess.
    const atlas: AtlasApi = {
      ...base,
      listOrders: async (query) => {
        const page = await base.listOrders(query);
        return { ...page, orders: page.orders.map((o) => ({ ...o, createdAt: null })) };
      },
    };
    const order = sim.control.createOrder(orderB(sim.control.now()));
    const job = await drain({ atlas }, order.orderNo);
    expect(job).toMatchObject({ state: 'blocked', reason: 'created_at_unknown', outcome: 'not_recovered' });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(0);
    expect(sim.control.requests('pay')).toHaveLength(0);
  });
});

describe('AtlasClock', () => {
  it('bounds Atlas\'s clock by the Date header, the round trip and its whole-second resolution', () => {
    let desk = 1_000_000;
    const clock = new AtlasClock({ now: () => desk });
    expect(clock.now()).toBeNull();
    // Sent at 1_000_000, answered at 1_000_400; Atlas stamped 1_600_000 (whole seconds).
    clock.observe(1_600_000, 1_000_000, 1_000_400);
    desk = 1_000_400;
    expect(clock.now()).toEqual({ earliest: 1_600_000, latest: 1_601_400 });
    desk += 60_000;
    expect(clock.now()).toEqual({ earliest: 1_660_000, latest: 1_661_400 });
  });

  it("after the desk's clock is set back an hour, the next answer measures the skew anew", () => {
    let desk = 5_000_000;
    const clock = new AtlasClock({ now: () => desk });
    clock.observe(5_000_000, 4_999_800, 5_000_000);
    expect(clock.now()).toEqual({ earliest: 5_000_000, latest: 5_001_200 });
    // The desk is set back an hour; Atlas, 10 s on, answers a call sent and received on the new time.
    desk -= 3_600_000 - 10_000;
    clock.observe(5_010_000, desk - 200, desk);
    expect(clock.now()).toEqual({ earliest: 5_010_000, latest: 5_011_200 });
  });

  it('with a monotonic clock, a wall clock set forward between answers cannot move Atlas\'s earliest past the time that passed', () => {
    let desk = 5_000_000;
    let mono = 0;
    const clock = new AtlasClock({ now: () => desk, monotonic: () => mono });
    clock.observe(5_000_000, 4_999_800, 5_000_000);
    // 10 s pass; NTP sets the desk's clock 2 hours forward meanwhile.
    mono += 10_000;
    desk += 10_000 + 7_200_000;
    expect(clock.now()).toEqual({ earliest: 5_010_000, latest: 5_001_200 + 10_000 + 7_200_000 });
    // Set back instead: the latest still counts the 10 s that passed.
    desk -= 2 * 7_200_000;
    expect(clock.now()).toEqual({ earliest: 5_010_000 - 7_200_000, latest: 5_011_200 });
  });
});
