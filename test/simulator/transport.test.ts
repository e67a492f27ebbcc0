// @vitest-environment node
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { caller, start } from './helpers.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await start();
});
afterAll(() => sim.stop());

async function rawPost(path: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${sim.baseUrl}${path}`, { method: 'POST', headers, body });
  return { http: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('simulator transport', () => {
  it('answers 900 over HTTP 200 when credentials are missing or wrong', async () => {
    const missing = await rawPost('/balance.do', '{"currency":"USD"}', { 'content-type': 'application/json' });
    expect(missing).toEqual({ http: 200, body: { status: 900, msg: 'unauthorized' } });
    const wrong = await rawPost('/balance.do', '{"currency":"USD"}', { 'x-atlas-client-id': sim.clientId, 'x-atlas-client-secret': 'nope' });
    expect(wrong.body.status).toBe(900);
  });

  it('answers 901 when the body is not a JSON object', async () => {
    const headers = { 'x-atlas-client-id': sim.clientId, 'x-atlas-client-secret': sim.clientSecret };
    expect((await rawPost('/balance.do', 'not json', headers)).body.status).toBe(901);
    expect((await rawPost('/balance.do', '[1,2]', headers)).body.status).toBe(901);
  });

  it('answers 800 for an unknown order', async () => {
    const body = await caller(sim)('queryOrderDetails', { orderNo: 'TESTA20261126160000000' });
    expect(body.status).toBe(800);
  });

  it('accepts POST only and 404s paths that are not Atlas endpoints', async () => {
    expect((await fetch(`${sim.baseUrl}/balance.do`)).status).toBe(405);
    expect((await fetch(`${sim.baseUrl}/nothing.do`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('gzips the body when Accept-Encoding asks for it, and not otherwise', async () => {
    const get = (encoding: string | null) =>
      new Promise<{ encoding: string | undefined; raw: Buffer }>((resolve, reject) => {
        const req = request(`${sim.baseUrl}/balance.do`, {
          method: 'POST',
          headers: {
            'x-atlas-client-id': sim.clientId,
            'x-atlas-client-secret': sim.clientSecret,
            ...(encoding ? { 'accept-encoding': encoding } : {}),
          },
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], raw: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end('{"currency":"USD"}');
      });
    const zipped = await get('gzip, deflate');
    expect(zipped.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(zipped.raw).toString())).toMatchObject({ status: 0, accountBalance: { currency: 'USD' } });
    const plain = await get(null);
    expect(plain.encoding).toBeUndefined();
    expect(JSON.parse(plain.raw.toString())).toMatchObject({ status: 0 });
  });

  it('reports balance.amount as a number per currency', async () => {
    sim.control.setBalance('CNY', 1234.5);
    expect(await caller(sim)('balance', { currency: 'CNY' })).toEqual({ status: 0, msg: 'success', accountBalance: { amount: 1234.5, currency: 'CNY' } });
  });

  it('records every request, including rejected ones, with the card number masked', async () => {
    const order = sim.control.createOrder();
    await caller(sim)('pay', { orderNo: order.orderNo, paymentMethod: 3, creditCard: { cardNumber: '4532015112830366', cardCVV: '999' } });
    const [rec] = sim.control.requests('pay', order.orderNo);
    expect(rec?.status).toBe(400);
    expect(JSON.stringify(rec?.body)).not.toContain('4532015112830366');
    expect(JSON.stringify(rec?.body)).not.toContain('999');
  });
});
