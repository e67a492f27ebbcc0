// Atlas answers that docs/atlas-api.md does not describe, on the paths that move money and the reads
// that decide them, through the real client, queue and runner against the real simulator. Each
// answer is the simulator's own, rewritten on its way to the desk (the simulator applied the
// request): the ledger is the judge of what was paid and regenerated.
import { describe, expect, it } from 'vitest';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import type { Job } from '../../shared/desk.ts';
import { depositIntents, simulatorPerTest, type Desk } from './queue-harness.ts';
import { orderA, orderB } from '../support/scenarios.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const world = simulatorPerTest(67);

/** What a rewrite may change of one answer; what it leaves out stays the simulator's. */
interface Rewritten {
  status?: number;
  /** A replacement body: an object is sent as JSON, a string as is. */
  body?: Record<string, unknown> | string;
  date?: string | null;
}

type Rewrite = (body: Record<string, unknown>, request: Record<string, unknown>) => Rewritten | null;

/** The client hands fetch a Request: its URL and JSON body. */
async function sent(input: Parameters<typeof fetch>[0]): Promise<{ url: string; body: Record<string, unknown> }> {
  const request = input instanceof Request ? input.clone() : new Request(input);
  return { url: request.url, body: JSON.parse((await request.text()) || '{}') as Record<string, unknown> };
}

/** A fetch that hands `endpoint`'s answers to `rewrite` (null: unchanged), every other answer as it came. */
function rewriting(endpoint: string, rewrite: Rewrite): typeof fetch {
  return async (input, init) => {
    const { url, body: request } = await sent(input);
    const res = await fetch(input, init);
    if (!url.endsWith(`/${endpoint}.do`)) return res;
    const text = await res.text();
    const changed = rewrite(JSON.parse(text) as Record<string, unknown>, request);
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    if (!changed) return new Response(text, { status: res.status, headers });
    if (changed.date === null) headers.delete('date');
    else if (changed.date !== undefined) headers.set('date', changed.date);
    const body = changed.body === undefined ? text : typeof changed.body === 'string' ? changed.body : JSON.stringify(changed.body);
    return new Response(body, { status: changed.status ?? res.status, headers });
  };
}

function desk(fetchImpl?: typeof fetch): Desk {
  const atlas = fetchImpl
    ? createAtlasClient({
        connection: { baseUrl: world.sim.baseUrl, clientId: world.sim.clientId, clientSecret: world.sim.clientSecret },
        fetch: fetchImpl,
        timeouts: { readMs: 1500, payMs: 1500, regenerateMs: 1500 },
      })
    : undefined;
  return world.desk(atlas ? { atlas } : {});
}

async function recover(d: Desk, orderNo: string): Promise<Job> {
  const [job] = d.queue.enqueueDeposit(depositIntents(world.sim, [orderNo]), 'mei').jobs;
  await d.queue.start();
  await d.queue.whenIdle();
  return d.queue.jobs.mustGet(job!.id);
}

const regenerations = () => world.sim.control.ledger().filter((e) => e.kind === 'regenerate');
const steps = (d: Desk, job: Job) => d.queue.jobs.steps(job.id).map((s) => [s.kind, s.state]);

describe('pay.do answers nobody documented, after Atlas took the payment', () => {
  const answers: [string, (body: Record<string, unknown>) => Rewritten][] = [
    ['an undocumented status 777', (b) => ({ body: { ...b, status: 777 } })],
    ['no status at all', ({ status: _status, ...rest }) => ({ body: rest })],
    ['status 0.5', (b) => ({ body: { ...b, status: 0.5 } })],
    ['HTTP 200 with an empty body', () => ({ body: '' })],
    ['HTTP 502 with a JSON body saying status 0', (b) => ({ status: 502, body: b })],
    ['HTTP 429 with a JSON body saying status 0', (b) => ({ status: 429, body: b })],
    ['HTTP 401 with a JSON body saying status 0', (b) => ({ status: 401, body: b })],
  ];
  for (const [what, rewrite] of answers) {
    it(`${what}: settled by query as paid, tracked to the ticket, paid once`, async () => {
      const order = world.sim.control.createOrder(orderA());
      const d = desk(rewriting('pay', (b) => rewrite(b)));
      const job = await recover(d, order.orderNo);
      expect(steps(d, job)).toEqual([['pay', 'reconciled']]);
      expect(d.queue.jobs.steps(job.id)[0]?.result).toMatchObject({ paid: true });
      expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: order.orderNo });
      expect(world.sim.control.paymentsFor(order.orderNo)).toBe(1);
      expect(world.sim.control.requests('pay', order.orderNo)).toHaveLength(1);
    });
  }
});

describe('pay.do accepted by a status 0 while Atlas took nothing', () => {
  /** pay.do reaches the simulator as a call it refuses (nothing applied) and comes back as an acceptance. */
  const acceptedNotApplied: typeof fetch = async (input, init) => {
    const { url } = await sent(input);
    const res = await fetch(input, init);
    if (!url.endsWith('/pay.do')) return res;
    await res.text();
    const headers = new Headers(res.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    return new Response(JSON.stringify({ status: 0, msg: 'success', paymentMethod: 1 }), { status: 200, headers });
  };

  it('is not taken as paid once tracking gives up on an order still unpaid: it waits for staff, and a later read that shows it paid settles it', async () => {
    const order = world.sim.control.createOrder(orderA());
    world.sim.control.setFault('pay', { kind: 'http_error', status: 502 });
    const d = desk(acceptedNotApplied);
    const job = await recover(d, order.orderNo);
    // Ended as "paid, ticket pending", the order would look like any unpaid order, and the next
    // recovery would pay it again while Atlas's accepted payment may still surface.
    expect(job).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
    expect(d.queue.jobs.attentionFor(order.orderNo, 'outcome_unknown').map((j) => j.id)).toEqual([job.id]);
    expect(steps(d, job)).toEqual([['pay', 'succeeded']]);
    expect(new EventsRepo(d.store.db).timeline(order.orderNo).at(-1)).toMatchObject({ kind: 'note', data: { reason: 'payment_not_shown', orderStatus: 'unpaid' } });
    expect(world.sim.control.requests('pay', order.orderNo)).toHaveLength(1);
    expect(world.sim.control.paymentsFor(order.orderNo)).toBe(0);

    // The payment surfaces later (a sync, a webhook's re-query): the job follows it to the ticket.
    const read = await d.atlas.queryOrder(order.orderNo);
    d.queue.settleFromRead({ ...read, orderStatus: 'ticketing', paymentMethod: 1 });
    expect(d.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'tracking' });
    expect(steps(d, job)).toEqual([['pay', 'reconciled']]);
  });
});

describe('the rate limiter on pay.do', () => {
  it('a pay.do the limiter refuses without end stops the job as rate_limited within its budget: nothing paid', async () => {
    const order = world.sim.control.createOrder(orderA());
    // A retryAfter of about 32 years: no timer can wait that long.
    world.sim.control.setFault('pay', { kind: 'rate_limit', retryAfter: 1e9, httpStatus: 429 });
    const d = desk();
    const job = await recover(d, order.orderNo);
    expect(job).toMatchObject({ state: 'failed', reason: 'rate_limited', outcome: 'not_recovered' });
    expect(world.sim.control.paymentsFor(order.orderNo)).toBe(0);
    // 30 waits, then the 31st refusal stops it.
    expect(world.sim.control.requests('pay', order.orderNo)).toHaveLength(31);
  });
});

describe('queryOrderDetails answering about another order', () => {
  it('a read that answers with another order\'s details pays neither order', async () => {
    const asked = world.sim.control.createOrder(orderA({ price: 120 }));
    const other = world.sim.control.createOrder(orderA({ price: 120 }));
    // Whatever is asked about `asked`, Atlas answers about `other` (a cache or a proxy mixing answers up).
    const mixedUp: typeof fetch = async (input, init) => {
      const { url, body } = await sent(input);
      if (!url.endsWith('/queryOrderDetails.do') || body.orderNo !== asked.orderNo) return fetch(input, init);
      const original = input instanceof Request ? input : new Request(input, init);
      return fetch(new Request(original, { body: JSON.stringify({ ...body, orderNo: other.orderNo }) }));
    };
    const d = desk(mixedUp);
    const job = await recover(d, asked.orderNo);
    expect(job).toMatchObject({ state: 'failed', reason: 'read_invalid_response' });
    expect(world.sim.control.paymentsFor(asked.orderNo)).toBe(0);
    expect(world.sim.control.paymentsFor(other.orderNo)).toBe(0);
    expect(world.sim.control.requests('pay')).toEqual([]);
  });
});

describe('regenerateOrder.do answering the original order number', () => {
  it('is not taken for the new order: the order Atlas made is found in the list and paid once, the original never', async () => {
    const original = world.sim.control.createOrder(orderB(world.sim.control.now(), { passengers: ['LIM/ANA'] }));
    const d = desk(rewriting('regenerateOrder', (b) => ({ body: { ...b, orderNo: original.orderNo } })));
    const job = await recover(d, original.orderNo);
    const [made] = regenerations();
    expect(regenerations()).toHaveLength(1);
    expect(steps(d, job)).toEqual([
      ['regenerate', 'reconciled'],
      ['pay', 'succeeded'],
    ]);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: made!.orderNo });
    expect(world.sim.control.paymentsFor(made!.orderNo)).toBe(1);
    expect(world.sim.control.paymentsFor(original.orderNo)).toBe(0);
  });
});

describe("Atlas's clock from a Date header hours off", () => {
  it('one answer dated three hours ahead does not make a payable order look expired: paid, never regenerated', async () => {
    const order = world.sim.control.createOrder(orderA({ createdAt: world.sim.control.now() - 10 * MIN }));
    const ahead = () => new Date(world.sim.control.now() + 3 * HOUR).toUTCString();
    const d = desk(rewriting('queryOrderDetails', () => ({ date: ahead() })));
    // Queued before any answer, the approval was stamped on the desk's clock; judged on Atlas's
    // clock as that answer tells it, it has aged out: the job asks staff again (the safe side).
    const parked = await recover(d, order.orderNo);
    expect(parked).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
    expect(world.sim.control.requests('pay')).toEqual([]);
    // Approved now, on Atlas's clock as the desk knows it: paid once, the order itself.
    const [intent] = depositIntents(world.sim, [order.orderNo]);
    d.queue.approve(parked.id, intent!.approved, 'mei');
    await d.queue.start();
    await d.queue.whenIdle();
    expect(d.queue.jobs.mustGet(parked.id)).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: order.orderNo });
    expect(world.sim.control.paymentsFor(order.orderNo)).toBe(1);
    expect(regenerations()).toEqual([]);
  });
});

describe('order details that contradict themselves', () => {
  it('an order Atlas calls unpaid whose travellers already hold ticket numbers is not paid', async () => {
    const order = world.sim.control.createOrder(orderA());
    const d = desk(
      rewriting('queryOrderDetails', (b) => {
        const pax = (b.paxTicketInfos as Record<string, unknown>[]).map((p) => ({ ...p, ticketNos: ['618-2345678901'] }));
        return { body: { ...b, paxTicketInfos: pax } };
      }),
    );
    const job = await recover(d, order.orderNo);
    // A ticket exists: nothing left to pay.
    expect(job).toMatchObject({ state: 'done', reason: 'ticketed', outcome: 'ticketed' });
    expect(world.sim.control.paymentsFor(order.orderNo)).toBe(0);
    expect(world.sim.control.requests('pay')).toEqual([]);
  });
});

describe('reads that decide a payment, in forms nobody documented', () => {
  const queries: [string, (b: Record<string, unknown>) => Record<string, unknown>, Partial<Job>][] = [
    ['the deadline as epoch milliseconds', (b) => ({ ...b, tktLimitTime: world.sim.control.now() + HOUR }), { state: 'failed', reason: 'read_invalid_response' }],
    ['no deadline', ({ tktLimitTime: _t, ...b }) => b, { state: 'blocked', reason: 'deadline_unknown' }],
    ['the price with a thousands separator', (b) => ({ ...b, totalPrice: '1,234.50' }), { state: 'failed', reason: 'read_invalid_response' }],
  ];
  for (const [what, rewrite, stop] of queries) {
    it(`an order read with ${what} is never paid: the job stops, saying why`, async () => {
      const order = world.sim.control.createOrder(orderA());
      const d = desk(rewriting('queryOrderDetails', (b) => ({ body: rewrite(b) })));
      const job = await recover(d, order.orderNo);
      expect(job).toMatchObject(stop);
      expect(world.sim.control.requests('pay')).toEqual([]);
    });
  }

  const balances: [string, unknown, Partial<Job>][] = [
    ['negative', -50, { state: 'blocked', reason: 'deposit_below_due' }],
    ['a string with separators', '1,000,000.00', { state: 'failed', reason: 'read_invalid_response' }],
  ];
  for (const [what, amount, stop] of balances) {
    it(`a deposit balance answered ${what} pays nothing: the job stops, saying why`, async () => {
      const order = world.sim.control.createOrder(orderA());
      const d = desk(rewriting('balance', (b) => ({ body: { ...b, accountBalance: { ...(b.accountBalance as object), amount } } })));
      const job = await recover(d, order.orderNo);
      expect(job).toMatchObject(stop);
      expect(world.sim.control.requests('pay')).toEqual([]);
    });
  }
});
