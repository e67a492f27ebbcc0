// Property: whatever the desk's clock offset from Atlas's (the simulator's) clock, within ±10
// minutes, recovering an unpaid order near its payment deadline never pays it twice and never
// leaves two payable orders at once — a regenerated order while Atlas would still have accepted
// payment on the original (docs/money-safety.md rule 11: Atlas's clock decides deadlines). The real
// queue and runner work against the simulator over HTTP; the simulator's ledger is the judge.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../electron/simulator/index.ts';
import { openDesk, depositIntents } from './queue-harness.ts';
import { removeDir } from '../support/temp-dir.ts';

const MIN = 60_000;

let sim: RunningSimulator;
beforeAll(async () => {
  // Atlas's clock moves only when the test says so: the skew is the only thing that varies.
  sim = await startSimulator({ scenario: 'empty', seed: 5, ticketingDelayMs: 0, clock: 'manual', startTime: Date.UTC(2026, 10, 26, 4) });
  sim.control.setBalance('USD', 10_000_000);
});
afterAll(async () => {
  await sim.stop();
});

interface Case {
  /** Desk clock minus Atlas clock (ms). */
  skewMs: number;
  /** Atlas's payment deadline of the order, relative to Atlas's now (ms). */
  deadlineInMs: number;
}

/** Runs one recovery and returns what Atlas saw: payments on the chain, and regenerations made while the original was payable. */
async function recoverWithSkew({ skewMs, deadlineInMs }: Case, n: number) {
  const now = sim.control.now();
  const order = sim.control.createOrder({
    orderStatus: 0,
    createdAt: now - 30 * MIN,
    tktLimitTime: now + deadlineInMs,
    passengers: [`SKEW/P${n}`],
  });
  const desk = openDesk(sim, { clock: { now: () => sim.control.now() + skewMs } });
  try {
    desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
  } finally {
    await desk.close();
    removeDir(desk.dir);
  }
  const chain = [order.orderNo, ...sim.control.orders().filter((o) => o.originalOrderNo === order.orderNo).map((o) => o.orderNo)];
  const ledger = sim.control.ledger().filter((e) => chain.includes(e.orderNo));
  const payments = ledger.filter((e) => e.kind === 'pay').length;
  // Regenerated while the original was unpaid and Atlas still inside its payment deadline.
  const twoPayable = ledger.filter((e) => e.kind === 'regenerate' && e.at < order.tktLimitTime).map((e) => e.orderNo);
  // Next case starts later on Atlas's clock, so cases never share a moment.
  sim.control.advanceClock(MIN);
  return { orderNo: order.orderNo, payments, twoPayable };
}

const cases = fc.record({
  skewMs: fc.integer({ min: -10 * MIN, max: 10 * MIN }),
  deadlineInMs: fc.integer({ min: -15 * MIN, max: 15 * MIN }),
});
const SEED = Number(process.env.SKEW_SEED ?? 20261126);
let n = 0;

describe('clock skew between the desk and Atlas (±10 minutes)', () => {
  it('never pays an order twice', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const seen = await recoverWithSkew(c, ++n);
        expect(seen.payments, `${seen.orderNo} payments`).toBeLessThanOrEqual(1);
      }),
      { numRuns: 20, seed: SEED },
    );
  }, 300_000);

  // Without Atlas's clock and its margin (electron/core/atlas-clock.ts), the runner judged the
  // deadline on the desk's clock against tktLimitTime shown to the second, and regenerated an order
  // Atlas would still let it pay — by up to a second with no skew, by the whole skew when the desk
  // ran ahead.
  it('never regenerates an order while Atlas would still accept its payment', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const seen = await recoverWithSkew(c, ++n);
        expect(seen.twoPayable, `${seen.orderNo} regenerated while still payable at Atlas`).toEqual([]);
      }),
      // Tried first: a deadline 1 ms ahead (Atlas shows it to the second), and a desk 5 min ahead.
      { numRuns: 20, seed: SEED, examples: [[{ skewMs: 0, deadlineInMs: 1 }], [{ skewMs: 5 * MIN, deadlineInMs: 2 * MIN }]] },
    );
  }, 300_000);
});
