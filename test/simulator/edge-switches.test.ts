// @vitest-environment node
// The switches and levers for the chain and clock edge cases (docs/atlas-api.md §10.14, 10.15,
// 10.17, 10.19, 10.24): Atlas's clock against the desk's, city codes in orderList vs airport codes
// in segments, an airline that rejects the regenerated order again, a hand re-booking, and an
// answer that arrives after a newer one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { caller, start, T0, type Caller } from './helpers.ts';

const MIN = 60_000;
let sim: RunningSimulator;
let call: Caller;
beforeEach(async () => {
  sim = await start();
  call = caller(sim);
  sim.control.setBalance('USD', 5000);
});
afterEach(() => sim.stop());

async function dateHeader(): Promise<number> {
  const res = await fetch(`${sim.baseUrl}/balance.do`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-atlas-client-id': sim.clientId, 'x-atlas-client-secret': sim.clientSecret },
    body: JSON.stringify({ currency: 'USD' }),
  });
  await res.arrayBuffer();
  return Date.parse(res.headers.get('date') ?? '');
}

describe('atlasClockOffsetMs: Atlas\'s clock against the one tests give the desk', () => {
  it('every answer carries Atlas\'s simulated clock in its Date header, not this machine\'s', async () => {
    expect(await dateHeader()).toBe(T0);
    sim.control.advanceClock(90_500);
    expect(await dateHeader()).toBe(T0 + 90_000); // whole seconds
  });

  it('moves Atlas\'s deadlines, order numbers and Date header, while control.now() stays the desk\'s', async () => {
    const order = sim.control.createOrder({ orderStatus: 0, tktLimitTime: T0 + 2 * MIN });
    sim.control.setSwitches({ atlasClockOffsetMs: 3 * MIN });
    expect(sim.control.now()).toBe(T0);
    expect(await dateHeader()).toBe(T0 + 3 * MIN);
    expect((await call('pay', { orderNo: order.orderNo, paymentMethod: 1 })).status).toBe(401);
    expect(sim.control.createOrder().orderNo).toMatch(/^TESTA20261126160300\d{3}$/);
    sim.control.setSwitches({ atlasClockOffsetMs: -3 * MIN });
    const late = sim.control.createOrder({ orderStatus: 0, tktLimitTime: T0 - MIN });
    expect((await call('pay', { orderNo: late.orderNo, paymentMethod: 1 })).status).toBe(0);
  });
});

describe('cityOfAirport: orderList speaks cities, queryOrderDetails airports', () => {
  it('lists and filters by the city while the segments carry only the airport', async () => {
    sim.control.setSwitches({ cityOfAirport: { DMK: 'BKK' } });
    const order = sim.control.createOrder({ fromCity: 'DMK', toCity: 'SIN' });
    const byCity = (await call('orderList', { fromCity: 'BKK', toCity: 'SIN' })) as { orders: Record<string, unknown>[] };
    expect(byCity.orders).toEqual([expect.objectContaining({ orderNo: order.orderNo, fromCity: 'BKK', toCity: 'SIN' })]);
    expect(((await call('orderList', { fromCity: 'DMK' })) as { orders: unknown[] }).orders).toEqual([]);
    const details = (await call('queryOrderDetails', { orderNo: order.orderNo })) as { routing: { fromSegments: Record<string, unknown>[] } };
    expect(details.routing.fromSegments[0]).toMatchObject({ depAirport: 'DMK', arrAirport: 'SIN' });
    expect(details.routing.fromSegments[0]).not.toHaveProperty('depCity');
  });
});

describe('regeneratedTicketingOutcome: the airline rejects the regenerated order again', () => {
  it('cancels an order made by regenerateOrder.do with that code once it is paid', async () => {
    sim.control.setSwitches({ regeneratedTicketingOutcome: '604', ticketingDelayMs: 0 });
    const original = sim.control.createOrder({ orderStatus: -3, errorCode: '604', createdAt: T0 - 10 * MIN });
    const regenerated = (await call('regenerateOrder', { originalOrderNo: original.orderNo })) as { orderNo: string };
    expect((await call('pay', { orderNo: regenerated.orderNo, paymentMethod: 1 })).status).toBe(0);
    sim.control.advanceClock(1);
    expect(sim.control.order(regenerated.orderNo)).toMatchObject({ orderStatus: -3, errorCode: '604' });
    expect(() => sim.control.setSwitches({ regeneratedTicketingOutcome: 'declined' as never })).toThrow();
  });
});

describe('rebookByHand: the traveller books the same flight again in ATRIP', () => {
  it('makes a new unpaid order of the same passengers, airline, route and date', () => {
    const original = sim.control.createOrder({ orderStatus: -3, errorCode: '604', passengers: ['ONG/MAY', 'ONG/LIN'], fromCity: 'DMK', toCity: 'SIN', depDate: '2027-01-05' });
    sim.control.advanceClock(20 * MIN);
    const again = sim.control.rebookByHand(original.orderNo);
    expect(again).toMatchObject({ orderStatus: 0, airline: original.airline, fromCity: 'DMK', toCity: 'SIN', depDate: '2027-01-05', originalOrderNo: null, createdAt: T0 + 20 * MIN });
    expect(again.passengers.map((p) => p.name)).toEqual(['ONG/MAY', 'ONG/LIN']);
    expect(again.orderNo).not.toBe(original.orderNo);
  });
});

describe('late_answer fault: an old answer arrives after a newer one', () => {
  it('answers with the state when the request arrived, after the delay', async () => {
    const order = sim.control.createOrder({ orderStatus: 0 });
    sim.control.setFault('queryOrderDetails', { kind: 'late_answer', ms: 150 }, { times: 1 });
    const late = call('queryOrderDetails', { orderNo: order.orderNo });
    while (sim.control.requests('queryOrderDetails').length === 0) await new Promise((r) => setTimeout(r, 5));
    expect((await call('pay', { orderNo: order.orderNo, paymentMethod: 1 })).status).toBe(0);
    expect(await call('queryOrderDetails', { orderNo: order.orderNo })).toMatchObject({ orderStatus: '1' });
    expect(await late).toMatchObject({ orderStatus: '0' });
  });
});
