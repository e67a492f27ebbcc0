// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimOrder } from '../../electron/simulator/index.ts';
import { caller, control, start } from './helpers.ts';

let sim: RunningSimulator;
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
    expect((await fetch(`${sim.baseUrl}/__sim/constructor`, { method: 'POST', body: '[]' })).status).toBe(404);
    expect((await fetch(`${sim.baseUrl}/__sim/ledger`, { method: 'POST', body: '{}' })).status).toBe(400);
  });

  it('turns a thrown control error into HTTP 400 with the message', async () => {
    const res = await fetch(`${sim.baseUrl}/__sim/advanceClock`, { method: 'POST', body: '[-5]' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringContaining('advanceClock') });
  });

  it('is not counted as an Atlas request', async () => {
    const before = sim.control.requests().length;
    await control(sim, 'now');
    expect(sim.control.requests()).toHaveLength(before);
  });
});
