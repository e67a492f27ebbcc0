import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { LinksRepo } from '../../electron/store/links-repo.ts';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import { openDesk, withSimulator, type Desk, depositIntents, cardIntent } from './queue-harness.ts';
import { CARD } from '../support/cards.ts';
import { orderA, orderAExpired, orderB } from '../support/scenarios.ts';
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

describe('retry queue against the simulator', () => {
  it('pays a payable Scenario A order with deposit once and tracks it to ticketed', async () => {
    const order = sim.control.createOrder(orderA());
    const { jobs } = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    const job = desk.queue.jobs.mustGet(jobs[0]!.id);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: order.orderNo });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
    expect(sim.control.order(order.orderNo)?.orderStatus).toBe(2);
  });

  it('regenerates a Scenario B order, links original to new at once, and pays only the new order', async () => {
    const order = sim.control.createOrder(orderB(sim.control.now()));
    const { jobs } = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei');
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
    const order = sim.control.createOrder(orderAExpired(sim.control.now()));
    desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    const [newNo] = new LinksRepo(desk.store.db).regeneratedInto(order.orderNo);
    expect(newNo).toBeDefined();
    expect(sim.control.paymentsFor(newNo!)).toBe(1);
    expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
  });

  it('merges a second deposit intent for the same order into the existing unsettled job', () => {
    const order = sim.control.createOrder(orderA());
    const first = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs[0]!;
    const second = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo, order.orderNo]), 'ali');
    expect(second.jobs.map((j) => j.id)).toEqual([first.id]);
    expect(second.merged).toEqual([order.orderNo]);
    expect(desk.queue.list()).toHaveLength(1);
  });

  it('stops a deposit job as blocked deposit_below_due when the balance is short, without paying', async () => {
    sim.control.setBalance('USD', 5);
    const order = sim.control.createOrder(orderA({ price: 500 }));
    const { jobs } = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(jobs[0]!.id)).toMatchObject({ state: 'blocked', reason: 'deposit_below_due' });
    expect(sim.control.requests('pay')).toHaveLength(0);
  });

  it('shares one balance read among jobs checking funds while it is on the wire, each payment still held against it', async () => {
    // Three orders, a deposit for two of them; balance.do slow enough that the three funds checks overlap.
    sim.control.setSwitches({ latencyMs: { balance: 500 } });
    const orders = Array.from({ length: 3 }, (_, i) => sim.control.createOrder(orderA({ price: 100, passengers: [`SHARE/P${i}`] })).orderNo);
    const intents = depositIntents(sim, orders);
    const due = intents[0]!.approved.dueFromDeposit!.amount;
    sim.control.setBalance('USD', 3 * due - 1);
    const { jobs } = desk.queue.enqueueDeposit(intents, 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(sim.control.requests('balance').length).toBeLessThan(orders.length);
    const states = jobs.map((j) => desk.queue.jobs.mustGet(j.id));
    expect(states.filter((j) => j.state === 'done')).toHaveLength(2);
    expect(states.filter((j) => j.state === 'blocked' && j.reason === 'deposit_below_due')).toHaveLength(1);
    expect(orders.map((o) => sim.control.paymentsFor(o)).sort()).toEqual([0, 1, 1]);
    expect(sim.control.requests('pay').filter((r) => r.httpStatus === 200 && r.status === 0)).toHaveLength(2);
  });

  it('lets staff cancel a queued job but not a tracking one', async () => {
    const a = sim.control.createOrder(orderA());
    const b = sim.control.createOrder(orderA());
    const [ja] = desk.queue.enqueueDeposit(depositIntents(sim, [a.orderNo]), 'mei').jobs;
    expect(desk.queue.cancel(ja!.id, 'mei').state).toBe('cancelled');
    sim.control.setSwitches({ ticketingDelayMs: 60 * 60_000 });
    const [jb] = desk.queue.enqueueDeposit(depositIntents(sim, [b.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(jb!.id)).toMatchObject({ state: 'done', outcome: 'paid_pending_ticket' });
    expect(() => desk.queue.cancel(jb!.id, 'mei')).toThrow(/not_cancellable|is done/);
    expect(sim.control.paymentsFor(a.orderNo)).toBe(0);
  });

  it('ends with cancelled_again and the new errorCode when the new order is declined at ticketing', async () => {
    const order = sim.control.createOrder(orderA({ ticketingOutcome: '613' }));
    const { jobs } = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei');
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
    desk = openDesk(sim, { atlas: counting, maxConcurrency: () => 2 });
    const orders = Array.from({ length: 8 }, () => sim.control.createOrder(orderA()).orderNo);
    desk.queue.enqueueDeposit(depositIntents(sim, orders), 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(peak).toBe(2);
    expect(orders.every((o) => sim.control.paymentsFor(o) === 1)).toBe(true);
  });
});

describe('money is checked before an order is regenerated or paid', () => {
  const regenerations = () => sim.control.ledger().filter((e) => e.kind === 'regenerate');

  it('blocks a deposit job on a Scenario B order as deposit_below_due before regenerating when that currency is short', async () => {
    // Plenty of USD, but the order settles in EUR and the EUR deposit cannot cover it.
    sim.control.setBalance('EUR', 40);
    const order = sim.control.createOrder(orderB(sim.control.now(), { currency: 'EUR', price: 300, fee: 2 }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'blocked', reason: 'deposit_below_due', outcome: 'not_recovered' });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(0);
    expect(regenerations()).toHaveLength(0);
    expect(sim.control.requests('pay')).toHaveLength(0);
    expect(desk.queue.jobs.steps(job!.id)).toEqual([]);
    const note = new EventsRepo(desk.store.db).timeline(order.orderNo).find((e) => e.kind === 'note');
    expect(note?.data).toMatchObject({ reason: 'deposit_below_due', due: { amount: 302, currency: 'EUR' }, balance: { amount: 40 } });
  });

  it('blocks a deposit job on an expired Scenario A order before regenerating when the deposit is short', async () => {
    sim.control.setBalance('USD', 50);
    const order = sim.control.createOrder(orderAExpired(sim.control.now(), { price: 200, fee: 0 }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'blocked', reason: 'deposit_below_due' });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(0);
    expect(regenerations()).toHaveLength(0);
  });

  it('still checks the re-priced order before paying: enough for the old fare, short for the new one', async () => {
    // 200 before, 208 after regeneration (+4 %, within what staff approved): the deposit covers only the old fare.
    sim.control.setBalance('USD', 204);
    const order = sim.control.createOrder(orderB(sim.control.now(), { price: 200, fee: 0, regenerateFareDelta: 0.04 }));
    const approved = { dueFromDeposit: { amount: 210, currency: 'USD' }, dueFromCard: null };
    const [job] = desk.queue.enqueueDeposit([{ orderNo: order.orderNo, approved }], 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(regenerations()).toHaveLength(1);
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'blocked', reason: 'deposit_below_due' });
    expect(sim.control.requests('pay')).toHaveLength(0);
  });

  it('keeps a card job for staff when its paymentLimit is below the regenerated fare, then pays once with a higher limit', async () => {
    // Old vendor fare 400 MYR; regeneration re-prices it to 416 MYR (staff approved up to 420).
    // A limit of 410 covered the old fare only.
    const order = sim.control.createOrder(orderB(sim.control.now(), { vendorCurrency: 'MYR', vendorPrice: 400, regenerateFareDelta: 0.04 }));
    const intent = cardIntent(sim, order.orderNo);
    intent.approved.dueFromCard = { amount: 420, currency: 'MYR' };
    const job = desk.queue.enqueueCard(intent, { ...CARD, paymentLimit: 410 }, 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();

    expect(sim.control.requests('regenerateOrder')).toHaveLength(1);
    expect(sim.control.requests('pay')).toHaveLength(0);
    const [newNo] = new LinksRepo(desk.store.db).regeneratedInto(order.orderNo);
    expect(sim.control.order(newNo!)?.vendorTotalPrice).toBe(416);
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'needs_card', reason: 'card_limit_below_due', currentOrderNo: newNo });
    // The card is not kept while staff decide.
    expect(desk.queue.vault.size).toBe(0);
    const note = new EventsRepo(desk.store.db).timeline(newNo!).find((e) => e.kind === 'note');
    expect(note?.data).toMatchObject({ reason: 'card_limit_below_due', due: { amount: 416, currency: 'MYR' }, paymentLimit: 410 });

    desk.queue.provideCard(job.id, { ...CARD, paymentLimit: 430 });
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: newNo });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(1);
    expect(sim.control.requests('pay')).toHaveLength(1);
    expect(sim.control.paymentsFor(newNo!)).toBe(1);
    expect(sim.control.order(newNo!)?.orderStatus).toBe(2);
  });

  it('does not regenerate for a card whose paymentLimit is already below the current fare', async () => {
    const order = sim.control.createOrder(orderB(sim.control.now(), { vendorCurrency: 'MYR', vendorPrice: 400 }));
    const job = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), { ...CARD, paymentLimit: 350 }, 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'needs_card', reason: 'card_limit_below_due', currentOrderNo: order.orderNo });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(0);
    expect(sim.control.requests('pay')).toHaveLength(0);
    expect(desk.queue.vault.size).toBe(0);
  });

  it('does not pay a payable order by card when the limit is below the amount due by card', async () => {
    const order = sim.control.createOrder(orderA({ vendorCurrency: 'MYR', vendorPrice: 400 }));
    const job = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), { ...CARD, paymentLimit: 399.99 }, 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'needs_card', reason: 'card_limit_below_due' });
    expect(sim.control.requests('pay')).toHaveLength(0);
    // A limit equal to the amount due is enough.
    desk.queue.provideCard(job.id, { ...CARD, paymentLimit: 400 });
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
  });
});
