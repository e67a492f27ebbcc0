// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { caller, start, type Caller } from './helpers.ts';

let sim: RunningSimulator;
let call: Caller;
beforeEach(async () => {
  sim = await start();
  call = caller(sim);
  sim.control.setBalance('USD', 5000);
});
afterEach(() => sim.stop());

const payBody = (orderNo: string) => ({ orderNo, paymentMethod: 1 });
const status = async (orderNo: string) => (await call('queryOrderDetails', { orderNo })).orderStatus;

describe('fault injection', () => {
  it('commit_then_drop applies the payment, then drops the connection', async () => {
    const o = sim.control.createOrder();
    sim.control.setFault('pay', { kind: 'commit_then_drop' });
    await expect(call('pay', payBody(o.orderNo))).rejects.toThrow();
    expect(sim.control.paymentsFor(o.orderNo)).toBe(1);
    expect(await status(o.orderNo)).toBe('1');
    expect(sim.control.requests('pay', o.orderNo)[0]).toMatchObject({ fault: 'commit_then_drop', httpStatus: null });
  });

  it('reset_mid_response applies the request but delivers a truncated body', async () => {
    const o = sim.control.createOrder({ orderStatus: -3, errorCode: '604' });
    sim.control.setFault('regenerateOrder', { kind: 'reset_mid_response' });
    await expect(call('regenerateOrder', { originalOrderNo: o.orderNo })).rejects.toThrow();
    expect(sim.control.ledger()).toEqual([expect.objectContaining({ kind: 'regenerate', originalOrderNo: o.orderNo })]);
  });

  it('reset and http_error do not apply the request', async () => {
    const o = sim.control.createOrder();
    sim.control.setFault('pay', { kind: 'reset' }, { times: 1 });
    await expect(call('pay', payBody(o.orderNo))).rejects.toThrow();
    sim.control.setFault('pay', { kind: 'http_error', status: 502 }, { times: 1 });
    const res = await fetch(`${sim.baseUrl}/pay.do`, { method: 'POST', body: JSON.stringify(payBody(o.orderNo)) });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(sim.control.paymentsFor(o.orderNo)).toBe(0);
    expect(await status(o.orderNo)).toBe('0');
    expect(sim.control.requests('pay', o.orderNo)).toHaveLength(2);
  });

  it('times: a fault applies N times then clears', async () => {
    sim.control.setFault('balance', { kind: 'malformed' }, { times: 2 });
    await expect(call('balance', { currency: 'USD' })).rejects.toThrow();
    await expect(call('balance', { currency: 'USD' })).rejects.toThrow();
    expect((await call('balance', { currency: 'USD' })).status).toBe(0);
  });

  it('orderNo scopes a fault to requests about that order only', async () => {
    const a = sim.control.createOrder();
    const b = sim.control.createOrder();
    sim.control.setFault('*', { kind: 'http_error', status: 503 }, { orderNo: a.orderNo });
    expect((await fetch(`${sim.baseUrl}/queryOrderDetails.do`, { method: 'POST', body: JSON.stringify({ orderNo: a.orderNo }) })).status).toBe(503);
    expect(await status(b.orderNo)).toBe('0');
    sim.control.clearFaults();
    expect(await status(a.orderNo)).toBe('0');
  });

  it.each([429, 200] as const)('rate_limit answers HTTP %s with the {code:429,…} body and no status', async (httpStatus) => {
    sim.control.setFault('search', { kind: 'rate_limit', retryAfter: 2, httpStatus });
    const res = await fetch(`${sim.baseUrl}/search.do`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(httpStatus);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ code: 429, message: 'Too Many Requests', limitType: 'SEARCH_QPS', limit: 10, retryAfter: 2 });
    expect(body).not.toHaveProperty('status');
  });

  it('hang never answers, and stop() destroys the hung socket', async () => {
    const o = sim.control.createOrder();
    sim.control.setFault('pay', { kind: 'hang' });
    const pending = call('pay', payBody(o.orderNo));
    while (sim.control.requests('pay').length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(sim.control.requests('pay')[0]).toMatchObject({ fault: 'hang', httpStatus: null });
    await sim.stop();
    await expect(pending).rejects.toThrow();
    expect(sim.control.paymentsFor(o.orderNo)).toBe(0);
  });

  it('latencyMs (switch) holds one endpoint\'s answers and applies the request after the delay; other endpoints answer meanwhile', async () => {
    const o = sim.control.createOrder();
    sim.control.setSwitches({ latencyMs: { pay: 300 } });
    const first = call('pay', payBody(o.orderNo));
    while (sim.control.requests('pay', o.orderNo).length === 0) await new Promise((r) => setTimeout(r, 5));
    // Still being processed: a second pay.do is refused, the order still reads unpaid.
    expect((await call('pay', payBody(o.orderNo))).status).toBe(406);
    expect(await status(o.orderNo)).toBe('0');
    expect((await first).status).toBe(0);
    expect(sim.control.paymentsFor(o.orderNo)).toBe(1);
    expect(await status(o.orderNo)).toBe('1');
  });

  it('a rate_limit fault answers at once, whatever the endpoint\'s latencyMs (the limiter, not the handler, answers)', async () => {
    sim.control.setSwitches({ latencyMs: { balance: 3_600_000 } });
    sim.control.setFault('*', { kind: 'rate_limit', retryAfter: 1, httpStatus: 429 }, { times: 1 });
    const res = await fetch(`${sim.baseUrl}/balance.do`, { method: 'POST', body: JSON.stringify({ currency: 'USD' }) });
    expect(res.status).toBe(429);
  });

  it('refuses a latencyMs for an unknown endpoint or below zero', () => {
    expect(() => sim.control.setSwitches({ latencyMs: { pay: -1 } })).toThrow(/latencyMs.pay/);
    expect(() => sim.control.setSwitches({ latencyMs: { cancel: 5 } as never })).toThrow(/unknown endpoint cancel/);
  });

  it('latency delays the answer but still applies the request', async () => {
    const o = sim.control.createOrder();
    sim.control.setFault('pay', { kind: 'latency', ms: 20 });
    expect((await call('pay', payBody(o.orderNo))).status).toBe(0);
    expect(sim.control.paymentsFor(o.orderNo)).toBe(1);
  });
});
