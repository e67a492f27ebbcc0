import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { MAX_BODY_BYTES, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS, WebhookReceiver, hintedOrderNo, webhookBindAddresses } from '../../electron/core/webhook-receiver.ts';

let receiver: WebhookReceiver | null = null;
afterEach(async () => {
  await receiver?.stop();
  receiver = null;
});

async function start(maxBodyBytes?: number) {
  const hints: string[] = [];
  let notify: () => void = () => {};
  const hinted = () => new Promise<void>((resolve) => (notify = resolve));
  receiver = new WebhookReceiver({
    host: '127.0.0.1',
    port: 0,
    onHint: (orderNo) => {
      hints.push(orderNo);
      notify();
    },
    ...(maxBodyBytes ? { maxBodyBytes } : {}),
  });
  const { url, port } = await receiver.start();
  return { url, port, hints, hinted };
}

/** A raw TCP connection to the receiver, from `localAddress` (any 127.x.y.z is loopback on Linux). */
async function open(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => {});
  socket.resume(); // read what the server sends, so its close is seen
  await once(socket, 'connect');
  return socket;
}

/** One more slow byte or line, while the server still listens. */
const drip = (socket: Socket, text: string) => {
  if (socket.writable && !socket.destroyed) socket.write(text, () => {});
};

/** Resolves when the socket is closed, whatever error (EPIPE, ECONNRESET) came first. */
const closed = (socket: Socket) => (socket.closed ? Promise.resolve() : new Promise<void>((resolve) => socket.once('close', () => resolve())));

function post(port: number, path: string, body: string, method = 'POST'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('WebhookReceiver', () => {
  it('listens on an unguessable path and hints the order of an order.cancelled event', async () => {
    const { url, port, hints, hinted } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\/[A-Za-z0-9_-]{43}$/);
    const done = hinted();
    const status = await post(port, receiver!.path, JSON.stringify({ type: 'order.cancelled', data: { orderNo: 'TESTA20261120080000001', errorCode: '604' } }));
    await done;
    expect(status).toBe(200);
    expect(hints).toEqual(['TESTA20261120080000001']);
  });

  it('hints for order.ticketed, including the cancelled (-3) shape', async () => {
    const { port, hints, hinted } = await start();
    for (const orderStatus of [2, -3]) {
      const done = hinted();
      const body = { cid: 'TAC00001', type: 'order.ticketed', status: -1, data: { orderNo: `TESTA2026112008000000${orderStatus === 2 ? 2 : 3}`, orderStatus } };
      expect(await post(port, receiver!.path, JSON.stringify(body))).toBe(200);
      await done;
    }
    expect(hints).toEqual(['TESTA20261120080000002', 'TESTA20261120080000003']);
  });

  it('answers 404 on a wrong path, 405 on GET, 400 on bad JSON and 413 on an oversized body', async () => {
    const { port, hints } = await start(1024);
    expect(await post(port, '/webhook/guess', '{}')).toBe(404);
    expect(await post(port, '/', '{}')).toBe(404);
    expect(await post(port, receiver!.path, '', 'GET')).toBe(405);
    expect(await post(port, receiver!.path, '{not json')).toBe(400);
    const big = JSON.stringify({ type: 'order.cancelled', data: { orderNo: 'TESTA20261120080000001', pad: 'x'.repeat(5000) } });
    expect(await post(port, receiver!.path, big).catch(() => 413)).toBe(413);
    expect(hints).toEqual([]);
  });

  it('answers 200 but hints nothing for unrelated events or a malformed order number', async () => {
    const { port, hints } = await start();
    expect(await post(port, receiver!.path, JSON.stringify({ type: 'airline.status', data: { airline: ['SQ'] } }))).toBe(200);
    expect(await post(port, receiver!.path, JSON.stringify({ type: 'order.cancelled', data: { orderNo: "1'; DROP TABLE" } }))).toBe(200);
    expect(hints).toEqual([]);
  });

  it('reuses a configured token so the registered URL survives restarts', async () => {
    const r = new WebhookReceiver({ host: '127.0.0.1', port: 0, token: 'fixed-token-value', onHint: () => {} });
    expect(r.path).toBe('/webhook/fixed-token-value');
    expect(new WebhookReceiver({ host: '127.0.0.1', port: 0, onHint: () => {} }).token).not.toBe(
      new WebhookReceiver({ host: '127.0.0.1', port: 0, onHint: () => {} }).token,
    );
  });
});

describe('WebhookReceiver limits', () => {
  // Node checks these timeouts only every connectionsCheckingInterval (30 s by default): without
  // the receiver's own settings none of these sockets is closed before the test's time runs out.
  it('closes a connection that sends nothing, one that dribbles its headers and one that dribbles its body', async () => {
    const { port } = await start();
    const silent = await open(port);
    const headers = await open(port);
    headers.write('POST / HTTP/1.1\r\n');
    const headerDrip = setInterval(() => drip(headers, 'X-Slow: 1\r\n'), 500);
    const body = await open(port);
    body.write(`POST ${receiver!.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{`);
    const bodyDrip = setInterval(() => drip(body, ' '), 500);
    try {
      await Promise.all([closed(silent), closed(headers), closed(body)]);
    } finally {
      clearInterval(headerDrip);
      clearInterval(bodyDrip);
    }
  }, 25_000);

  it(`accepts at most ${MAX_CONNECTIONS_PER_ADDRESS} connections from one address, and serves others meanwhile`, async () => {
    const { port, hints, hinted } = await start();
    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS_PER_ADDRESS }, () => open(port)));
    const extra = await open(port);
    await closed(extra);
    expect(held.every((s) => !s.closed)).toBe(true);
    // Another address still gets through.
    const done = hinted();
    const other = await open(port, '127.0.0.2');
    const body = JSON.stringify({ type: 'order.cancelled', data: { orderNo: 'TESTA20261120080000009' } });
    other.write(`POST ${receiver!.path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await done;
    expect(hints).toEqual(['TESTA20261120080000009']);
    for (const s of [...held, other]) s.destroy();
  });

  it(`accepts at most ${MAX_CONNECTIONS} connections in all`, async () => {
    const { port } = await start();
    const addresses = Math.ceil(MAX_CONNECTIONS / MAX_CONNECTIONS_PER_ADDRESS);
    const held: Socket[] = [];
    for (let i = 0; i < MAX_CONNECTIONS; i++) held.push(await open(port, `127.0.1.${(i % addresses) + 1}`));
    // The server counts a connection when it accepts it: wait until all are counted.
    await expect.poll(() => receiver!.connections(), { timeout: 10_000 }).toBe(MAX_CONNECTIONS);
    const extra = await open(port, '127.0.2.1');
    await closed(extra);
    expect(held.filter((s) => s.closed)).toEqual([]);
    for (const s of held) s.destroy();
  });

  it(`takes an order.ticketed of nine passengers and refuses a body over ${MAX_BODY_BYTES} bytes`, async () => {
    const { port, hints, hinted } = await start();
    const pax = Array.from({ length: 9 }, (_, i) => ({
      name: `PASSENGER/NUMBER${i} MR`,
      passengerType: 0,
      birthday: '1980-01-01',
      gender: 'M',
      cardNum: 'E12345678',
      nationality: 'SG',
      ticketNos: ['618-1234567890', '618-1234567891'],
      airlinePNRs: ['ABC123|DEF456'],
    }));
    const ticketed = JSON.stringify({ cid: 'TAC00001', type: 'order.ticketed', status: -1, data: { orderNo: 'TESTA20261120080000010', orderStatus: 2, paxTicketInfos: pax } });
    const done = hinted();
    expect(await post(port, receiver!.path, ticketed)).toBe(200);
    await done;
    const big = JSON.stringify({ type: 'order.cancelled', data: { orderNo: 'TESTA20261120080000011', pad: 'x'.repeat(MAX_BODY_BYTES) } });
    expect(await post(port, receiver!.path, big).catch(() => 413)).toBe(413);
    expect(hints).toEqual(['TESTA20261120080000010']);
  });

  it('listens only on loopback or an address of this machine, never a wildcard or a stranger', async () => {
    const addresses = () => webhookBindAddresses({
      eth0: [{ address: '192.0.2.10', netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:01', internal: false, cidr: '192.0.2.10/24' }],
    });
    for (const host of ['0.0.0.0', '::', '192.0.2.99', '8.8.8.8']) {
      const r = new WebhookReceiver({ host, port: 0, onHint: () => {}, addresses });
      await expect(r.start()).rejects.toMatchObject({ code: 'host_not_allowed' });
    }
    receiver = new WebhookReceiver({ host: '127.0.0.1', port: 0, onHint: () => {}, addresses });
    await expect(receiver.start()).resolves.toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) });
  });

  it('offers loopback and the interface addresses, but no internal, link-local or wildcard one', () => {
    const list = webhookBindAddresses({
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
      eth0: [
        { address: '192.0.2.10', netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:01', internal: false, cidr: '192.0.2.10/24' },
        { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
        { address: '2001:db8::10', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:01', internal: false, cidr: '2001:db8::10/64', scopeid: 0 },
      ],
    });
    expect(list.map((a) => [a.address, a.interface, a.loopback])).toEqual([
      ['127.0.0.1', 'loopback', true],
      ['::1', 'loopback', true],
      ['192.0.2.10', 'eth0', false],
      ['2001:db8::10', 'eth0', false],
    ]);
  });

  it('switches to a new secret path at once: the old URL gets 404 from the next request', async () => {
    const { port, hints, hinted } = await start();
    const old = receiver!.path;
    receiver!.setToken('a-new-token-value');
    const body = JSON.stringify({ type: 'order.cancelled', data: { orderNo: 'TESTA20261120080000012' } });
    expect(await post(port, old, body)).toBe(404);
    const done = hinted();
    expect(await post(port, '/webhook/a-new-token-value', body)).toBe(200);
    await done;
    expect(hints).toEqual(['TESTA20261120080000012']);
  });
});

describe('hintedOrderNo', () => {
  it('takes only a well-formed order number from order events', () => {
    expect(hintedOrderNo({ type: 'abnormal.cancelled', data: { orderNo: 'testa20261120080000001' } })).toBe('TESTA20261120080000001');
    expect(hintedOrderNo({ type: 'order.ticketed', data: {} })).toBeNull();
    expect(hintedOrderNo({ type: 'email.all', data: { orderNo: 'TESTA20261120080000001' } })).toBeNull();
    expect(hintedOrderNo(null)).toBeNull();
    expect(hintedOrderNo([1, 2])).toBeNull();
  });
});
