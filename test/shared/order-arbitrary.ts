// fast-check generators for arbitrary (including odd and inconsistent) orders and contexts.
import fc from 'fast-check';
import type { OrderDetails, PaymentMethod, PaymentOption, PaymentOptionPart } from '../../shared/atlas.ts';
import type { PlanContext } from '../../shared/plan.ts';
import { TICKET_ERROR_MEANINGS } from '../../shared/ticket-errors.ts';

const BASE = Date.parse('2026-03-01T00:00:00.000Z');
const HOUR = 3_600_000;

/** An instant within ±3 days of BASE, sometimes null or garbage. */
const instantNear = fc.integer({ min: -72 * HOUR, max: 72 * HOUR }).map((d) => new Date(BASE + d).toISOString());
const maybeInstant = fc.oneof(
  { weight: 8, arbitrary: instantNear },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant('garbage') },
);

const method = fc.constantFrom<PaymentMethod>(1, 3, 4, 5);
const currency = fc.constantFrom('USD', 'EUR', 'JPY', 'CNY');
const part: fc.Arbitrary<PaymentOptionPart | null> = fc.option(
  fc.record({
    amount: fc.integer({ min: 0, max: 500_000 }).map((c) => c / 100),
    currency,
    deductFrom: fc.constantFrom<'DEPOSIT' | 'CARD'>('DEPOSIT', 'CARD'),
  }),
);
const option: fc.Arbitrary<PaymentOption> = fc.record({ paymentMethod: method, ticketFare: part, serviceFee: part, paymentFee: part });

const errorCode = fc.oneof(
  fc.constant(null),
  fc.constantFrom(...Object.keys(TICKET_ERROR_MEANINGS)),
  fc.string({ maxLength: 5 }),
);

export const orderArb: fc.Arbitrary<OrderDetails> = fc.record({
  orderNo: fc.constantFrom('TESTA20260301100000001', 'TESTL20260301100000002'),
  pnrCode: fc.option(fc.constant('PNR123')),
  orderStatus: fc.constantFrom('unpaid', 'ticketing', 'ticketed', 'cancelled'),
  ticketIssued: fc.boolean(),
  tktLimitTime: maybeInstant,
  errorCode,
  errorMessage: fc.constant(null),
  airlineMessage: fc.constant(null),
  paymentMethod: fc.option(method),
  paymentAttempted: fc.option(fc.boolean()),
  paymentOptions: fc.option(fc.array(option, { maxLength: 4 })),
  supportPaymentMethods: fc.subarray<PaymentMethod>([1, 3, 4, 5]),
  totalPrice: fc.integer({ min: 0, max: 500_000 }).map((c) => c / 100),
  currency,
  totalTransactionFee: fc.integer({ min: 0, max: 2_000 }).map((c) => c / 100),
  vendorTotalPrice: fc.option(fc.integer({ min: 0, max: 500_000 }).map((c) => c / 100)),
  vendorCurrency: fc.option(currency),
  airlines: fc.subarray(['5J', 'DE', 'F9', 'XX']),
  createdAt: maybeInstant,
  paymentTimestamp: fc.option(instantNear),
  fromCity: fc.constant(null),
  toCity: fc.constant(null),
  fromAirport: fc.constant(null),
  toAirport: fc.constant(null),
  depDate: fc.constant(null),
  passengers: fc.constant([]),
});

export const ctxArb: fc.Arbitrary<PlanContext> = fc.record(
  {
    now: instantNear,
    // Weighted so that most contexts reach the pay/regenerate branches.
    regeneratedInto: fc.oneof(
      { weight: 4, arbitrary: fc.constant<string[]>([]) },
      { weight: 1, arbitrary: fc.constant<string[]>(['TESTA20260301110000009']) },
    ),
    paymentFailureKnown: fc.boolean(),
    unreconciled: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    depositBalances: fc.dictionary(currency, fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100)),
    allowedMethods: fc.subarray<PaymentMethod>([1, 3, 4, 5]),
    // Atlas's clock: sometimes unknown, usually within minutes of the desk's (either way).
    atlasNow: fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: instantNear }),
    payRefusedAsExpired: fc.boolean(),
    chainRootCreatedAt: maybeInstant,
  },
  { requiredKeys: ['now', 'regeneratedInto', 'paymentFailureKnown', 'unreconciled'] },
);

/** Well-formed options: one currency per deduction source, deposit options never charge a card. */
const wellFormedOptions: fc.Arbitrary<PaymentOption[]> = fc
  .tuple(currency, currency, fc.integer({ min: 1, max: 500_000 }), fc.integer({ min: 0, max: 2_000 }))
  .map(([settle, vendor, fare, fee]) => [
    {
      paymentMethod: 1,
      ticketFare: { amount: fare / 100, currency: settle, deductFrom: 'DEPOSIT' },
      serviceFee: { amount: fee / 100, currency: settle, deductFrom: 'DEPOSIT' },
      paymentFee: null,
    },
    {
      paymentMethod: 3,
      ticketFare: { amount: fare / 100, currency: vendor, deductFrom: 'CARD' },
      serviceFee: { amount: fee / 100, currency: settle, deductFrom: 'DEPOSIT' },
      paymentFee: null,
    },
  ]);

/** Mostly arbitrary orders, plus a share shaped like real recovery candidates so that the
 * pay/regenerate branches are exercised often, not by luck. */
export const mixedOrderArb: fc.Arbitrary<OrderDetails> = fc.oneof(
  orderArb,
  fc.tuple(orderArb, wellFormedOptions).map(([o, paymentOptions]) => ({
    ...o,
    orderStatus: 'unpaid' as const,
    paymentMethod: null,
    paymentTimestamp: null,
    ticketIssued: false,
    errorCode: null,
    paymentOptions,
  })),
  orderArb.map((o) => ({ ...o, orderStatus: 'cancelled' as const, ticketIssued: false })),
);
