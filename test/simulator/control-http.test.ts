// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { CONTROL_TOKEN_HEADER, type RunningSimulator, type SimOrder } from '../../electron/simulator/index.ts';
import { caller, control, start } from './helpers.ts';

let sim: RunningSimulator;

const token = () => ({ [CONTROL_TOKEN_HEADER]: sim.controlToken });

/** A raw request, so the Host header can be set as a rebinding browser would send it. */
function raw(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(sim.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'POST', headers, setHost: !('host' in headers) }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
beforeAll(async () => {
  sim = await start();
});
afterAll(() => sim.stop());

describe('control over HTTP (/__sim)', () => {
  it('drives the simulator with JSON-array arguments and returns JSON results', async () => {
    const order = (await control(sim, 'createOrder', { price: 50 })) as SimOrder;
    await control(sim, 'setBalance', 'USD', 500);
    expect(await control(sim, 'balance', 'USD')).toBe(500);
    await control(sim, 'setFault', 'pay', { kind: 'commit_then_drop' }, { times: 1 });
    await expect(caller(sim)('pay', { orderNo: order.orderNo, paymentMethod: 1 })).rejects.toThrow();
    expect(await control(sim, 'paymentsFor', order.orderNo)).toBe(1);
    await control(sim, 'advanceClock', 5000);
    expect(((await control(sim, 'order', order.orderNo)) as SimOrder).orderStatus).toBe(2);
    expect(await control(sim, 'ledger')).toHaveLength(1);
  });

  it('rejects unknown methods and non-array bodies', async () => {
    expect((await fetch(`${sim.baseUrl}/__sim/constructor`, { method: 'POST', headers: token(), body: '[]' })).status).toBe(404);
    expect((await fetch(`${sim.baseUrl}/__sim/ledger`, { method: 'POST', headers: token(), body: '{}' })).status).toBe(400);
  });

  it('turns a thrown control error into HTTP 400 with the message', async () => {
    const res = await fetch(`${sim.baseUrl}/__sim/advanceClock`, { method: 'POST', headers: token(), body: '[-5]' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringContaining('advanceClock') });
  });

  it("refuses a request without this launch's token, and does nothing", async () => {
    const before = sim.control.now();
    for (const headers of [{}, { [CONTROL_TOKEN_HEADER]: 'guess' }, { [CONTROL_TOKEN_HEADER]: `${sim.controlToken}x` }] as Record<string, string>[]) {
      const res = await raw('/__sim/advanceClock', '[60000]', headers);
      expect(res.status).toBe(403);
      expect(res.body).toMatch(/token/);
    }
    expect(sim.control.now()).toBe(before);
  });

  it('refuses a request naming another host (a page reaching 127.0.0.1 by DNS rebinding), even with the token', async () => {
    const before = sim.control.now();
    const port = new URL(sim.baseUrl).port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`, '127.0.0.1', '']) {
      const res = await raw('/__sim/advanceClock', '[60000]', { ...token(), host });
      expect(res.status, host).toBe(403);
    }
    expect(sim.control.now()).toBe(before);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await raw('/__sim/now', '[]', { ...token(), host })).status, host).toBe(200);
    }
  });

  it('gives every launch its own token', async () => {
    const other = await start();
    try {
      expect(other.controlToken).not.toBe(sim.controlToken);
      expect(other.controlToken.length).toBeGreaterThanOrEqual(32);
      expect((await raw('/__sim/now', '[]', { [CONTROL_TOKEN_HEADER]: other.controlToken })).status).toBe(403);
    } finally {
      await other.stop();
    }
  });

  it('is not counted as an Atlas request', async () => {
    const before = sim.control.requests().length;
    await control(sim, 'now');
    expect(sim.control.requests()).toHaveLength(before);
  });
});
