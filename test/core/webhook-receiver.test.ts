import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { WebhookReceiver, hintedOrderNo } from '../../electron/core/webhook-receiver.ts';

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

describe('hintedOrderNo', () => {
  it('takes only a well-formed order number from order events', () => {
    expect(hintedOrderNo({ type: 'abnormal.cancelled', data: { orderNo: 'testa20261120080000001' } })).toBe('TESTA20261120080000001');
    expect(hintedOrderNo({ type: 'order.ticketed', data: {} })).toBeNull();
    expect(hintedOrderNo({ type: 'email.all', data: { orderNo: 'TESTA20261120080000001' } })).toBeNull();
    expect(hintedOrderNo(null)).toBeNull();
    expect(hintedOrderNo([1, 2])).toBeNull();
  });
});
