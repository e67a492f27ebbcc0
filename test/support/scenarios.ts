// Orders as the simulator should hold them — one builder per situation the desk meets — and an
// empty simulator to put them in. Override what a test is about: `sim.control.createOrder(orderB(now, { price: 80 }))`.
import { startSimulator, type OrderSpec, type RunningSimulator, type SimulatorOptions } from '../../electron/simulator/index.ts';

const MIN = 60_000;

/**
 * Scenario A as staff know it: the order is unpaid and still payable, and Atlas shows no card
 * charge started. Staff mark it failed (`markFailed`) before the desk will pay it.
 */
export const orderA = (extra: OrderSpec = {}): OrderSpec => ({
  orderStatus: 0,
  holdMinutes: 30,
  paymentAttempted: false,
  currency: 'USD',
  price: 120,
  ...extra,
});

/**
 * Scenario A as Atlas shows it: a card charge was started at the airline (`paymentAttempted`)
 * and the order is still unpaid. Whether that charge took money is for staff to check.
 */
export const orderAttempted = (extra: OrderSpec = {}): OrderSpec => orderA({ paymentAttempted: true, ...extra });

/** Scenario A past its deadline (created 40 min ago, due 10 min ago): it must be regenerated first. */
export const orderAExpired = (now: number, extra: OrderSpec = {}): OrderSpec =>
  orderA({ createdAt: now - 40 * MIN, tktLimitTime: now - 10 * MIN, ...extra });

/** Unpaid with no sign of a failed payment: never recovered until staff mark it, never in bulk. */
export const orderUnpaid = (extra: OrderSpec = {}): OrderSpec => ({
  orderStatus: 0,
  holdMinutes: 30,
  paymentAttempted: false,
  currency: 'USD',
  price: 90,
  ...extra,
});

/** Scenario B: paid by card, the airline declined it, Atlas cancelled the order with 604. */
export const orderB = (now: number, extra: OrderSpec = {}): OrderSpec => ({
  orderStatus: -3,
  errorCode: '604',
  paymentMethod: 3,
  paymentAttempted: true,
  createdAt: now - 20 * MIN,
  paymentTimestamp: now - 19 * MIN,
  currency: 'USD',
  price: 150,
  ...extra,
});

/** Paid and ticketed an hour ago: nothing to do. */
export const orderTicketed = (now: number): OrderSpec => ({
  orderStatus: 2,
  paymentMethod: 1,
  createdAt: now - 60 * MIN,
  paymentTimestamp: now - 59 * MIN,
  currency: 'USD',
});

/** An empty simulator whose ticketing resolves quickly (the runner polls 1 s after pay.do). */
export function startTestSimulator(extra: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ scenario: 'empty', ticketingDelayMs: 100, ...extra });
}
