// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REGEN_PAYABLE_REFUSED_STATUS, REGEN_WINDOW_CLOSED_STATUS, type RunningSimulator } from '../../electron/simulator/index.ts';
import { caller, start, T0, type Caller } from './helpers.ts';
import { SANDBOX_CARD } from '../support/cards.ts';

let sim: RunningSimulator;
let call: Caller;
beforeEach(async () => {
  sim = await start();
  call = caller(sim);
  sim.control.setBalance('USD', 5000);
});
afterEach(() => sim.stop());

const regen = (originalOrderNo: string) => call('regenerateOrder', { originalOrderNo });
const cancelled = () => sim.control.createOrder({ orderStatus: -3, errorCode: '604', createdAt: T0 - 60 * 60_000, price: 100 });

describe('regenerateOrder.do', () => {
  it('makes a new unpaid order with a new number, pnr, 30-minute deadline and the current fare', async () => {
    const original = cancelled();
    const r = await regen(original.orderNo);
    // By default the fare has not moved since the original was booked.
    expect(r).toMatchObject({ status: 0, originalOrderNo: original.orderNo, tktLimitTime: '2026-11-26 16:30:00', currency: 'USD', totalPrice: 100 });
    expect(r.orderNo).toMatch(/^TESTA20261126160000\d{3}$/);
    expect(r.orderNo).not.toBe(original.orderNo);
    expect(r.pnrCode).not.toBe(original.pnrCode);
    expect(Array.isArray(r.paymentOptions)).toBe(true);
    expect(await call('queryOrderDetails', { orderNo: r.orderNo })).toMatchObject({ orderStatus: '0', paymentMethod: null });
    expect(sim.control.ledger()).toEqual([expect.objectContaining({ kind: 'regenerate', orderNo: r.orderNo, originalOrderNo: original.orderNo })]);
  });

  it('answers 314 when the original is ticketing or ticketed', async () => {
    const ticketing = sim.control.createOrder({ orderStatus: 1 });
    const ticketed = sim.control.createOrder({ orderStatus: 2 });
    expect((await regen(ticketing.orderNo)).status).toBe(314);
    expect((await regen(ticketed.orderNo)).status).toBe(314);
  });

  it(`refuses with ${REGEN_WINDOW_CLOSED_STATUS} more than 24 h after the original was created`, async () => {
    const old = sim.control.createOrder({ orderStatus: -3, errorCode: '604', createdAt: T0 - 24 * 60 * 60_000 - 1000 });
    expect((await regen(old.orderNo)).status).toBe(REGEN_WINDOW_CLOSED_STATUS);
    const fresh = cancelled();
    sim.control.advanceClock(23 * 60 * 60_000 - 1000);
    expect((await regen(fresh.orderNo)).status).toBe(0);
  });

  it('answers 318 with duplicateOrders while a live twin exists, but allows a second regeneration once the twin is cancelled', async () => {
    const original = cancelled();
    const first = await regen(original.orderNo);
    const dup = await regen(original.orderNo);
    expect(dup).toMatchObject({ status: 318, duplicateOrders: [first.orderNo] });
    // The twin is paid, then the airline declines the card: no live twin any more.
    await call('pay', { orderNo: first.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardHolderFirstName: 'Reject' } });
    expect((await regen(original.orderNo)).status).toBe(318);
    sim.control.advanceClock(5000);
    const second = await regen(original.orderNo);
    expect(second.status).toBe(0);
    expect(sim.control.ledger().filter((e) => e.kind === 'regenerate' && e.originalOrderNo === original.orderNo)).toHaveLength(2);
  });

  it('regenerates a still-payable order by default, like Atlas, and refuses when the switch says so', async () => {
    const payable = sim.control.createOrder();
    expect((await regen(payable.orderNo)).status).toBe(0);
    sim.control.setSwitches({ regenerateRefusesPayable: true });
    const other = sim.control.createOrder();
    expect((await regen(other.orderNo)).status).toBe(REGEN_PAYABLE_REFUSED_STATUS);
  });

  it('regenerates an unpaid order whose deadline passed', async () => {
    const o = sim.control.createOrder();
    sim.control.advanceClock(31 * 60_000);
    sim.control.setSwitches({ regenerateRefusesPayable: true });
    expect((await regen(o.orderNo)).status).toBe(0);
  });

  it('answers 800 for an unknown original', async () => {
    expect((await regen('TESTA20261126160000999')).status).toBe(800);
  });
});

describe('re-pricing on regeneration (regenerateFareDelta)', () => {
  const vendorOf = async (orderNo: string) => (await call('queryOrderDetails', { orderNo })).vendorTotalPrice;

  it('re-prices the fare and the card amount up or down by the switch; the fee stays', async () => {
    sim.control.setSwitches({ regenerateFareDelta: 0.5 });
    const up = sim.control.createOrder({ orderStatus: -3, errorCode: '604', createdAt: T0 - 60 * 60_000, price: 100, fee: 2, vendorPrice: 400, vendorCurrency: 'MYR' });
    const upNew = await regen(up.orderNo);
    expect(upNew).toMatchObject({ status: 0, totalPrice: 150 });
    expect(await vendorOf(upNew.orderNo as string)).toBe(600);
    expect(sim.control.order(upNew.orderNo as string)?.totalTransactionFee).toBe(2);

    sim.control.setSwitches({ regenerateFareDelta: -0.25 });
    const down = cancelled();
    expect(await regen(down.orderNo)).toMatchObject({ status: 0, totalPrice: 75 });
  });

  it("an order's own regenerateFareDelta wins over the switch, and its regenerated order does not inherit it", async () => {
    sim.control.setSwitches({ regenerateFareDelta: 0.1 });
    const original = sim.control.createOrder({ orderStatus: -3, errorCode: '604', createdAt: T0 - 60 * 60_000, price: 100, regenerateFareDelta: 1.5 });
    const first = await regen(original.orderNo);
    expect(first).toMatchObject({ status: 0, totalPrice: 250 });
    expect(sim.control.order(first.orderNo as string)?.regenerateFareDelta).toBeNull();
  });

  it('refuses a re-pricing that would make a fare of zero or less', () => {
    expect(() => sim.control.setSwitches({ regenerateFareDelta: -1 })).toThrow(/above -1/);
    expect(() => sim.control.setSwitches({ regenerateFareDelta: Number.NaN })).toThrow(/above -1/);
    expect(() => sim.control.createOrder({ regenerateFareDelta: -2 })).toThrow(/above -1/);
  });
});
