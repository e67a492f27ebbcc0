// Audit of docs/money-safety.md rules 3 and 4 and of the queue's per-order exclusion, against the
// real simulator: a regenerated chain (original → new → newer) is one thing to recover. The desk
// pays only its newest order, regenerates only a cancelled newest order, never the original twice,
// and never lets two unsettled jobs act on the same chain.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { LinksRepo } from '../../electron/store/links-repo.ts';
import { openDesk, withSimulator, type Desk, depositIntents, cardIntent } from './queue-harness.ts';
import { CARD } from '../support/cards.ts';
import { orderA, orderB } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let d: Desk;

beforeEach(async () => {
  sim = await withSimulator(31);
  d = openDesk(sim);
});

afterEach(async () => {
  await d.close();
  await sim.stop();
  removeDir(d.dir);
});

const regenerations = () => sim.control.ledger().filter((e) => e.kind === 'regenerate').map((e) => [e.originalOrderNo, e.orderNo]);
const payments = () => sim.control.ledger().filter((e) => e.kind === 'pay').map((e) => e.orderNo);

async function drain(): Promise<void> {
  await d.queue.start();
  await d.queue.whenIdle();
}

describe('rule 3/4: a chain that fails again is recovered from its newest order', () => {
  it('a new order declined again is regenerated itself on the next recovery, never the original a second time', async () => {
    const x = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    // First recovery: the sandbox "Reject" holder → pay.do 0, then the new order is cancelled with 604.
    const first = d.queue.enqueueCard(cardIntent(sim, x), { ...CARD, cardHolderFirstName: 'Reject' }, 'mei');
    await drain();
    const y = d.queue.jobs.mustGet(first.id).currentOrderNo;
    expect(d.queue.jobs.mustGet(first.id)).toMatchObject({ state: 'failed', outcome: 'cancelled_again', reason: '604' });
    expect(sim.control.order(y)).toMatchObject({ orderStatus: -3, errorCode: '604' });

    // Staff recover "the order" again, naming the original: the desk follows its own link.
    const second = d.queue.enqueueCard(cardIntent(sim, x), CARD, 'mei');
    await d.queue.whenIdle();
    const z = d.queue.jobs.mustGet(second.id).currentOrderNo;
    expect(d.queue.jobs.mustGet(second.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(regenerations()).toEqual([
      [x, y],
      [y, z],
    ]);
    expect(payments()).toEqual([y, z]);
    expect(new LinksRepo(d.store.db).ancestors(z)).toEqual([y, x]);
  });

  it('a job naming an original whose new order is still payable pays the new order and never regenerates again', async () => {
    const x = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    // An earlier recovery regenerated x → y and stopped before paying y (e.g. deposit short).
    const y = sim.control.createOrder(orderA({ originalOrderNo: x })).orderNo;
    new LinksRepo(d.store.db).link(x, y, new Date(sim.control.now()).toISOString());
    // Make Atlas's own 318 guard unavailable: the desk's link alone must stop a second regenerate.
    sim.control.order(y)!.originalOrderNo = null;
    const [job] = d.queue.enqueueDeposit(depositIntents(sim, [x]), 'mei').jobs;
    await drain();
    expect(d.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: y });
    expect(regenerations()).toEqual([]);
    expect(payments()).toEqual([y]);
  });
});

describe('one unsettled job per chain', () => {
  it('an intent for the original while a job is paying its regenerated order merges into that job', async () => {
    const x = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    // Earlier recovery regenerated x → y but could not pay y (deposit short for the re-priced fare).
    sim.control.setBalance('USD', 0);
    const links = new LinksRepo(d.store.db);
    const y = sim.control.createOrder(orderA({ originalOrderNo: x })).orderNo;
    links.link(x, y, new Date(sim.control.now()).toISOString());
    sim.control.setBalance('USD', 1_000_000);
    // Two intents, one naming the new order and one naming the original (e.g. from the CLI or an
    // old list row): they are the same recovery, so they must not become two paying jobs.
    const forY = d.queue.enqueueDeposit(depositIntents(sim, [y]), 'mei');
    const forX = d.queue.enqueueDeposit(depositIntents(sim, [x]), 'ali');
    expect(forX.merged).toEqual([x]);
    expect(forX.jobs[0]!.id).toBe(forY.jobs[0]!.id);
    // Even with the second pay.do turned away by Atlas, a second one must never be sent.
    sim.control.setFault('pay', { kind: 'latency', ms: 50 });
    await drain();
    expect(sim.control.requests('pay', y)).toHaveLength(1);
    expect(sim.control.requests('pay', x)).toHaveLength(0);
    expect(sim.control.paymentsFor(y)).toBe(1);
  });

  it('an intent for a regenerated order merges into the unsettled job of its original', async () => {
    const x = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    const y = sim.control.createOrder(orderA({ originalOrderNo: x })).orderNo;
    new LinksRepo(d.store.db).link(x, y, new Date(sim.control.now()).toISOString());
    const forX = d.queue.enqueueDeposit(depositIntents(sim, [x]), 'mei');
    const forY = d.queue.enqueueDeposit(depositIntents(sim, [y]), 'ali');
    expect(forY.merged).toEqual([y]);
    expect(forY.jobs[0]!.id).toBe(forX.jobs[0]!.id);
    sim.control.setFault('pay', { kind: 'latency', ms: 50 });
    await drain();
    expect(sim.control.requests('pay', y)).toHaveLength(1);
    expect(regenerations()).toEqual([]);
  });
});
