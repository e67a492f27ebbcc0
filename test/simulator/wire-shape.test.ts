// @vitest-environment node
// Field-by-field shapes of the simulator's answers against docs/atlas-api.md §1.3, §3.2, §3.4, §1.6.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { caller, start, type Caller } from './helpers.ts';
import { SANDBOX_CARD } from '../support/cards.ts';

let sim: RunningSimulator;
let call: Caller;
beforeEach(async () => {
  sim = await start({ ticketingDelayMs: 5000 });
  call = caller(sim);
  sim.control.setBalance('USD', 1000);
});
afterEach(() => sim.stop());

/** Every top-level field docs/atlas-api.md §3.2 lists for queryOrderDetails.do. */
const DOCUMENTED_QUERY_FIELDS = [
  'status', 'msg', 'orderNo', 'pnrCode', 'orderStatus', 'ticketStatus', 'tktLimitTime', 'errorCode', 'errorMessage',
  'airlineMessage', 'paymentMethod', 'paymentAttempted', 'paymentOptions', 'payment', 'supportPaymentMethods',
  'supportPaymentMethod', 'totalPrice', 'currency', 'totalTransactionFee', 'adultTotalFare', 'childTotalFare',
  'infantTotalFare', 'totalAncillaryPrice', 'vendorTotalPrice', 'vendorCost', 'vendorTotalAncillaryPrice', 'vendorCurrency',
  'paxTicketInfos', 'airlineBookings', 'routing', 'contact', 'itineraryDownload', 'refundRules', 'ifSeatOccupied',
];
const PAX_FIELDS = ['name', 'passengerType', 'birthday', 'gender', 'cardNum', 'cardType', 'cardIssuePlace', 'cardExpired', 'nationality', 'ticketNos', 'airlinePNRs', 'ancillaries', 'contactEmails', 'contactPhones'];
const BOOKING_FIELDS = ['airlineCode', 'airlineName', 'airlinePnr', 'airlineWebSiteAddress', 'mmbEmail', 'tailDigitsOfPaymentCard'];
const VENDOR_FIELDS = ['vendorTotalPrice', 'vendorCost', 'vendorTotalAncillaryPrice', 'vendorCurrency'];

const query = (orderNo: string) => call('queryOrderDetails', { orderNo });

describe('queryOrderDetails.do shape', () => {
  it('answers an unpaid VCC-capable order with only documented fields, in their documented JSON types', async () => {
    const o = sim.control.createOrder({ airline: 'AK', price: 200, fee: 4 });
    const q = await query(o.orderNo);
    expect(Object.keys(q).filter((k) => !DOCUMENTED_QUERY_FIELDS.includes(k))).toEqual([]);
    expect(q).toMatchObject({ status: 0, orderStatus: '0', ticketStatus: '0', paymentMethod: null, payment: null, supportPaymentMethods: [1, 3], supportPaymentMethod: 3 });
    expect(q.tktLimitTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(typeof q.totalPrice).toBe('number');
    expect(q).not.toHaveProperty('errorCode');
    expect(q).not.toHaveProperty('errorMessage');
    for (const f of VENDOR_FIELDS) expect(q).toHaveProperty(f);
    const pax = q.paxTicketInfos as Record<string, unknown>[];
    expect(Object.keys(pax[0] ?? {}).sort()).toEqual([...PAX_FIELDS].sort());
    const bookings = q.airlineBookings as Record<string, unknown>[];
    expect(Object.keys(bookings[0] ?? {}).sort()).toEqual([...BOOKING_FIELDS].sort());
    expect(bookings[0]).toMatchObject({ airlinePnr: null, tailDigitsOfPaymentCard: null });
  });

  it('leaves the vendor amounts out when the order supports neither VCC nor BYOA', async () => {
    const o = sim.control.createOrder({ supportPaymentMethods: [1] });
    const q = await query(o.orderNo);
    for (const f of VENDOR_FIELDS) expect(q).not.toHaveProperty(f);
    expect(q).toMatchObject({ supportPaymentMethods: [1], supportPaymentMethod: 1, paymentAttempted: null });
  });

  it('after a card payment: paymentOptions null, payment set, the card tail on airlineBookings; tickets and airline PNR once issued', async () => {
    const o = sim.control.createOrder({ airline: 'AK' });
    await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: SANDBOX_CARD });
    const paying = await query(o.orderNo);
    expect(paying).toMatchObject({ orderStatus: '1', paymentOptions: null, payment: { paymentMethod: 3 }, airlineBookings: [{ tailDigitsOfPaymentCard: '0366' }] });
    sim.control.advanceClock(5000);
    const done = await query(o.orderNo);
    const pnr = (done.paxTicketInfos as { airlinePNRs: string[] }[])[0]?.airlinePNRs[0];
    expect(done).toMatchObject({ orderStatus: '2', ticketStatus: '1', vendorCost: expect.any(Number), airlineBookings: [{ airlinePnr: pnr, tailDigitsOfPaymentCard: '0366' }] });
    expect(done).not.toHaveProperty('errorCode');
  });

  it('carries errorCode as a string, with errorMessage, once the airline declines the card', async () => {
    const o = sim.control.createOrder();
    await call('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardHolderFirstName: 'Reject' } });
    sim.control.advanceClock(5000);
    expect(await query(o.orderNo)).toMatchObject({ orderStatus: '-3', errorCode: '604', errorMessage: expect.any(String) });
  });

  it('finds an order by airlinePNR + carrier, and answers 702 / 703 / 704 as documented', async () => {
    const o = sim.control.createOrder({ airline: 'AK', orderStatus: 2 });
    const pnr = o.passengers[0]?.airlinePNRs[0] ?? '';
    expect(await call('queryOrderDetails', { airlinePNR: pnr, carrier: 'AK' })).toMatchObject({ status: 0, orderNo: o.orderNo });
    expect((await call('queryOrderDetails', { airlinePNR: pnr })).status).toBe(702);
    expect((await call('queryOrderDetails', { airlinePNR: 'ZZZZZZ', carrier: 'AK' })).status).toBe(703);
    expect((await call('queryOrderDetails', { orderNo: o.orderNo, airlinePNR: pnr, carrier: 'VJ' })).status).toBe(704);
  });
});

describe('regenerateOrder.do shape', () => {
  it('answers with the order.do fields plus originalOrderNo, request ids and a TEST order number', async () => {
    const original = sim.control.createOrder({ orderStatus: -3, errorCode: '604' });
    const r = await call('regenerateOrder', { originalOrderNo: original.orderNo });
    for (const f of ['status', 'msg', 'sessionId', 'offerId', 'orderNo', 'pnrCode', 'totalPrice', 'totalTransactionFee', 'currency', 'vendorTotalPrice', 'vendorCurrency', 'tktLimitTime', 'paxTicketInfos', 'routing', 'duplicateOrders', 'paymentOptions', 'originalOrderNo', 'requestId', 'clientRequestId']) {
      expect(r).toHaveProperty(f);
    }
    expect(r.orderNo).toMatch(/^TEST[A-Z]\d{14}\d{3}$/);
    expect(typeof r.requestId).toBe('string');
    expect(r.tktLimitTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });
});

describe('429 rate-limit body', () => {
  it.each([200, 429] as const)('is {code, message, limitType, limit, retryAfter} with no status field (HTTP %s)', async (httpStatus) => {
    sim.control.setFault('search', { kind: 'rate_limit', retryAfter: 3, httpStatus }, { times: 1 });
    const res = await fetch(`${sim.baseUrl}/search.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-atlas-client-id': sim.clientId, 'x-atlas-client-secret': sim.clientSecret },
      body: '{}',
    });
    expect(res.status).toBe(httpStatus);
    expect(await res.json()).toEqual({ code: 429, message: expect.any(String), limitType: 'SEARCH_QPS', limit: 10, retryAfter: 3 });
  });
});
