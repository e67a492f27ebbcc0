// The client against the real simulator over HTTP (port 0): every endpoint, every error class.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AtlasError, type AtlasApi } from '../../electron/atlas/api.ts';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { startSimulator, type Fault, type RunningSimulator, type SimEndpoint } from '../../electron/simulator/index.ts';
import type { AtlasErrorKind, AtlasFailure, CardDetails } from '../../shared/atlas.ts';

let sim: RunningSimulator;
let client: AtlasApi;
/** Only for the "hang" fault: a short timeout so it resolves quickly. Answers that come must not
 *  race it on a loaded machine, so every other call goes through `client`. */
let hangClient: AtlasApi;

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'empty' });
  const connection = { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret };
  client = createAtlasClient({ connection, timeouts: { readMs: 15_000, payMs: 15_000, regenerateMs: 15_000 } });
  hangClient = createAtlasClient({ connection, timeouts: { readMs: 400, payMs: 400, regenerateMs: 400 } });
});
const clientFor = (fault: Fault) => (fault.kind === 'hang' ? hangClient : client);
afterAll(() => sim.stop());
beforeEach(() => sim.control.clearFaults());

const card: CardDetails = {
  cardNumber: '4532015112830366',
  cardCVV: '123',
  cardExpireMonth: '12',
  cardExpireYear: '2030',
  cardHolderFirstName: 'MEI',
  cardHolderLastName: 'TAN',
};

async function failureOf(promise: Promise<unknown>): Promise<AtlasFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AtlasError);
  return (err as AtlasError).failure;
}

describe('endpoints', () => {
  it('reads an unpaid order with its deadline and payment options', async () => {
    const o = sim.control.createOrder({ price: 100, currency: 'USD', supportPaymentMethods: [1, 3] });
    const d = await client.queryOrder(o.orderNo);
    expect(d).toMatchObject({ orderNo: o.orderNo, orderStatus: 'unpaid', paymentMethod: null, totalPrice: 100, currency: 'USD' });
    expect(d.tktLimitTime).toBe(new Date(o.tktLimitTime).toISOString().replace(/\.\d{3}Z$/, '.000Z'));
    expect(d.supportPaymentMethods).toEqual([1, 3]);
    expect(d.paymentOptions?.map((p) => p.paymentMethod)).toEqual([1, 3]);
  });

  it('reads a Scenario B order: cancelled with its ticket error code', async () => {
    const o = sim.control.createOrder({ orderStatus: -3, errorCode: '604', paymentMethod: 3, paymentAttempted: true });
    expect(await client.queryOrder(o.orderNo)).toMatchObject({ orderStatus: 'cancelled', errorCode: '604', paymentAttempted: true });
  });

  it('lists orders filtered by status', async () => {
    const cancelled = sim.control.createOrder({ orderStatus: -3, errorCode: '613' });
    const page = await client.listOrders({ orderStatus: ['cancelled'], pageSize: 100 });
    expect(page.orders.every((o) => o.orderStatus === 'cancelled')).toBe(true);
    expect(page.orders.find((o) => o.orderNo === cancelled.orderNo)).toMatchObject({ errorCode: '613' });
  });

  it('reads the deposit balance', async () => {
    sim.control.setBalance('EUR', 1234.5);
    expect(await client.balance('EUR')).toEqual({ amount: 1234.5, currency: 'EUR' });
  });

  it('pays with deposit exactly once, as the ledger counts it', async () => {
    sim.control.setBalance('USD', 10_000);
    const o = sim.control.createOrder({ currency: 'USD' });
    expect(await client.pay({ orderNo: o.orderNo, paymentMethod: 1 })).toMatchObject({ orderNo: o.orderNo, paymentMethod: 1 });
    expect(sim.control.paymentsFor(o.orderNo)).toBe(1);
    expect((await client.queryOrder(o.orderNo)).orderStatus).toBe('ticketing');
  });

  it('pays with a card and the simulator records only its last four digits', async () => {
    sim.control.setBalance('USD', 10_000);
    const o = sim.control.createOrder({ currency: 'USD', supportPaymentMethods: [1, 3] });
    await client.pay({ orderNo: o.orderNo, paymentMethod: 3, creditCard: card });
    expect(sim.control.ledger().find((e) => e.orderNo === o.orderNo)).toMatchObject({ paymentMethod: 3, cardTail: '0366' });
  });

  it('refuses to pay an order that is already paid (business, never unknown)', async () => {
    const o = sim.control.createOrder({ orderStatus: 2, paymentMethod: 1 });
    const f = await failureOf(client.pay({ orderNo: o.orderNo, paymentMethod: 1 }));
    expect(f.kind).toBe('business');
    expect([402, 404]).toContain(f.code);
  });

  it('regenerates a cancelled order into a new unpaid one', async () => {
    const o = sim.control.createOrder({ orderStatus: -3, errorCode: '604' });
    const r = await client.regenerate(o.orderNo);
    expect(r.originalOrderNo).toBe(o.orderNo);
    expect(r.orderNo).not.toBe(o.orderNo);
    expect((await client.queryOrder(r.orderNo)).orderStatus).toBe('unpaid');
  });

  it('reports a missing order as business 800', async () => {
    expect(await failureOf(client.queryOrder('TESTA20200101000000000'))).toMatchObject({ kind: 'business', code: 800 });
  });

  it('reports wrong credentials as unauthorized', async () => {
    const wrong = createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: 'wrong' } });
    expect((await failureOf(wrong.balance('USD'))).kind).toBe('unauthorized');
  });
});

describe('every shape the simulator serves', () => {
  it('normalises all 36 Training orders through queryOrderDetails and orderList without a wire mismatch', async () => {
    const training = await startSimulator({ scenario: 'training', seed: 3 });
    try {
      const c = createAtlasClient({ connection: { baseUrl: training.baseUrl, clientId: training.clientId, clientSecret: training.clientSecret } });
      const page = await c.listOrders({ pageSize: 100 });
      expect(page.totalRecords).toBe(36);
      for (const summary of page.orders) {
        const d = await c.queryOrder(summary.orderNo);
        expect(d.orderStatus).toBe(summary.orderStatus);
        // queryOrderDetails states no creation time (the list does): never guessed from the number.
        expect(d.createdAt).toBeNull();
        expect(summary.createdAt).not.toBeNull();
        if (summary.orderStatus === 'cancelled') expect(d.errorCode).toBe(summary.errorCode);
      }
    } finally {
      await training.stop();
    }
  });

  it('reads a deposit-only order, whose vendor amounts are absent, with null vendor fields', async () => {
    const o = sim.control.createOrder({ supportPaymentMethods: [1] });
    expect(await client.queryOrder(o.orderNo)).toMatchObject({ supportPaymentMethods: [1], vendorTotalPrice: null, vendorCurrency: null, errorCode: null });
  });
});

describe('faults', () => {
  const reads: [SimEndpoint, (api: AtlasApi, orderNo: string) => Promise<unknown>][] = [
    ['queryOrderDetails', (api, n) => api.queryOrder(n)],
    ['orderList', (api) => api.listOrders({})],
    ['balance', (api) => api.balance('USD')],
  ];
  const readCases: [Fault, AtlasErrorKind][] = [
    [{ kind: 'hang' }, 'timeout'],
    [{ kind: 'reset' }, 'network'],
    [{ kind: 'reset_mid_response' }, 'network'],
    [{ kind: 'http_error', status: 503 }, 'server'],
    [{ kind: 'http_error', status: 401 }, 'unauthorized'],
    [{ kind: 'malformed' }, 'invalid_response'],
    [{ kind: 'rate_limit', retryAfter: 2, httpStatus: 200 }, 'rate_limited'],
    [{ kind: 'rate_limit', retryAfter: 2, httpStatus: 429 }, 'rate_limited'],
  ];
  for (const [endpoint, run] of reads) {
    for (const [fault, kind] of readCases) {
      it(`classifies ${fault.kind}${'status' in fault ? ` ${fault.status}` : ''}${'httpStatus' in fault ? ` (HTTP ${fault.httpStatus})` : ''} on ${endpoint} as ${kind}`, async () => {
        const o = sim.control.createOrder({});
        sim.control.setFault(endpoint, fault, { times: 1 });
        const f = await failureOf(run(clientFor(fault), o.orderNo));
        expect(f.kind).toBe(kind);
        if (kind === 'rate_limited') expect(f.retryAfter).toBe(2);
      });
    }
  }

  it('succeeds through added latency', async () => {
    sim.control.setFault('balance', { kind: 'latency', ms: 30 }, { times: 1 });
    sim.control.setBalance('USD', 5);
    expect(await client.balance('USD')).toEqual({ amount: 5, currency: 'USD' });
  });

  const mutatingCases: Fault[] = [
    { kind: 'hang' },
    { kind: 'reset' },
    { kind: 'reset_mid_response' },
    { kind: 'http_error', status: 502 },
    { kind: 'malformed' },
    { kind: 'commit_then_drop' },
  ];
  for (const fault of mutatingCases) {
    it(`classifies ${fault.kind} on pay and regenerate as unknown_outcome`, async () => {
      sim.control.setBalance('USD', 10_000);
      const unpaid = sim.control.createOrder({ currency: 'USD' });
      sim.control.setFault('pay', fault, { times: 1 });
      expect((await failureOf(clientFor(fault).pay({ orderNo: unpaid.orderNo, paymentMethod: 1 }))).kind).toBe('unknown_outcome');
      const cancelled = sim.control.createOrder({ orderStatus: -3, errorCode: '604' });
      sim.control.setFault('regenerateOrder', fault, { times: 1 });
      expect((await failureOf(clientFor(fault).regenerate(cancelled.orderNo))).kind).toBe('unknown_outcome');
    });
  }

  it('shows why: after commit_then_drop the payment DID happen although the client saw no answer', async () => {
    sim.control.setBalance('USD', 10_000);
    const o = sim.control.createOrder({ currency: 'USD' });
    sim.control.setFault('pay', { kind: 'commit_then_drop' }, { times: 1 });
    expect((await failureOf(client.pay({ orderNo: o.orderNo, paymentMethod: 1 }))).kind).toBe('unknown_outcome');
    expect(sim.control.paymentsFor(o.orderNo)).toBe(1);
    expect((await client.queryOrder(o.orderNo)).orderStatus).toBe('ticketing');
  });

  it('reports pay.do rate limiting as rate_limited (the limiter rejected it, nothing was done)', async () => {
    const o = sim.control.createOrder({});
    sim.control.setFault('pay', { kind: 'rate_limit', retryAfter: 4, httpStatus: 200 }, { times: 1 });
    expect(await failureOf(client.pay({ orderNo: o.orderNo, paymentMethod: 1 }))).toMatchObject({ kind: 'rate_limited', retryAfter: 4 });
    expect(sim.control.paymentsFor(o.orderNo)).toBe(0);
  });

  it('reports pay on a stopped simulator as network: nothing could be sent', async () => {
    const stopped = await startSimulator({ scenario: 'empty' });
    await stopped.stop();
    const c = createAtlasClient({ connection: { baseUrl: stopped.baseUrl, clientId: 'x', clientSecret: 'y' } });
    expect((await failureOf(c.pay({ orderNo: 'TESTA20200101000000000', paymentMethod: 1 }))).kind).toBe('network');
  });
});
