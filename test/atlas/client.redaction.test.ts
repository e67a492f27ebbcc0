// Nothing secret escapes the client: every failing card payment, through every simulator fault, a
// server that echoes the request back, and transport failures, is captured in every way an error
// or a log can be printed, and searched for the PAN, the CVV and the client secret.
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { startSimulator, type Fault, type RunningSimulator } from '../../electron/simulator/index.ts';
import type { CardDetails, PayRequest } from '../../shared/atlas.ts';
import { refusedBaseUrl, startFixture, type Fixture } from './http-fixture.ts';
import { SANDBOX_VISA as PAN } from '../support/cards.ts';

const SECRET = 'sk-live-9f8e7d6c5b4a-KNOWN-SECRET';
const card: CardDetails = {
  cardNumber: PAN,
  cardCVV: '123',
  cardExpireMonth: '12',
  cardExpireYear: '2030',
  cardHolderFirstName: 'MEI',
  cardHolderLastName: 'TAN',
};

/** Every rendering of a thrown value a logger, crash reporter or IPC layer might produce. */
function renderings(err: unknown): string[] {
  const out = [String(err), inspect(err, { showHidden: true, depth: null, getters: true })];
  try {
    out.push(JSON.stringify(err));
  } catch {
    out.push('(unserialisable)');
  }
  if (err instanceof Error) {
    out.push(err.message, err.stack ?? '', inspect(err.cause, { showHidden: true, depth: null }));
    out.push(JSON.stringify(Object.entries(err)), JSON.stringify(Object.getOwnPropertyNames(err).map((k) => [k, String((err as unknown as Record<string, unknown>)[k])])));
  }
  return out;
}

function assertClean(text: string, where: string): void {
  expect(text, where).not.toContain(PAN);
  expect(text, where).not.toContain(PAN.slice(4, 12));
  expect(text, where).not.toContain(SECRET);
  expect(text, where).not.toMatch(/cvv\W{0,6}123/i);
}

let sim: RunningSimulator;
let fixture: Fixture | undefined;
const logs: string[] = [];
const consoleOut: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'empty', clientSecret: SECRET });
});
afterAll(() => sim.stop());
afterEach(async () => {
  vi.restoreAllMocks();
  await fixture?.close();
  fixture = undefined;
});

/** Runs a failing pay and returns everything it produced: thrown renderings, log lines, console output. */
async function capture(client: AtlasApi, request: PayRequest): Promise<string[]> {
  logs.length = 0;
  consoleOut.length = 0;
  const grab = (chunk: unknown) => {
    consoleOut.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab);
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, m).mockImplementation((...a) => void consoleOut.push(inspect(a)));
  let thrown: unknown = undefined;
  try {
    await client.pay(request);
  } catch (e) {
    thrown = e;
  }
  vi.restoreAllMocks();
  expect(thrown, 'the pay call should have failed').toBeDefined();
  return [...renderings(thrown), ...logs, ...consoleOut];
}

const clientFor = (baseUrl: string) =>
  createAtlasClient({
    connection: { baseUrl, clientId: 'redaction-client', clientSecret: SECRET },
    timeouts: { readMs: 300, payMs: 300, regenerateMs: 300 },
    log: (line) => logs.push(line),
  });

describe('redaction of card data and the client secret', () => {
  const faults: Fault[] = [
    { kind: 'hang' },
    { kind: 'reset' },
    { kind: 'reset_mid_response' },
    { kind: 'http_error', status: 500 },
    { kind: 'http_error', status: 401 },
    { kind: 'malformed' },
    { kind: 'rate_limit', retryAfter: 1, httpStatus: 429 },
    { kind: 'rate_limit', retryAfter: 1, httpStatus: 200 },
    { kind: 'commit_then_drop' },
  ];
  for (const fault of faults) {
    it(`leaks nothing when a card pay.do meets simulator fault ${fault.kind}`, async () => {
      sim.control.setBalance('USD', 10_000);
      const o = sim.control.createOrder({ currency: 'USD', supportPaymentMethods: [1, 3] });
      sim.control.setFault('pay', fault, { times: 1 });
      for (const text of await capture(clientFor(sim.baseUrl), { orderNo: o.orderNo, paymentMethod: 3, creditCard: card })) assertClean(text, fault.kind);
    });
  }

  it('leaks nothing on business refusals and wrong credentials', async () => {
    const paid = sim.control.createOrder({ orderStatus: 2, paymentMethod: 1 });
    const outputs = await capture(clientFor(sim.baseUrl), { orderNo: paid.orderNo, paymentMethod: 3, creditCard: card });
    const wrong = createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: 'x', clientSecret: `${SECRET}-wrong` }, log: (l) => logs.push(l) });
    outputs.push(...(await capture(wrong, { orderNo: paid.orderNo, paymentMethod: 3, creditCard: card })));
    for (const text of outputs) assertClean(text, 'business');
  });

  it('leaks nothing when the server echoes the whole request back in its answer', async () => {
    let mode = 0;
    fixture = await startFixture((req, res) => {
      const echo = `${JSON.stringify(req.headers)} ${req.body}`;
      const answers: [number, string][] = [
        [200, JSON.stringify({ status: 400, msg: echo })],
        [200, JSON.stringify({ status: 777, msg: echo })],
        [500, echo],
        [200, echo],
        [200, JSON.stringify({ code: 429, message: echo })],
      ];
      const [status, body] = answers[mode++ % answers.length] as [number, string];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
    // Sanity: the echo really carries the secret and the card, so a leak would be caught.
    const client = clientFor(fixture.baseUrl);
    for (let i = 0; i < 5; i++) {
      for (const text of await capture(client, { orderNo: 'ORD1', paymentMethod: 3, creditCard: card })) assertClean(text, `echo ${i}`);
    }
    expect(fixture.received[0]?.body).toContain(PAN);
    expect(fixture.received[0]?.headers['x-atlas-client-secret']).toBe(SECRET);
  });

  it('leaks nothing on connection refused and unknown host', async () => {
    const outputs = [
      ...(await capture(clientFor(await refusedBaseUrl()), { orderNo: 'ORD1', paymentMethod: 3, creditCard: card })),
      ...(await capture(clientFor('http://atlas.invalid'), { orderNo: 'ORD1', paymentMethod: 3, creditCard: card })),
    ];
    for (const text of outputs) assertClean(text, 'transport');
  });

  it('would catch a leak: the check fails on an error that carries the request', () => {
    const leaky = new Error('request failed', { cause: { config: { headers: { 'x-atlas-client-secret': SECRET }, data: JSON.stringify(card) } } });
    expect(() => renderings(leaky).forEach((t) => assertClean(t, 'leaky'))).toThrow();
  });
});
