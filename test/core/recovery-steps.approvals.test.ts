// Money safety at the edges, in the runner and the queue, against the real simulator over HTTP:
// staff approve an amount (rule 9), Atlas's card fee is checked in the deposit, the balance is
// compared in the currency Atlas answered, a card charge Atlas started waits for staff (rule 12),
// and a card never silently drops onto an order that already has a job. Every money outcome is
// counted in the simulator's ledger.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import { QueueError } from '../../electron/core/queue.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import { APPROVAL_TTL_MS } from '../../shared/approval.ts';
import type { Job } from '../../shared/desk.ts';
import { cardIntent, depositIntent, depositIntents, openDesk, withSimulator, type Desk } from './queue-harness.ts';
import { CARD } from '../support/cards.ts';
import { orderA, orderB } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let desk: Desk;
const MIN = 60_000;

beforeEach(async () => {
  sim = await withSimulator(41);
  desk = openDesk(sim);
});

afterEach(async () => {
  await desk.close();
  await sim.stop();
  removeDir(desk.dir);
});

const usd = (amount: number) => ({ amount, currency: 'USD' });
const regenerationsOf = (orderNo: string) => sim.control.ledger().filter((e) => e.kind === 'regenerate' && e.originalOrderNo === orderNo);
const paysOf = (orderNo: string) => sim.control.ledger().filter((e) => e.kind === 'pay' && e.orderNo === orderNo);
const notes = (orderNo: string) => new EventsRepo(desk.store.db).timeline(orderNo).filter((e) => e.kind === 'note');

async function run(): Promise<void> {
  await desk.queue.start();
  await desk.queue.whenIdle();
}

async function reopen(extra: Parameters<typeof openDesk>[1]): Promise<void> {
  await desk.close();
  desk = openDesk(sim, extra, desk.dir);
}

describe('rule 9: staff approve an amount; a re-priced order waits for a new approval', () => {
  it('stops a regenerated order re-priced up before paying it, then pays it once at the amount staff approved next', async () => {
    // Staff saw 150 + 2 fee = 152 USD; Atlas re-prices the regenerated order to 375 + 2 = 377 USD.
    const original = sim.control.createOrder(orderB(sim.control.now(), { price: 150, fee: 2, regenerateFareDelta: 1.5 }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [original.orderNo]), 'mei').jobs;
    expect(job!.approval).toMatchObject({ dueFromDeposit: usd(152), dueFromCard: null, by: 'mei' });
    await run();

    const [regen] = regenerationsOf(original.orderNo);
    const newNo = regen!.orderNo;
    const parked = desk.queue.jobs.mustGet(job!.id);
    expect(parked).toMatchObject({ state: 'needs_approval', reason: 'price_changed', currentOrderNo: newNo, outcome: null });
    expect(parked.quote).toMatchObject({ orderNo: newNo, dueFromDeposit: usd(377), dueFromCard: null });
    expect(paysOf(newNo)).toHaveLength(0);
    // Both amounts and the currency on the new order's timeline.
    expect(notes(newNo).at(-1)?.data).toMatchObject({
      reason: 'price_changed',
      before: 'pay',
      changes: [{ source: 'deposit', approved: usd(152), due: usd(377) }],
    });

    const approved = desk.queue.approve(job!.id, { dueFromDeposit: usd(377), dueFromCard: null }, 'ali');
    expect(approved).toMatchObject({ state: 'queued', reason: null, quote: null, approval: { dueFromDeposit: usd(377), by: 'ali' } });
    await desk.queue.whenIdle();

    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: newNo });
    expect(paysOf(newNo)).toEqual([expect.objectContaining({ paymentMethod: 1, depositDebit: 377 })]);
    expect(paysOf(original.orderNo)).toHaveLength(0);
    expect(regenerationsOf(original.orderNo)).toHaveLength(1);
    const approvedEvent = new EventsRepo(desk.store.db).timeline(newNo).find((e) => e.kind === 'approved');
    expect(approvedEvent).toMatchObject({ actor: 'ali', data: { jobId: job!.id, approved: { dueFromDeposit: usd(377), dueFromCard: null } } });
  });

  it('pays a regenerated order re-priced down at once: it is within the approval', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { price: 150, fee: 2, regenerateFareDelta: -0.1 }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [original.orderNo]), 'mei').jobs;
    const states: Job['state'][] = [];
    desk.queue.onChange((jobs) => states.push(...jobs.filter((j) => j.id === job!.id).map((j) => j.state)));
    await run();
    const newNo = regenerationsOf(original.orderNo)[0]!.orderNo;
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(paysOf(newNo)).toEqual([expect.objectContaining({ depositDebit: 137 })]);
    expect(states).not.toContain('needs_approval');
  });

  it('does not regenerate when the current estimate is already above the approval', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { price: 150, fee: 2 }));
    // Staff approved less than the order costs (e.g. the fare moved since they looked).
    const [job] = desk.queue.enqueueDeposit([{ orderNo: original.orderNo, approved: { dueFromDeposit: usd(140), dueFromCard: null } }], 'mei').jobs;
    await run();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'price_changed', currentOrderNo: original.orderNo });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(0);
    expect(notes(original.orderNo).at(-1)?.data).toMatchObject({ before: 'regenerate', changes: [{ approved: usd(140), due: usd(152) }] });

    desk.queue.approve(job!.id, { dueFromDeposit: usd(152), dueFromCard: null }, 'mei');
    await desk.queue.whenIdle();
    const newNo = regenerationsOf(original.orderNo)[0]!.orderNo;
    expect(regenerationsOf(original.orderNo)).toHaveLength(1);
    expect(paysOf(newNo)).toEqual([expect.objectContaining({ depositDebit: 152 })]);
  });

  it('an approval lower than the new amount is recorded, and the job stops again before paying', async () => {
    const order = sim.control.createOrder(orderA({ price: 200, fee: 0 }));
    const [job] = desk.queue.enqueueDeposit([{ orderNo: order.orderNo, approved: { dueFromDeposit: usd(150), dueFromCard: null } }], 'mei').jobs;
    await run();
    expect(desk.queue.jobs.mustGet(job!.id).reason).toBe('price_changed');
    desk.queue.approve(job!.id, { dueFromDeposit: usd(180), dueFromCard: null }, 'mei');
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'price_changed', approval: { dueFromDeposit: usd(180) } });
    expect(paysOf(order.orderNo)).toHaveLength(0);
  });

  it('allows the price tolerance from Settings, exactly, and not a minor unit more', async () => {
    let tolerance = 1.99;
    await reopen({ priceTolerancePercent: () => tolerance });
    // Approved 100.00; Atlas asks 102.00: 2 % over.
    const order = sim.control.createOrder(orderA({ price: 100, fee: 2 }));
    const [job] = desk.queue.enqueueDeposit([{ orderNo: order.orderNo, approved: { dueFromDeposit: usd(100), dueFromCard: null } }], 'mei').jobs;
    await run();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'price_changed' });
    expect(notes(order.orderNo).at(-1)?.data).toMatchObject({ tolerancePercent: 1.99 });
    expect(paysOf(order.orderNo)).toHaveLength(0);

    tolerance = 2;
    desk.queue.approve(job!.id, { dueFromDeposit: usd(100), dueFromCard: null }, 'mei');
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(paysOf(order.orderNo)).toEqual([expect.objectContaining({ depositDebit: 102 })]);
  });

  it('an approval ages out: the job stops approval_expired before any call, and a new approval pays it once', async () => {
    const order = sim.control.createOrder(orderA({ holdMinutes: 120 }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    sim.control.advanceClock(APPROVAL_TTL_MS);
    await run();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
    expect(sim.control.requests('pay')).toHaveLength(0);

    desk.queue.approve(job!.id, depositIntent(sim, order.orderNo).approved, 'mei');
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(paysOf(order.orderNo)).toHaveLength(1);
  });

  it('an approval never outlives the regeneration window of the order chain', async () => {
    const order = sim.control.createOrder(orderA({ holdMinutes: 120 }));
    const windowEnd = new Date(sim.control.now() + 10 * MIN).toISOString();
    const [job] = desk.queue.enqueueDeposit([{ ...depositIntent(sim, order.orderNo), windowEnd }], 'mei').jobs;
    expect(job!.approval?.expiresAt).toBe(windowEnd);
    sim.control.advanceClock(10 * MIN);
    await run();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
    expect(paysOf(order.orderNo)).toHaveLength(0);
  });

  describe("an approval's hour is counted on Atlas's clock, not the desk's (rule 9, rule 11)", () => {
    const HOUR = 60 * MIN;
    // The desk's clock is Atlas's plus `skew`, which the test moves as NTP or a person would.
    let skew = 0;
    beforeEach(() => {
      skew = 0;
    });
    // Its monotonic clock is never set: it follows Atlas's time.
    const openSkewed = () => reopen({ clock: { now: () => sim.control.now() + skew, monotonic: () => sim.control.now() } });
    // The desk reads the order before staff approve it (sync, the preview): its Date header tells Atlas's clock.
    const read = (orderNo: string) => desk.queue.atlasClock.wrap(desk.atlas).queryOrder(orderNo);

    it('an approval given while the desk clock ran 3 hours fast, then corrected, ages out an hour after it was given', async () => {
      skew = 3 * HOUR;
      await openSkewed();
      const order = sim.control.createOrder(orderA({ holdMinutes: 300 }));
      await read(order.orderNo);
      const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
      skew = 0;
      sim.control.advanceClock(HOUR + 30 * MIN);
      await run();
      expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
      expect(sim.control.paymentsFor(order.orderNo)).toBe(0);

      desk.queue.approve(job!.id, depositIntent(sim, order.orderNo).approved, 'mei');
      await desk.queue.whenIdle();
      expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
    });

    it('a slow desk clock set forward by NTP after the last answer, then an approval: it still ages out an hour after it was given', async () => {
      skew = -2 * HOUR;
      await openSkewed();
      const order = sim.control.createOrder(orderA({ holdMinutes: 300 }));
      await read(order.orderNo);
      skew = 0;
      // No answer from Atlas between the correction and the approval.
      const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
      sim.control.advanceClock(HOUR + 30 * MIN);
      await run();
      expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
      expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
    });

    it('a desk clock set back an hour after the approval does not stretch it to two', async () => {
      await openSkewed();
      const order = sim.control.createOrder(orderA({ holdMinutes: 300 }));
      await read(order.orderNo);
      const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
      skew = -HOUR;
      sim.control.advanceClock(HOUR + 30 * MIN);
      await run();
      expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
      expect(sim.control.paymentsFor(order.orderNo)).toBe(0);
    });

    it('a desk clock that stays 3 hours off either way still gets the whole hour, and the order is paid once', async () => {
      for (const off of [3 * HOUR, -3 * HOUR]) {
        skew = off;
        await openSkewed();
        const order = sim.control.createOrder(orderA({ holdMinutes: 300 }));
        await read(order.orderNo);
        const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
        sim.control.advanceClock(50 * MIN);
        await run();
        expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
        expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
      }
    });
  });

  it('a card job stops when the card charge (vendor currency) is above what staff approved', async () => {
    const original = sim.control.createOrder(orderB(sim.control.now(), { vendorCurrency: 'MYR', vendorPrice: 400, fee: 2, regenerateFareDelta: 0.1 }));
    const job = desk.queue.enqueueCard(cardIntent(sim, original.orderNo), { ...CARD, paymentLimit: 500 }, 'mei');
    await run();
    const newNo = regenerationsOf(original.orderNo)[0]!.orderNo;
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'needs_approval', reason: 'price_changed' });
    expect(notes(newNo).at(-1)?.data).toMatchObject({ changes: [{ source: 'card', approved: { amount: 400, currency: 'MYR' }, due: { amount: 440, currency: 'MYR' } }] });
    // The card stays in memory while staff decide (the vault's own time limit still applies).
    expect(desk.queue.vault.has(job.id)).toBe(true);

    desk.queue.approve(job.id, { dueFromCard: { amount: 440, currency: 'MYR' }, dueFromDeposit: usd(2) }, 'mei');
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(paysOf(newNo)).toEqual([expect.objectContaining({ paymentMethod: 3, cardCharge: 440 })]);
  });

  it('judges the approval again on the order as read last: one that ages out while the balance is read stops the job before pay.do', async () => {
    const base = desk.atlas;
    let slow = true;
    // balance.do takes an hour (Atlas's clock and the desk's alike): the approval ages out meanwhile.
    const atlas: AtlasApi = {
      ...base,
      balance: async (currency, options) => {
        if (slow) {
          slow = false;
          sim.control.advanceClock(APPROVAL_TTL_MS);
        }
        return base.balance(currency, options);
      },
    };
    await reopen({ atlas });
    const order = sim.control.createOrder(orderA({ holdMinutes: 180 }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await run();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
    expect(sim.control.requests('balance')).toHaveLength(1);
    expect(sim.control.requests('pay')).toHaveLength(0);
    expect(notes(order.orderNo).at(-1)?.data).toMatchObject({ reason: 'approval_expired', before: 'pay' });

    desk.queue.approve(job!.id, depositIntent(sim, order.orderNo).approved, 'mei');
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(paysOf(order.orderNo)).toHaveLength(1);
  });

  it('stops the job when the approval cannot be compared exactly with the amount due: amount_not_exact, nothing paid', async () => {
    const order = sim.control.createOrder(orderA({ price: 100, fee: 0 }));
    // 100.005 USD is finer than a cent: no exact comparison, so no payment (docs/money-safety.md rule 13).
    const [job] = desk.queue.enqueueDeposit([{ orderNo: order.orderNo, approved: { dueFromDeposit: usd(100.005), dueFromCard: null } }], 'mei').jobs;
    await run();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'blocked', reason: 'amount_not_exact', outcome: 'not_recovered' });
    expect(sim.control.requests('pay')).toHaveLength(0);
    expect(sim.control.requests('balance')).toHaveLength(0);
    expect(notes(order.orderNo).at(-1)?.data).toMatchObject({
      reason: 'amount_not_exact',
      due: { dueFromDeposit: usd(100) },
      approved: { dueFromDeposit: usd(100.005) },
    });
  });

  it('refuses an approval in another currency than the job waits for, and one for a job that is not waiting', async () => {
    const order = sim.control.createOrder(orderA({ price: 200, fee: 0 }));
    const [job] = desk.queue.enqueueDeposit([{ orderNo: order.orderNo, approved: { dueFromDeposit: usd(100), dueFromCard: null } }], 'mei').jobs;
    expect(() => desk.queue.approve(job!.id, { dueFromDeposit: usd(200), dueFromCard: null }, 'mei')).toThrow(
      expect.objectContaining({ code: 'not_waiting_approval' }),
    );
    await run();
    const wrong = () => desk.queue.approve(job!.id, { dueFromDeposit: { amount: 200, currency: 'EUR' }, dueFromCard: null }, 'mei');
    expect(wrong).toThrow(expect.objectContaining({ code: 'approval_currency' }));
    const missing = () => desk.queue.approve(job!.id, { dueFromDeposit: null, dueFromCard: null }, 'mei');
    expect(missing).toThrow(expect.objectContaining({ code: 'approval_missing' }));
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', approval: { dueFromDeposit: usd(100) } });
    expect(paysOf(order.orderNo)).toHaveLength(0);
  });
});

describe("card jobs: Atlas's fee comes from the deposit", () => {
  it('does not regenerate for a card job when the deposit cannot cover the fee (617 would burn the new order)', async () => {
    sim.control.setBalance('USD', 1);
    const original = sim.control.createOrder(orderB(sim.control.now(), { fee: 2 }));
    const job = desk.queue.enqueueCard(cardIntent(sim, original.orderNo), CARD, 'mei');
    await run();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'blocked', reason: 'deposit_below_fee', outcome: 'not_recovered' });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(0);
    expect(sim.control.requests('pay')).toHaveLength(0);
    expect(notes(original.orderNo).at(-1)?.data).toMatchObject({ reason: 'deposit_below_fee', before: 'regenerate', due: usd(2), balance: usd(1) });
    expect(desk.queue.vault.size).toBe(0);
  });

  it("holds a card job's fee with the deposit's other payments: a balance that covers one of them pays only that one", async () => {
    sim.control.setBalance('USD', 401);
    // Both funds checks overlap: they share one slow balance read, and each sees the whole 401 USD.
    sim.control.setFault('balance', { kind: 'latency', ms: 150 });
    const byDeposit = sim.control.createOrder(orderA({ price: 398, fee: 2, passengers: ['HOLD/DEPOSIT'] }));
    const byCard = sim.control.createOrder(orderA({ fee: 2, passengers: ['HOLD/CARD'] }));
    const [deposit] = desk.queue.enqueueDeposit(depositIntents(sim, [byDeposit.orderNo]), 'mei').jobs;
    const card = desk.queue.enqueueCard(cardIntent(sim, byCard.orderNo), CARD, 'mei');
    await run();
    expect(sim.control.requests('balance')).toHaveLength(1);
    expect(sim.control.requests('pay')).toHaveLength(1);
    expect([byDeposit.orderNo, byCard.orderNo].filter((o) => paysOf(o).length === 1)).toHaveLength(1);
    const jobs = [deposit!, card].map((j) => desk.queue.jobs.mustGet(j.id));
    expect(jobs.filter((j) => j.state === 'done' && j.outcome === 'ticketed')).toHaveLength(1);
    const stopped = jobs.filter((j) => j.state === 'blocked');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.reason).toBe(stopped[0]!.method === 1 ? 'deposit_below_due' : 'deposit_below_fee');
  });

  it('does not pay a payable order by card when the deposit cannot cover the fee', async () => {
    sim.control.setBalance('USD', 1.99);
    const order = sim.control.createOrder(orderA({ fee: 2 }));
    const job = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), CARD, 'mei');
    await run();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'blocked', reason: 'deposit_below_fee' });
    expect(sim.control.requests('pay')).toHaveLength(0);
  });
});

describe('the deposit check uses the currency balance.do answers in', () => {
  const answering = (currency: string | null): AtlasApi => {
    const base = desk.atlas;
    return { ...base, balance: async (asked) => ({ amount: (await base.balance(asked)).amount, currency }) };
  };

  it.each([['EUR'], [null]])('stops a deposit job when Atlas answers the balance in %s, and pays nothing', async (answered) => {
    await reopen({ atlas: answering(answered) });
    const order = sim.control.createOrder(orderA());
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await run();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'blocked', reason: 'balance_currency_mismatch', outcome: 'not_recovered' });
    expect(sim.control.requests('pay')).toHaveLength(0);
    expect(notes(order.orderNo).at(-1)?.data).toMatchObject({ reason: 'balance_currency_mismatch', asked: 'USD', answered });
  });
});

describe('rule 12: a card charge Atlas started waits for staff', () => {
  const confirm = (orderNo: string, at = new Date(sim.control.now()).toISOString()) =>
    new EventsRepo(desk.store.db).append(orderNo, 'card_not_charged', 'mei', {}, at);

  it('does not pay an unpaid order with paymentAttempted until staff confirmed the card was not charged', async () => {
    const order = sim.control.createOrder(orderA({ paymentAttempted: true }));
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await run();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'blocked', reason: 'card_charge_unconfirmed' });
    expect(sim.control.requests('pay')).toHaveLength(0);

    confirm(order.orderNo);
    const [again] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(again!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(paysOf(order.orderNo)).toHaveLength(1);
  });

  it('does not regenerate an expired one either', async () => {
    const now = sim.control.now();
    const order = sim.control.createOrder({ orderStatus: 0, paymentAttempted: true, createdAt: now - 40 * MIN, tktLimitTime: now - 10 * MIN });
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await run();
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'blocked', reason: 'card_charge_unconfirmed' });
    expect(sim.control.requests('regenerateOrder')).toHaveLength(0);
  });

  it("a confirmation made before the desk's own later card payment of the order no longer counts", async () => {
    const order = sim.control.createOrder(orderA({ paymentAttempted: true }));
    const before = new Date(sim.control.now() - MIN).toISOString();
    confirm(order.orderNo, before);
    // After it, this desk sent a card pay.do for the order (another job; Atlas refused it).
    const now = new Date(sim.control.now()).toISOString();
    const { job: earlier } = desk.queue.jobs.createOrMerge({
      id: 'j-card', orderNo: order.orderNo, method: 3, cardMask: '411111******1111', actor: 'mei', state: 'running', now,
      approval: { ...cardIntent(sim, order.orderNo).approved, at: now, by: 'mei', expiresAt: new Date(sim.control.now() + MIN).toISOString() },
    });
    const step = desk.queue.jobs.beginStep(earlier.id, order.orderNo, 'pay', { orderNo: order.orderNo, paymentMethod: 3 }, now);
    desk.queue.jobs.finishStep(step, 'failed', { kind: 'business', code: 604 }, now);
    desk.queue.jobs.update(earlier.id, { state: 'failed', reason: 'pay_rejected_604' }, now);

    const [depositJob] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await run();
    expect(desk.queue.jobs.mustGet(depositJob!.id)).toMatchObject({ state: 'blocked', reason: 'card_charge_unconfirmed' });
    expect(paysOf(order.orderNo)).toHaveLength(0);

    // Confirmed again, after that attempt: now it counts.
    sim.control.advanceClock(1000);
    confirm(order.orderNo);
    const [again] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(again!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(paysOf(order.orderNo)).toHaveLength(1);
  });
  it('a pay step whose request no longer reads counts as a card payment: the confirmation before it no longer counts', async () => {
    const order = sim.control.createOrder(orderA({ paymentAttempted: true }));
    confirm(order.orderNo, new Date(sim.control.now() - MIN).toISOString());
    const now = new Date(sim.control.now()).toISOString();
    const { job: earlier } = desk.queue.jobs.createOrMerge({
      id: 'j-unreadable', orderNo: order.orderNo, method: 1, cardMask: null, actor: 'mei', state: 'running', now,
      approval: { ...depositIntents(sim, [order.orderNo])[0]!.approved, at: now, by: 'mei', expiresAt: new Date(sim.control.now() + MIN).toISOString() },
    });
    const step = desk.queue.jobs.beginStep(earlier.id, order.orderNo, 'pay', { orderNo: order.orderNo, paymentMethod: 1 }, now);
    desk.queue.jobs.finishStep(step, 'failed', { kind: 'business', code: 604 }, now);
    desk.queue.jobs.update(earlier.id, { state: 'failed', reason: 'pay_rejected_604' }, now);
    desk.store.db.prepare("UPDATE steps SET request_json = '{\"orderNo\": ' WHERE job_id = ?").run(earlier.id);

    const [depositJob] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await run();
    expect(desk.queue.jobs.mustGet(depositJob!.id)).toMatchObject({ state: 'blocked', reason: 'card_charge_unconfirmed' });
    expect(paysOf(order.orderNo)).toHaveLength(0);
  });
});

describe('a card for an order that already has an unsettled job', () => {
  it('is refused as already_queued, naming that job and its method; the card is not kept', () => {
    const order = sim.control.createOrder(orderA());
    const [deposit] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    let error: unknown;
    try {
      desk.queue.enqueueCard(cardIntent(sim, order.orderNo), CARD, 'ali');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueueError);
    expect(error).toMatchObject({ code: 'already_queued', job: { id: deposit!.id, method: 1 } });
    expect((error as Error).message).toContain(`${deposit!.id} (deposit, queued)`);
    expect(desk.queue.list()).toHaveLength(1);
    expect(desk.queue.vault.size).toBe(0);
  });

  it('replaces the method of a job that has sent nothing, explicitly, and pays once by card', async () => {
    const order = sim.control.createOrder(orderA());
    const [deposit] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    const card = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), CARD, 'ali', deposit!.id);
    expect(desk.queue.jobs.mustGet(deposit!.id)).toMatchObject({ state: 'cancelled', reason: 'replaced_by_card' });
    const cancelled = new EventsRepo(desk.store.db).timeline(order.orderNo).find((e) => e.kind === 'job_cancelled');
    expect(cancelled).toMatchObject({ actor: 'ali', data: { jobId: deposit!.id, replacedBy: card.id } });
    await run();
    expect(desk.queue.jobs.mustGet(card.id)).toMatchObject({ state: 'done', outcome: 'ticketed', method: 3 });
    expect(paysOf(order.orderNo)).toEqual([expect.objectContaining({ paymentMethod: 3 })]);
  });

  it('refuses to replace a job that has already paid (it is tracking ticketing)', async () => {
    sim.control.setSwitches({ ticketingDelayMs: 60 * MIN });
    const order = sim.control.createOrder(orderA());
    const [deposit] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    await desk.queue.start();
    await waitUntil(() => desk.queue.jobs.mustGet(deposit!.id).state === 'tracking');
    expect(() => desk.queue.enqueueCard(cardIntent(sim, order.orderNo), CARD, 'ali', deposit!.id)).toThrow(
      expect.objectContaining({ code: 'not_replaceable' }),
    );
    expect(desk.queue.vault.size).toBe(0);
    expect(paysOf(order.orderNo)).toHaveLength(1);
  });
});

/** Resolves once `check` holds (polled on the queue's own change notifications). */
function waitUntil(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check()) return resolve();
    const off = desk.queue.onChange(() => {
      if (check()) {
        off();
        resolve();
      }
    });
  });
}
