// Guards that must fail closed when a read is missing or a clock is wrong: tracking that gives up
// without a read showing the payment, and an approval's hour judged on either clock.
import { describe, expect, it } from 'vitest';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import type { Job } from '../../shared/desk.ts';
import { depositIntents, simulatorPerTest, type Desk } from './queue-harness.ts';
import { orderA } from '../support/scenarios.ts';

const world = simulatorPerTest(67);

async function sentUrl(input: Parameters<typeof fetch>[0]): Promise<string> {
  const request = input instanceof Request ? input.clone() : new Request(input);
  return request.url;
}

function desk(fetchImpl: typeof fetch): Desk {
  const atlas = createAtlasClient({
    connection: { baseUrl: world.sim.baseUrl, clientId: world.sim.clientId, clientSecret: world.sim.clientSecret },
    fetch: fetchImpl,
    timeouts: { readMs: 1500, payMs: 1500, regenerateMs: 1500 },
  });
  return world.desk({ atlas });
}

async function recover(d: Desk, orderNo: string): Promise<Job> {
  const [job] = d.queue.enqueueDeposit(depositIntents(world.sim, [orderNo]), 'mei').jobs;
  await d.queue.start();
  await d.queue.whenIdle();
  return d.queue.jobs.mustGet(job!.id);
}

/**
 * pay.do reaches the simulator as a call it refuses (nothing applied, fault 502) and comes back as
 * an acceptance (status 0). Tracking reads after it go through `afterPay(n, res)` (n: 1-based read
 * number after the pay): it may replace the answer.
 */
function acceptedNotApplied(afterPay: (n: number, res: Response) => Promise<Response> | Response): typeof fetch {
  let paid = false;
  let reads = 0;
  return async (input, init) => {
    const url = await sentUrl(input);
    const res = await fetch(input, init);
    if (url.endsWith('/pay.do')) {
      paid = true;
      await res.text();
      const headers = new Headers(res.headers);
      headers.set('content-type', 'application/json');
      headers.delete('content-length');
      return new Response(JSON.stringify({ status: 0, msg: 'success', paymentMethod: 1 }), { status: 200, headers });
    }
    if (paid && url.endsWith('/queryOrderDetails.do')) return afterPay(++reads, res);
    return res;
  };
}

function replaced(res: Response, status: number, body: Record<string, unknown>): Response {
  const headers = new Headers(res.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(JSON.stringify(body), { status, headers });
}

describe('payment_not_shown guard (#trackingMiss) when the last tracking read fails', () => {
  it('every tracking read shows the order unpaid, the last one answers 500: the job must not end as paid', async () => {
    const order = world.sim.control.createOrder(orderA());
    world.sim.control.setFault('pay', { kind: 'http_error', status: 502 });
    // Tracking reads 1..9 show the order unpaid (the simulator's own answers); read 10, the last of
    // the schedule, is a 500.
    const d = desk(
      acceptedNotApplied(async (n, res) => (n >= 10 ? replaced(res, 500, { status: 500, msg: 'internal error' }) : res)),
    );
    const job = await recover(d, order.orderNo);
    expect(world.sim.control.paymentsFor(order.orderNo)).toBe(0);
    // Same as the documented case (recovery-steps.odd-answers): Atlas never showed the payment, so
    // "paid, ticket pending" would make the next recovery pay it again.
    expect(job).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
  });

  it('a tracking read shows the order unpaid, then the limiter refuses every read: the job must not end as paid', async () => {
    const order = world.sim.control.createOrder(orderA());
    world.sim.control.setFault('pay', { kind: 'http_error', status: 502 });
    const d = desk(
      acceptedNotApplied(async (n, res) => (n >= 2 ? replaced(res, 429, { status: 429, msg: 'too many requests', retryAfter: 1 }) : res)),
    );
    const job = await recover(d, order.orderNo);
    expect(world.sim.control.paymentsFor(order.orderNo)).toBe(0);
    expect(job).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
  });
});

describe("an approval's hour stamped on the desk's clock (Atlas's unknown)", () => {
  it('a desk clock 3 hours fast with no Atlas answer yet: an approval 90 minutes old must not pay', async () => {
    const HOUR = 3_600_000;
    const order = world.sim.control.createOrder(orderA({ holdMinutes: 300 }));
    // A fresh process (CLI approve, or learnAtlasClock's read refused/offline): no answer with a Date
    // yet, so #approval stamps expiresAt from the desk clock, which runs 3 h fast.
    const d = world.desk({ clock: { now: () => world.sim.control.now() + 3 * HOUR, monotonic: () => world.sim.control.now() } });
    expect(d.queue.atlasClock.now()).toBeNull();
    const [job] = d.queue.enqueueDeposit(depositIntents(world.sim, [order.orderNo]), 'mei').jobs;
    // 90 minutes pass (Atlas's time); the approval (1 h) has lapsed.
    world.sim.control.advanceClock(HOUR + 30 * 60_000);
    await d.queue.start();
    await d.queue.whenIdle();
    // Before the change the runner judged on the same (fast) desk clock and stopped here; now it
    // judges on Atlas's clock against a desk-clock stamp 3 h in the future: the approval holds ~4 h.
    expect(world.sim.control.paymentsFor(order.orderNo)).toBe(0);
    expect(d.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
  });
});

describe("an approval's hour and one Atlas answer's Date header", () => {
  it('reads whose Date header is 3 hours behind (a cache, a proxy) do not keep a 90-minute-old approval alive', async () => {
    const HOUR = 3_600_000;
    const order = world.sim.control.createOrder(orderA({ holdMinutes: 300 }));
    let stale = false;
    const staleDates: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!stale) return res;
      const text = await res.text();
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      headers.delete('content-encoding');
      headers.set('date', new Date(world.sim.control.now() - 3 * HOUR).toUTCString());
      return new Response(text, { status: res.status, headers });
    };
    // Desk clock correct; the approval is stamped on it (Atlas's clock not known yet).
    const d = desk(staleDates);
    const [job] = d.queue.enqueueDeposit(depositIntents(world.sim, [order.orderNo]), 'mei').jobs;
    world.sim.control.advanceClock(HOUR + 30 * 60_000);
    stale = true;
    await d.queue.start();
    await d.queue.whenIdle();
    // Before the change the desk's own (correct) clock judged it: approval_expired. Now the last
    // answer's Date alone decides, and one hours behind keeps the lapsed approval alive.
    expect(world.sim.control.paymentsFor(order.orderNo)).toBe(0);
    expect(d.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
  });
});
