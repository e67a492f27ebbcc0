// Funds checks compare money exactly in ISO 4217 minor units (docs/money-safety.md rule 13); a
// comparison that cannot be made exactly stops the job for staff and nothing is paid.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import { openDesk, withSimulator, type Desk, depositIntents, cardIntent } from './queue-harness.ts';
import { CARD } from '../support/cards.ts';
import { orderA } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let desk: Desk | undefined;

beforeEach(async () => {
  sim = await withSimulator();
});

afterEach(async () => {
  if (desk) {
    await desk.close();
    removeDir(desk.dir);
    desk = undefined;
  }
  await sim.stop();
});

const notes = (orderNo: string, d: Desk) => new EventsRepo(d.store.db).timeline(orderNo).filter((e) => e.kind === 'note').map((e) => e.data);

describe('exact funds checks', () => {
  it('holds a card whose IDR limit is 0.40 IDR below the amount due (Intl shows IDR with 0 decimals), then pays once', async () => {
    desk = openDesk(sim);
    const order = sim.control.createOrder(orderA({ airline: 'QZ', vendorCurrency: 'IDR', vendorPrice: 6928000.4 }));
    const job = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), { ...CARD, paymentLimit: 6928000 }, 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'needs_card', reason: 'card_limit_below_due' });
    expect(sim.control.requests('pay')).toHaveLength(0);

    desk.queue.provideCard(job.id, { ...CARD, paymentLimit: 6928000.4 });
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
  });

  it('stops a deposit job when the balance has more decimals than its currency: amount_not_exact, nothing paid', async () => {
    desk = openDesk(sim);
    sim.control.setBalance('USD', 100_000.005);
    const order = sim.control.createOrder(orderA({ price: 500, fee: 0 }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'blocked', reason: 'amount_not_exact', outcome: 'not_recovered' });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
    expect(sim.control.requests('pay')).toHaveLength(0);
    expect(notes(order.orderNo, desk)).toContainEqual(expect.objectContaining({ reason: 'amount_not_exact', due: { amount: 500, currency: 'USD' } }));
  });

  it('stops a deposit job when Atlas answers the balance in another currency than the amount due', async () => {
    const probe = openDesk(sim);
    const real = probe.atlas;
    await probe.close();
    removeDir(probe.dir);
    desk = openDesk(sim, { atlas: { ...real, balance: async () => ({ amount: 1_000_000, currency: 'EUR' }) } });
    const order = sim.control.createOrder(orderA({ price: 500, fee: 0 }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    // Not that balance at all: compared with nothing (the approvals tests cover a balance with no currency).
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'blocked', reason: 'balance_currency_mismatch' });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
  });

  it('does not pay by card when the amount due by card is finer than its currency (1500.5 JPY)', async () => {
    desk = openDesk(sim);
    const order = sim.control.createOrder(orderA({ vendorCurrency: 'JPY', vendorPrice: 1500.5 }));
    const job = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), { ...CARD, paymentLimit: 2000 }, 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'blocked', reason: 'amount_not_exact', outcome: 'not_recovered' });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
    expect(desk.queue.vault.size).toBe(0);
  });

  it('pays a deposit job once when the balance covers the due exactly to the cent', async () => {
    desk = openDesk(sim);
    sim.control.setBalance('USD', 500.1);
    const order = sim.control.createOrder(orderA({ price: 499.9, fee: 0.2 }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
  });
});
