// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { caller, start, T0, type Caller } from './helpers.ts';
import { SANDBOX_CARD } from '../support/cards.ts';

let sim: RunningSimulator;
let call: Caller;
beforeEach(async () => {
  sim = await start({ ticketingDelayMs: 5000 });
  call = caller(sim);
  sim.control.setBalance('USD', 1000);
});
afterEach(() => sim.stop());

const query = (orderNo: string) => call('queryOrderDetails', { orderNo });

describe('pay.do and ticketing', () => {
  it('shows an unpaid order with string statuses, an SGT deadline and both payment options', async () => {
    const o = sim.control.createOrder({ airline: 'AK', currency: 'USD', price: 200, fee: 4, vendorCurrency: 'MYR', vendorPrice: 880 });
    const q = await query(o.orderNo);
    expect(q).toMatchObject({ status: 0, orderStatus: '0', ticketStatus: '0', tktLimitTime: '2026-11-26 16:30:00', paymentMethod: null, paymentAttempted: false, payment: null });
    expect(q.paymentOptions).toEqual([
      { paymentMethod: 1, ticketFare: expect.objectContaining({ amount: 200, currency: 'USD', deductFrom: 'DEPOSIT' }), serviceFee: expect.objectContaining({ amount: 4, currency: 'USD', deductFrom: 'DEPOSIT' }), paymentFee: null, cardType: null },
      { paymentMethod: 3, ticketFare: expect.objectContaining({ amount: 880, currency: 'MYR', deductFrom: 'CARD' }), serviceFee: expect.objectContaining({ amount: 4, currency: 'USD', deductFrom: 'DEPOSIT' }), paymentFee: null, cardType: null },
    ]);
  });

  it('accepts a deposit payment, debits the deposit, and tickets only after the delay', async () => {
    const o = sim.control.createOrder({ price: 200, fee: 4 });
    expect(await call('pay', { orderNo: o.orderNo, paymentMethod: 1 })).toMatchObject({ status: 0, orderNo: o.orderNo, paymentMethod: 1 });
    expect(sim.control.balance('USD')).toBe(796);
    const paying = await query(o.orderNo);
    expect(paying).toMatchObject({ orderStatus: '1', ticketStatus: '0', paymentMethod: 1, paymentOptions: null, payment: expect.objectContaining({ paymentMethod: 1 }) });
    sim.control.advanceClock(4999);
    expect((await query(o.orderNo)).orderStatus).toBe('1');
    sim.control.advanceClock(1);
    const done = await query(o.orderNo);
    expect(done).toMatchObject({ orderStatus: '2', ticketStatus: '1' });
    const pax = done.paxTicketInfos as { ticketNos: string[]; airlinePNRs: string[] }[];
    expect(pax[0]?.ticketNos).toHaveLength(1);
    expect(pax[0]?.airlinePNRs).toHaveLength(1);
    expect(sim.control.paymentsFor(o.orderNo)).toBe(1);
  });

  it('refuses to pay again: 402 while ticketing, 404 once ticketed, and the ledger keeps one payment', async () => {
    const o = sim.control.createOrder();
    await call('pay', { orderNo: o.orderNo, paymentMethod: 1 });
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 1 })).status).toBe(402);
    sim.control.advanceClock(5000);
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 1 })).status).toBe(404);
    expect(sim.control.paymentsFor(o.orderNo)).toBe(1);
    expect(sim.control.ledger().filter((e) => e.kind === 'pay')).toHaveLength(1);
  });

  it('answers 401 past tktLimitTime and, by default, still shows the order as "0"', async () => {
    const o = sim.control.createOrder({ holdMinutes: 30 });
    sim.control.advanceClock(30 * 60_000);
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 1 })).status).toBe(401);
    expect((await query(o.orderNo)).orderStatus).toBe('0');
    expect(sim.control.paymentsFor(o.orderNo)).toBe(0);
  });

  it('turns expired unpaid orders into -3 with the configured errorCode when the switch is set', async () => {
    const o = sim.control.createOrder();
    sim.control.setSwitches({ expiredOrderErrorCode: '611' });
    sim.control.advanceClock(31 * 60_000);
    expect(await query(o.orderNo)).toMatchObject({ orderStatus: '-3', errorCode: '611' });
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 1 })).status).toBe(401);
  });

  it('answers 411 when the deposit cannot cover price plus fee, and changes nothing', async () => {
    sim.control.setBalance('EUR', 50);
    const o = sim.control.createOrder({ currency: 'EUR', price: 90, fee: 2 });
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 1 })).status).toBe(411);
    expect(sim.control.balance('EUR')).toBe(50);
    expect((await query(o.orderNo)).orderStatus).toBe('0');
  });

  it('validates the card: 400 without creditCard, 400 on a bad Luhn number, 403 when VCC is unsupported', async () => {
    const o = sim.control.createOrder();
    expect(await call('pay', { orderNo: o.orderNo, paymentMethod: 3 })).toMatchObject({ status: 400, msg: 'creditCard is required' });
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardNumber: '4532015112830367' } })).status).toBe(400);
    const depositOnly = sim.control.createOrder({ supportPaymentMethods: [1] });
    expect((await call('pay', { orderNo: depositOnly.orderNo, paymentMethod: 3, creditCard: SANDBOX_CARD })).status).toBe(403);
    expect(sim.control.ledger()).toHaveLength(0);
  });

  it('answers 400 naming the field for a VCC card without a CVV, or one already expired', async () => {
    const o = sim.control.createOrder();
    const { cardCVV: _cvv, ...noCvv } = SANDBOX_CARD;
    expect(await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: noCvv })).toMatchObject({ status: 400, msg: 'creditCard.cardCVV is required' });
    // The simulated clock is November 2026.
    expect(await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardExpireMonth: '10', cardExpireYear: '2026' } })).toMatchObject({ status: 400, msg: 'creditCard is expired' });
    expect(await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardExpireMonth: '10', cardExpireYear: '26' } })).toMatchObject({ status: 400, msg: 'creditCard is expired' });
    expect(sim.control.paymentsFor(o.orderNo)).toBe(0);
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardExpireMonth: '11', cardExpireYear: '26' } })).status).toBe(0);
  });

  it.each(['4916931584764308', '5223456789012346', '375987654321001', '6011987612345678'])(
    'accepts the documented sandbox test card %s although it fails Luhn',
    async (cardNumber) => {
      const o = sim.control.createOrder();
      expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardNumber, cardCVV: '1234' } })).status).toBe(0);
    },
  );

  it('accepts any card number with a sandbox trigger name, and still declines with the trigger code', async () => {
    const o = sim.control.createOrder();
    const creditCard = { ...SANDBOX_CARD, cardNumber: '4000000000000001', cardHolderFirstName: 'Reject' };
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard })).status).toBe(0);
    sim.control.advanceClock(5000);
    expect(await query(o.orderNo)).toMatchObject({ orderStatus: '-3', errorCode: '604' });
  });

  it('answers 400 "creditCard is required" for MoR (5) without a card', async () => {
    const o = sim.control.createOrder({ supportPaymentMethods: [1, 3, 5] });
    expect(await call('pay', { orderNo: o.orderNo, paymentMethod: 5, creditCard: null })).toMatchObject({ status: 400, msg: 'creditCard is required' });
  });

  it('reads a paymentLimit sent as a decimal string and declines with 623 when it is below the vendor price', async () => {
    const o = sim.control.createOrder({ vendorCurrency: 'MYR', vendorPrice: 880 });
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, paymentLimit: '100.00' } })).status).toBe(0);
    sim.control.advanceClock(5000);
    expect(await query(o.orderNo)).toMatchObject({ orderStatus: '-3', errorCode: '623' });
  });

  it('takes only the service fee from the deposit for a VCC payment and marks paymentAttempted', async () => {
    const o = sim.control.createOrder({ price: 300, fee: 6 });
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardExpireYear: '30' } })).status).toBe(0);
    expect(sim.control.balance('USD')).toBe(994);
    expect(await query(o.orderNo)).toMatchObject({ orderStatus: '1', paymentMethod: 3, paymentAttempted: true });
    expect(sim.control.ledger()[0]).toMatchObject({ kind: 'pay', orderNo: o.orderNo, paymentMethod: 3, depositDebit: 6, cardTail: '0366' });
  });

  it.each([
    ['Reject', '604'],
    ['Three DS', '616'],
  ])('sandbox holder "%s" surfaces on the order by default: pay.do 0, then -3 with %s', async (first, code) => {
    const o = sim.control.createOrder();
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardHolderFirstName: first } })).status).toBe(0);
    sim.control.advanceClock(5000);
    expect(await query(o.orderNo)).toMatchObject({ orderStatus: '-3', errorCode: code, paymentMethod: 3, paymentAttempted: true });
  });

  it.each([
    ['Reject', 604],
    ['Three DS', 616],
  ])('sandbox holder "%s" surfaces as pay.do status %s when the switch says pay', async (first, code) => {
    sim.control.setSwitches({ cardDeclineSurfacesOn: 'pay' });
    const o = sim.control.createOrder();
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardHolderFirstName: first } })).status).toBe(code);
    expect(await query(o.orderNo)).toMatchObject({ orderStatus: '0', paymentMethod: null, paymentAttempted: true });
    expect(sim.control.paymentsFor(o.orderNo)).toBe(0);
  });

  it('makes an unpaid order whose card charge was already started (paymentAttempted: true), still payable', async () => {
    const o = sim.control.createOrder({ orderStatus: 0, paymentAttempted: true });
    expect(await query(o.orderNo)).toMatchObject({ orderStatus: '0', paymentMethod: null, paymentAttempted: true });
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 1 })).status).toBe(0);
    expect(sim.control.paymentsFor(o.orderNo)).toBe(1);
  });

  it('applies forced outcomes per airline and per order, the order switch winning', async () => {
    sim.control.setSwitches({ ticketingOutcomeByAirline: { VJ: '613' } });
    const a = sim.control.createOrder({ airline: 'VJ' });
    const b = sim.control.createOrder({ airline: 'VJ' });
    sim.control.setSwitches({ ticketingOutcomeByOrder: { [b.orderNo]: '633' } });
    await call('pay', { orderNo: a.orderNo, paymentMethod: 1 });
    await call('pay', { orderNo: b.orderNo, paymentMethod: 1 });
    sim.control.advanceClock(5000);
    expect((await query(a.orderNo)).errorCode).toBe('613');
    expect((await query(b.orderNo)).errorCode).toBe('633');
  });

  it('keeps a 615 order in ticketing and answers pay.do with 615', async () => {
    const o = sim.control.createOrder({ ticketingOutcome: '615' });
    await call('pay', { orderNo: o.orderNo, paymentMethod: 1 });
    sim.control.advanceClock(60 * 60_000);
    expect(await query(o.orderNo)).toMatchObject({ orderStatus: '1', errorCode: '615' });
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 1 })).status).toBe(615);
  });

  it('cancels a VCC order with 617 when the deposit cannot cover the service fee', async () => {
    sim.control.setBalance('USD', 1);
    const o = sim.control.createOrder({ fee: 4 });
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: SANDBOX_CARD })).status).toBe(0);
    sim.control.advanceClock(5000);
    expect(await query(o.orderNo)).toMatchObject({ orderStatus: '-3', errorCode: '617' });
  });

  it('answers 406 to a second pay.do while the first is still being processed', async () => {
    const o = sim.control.createOrder();
    sim.control.setFault('pay', { kind: 'latency', ms: 300 }, { times: 1 });
    const first = call('pay', { orderNo: o.orderNo, paymentMethod: 1 });
    while (sim.control.requests('pay', o.orderNo).length === 0) await new Promise((r) => setTimeout(r, 5));
    expect((await call('pay', { orderNo: o.orderNo, paymentMethod: 1 })).status).toBe(406);
    expect((await first).status).toBe(0);
    expect(sim.control.paymentsFor(o.orderNo)).toBe(1);
  });

  it('derives the order number shape from the creation time in SGT', () => {
    const o = sim.control.createOrder({ createdAt: T0 });
    expect(o.orderNo).toMatch(/^TESTA20261126160000\d{3}$/);
  });
});
