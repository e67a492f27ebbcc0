// The client over real HTTP against scripted node:http servers: request format and the transport
// cases (gzip, HTTP 429, resets, timeouts, refused connections, redirects).
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { AtlasError } from '../../electron/atlas/api.ts';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { atlasUrl } from '../../electron/atlas/transport.ts';
import type { AtlasFailure } from '../../shared/atlas.ts';
import { json, refusedBaseUrl, startAcceptThenDestroy, startFixture, startSelfSignedTls, type Fixture, type RawFixture } from './http-fixture.ts';

let fixture: Fixture | undefined;
let raw: RawFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  await raw?.close();
  fixture = undefined;
  raw = undefined;
});

const creds = { clientId: 'client-1', clientSecret: 'secret-1' };

async function failureOf(promise: Promise<unknown>): Promise<AtlasFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AtlasError);
  return (err as AtlasError).failure;
}

describe('request format', () => {
  it('POSTs JSON to <base>/<name>.do with the Atlas headers and reads a gzip answer', async () => {
    fixture = await startFixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ status: 0, accountBalance: { amount: '10.50', currency: 'USD' } })));
    });
    const client = createAtlasClient({ connection: { baseUrl: `${fixture.baseUrl}/`, ...creds } });
    await expect(client.balance('USD')).resolves.toEqual({ amount: 10.5, currency: 'USD' });
    const [req] = fixture.received;
    expect(req?.path).toBe('/balance.do');
    expect(JSON.parse(req?.body ?? '')).toEqual({ currency: 'USD' });
    expect(req?.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      'accept-encoding': 'gzip',
      'x-atlas-client-id': 'client-1',
      'x-atlas-client-secret': 'secret-1',
    });
  });

  it('re-reads the connection on every call, so new credentials apply at once', async () => {
    fixture = await startFixture((_req, res) => json(res, { status: 0, accountBalance: { amount: 1, currency: 'USD' } }));
    let secret = 'old';
    const baseUrl = fixture.baseUrl;
    const client = createAtlasClient({ connection: () => ({ baseUrl, clientId: 'c', clientSecret: secret }) });
    await client.balance('USD');
    secret = 'new';
    await client.balance('USD');
    expect(fixture.received.map((r) => r.headers['x-atlas-client-secret'])).toEqual(['old', 'new']);
  });

  it('sends nothing — no secret, no card — to a URL the credential check refuses, and fails unauthorized', async () => {
    fixture = await startFixture((_req, res) => json(res, { status: 0 }));
    const seen: string[] = [];
    const lines: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const asked: string[] = [];
    const client = createAtlasClient({
      connection: { baseUrl: fixture.baseUrl, ...creds },
      fetch: countingFetch,
      mayReceiveCredentials: (url) => {
        asked.push(url);
        return false;
      },
      log: (line) => lines.push(line),
    });
    const card = { cardNumber: '4111111111111111', cardCVV: '737', cardExpireMonth: '12', cardExpireYear: '2030', cardHolderFirstName: 'A', cardHolderLastName: 'B' };
    expect(await failureOf(client.pay({ orderNo: 'ORD1', paymentMethod: 3, creditCard: card }))).toMatchObject({ kind: 'unauthorized', endpoint: 'pay' });
    expect(await failureOf(client.balance('USD'))).toMatchObject({ kind: 'unauthorized', endpoint: 'balance' });
    expect(asked).toEqual([`${fixture.baseUrl}/pay.do`, `${fixture.baseUrl}/balance.do`]);
    expect(seen).toEqual([]);
    expect(fixture.received).toEqual([]);
    expect(lines[0]).toBe(`atlas pay orderNo=ORD1 method=3: not sent, ${fixture.baseUrl} may not receive the credentials`);
    expect(lines.join('\n')).not.toMatch(/secret-1|4111/);
  });

  it('sends every request through the injected fetch', async () => {
    fixture = await startFixture((_req, res) => json(res, { status: 0, accountBalance: { amount: 1, currency: 'USD' } }));
    const seen: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const client = createAtlasClient({ connection: { baseUrl: fixture.baseUrl, ...creds }, fetch: countingFetch });
    await client.balance('USD');
    expect(seen).toEqual([`${fixture.baseUrl}/balance.do`]);
  });

  it('routes search to the separate search host and everything else to the transaction host', () => {
    const c = { baseUrl: 'https://api.example/', searchBaseUrl: 'https://search.example', ...creds };
    expect(atlasUrl(c, 'search')).toBe('https://search.example/search.do');
    expect(atlasUrl(c, 'pay')).toBe('https://api.example/pay.do');
    expect(atlasUrl({ baseUrl: 'https://sandbox.example', ...creds }, 'search')).toBe('https://sandbox.example/search.do');
  });

  it('logs one line per call with endpoint, order number, outcome and duration', async () => {
    fixture = await startFixture((_req, res) => json(res, { status: 402, msg: 'no' }));
    const lines: string[] = [];
    const client = createAtlasClient({ connection: { baseUrl: fixture.baseUrl, ...creds }, log: (l) => lines.push(l) });
    await failureOf(client.pay({ orderNo: 'ORD1', paymentMethod: 1 }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^atlas pay orderNo=ORD1 method=1 -> business 402 \d+ms$/);
  });
});

describe('transport failures', () => {
  it('reads HTTP 429 with Retry-After as rate_limited', async () => {
    fixture = await startFixture((_req, res) => {
      res.writeHead(429, { 'retry-after': '7' });
      res.end();
    });
    const client = createAtlasClient({ connection: { baseUrl: fixture.baseUrl, ...creds } });
    expect(await failureOf(client.queryOrder('ORD1'))).toMatchObject({ kind: 'rate_limited', retryAfter: 7, httpStatus: 429 });
  });

  it('calls a connection reset mid-response a network error on a read and an unknown outcome on pay', async () => {
    fixture = await startFixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"status":0,"orderNo":"ORD1"');
      setImmediate(() => res.socket?.destroy());
    });
    const client = createAtlasClient({ connection: { baseUrl: fixture.baseUrl, ...creds } });
    expect((await failureOf(client.queryOrder('ORD1'))).kind).toBe('network');
    expect((await failureOf(client.pay({ orderNo: 'ORD1', paymentMethod: 1 }))).kind).toBe('unknown_outcome');
  });

  it('calls a non-JSON body invalid_response on a read and unknown_outcome on regenerate', async () => {
    fixture = await startFixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>gateway</html>');
    });
    const client = createAtlasClient({ connection: { baseUrl: fixture.baseUrl, ...creds } });
    expect((await failureOf(client.listOrders({}))).kind).toBe('invalid_response');
    expect((await failureOf(client.regenerate('ORD1'))).kind).toBe('unknown_outcome');
  });

  it('calls a silent server a timeout on a read and an unknown outcome on pay', async () => {
    fixture = await startFixture(() => {});
    const client = createAtlasClient({
      connection: { baseUrl: fixture.baseUrl, ...creds },
      timeouts: { readMs: 150, payMs: 150, regenerateMs: 150 },
    });
    expect((await failureOf(client.balance('USD'))).kind).toBe('timeout');
    expect((await failureOf(client.pay({ orderNo: 'ORD1', paymentMethod: 1 }))).kind).toBe('unknown_outcome');
    expect((await failureOf(client.regenerate('ORD1'))).kind).toBe('unknown_outcome');
  });

  it('calls a refused connection on pay a network error: nothing was sent', async () => {
    const client = createAtlasClient({ connection: { baseUrl: await refusedBaseUrl(), ...creds } });
    expect(await failureOf(client.pay({ orderNo: 'ORD1', paymentMethod: 1 }))).toMatchObject({ kind: 'network', meaning: 'connection refused' });
  });

  it('calls an unknown host a network error', async () => {
    const client = createAtlasClient({ connection: { baseUrl: 'http://atlas.invalid', ...creds } });
    expect((await failureOf(client.pay({ orderNo: 'ORD1', paymentMethod: 1 }))).kind).toBe('network');
  });

  it('does not follow a redirect on pay (it would replay the POST elsewhere)', async () => {
    fixture = await startFixture((req, res) => {
      if (req.path === '/pay.do') {
        res.writeHead(307, { location: '/elsewhere/pay.do' });
        res.end();
      } else json(res, { status: 0 });
    });
    const client = createAtlasClient({ connection: { baseUrl: fixture.baseUrl, ...creds } });
    expect(await failureOf(client.pay({ orderNo: 'ORD1', paymentMethod: 1 }))).toMatchObject({ kind: 'unknown_outcome', httpStatus: 307 });
    expect(fixture.received.map((r) => r.path)).toEqual(['/pay.do']);
  });

  it('treats a status-0 pay answer with junk echoes as accepted', async () => {
    fixture = await startFixture((_req, res) => json(res, { status: 0, orderNo: { weird: true }, paymentMethod: 'x' }));
    const client = createAtlasClient({ connection: { baseUrl: fixture.baseUrl, ...creds } });
    await expect(client.pay({ orderNo: 'ORD1', paymentMethod: 1 })).resolves.toEqual({ orderNo: 'ORD1', paymentMethod: 1, pnrCode: null });
  });
});

describe('real sockets: "not sent" only when nothing can have left', () => {
  const kindsFor = async (baseUrl: string) => {
    const client = createAtlasClient({ connection: { baseUrl, ...creds } });
    return {
      pay: (await failureOf(client.pay({ orderNo: 'ORD1', paymentMethod: 1 }))).kind,
      regenerate: (await failureOf(client.regenerate('ORD1'))).kind,
      query: (await failureOf(client.queryOrder('ORD1'))).kind,
      balance: (await failureOf(client.balance('USD'))).kind,
    };
  };
  const NOT_SENT = { pay: 'network', regenerate: 'network', query: 'network', balance: 'network' };

  it('connect refused: network on every endpoint', async () => {
    expect(await kindsFor(await refusedBaseUrl())).toEqual(NOT_SENT);
  });

  it('DNS failure: network on every endpoint', async () => {
    expect(await kindsFor('http://atlas.invalid')).toEqual(NOT_SENT);
  });

  it('TLS handshake refused (untrusted certificate): network, and the server never saw a request', async () => {
    raw = await startSelfSignedTls();
    expect(await kindsFor(raw.baseUrl)).toEqual(NOT_SENT);
    const client = createAtlasClient({ connection: { baseUrl: raw.baseUrl, ...creds } });
    expect(await failureOf(client.pay({ orderNo: 'ORD1', paymentMethod: 1 }))).toMatchObject({ meaning: 'TLS handshake failed' });
    expect(raw.seen()).toBe(0);
  });

  it('accepted, then closed by the server: the request may be out, so unknown on pay and regenerate', async () => {
    raw = await startAcceptThenDestroy();
    expect(await kindsFor(raw.baseUrl)).toEqual({ pay: 'unknown_outcome', regenerate: 'unknown_outcome', query: 'network', balance: 'network' });
    expect(raw.seen()).toBeGreaterThanOrEqual(4);
  });

  it('reset after the server read the request: unknown on pay and regenerate, network on reads', async () => {
    fixture = await startFixture((_req, res) => res.socket?.resetAndDestroy());
    expect(await kindsFor(fixture.baseUrl)).toEqual({ pay: 'unknown_outcome', regenerate: 'unknown_outcome', query: 'network', balance: 'network' });
    // The server had the whole pay.do request before the reset: "not sent" would have been a lie.
    expect(fixture.received.map((r) => r.path)).toContain('/pay.do');
  });
});

