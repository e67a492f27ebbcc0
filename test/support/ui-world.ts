// The orders component tests and the UI preview start from: one per situation the window must
// explain, held by the simulator under fixed order numbers and synced by the real desk core, which
// plans and categorises them itself.
import type { OrderSpec } from '../../electron/simulator/index.ts';

const HOUR = 3_600_000;

/** Deposit balances (EUR deliberately short of the big EUR order). */
export const UI_BALANCES: Record<string, number> = { USD: 5000, SGD: 600, EUR: 3000, CNY: 20000, HKD: 8000 };

/** Unpaid orders staff said failed (Scenario A): marked through orders:add after the first sync. */
export const UI_MARKED_FAILED = ['TA2611260003', 'TA2611260004', 'TA2611260011'];

/** An order a simulator holds, with how long Atlas takes to ticket it once paid. */
export type UiOrder = OrderSpec & { orderNo: string; ticketingForMs?: number };

/** Paid by card, declined by the airline: Atlas cancelled it with `errorCode` `hoursAgo` after booking. */
function cancelled(now: number, orderNo: string, errorCode: string, createdHoursAgo: number, spec: OrderSpec): UiOrder {
  return {
    orderNo,
    orderStatus: -3,
    errorCode,
    paymentMethod: errorCode === '617' ? 1 : 3,
    paymentAttempted: true,
    createdAt: now - createdHoursAgo * HOUR,
    paymentTimestamp: now - createdHoursAgo * HOUR + 60_000,
    ...spec,
  };
}

function unpaid(now: number, orderNo: string, deadlineInHours: number, spec: OrderSpec): UiOrder {
  return { orderNo, orderStatus: 0, paymentAttempted: false, createdAt: now - 4 * HOUR, tktLimitTime: now + deadlineInHours * HOUR, ...spec };
}

export function uiOrders(now: number): UiOrder[] {
  return [
    cancelled(now, 'TA2611260001', '604', 5, { airline: 'NK', fromCity: 'LAX', toCity: 'LAS', depDate: '2026-12-18', currency: 'USD', price: 412.4, passengers: ['SMITH/JOHN', 'SMITH/ANNA'] }),
    cancelled(now, 'TA2611260002', '633', 3, { airline: 'TR', fromCity: 'SIN', toCity: 'NRT', currency: 'SGD', price: 780, passengers: ['LIM/JIA HUI'] }),
    unpaid(now, 'TA2611260003', 1.5, { airline: 'AS', fromCity: 'SEA', toCity: 'SFO', currency: 'USD', price: 199.99, passengers: ['GARCIA/MARIA'] }),
    unpaid(now, 'TA2611260004', 0.3, { airline: 'H4', fromCity: 'CDG', toCity: 'PPT', currency: 'EUR', price: 1250, passengers: ['MARTIN/LUC'], supportPaymentMethods: [1] }),
    cancelled(now, 'TA2611260005', '608', 4, { airline: 'VY', fromCity: 'BCN', toCity: 'LHR', currency: 'EUR', price: 96.3, passengers: ['ROSSI/MARCO'] }),
    // Paid; Atlas is still ticketing it, and stays so for the day.
    { orderNo: 'TA2611260006', orderStatus: 1, paymentMethod: 3, airline: '5J', fromCity: 'MNL', toCity: 'HKG', currency: 'USD', price: 150, passengers: ['REYES/ANA'], createdAt: now - 4 * HOUR, ticketingForMs: 24 * HOUR },
    unpaid(now, 'TA2611260007', 6, { airline: 'NK', fromCity: 'MCO', toCity: 'BOS', currency: 'USD', price: 260, passengers: ['BROWN/LISA'] }),
    unpaid(now, 'TA2611260008', 20, { airline: 'MM', fromCity: 'KIX', toCity: 'TPE', currency: 'CNY', price: 1890, passengers: ['WANG/FANG', 'WANG/LEI'] }),
    cancelled(now, 'TA2611260009', '616', 4, { airline: 'F9', fromCity: 'DEN', toCity: 'PHX', currency: 'USD', price: 88, passengers: ['JONES/KATE'], supportPaymentMethods: [3] }),
    cancelled(now, 'TA2611260010', '623', 6, { airline: 'DY', fromCity: 'OSL', toCity: 'ARN', currency: 'EUR', price: 140.2, passengers: ['HANSEN/ERIK'] }),
    // Past its deadline: paid only after a regeneration.
    unpaid(now, 'TA2611260011', -2, { airline: 'NK', fromCity: 'FLL', toCity: 'ATL', currency: 'USD', price: 175, passengers: ['DAVIS/TOM'] }),
    // Atlas started a card charge on it: nothing moves until staff say it took no money.
    unpaid(now, 'TA2611260012', 0.4, { airline: 'AK', fromCity: 'KUL', toCity: 'SIN', currency: 'USD', price: 152, passengers: ['TAN/MEI'], paymentAttempted: true }),
  ];
}
