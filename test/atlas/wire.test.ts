import { describe, expect, it } from 'vitest';
import { normaliseBalance, normaliseOrderDetails, normaliseOrderList, normalisePayAccepted, normaliseRegenerated, orderListBody, payBody } from '../../electron/atlas/wire.ts';

const detailsBody = {
  status: 0,
  msg: 'success',
  orderNo: 'TESTA20250816160804096',
  pnrCode: 'ABC123',
  orderStatus: '-3',
  ticketStatus: '0',
  tktLimitTime: '2025-08-16 16:38:04',
  errorCode: '604',
  errorMessage: 'card declined',
  airlineMessage: null,
  paymentMethod: 3,
  paymentAttempted: true,
  paymentOptions: null,
  supportPaymentMethods: [1, 3],
  totalPrice: '123.45',
  currency: 'USD',
  totalTransactionFee: 2,
  vendorTotalPrice: 1700000,
  vendorCurrency: 'IDR',
  airlineBookings: [{ airlineCode: 'JT', airlinePnr: null }],
  paxTicketInfos: [{ name: 'TAN/MEI', passengerType: '0', ticketNos: [], airlinePNRs: null }],
  routing: { fromSegments: [{ depCity: 'JKT', arrCity: 'DPS', depTime: '202508201230' }] },
  someFutureField: { nested: true },
};

function ok<T>(r: { ok: true; value: T } | { ok: false; where: string }): T {
  if (!r.ok) throw new Error(`did not fit at ${r.where}`);
  return r.value;
}

describe('queryOrderDetails normalisation', () => {
  it('maps string orderStatus, SGT deadline, string numbers and derived fields to the domain type', () => {
    const d = ok(normaliseOrderDetails(detailsBody));
    expect(d.orderStatus).toBe('cancelled');
    expect(d.tktLimitTime).toBe('2025-08-16T08:38:04.000Z');
    expect(d.totalPrice).toBe(123.45);
    expect(d.errorCode).toBe('604');
    expect(d.paymentMethod).toBe(3);
    expect(d.paymentAttempted).toBe(true);
    expect(d.ticketIssued).toBe(false);
    expect(d.airlines).toEqual(['JT']);
    expect(d.fromCity).toBe('JKT');
    expect(d.toCity).toBe('DPS');
    expect(d.depDate).toBe('2025-08-20');
    expect(d.passengers).toEqual([{ name: 'TAN/MEI', passengerType: 0, ticketNos: [], airlinePNRs: [] }]);
  });

  it.each([
    ['0', 'unpaid'],
    [0, 'unpaid'],
    ['1', 'ticketing'],
    [1, 'ticketing'],
    ['2', 'ticketed'],
    [2, 'ticketed'],
    ['-3', 'cancelled'],
    [-3, 'cancelled'],
  ])('reads orderStatus %j as %s', (wire, expected) => {
    expect(ok(normaliseOrderDetails({ ...detailsBody, orderStatus: wire })).orderStatus).toBe(expected);
  });

  it('rejects an orderStatus it does not know instead of guessing', () => {
    const r = normaliseOrderDetails({ ...detailsBody, orderStatus: '7' });
    expect(r).toEqual({ ok: false, where: 'orderStatus' });
  });

  it('rejects an unreadable deadline rather than dropping it', () => {
    expect(normaliseOrderDetails({ ...detailsBody, tktLimitTime: '16/08/2025' })).toEqual({ ok: false, where: 'tktLimitTime' });
  });

  it('treats empty-string and missing optional fields as null and an unpaid order as unpaid', () => {
    const d = ok(
      normaliseOrderDetails({
        orderNo: 'X1',
        orderStatus: '0',
        errorCode: '',
        paymentMethod: null,
        paymentOptions: [
          { paymentMethod: 1, ticketFare: { amount: '100.5', currency: 'USD', deductFrom: 'DEPOSIT' }, serviceFee: null },
          { paymentMethod: 9, ticketFare: null },
        ],
        supportPaymentMethod: 3,
        totalPrice: 100.5,
        currency: 'USD',
      }),
    );
    expect(d.errorCode).toBeNull();
    expect(d.paymentMethod).toBeNull();
    expect(d.tktLimitTime).toBeNull();
    expect(d.paymentOptions).toEqual([
      { paymentMethod: 1, ticketFare: { amount: 100.5, currency: 'USD', deductFrom: 'DEPOSIT' }, serviceFee: null, paymentFee: null },
    ]);
    expect(d.supportPaymentMethods).toEqual([1, 3]);
    expect(d.totalTransactionFee).toBe(0);
    expect(d.createdAt).toBeNull();
  });

  it('reads ticketStatus "1" as issued and paymentAttempted "false" as false', () => {
    const d = ok(normaliseOrderDetails({ ...detailsBody, orderStatus: '2', ticketStatus: 1, paymentAttempted: 'false' }));
    expect(d.ticketIssued).toBe(true);
    expect(d.paymentAttempted).toBe(false);
  });

  it('does not fit a body without an order number', () => {
    const { orderNo: _drop, ...rest } = detailsBody;
    expect(normaliseOrderDetails(rest)).toEqual({ ok: false, where: 'orderNo' });
  });
});

describe('orderList normalisation', () => {
  it('reads integer statuses, string page numbers, UTC timestamps and split round-trip PNRs', () => {
    const page = ok(
      normaliseOrderList(
        {
          status: 0,
          page: '2',
          pageSize: '50',
          totalRecords: 51,
          orders: [
            {
              orderNo: 'TESTA20241122090710001',
              orderStatus: -3,
              airlinePNRs: ['AAA111|BBB222'],
              orderCreateTimestamp: '2024-11-22T01:07:10Z',
              paymentTimestamp: '2024-11-22 01:20:00',
              depDate: '20241201',
              airlines: ['JT'],
              paxNames: ['TAN/MEI'],
              errorCode: 604,
            },
          ],
        },
        { page: 2 },
      ),
    );
    expect(page).toMatchObject({ page: 2, pageSize: 50, totalRecords: 51 });
    expect(page.orders[0]).toMatchObject({
      orderStatus: 'cancelled',
      airlinePNRs: ['AAA111', 'BBB222'],
      createdAt: '2024-11-22T01:07:10.000Z',
      paymentTimestamp: '2024-11-22T01:20:00.000Z',
      depDate: '2024-12-01',
      errorCode: '604',
      contactEmail: null,
    });
  });

  it('treats a missing orders array as an empty page', () => {
    expect(ok(normaliseOrderList({ status: 0 }, {}))).toEqual({ page: 1, pageSize: 0, totalRecords: 0, orders: [] });
  });

  it('builds the request with integer statuses and second-precision UTC times', () => {
    expect(
      orderListBody({ orderStatus: ['cancelled', 'unpaid'], createdFrom: '2026-01-01T08:00:00.000+08:00', page: 3, pageSize: 100 }),
    ).toEqual({ orderStatus: [-3, 0], createTimeRangeFrom: '2026-01-01T00:00:00Z', page: 3, pageSize: 100 });
  });

  it('sends the passenger, route and departure-date filters in the documented forms', () => {
    expect(orderListBody({ paxName: 'TAN/MEI', fromCity: 'SIN', toCity: 'BKK', depDate: '2026-12-20' })).toEqual({
      paxName: 'TAN/MEI',
      fromCity: 'SIN',
      toCity: 'BKK',
      depDate: '20261220',
      page: 1,
    });
  });
});

describe('pay, regenerate and balance normalisation', () => {
  it('completes a status-0 pay answer from the request when echoes are missing', () => {
    expect(normalisePayAccepted({ status: 0 }, { orderNo: 'O1', paymentMethod: 1 })).toEqual({
      orderNo: 'O1',
      paymentMethod: 1,
      pnrCode: null,
    });
  });

  it('sends creditCard null for deposit and the card for method 3', () => {
    expect(payBody({ orderNo: 'O1', paymentMethod: 1 })).toEqual({ orderNo: 'O1', paymentMethod: 1, creditCard: null });
    const card = {
      cardNumber: '4532015112830366',
      cardCVV: '123',
      cardExpireMonth: '12',
      cardExpireYear: '2030',
      cardHolderFirstName: 'MEI',
      cardHolderLastName: 'TAN',
    };
    expect(payBody({ orderNo: 'O1', paymentMethod: 3, creditCard: card })).toEqual({ orderNo: 'O1', paymentMethod: 3, creditCard: card });
  });

  it('reads a regenerated order with its SGT deadline', () => {
    const r = ok(
      normaliseRegenerated(
        { status: 0, originalOrderNo: 'OLD1', orderNo: 'NEW1', tktLimitTime: '2026-03-01 12:30:00', totalPrice: '99', currency: 'USD', paymentOptions: [] },
        'OLD1',
      ),
    );
    expect(r).toEqual({ originalOrderNo: 'OLD1', orderNo: 'NEW1', pnrCode: null, tktLimitTime: '2026-03-01T04:30:00.000Z', totalPrice: 99, currency: 'USD', paymentOptions: [] });
  });

  it('does not fit a regenerate answer without the new order number', () => {
    expect(normaliseRegenerated({ status: 0, totalPrice: 1, currency: 'USD' }, 'OLD1')).toEqual({ ok: false, where: 'orderNo' });
  });

  it.each([['1234.50'], [1234.5]])('reads balance amount %j as a number', (amount) => {
    expect(ok(normaliseBalance({ status: 0, accountBalance: { amount, currency: 'USD' } }))).toEqual({ amount: 1234.5, currency: 'USD' });
  });

  it.each([[undefined], [null], ['']])('keeps a balance whose currency is %j as "no currency", never the one asked for', (currency) => {
    expect(ok(normaliseBalance({ status: 0, accountBalance: { amount: 10, currency } }))).toEqual({ amount: 10, currency: null });
  });

  it('does not fit a balance with a non-numeric amount', () => {
    expect(normaliseBalance({ status: 0, accountBalance: { amount: 'lots', currency: 'USD' } }).ok).toBe(false);
  });

  it('keeps the new order number of a status-0 regenerate answer whose other fields do not parse', () => {
    const r = ok(
      normaliseRegenerated(
        { status: 0, orderNo: 'NEW1', tktLimitTime: 'in 30 minutes', totalPrice: 'about 99', currency: 7, paymentOptions: 'see ATRIP' },
        'OLD1',
      ),
    );
    expect(r).toEqual({ originalOrderNo: 'OLD1', orderNo: 'NEW1', pnrCode: null, tktLimitTime: null, totalPrice: null, currency: null, paymentOptions: null });
  });
});

describe('facts the desk never infers', () => {
  it('never takes the SGT stamp inside an order number for its creation time', () => {
    // TESTA20250816160804096 "looks" created at 2025-08-16 16:08:04 SGT; only Atlas's own field counts.
    expect(ok(normaliseOrderDetails(detailsBody)).createdAt).toBeNull();
    expect(ok(normaliseOrderDetails({ ...detailsBody, orderCreateTimestamp: '2025-08-16T08:08:04Z' })).createdAt).toBe('2025-08-16T08:08:04.000Z');
  });

  it('keeps airport codes apart from city codes (DMK is an airport of the city BKK)', () => {
    const d = ok(normaliseOrderDetails({ ...detailsBody, routing: { fromSegments: [{ depAirport: 'DMK', arrAirport: 'SIN', depTime: '202508201230' }] } }));
    expect(d).toMatchObject({ fromAirport: 'DMK', toAirport: 'SIN', fromCity: null, toCity: null });
  });
});
