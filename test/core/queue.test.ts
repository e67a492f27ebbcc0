import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { LinksRepo } from '../../electron/store/links-repo.ts';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import { openDesk, removeDir, scenarioA, scenarioAExpired, scenarioB, TEST_CARD, withSimulator, type Desk } from './queue-harness.ts';

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

describe('retry queue against the simulator', () => {
  it('pays a payable Scenario A order with deposit once and tracks it to ticketed', async () => {
    const order = sim.control.createOrder(scenarioA());
    const { jobs } = desk.queue.enqueueDeposit([order.orderNo], 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    const job = desk.queue.jobs.mustGet(jobs[0]!.id);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: order.orderNo });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
    expect(sim.control.order(order.orderNo)?.orderStatus).toBe(2);
  });

  it('regenerates a Scenario B order, links original to new at once, and pays only the new order', async () => {
    const order = sim.control.createOrder(scenarioB(sim.control.now()));
    const { jobs } = desk.queue.enqueueDeposit([order.orderNo], 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    const job = desk.queue.jobs.mustGet(jobs[0]!.id);
    const into = new LinksRepo(desk.store.db).regeneratedInto(order.orderNo);
    expect(into).toHaveLength(1);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: into[0] });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
    expect(sim.control.paymentsFor(into[0]!)).toBe(1);
    const kinds = new EventsRepo(desk.store.db).timeline(order.orderNo).map((e) => e.kind);
    expect(kinds).toContain('regenerated');
  });

  it('regenerates an expired Scenario A order before paying', async () => {
    const order = sim.control.createOrder(scenarioAExpired(sim.control.now()));
    desk.queue.enqueueDeposit([order.orderNo], 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    const [newNo] = new LinksRepo(desk.store.db).regeneratedInto(order.orderNo);
    expect(newNo).toBeDefined();
    expect(sim.control.paymentsFor(newNo!)).toBe(1);
    expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
  });

  it('merges a second intent for the same order into the existing unsettled job', () => {
    const order = sim.control.createOrder(scenarioA());
    const first = desk.queue.enqueueDeposit([order.orderNo], 'mei').jobs[0]!;
    const second = desk.queue.enqueueDeposit([order.orderNo, order.orderNo], 'ali');
    const viaCard = desk.queue.enqueueCard(order.orderNo, TEST_CARD, 'ali');
    expect(second.jobs.map((j) => j.id)).toEqual([first.id]);
    expect(second.merged).toEqual([order.orderNo]);
    expect(viaCard.id).toBe(first.id);
    expect(desk.queue.list()).toHaveLength(1);
    // The card of a merged intent is not kept anywhere.
    expect(desk.queue.vault.size).toBe(0);
  });

  it('stops a deposit job as blocked deposit_below_due when the balance is short, without paying', async () => {
    sim.control.setBalance('USD', 5);
    const order = sim.control.createOrder(scenarioA({ price: 500 }));
    const { jobs } = desk.queue.enqueueDeposit([order.orderNo], 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(jobs[0]!.id)).toMatchObject({ state: 'blocked', reason: 'deposit_below_due' });
    expect(sim.control.requests('pay')).toHaveLength(0);
  });

  it('lets staff cancel a queued job but not a tracking one', async () => {
    const a = sim.control.createOrder(scenarioA());
    const b = sim.control.createOrder(scenarioA());
    const [ja] = desk.queue.enqueueDeposit([a.orderNo], 'mei').jobs;
    expect(desk.queue.cancel(ja!.id, 'mei').state).toBe('cancelled');
    sim.control.setSwitches({ ticketingDelayMs: 60 * 60_000 });
    const [jb] = desk.queue.enqueueDeposit([b.orderNo], 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(jb!.id)).toMatchObject({ state: 'done', outcome: 'paid_pending_ticket' });
    expect(() => desk.queue.cancel(jb!.id, 'mei')).toThrow(/not_cancellable|is done/);
    expect(sim.control.paymentsFor(a.orderNo)).toBe(0);
  });

  it('ends with cancelled_again and the new errorCode when the new order is declined at ticketing', async () => {
    const order = sim.control.createOrder(scenarioA({ ticketingOutcome: '613' }));
    const { jobs } = desk.queue.enqueueDeposit([order.orderNo], 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(jobs[0]!.id)).toMatchObject({ state: 'failed', outcome: 'cancelled_again', reason: '613' });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
  });

  it('runs at most the configured number of jobs at once', async () => {
    await desk.close();
    let current = 0;
    let peak = 0;
    const base = openDesk(sim);
    const counting = {
      ...base.atlas,
      queryOrder: async (orderNo: string) => {
        current++;
        peak = Math.max(peak, current);
        try {
          return await base.atlas.queryOrder(orderNo);
        } finally {
          current--;
        }
      },
    };
    await base.close();
    removeDir(base.dir);
    desk = openDesk(sim, { atlas: counting, concurrency: () => 2 });
    const orders = Array.from({ length: 8 }, () => sim.control.createOrder(scenarioA()).orderNo);
    desk.queue.enqueueDeposit(orders, 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(peak).toBe(2);
    expect(orders.every((o) => sim.control.paymentsFor(o) === 1)).toBe(true);
  });
});
