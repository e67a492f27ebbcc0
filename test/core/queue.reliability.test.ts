// Fault matrix and two desks, against the real simulator over HTTP. The simulator's own ledger is
// the judge of "paid twice", not anything the desk says about itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import type { Fault, RunningSimulator } from '../../electron/simulator/index.ts';
import { atlasFor, openDesk, withSimulator, depositIntents } from './queue-harness.ts';
import { orderA, orderB } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

const FAULTS: Fault[] = [
  { kind: 'latency', ms: 30 },
  { kind: 'hang' },
  { kind: 'reset' },
  { kind: 'http_error', status: 502 },
  { kind: 'malformed' },
  { kind: 'rate_limit', retryAfter: 1, httpStatus: 429 },
  { kind: 'commit_then_drop' },
  { kind: 'reset_mid_response' },
];
type Step = 'query' | 'balance' | 'regenerate' | 'pay' | 'tracking';
const STEPS: Step[] = ['query', 'balance', 'regenerate', 'pay', 'tracking'];
const TYPES = ['same-order', 'regenerate-then-pay'] as const;

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await withSimulator(11);
});
afterAll(async () => {
  await sim.stop();
});

/** Payments on an order and on everything regenerated from it (one effective pay per chain). */
function chainPayments(orderNo: string): number {
  const chain = [orderNo, ...sim.control.orders().filter((o) => o.originalOrderNo === orderNo).map((o) => o.orderNo)];
  return chain.reduce((n, o) => n + sim.control.paymentsFor(o), 0);
}

const cases = TYPES.flatMap((type) =>
  STEPS.filter((s) => !(type === 'same-order' && s === 'regenerate')).flatMap((step) => FAULTS.map((fault) => ({ type, step, fault }))),
);

describe('fault matrix: every fault × step × job type never pays twice and ends in a defined state', () => {
  it.each(cases)('$type / $step / $fault.kind', async ({ type, step, fault }) => {
    sim.control.clearFaults();
    const order = sim.control.createOrder(type === 'same-order' ? orderA() : orderB(sim.control.now()));
    const base = atlasFor(sim, 300);
    // The tracking poll is the first query after pay.do answered: arm the fault at that moment.
    const atlas: AtlasApi =
      step === 'tracking'
        ? {
            ...base,
            pay: async (request) => {
              try {
                return await base.pay(request);
              } finally {
                sim.control.setFault('queryOrderDetails', fault, { times: 1, orderNo: request.orderNo });
              }
            },
          }
        : base;
    if (step === 'query') sim.control.setFault('queryOrderDetails', fault, { times: 1, orderNo: order.orderNo });
    if (step === 'balance') sim.control.setFault('balance', fault, { times: 1 });
    if (step === 'regenerate') sim.control.setFault('regenerateOrder', fault, { times: 1, orderNo: order.orderNo });
    if (step === 'pay') sim.control.setFault('pay', fault, { times: 1 });
    const desk = openDesk(sim, { atlas });
    try {
      const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
      await desk.queue.start();
      await desk.queue.whenIdle();
      const end = desk.queue.jobs.mustGet(job!.id);
      expect(chainPayments(order.orderNo)).toBeLessThanOrEqual(1);
      if (step === 'pay' || step === 'regenerate') {
        // Maybe-sent mutating call: paid once (reconciled by query) or a human decides.
        if (end.state === 'attention') {
          expect(end.reason).toBe('outcome_unknown');
          expect(chainPayments(order.orderNo)).toBe(0);
        } else {
          expect(end).toMatchObject({ state: 'done', outcome: 'ticketed' });
          expect(chainPayments(order.orderNo)).toBe(1);
        }
        const sent = sim.control.requests(step === 'pay' ? 'pay' : 'regenerateOrder');
        // A request the rate limiter turned away never reached the booking system.
        const reached = sent.filter((r) => r.fault !== 'rate_limit' && (r.orderNo === end.currentOrderNo || r.orderNo === order.orderNo));
        expect(reached.length).toBeLessThanOrEqual(1);
      } else {
        // Read faults: wait or retry, then finish normally.
        expect(end).toMatchObject({ state: 'done', outcome: 'ticketed' });
        expect(chainPayments(order.orderNo)).toBe(1);
      }
    } finally {
      await desk.close();
      removeDir(desk.dir);
      sim.control.clearFaults();
    }
  });
});

describe('two desks on one Atlas', () => {
  it('recovering the same orders at the same time pays each order (and each chain) at most once', async () => {
    const now = sim.control.now();
    const orders = Array.from({ length: 12 }, (_, i) =>
      sim.control.createOrder(i % 2 === 0 ? orderA() : orderB(now, { passengers: [`DUO/P${i}`] })).orderNo,
    );
    const a = openDesk(sim, { maxConcurrency: () => 3 });
    const b = openDesk(sim, { maxConcurrency: () => 3 });
    try {
      a.queue.enqueueDeposit(depositIntents(sim, orders), 'mei');
      b.queue.enqueueDeposit(depositIntents(sim, [...orders].reverse()), 'ali');
      await Promise.all([a.queue.start(), b.queue.start()]);
      await Promise.all([a.queue.whenIdle(), b.queue.whenIdle()]);
      for (const o of orders) expect(chainPayments(o)).toBe(1);
      for (const desk of [a, b]) {
        for (const job of desk.queue.list()) expect(['done', 'attention', 'failed']).toContain(job.state);
      }
    } finally {
      await a.close();
      await b.close();
      removeDir(a.dir);
      removeDir(b.dir);
    }
  });
});
