// Orders as the Atlas client hands them to the desk (OrderDetails), for planner, store and sync
// tests: a realistic unpaid order to vary per test (amounts from the regenerate example shape), a
// Scenario B order, passengers, the planner's context, and the desk's view of an order (DeskOrder)
// as the real planner plans it.
import type { OrderDetails, Passenger } from '../../shared/atlas.ts';
import { categoryOfPlan } from '../../shared/categorize.ts';
import type { DeskOrder } from '../../shared/desk.ts';
import type { PlanContext } from '../../shared/plan.ts';
import { planRecovery } from '../../shared/planner.ts';

export const CREATED = '2026-03-01T02:00:00.000Z';
export const DEADLINE = '2026-03-01T02:30:00.000Z';
/** Ten minutes after creation: payable, 20 min before the deadline. */
export const NOW = '2026-03-01T02:10:00.000Z';

export const at = (base: string, deltaMs: number): string => new Date(Date.parse(base) + deltaMs).toISOString();
export const MIN = 60_000;
export const HOUR = 60 * MIN;

export function passenger(name: string, airlinePNRs: string[] = []): Passenger {
  return { name, passengerType: 0, ticketNos: [], airlinePNRs };
}

/** Unpaid, payable by deposit (USD) or card (EUR), 20 minutes before its deadline at `NOW`. */
export function order(over: Partial<OrderDetails> = {}): OrderDetails {
  return {
    orderNo: 'TESTA20260301100000123',
    pnrCode: 'ABC123',
    orderStatus: 'unpaid',
    ticketIssued: false,
    tktLimitTime: DEADLINE,
    errorCode: null,
    errorMessage: null,
    airlineMessage: null,
    paymentMethod: null,
    paymentAttempted: null,
    paymentOptions: [
      {
        paymentMethod: 1,
        ticketFare: { amount: 100.1, currency: 'USD', deductFrom: 'DEPOSIT' },
        serviceFee: { amount: 2.2, currency: 'USD', deductFrom: 'DEPOSIT' },
        paymentFee: null,
      },
      {
        paymentMethod: 3,
        ticketFare: { amount: 95.5, currency: 'EUR', deductFrom: 'CARD' },
        serviceFee: { amount: 2.2, currency: 'USD', deductFrom: 'DEPOSIT' },
        paymentFee: { amount: 0.3, currency: 'EUR', deductFrom: 'CARD' },
      },
    ],
    supportPaymentMethods: [1, 3],
    totalPrice: 100.1,
    currency: 'USD',
    totalTransactionFee: 2.2,
    vendorTotalPrice: 95.8,
    vendorCurrency: 'EUR',
    airlines: ['5J'],
    createdAt: CREATED,
    paymentTimestamp: null,
    fromCity: 'MNL',
    toCity: 'CEB',
    fromAirport: 'MNL',
    toAirport: 'CEB',
    depDate: '2026-03-20',
    passengers: [passenger('DOE/JANE')],
    ...over,
  };
}

/** Scenario B as Atlas shows it: paid with a VCC, then cancelled with a card code. */
export function cancelledAfterPayment(errorCode: string | null, over: Partial<OrderDetails> = {}): OrderDetails {
  return order({
    orderStatus: 'cancelled',
    errorCode,
    paymentMethod: 3,
    paymentAttempted: true,
    paymentOptions: null,
    paymentTimestamp: at(CREATED, 5 * MIN),
    ...over,
  });
}

export function ctx(over: Partial<PlanContext> = {}): PlanContext {
  return { now: NOW, regeneratedInto: [], paymentFailureKnown: true, unreconciled: false, ...over };
}

/** The desk's view of `details` at `now`, planned and categorised by the real planner. */
export function deskOrder(details: OrderDetails, facts: { now: string; markedFailed?: boolean; regeneratedInto?: string[] }): DeskOrder {
  const plan = planRecovery(details, {
    now: facts.now,
    regeneratedInto: facts.regeneratedInto ?? [],
    paymentFailureKnown: facts.markedFailed ?? false,
    unreconciled: false,
  });
  return {
    orderNo: details.orderNo,
    ...categoryOfPlan(plan),
    details,
    plan,
    firstSeenAt: facts.now,
    lastSyncedAt: facts.now,
    markedFailed: facts.markedFailed ?? false,
    regeneratedFrom: null,
    regeneratedInto: facts.regeneratedInto ?? [],
    lastActor: null,
    notChargedCheck: null,
  };
}
