// The Training scenario: 36 orders covering every case the desk must recognise
// (docs/money-safety.md §1), generated from a seed relative to startTime, so the same seed and
// start give the same orders.
import type { SimEngine } from './engine.ts';
import { round2, SETTLEMENT_USD_RATE } from './reference.ts';
import type { Rng } from './rng.ts';
import type { OrderSpec, WireOrderStatus } from './types.ts';

const AIRLINE_CODES = ['5J', 'AK', 'VJ', 'TR', 'FD', 'QZ', 'JT'];
const CURRENCIES = ['USD', 'USD', 'CNY', 'EUR'];
const LAST = ['TAN', 'LIM', 'NGUYEN', 'SANTOS', 'WONG', 'CHEN', 'SUTANTO', 'GARCIA', 'KUMAR', 'LEE', 'TRAN', 'REYES'];
const FIRST = ['WEI', 'MEI', 'ANH', 'JOSE', 'SITI', 'RAJ', 'LING', 'MARIA', 'ARIF', 'HUONG', 'KEVIN', 'NUR'];

/** Deposit balances per settlement currency; EUR is deliberately low so deposit pay.do hits 411. */
export const TRAINING_BALANCES: Record<string, number> = { USD: 5000, CNY: 20000, EUR: 150 };

/** What each training case is, so tests and the UI tour can find them. */
export type TrainingCase =
  | 'payable'
  | 'payable_attempted'
  | 'expired'
  | 'card_declined'
  | 'ticketing'
  | 'ticketed'
  | 'duplicate_608'
  | 'pending_615'
  | 'deposit_617'
  | 'sold_out_603'
  | 'regen_window_closed'
  | 'plain_unpaid';

interface CaseDef {
  kind: TrainingCase;
  count: number;
  status: WireOrderStatus;
  /** Minutes before startTime the order was created: [min, max]. */
  ageMin: [number, number];
  paid: boolean;
  attempted?: boolean;
  errorCodes?: string[];
}

const CASES: CaseDef[] = [
  { kind: 'payable', count: 3, status: 0, ageMin: [3, 15], paid: false },
  { kind: 'payable_attempted', count: 3, status: 0, ageMin: [4, 20], paid: false, attempted: true },
  { kind: 'expired', count: 4, status: 0, ageMin: [60, 20 * 60], paid: false, attempted: true },
  { kind: 'card_declined', count: 7, status: -3, ageMin: [20, 20 * 60], paid: true, errorCodes: ['604', '613', '616', '623', '633', '604', '613'] },
  { kind: 'ticketing', count: 3, status: 1, ageMin: [1, 3], paid: true },
  { kind: 'ticketed', count: 4, status: 2, ageMin: [60, 30 * 60], paid: true },
  { kind: 'duplicate_608', count: 1, status: -3, ageMin: [90, 300], paid: true, errorCodes: ['608'] },
  { kind: 'pending_615', count: 1, status: 1, ageMin: [120, 400], paid: true, errorCodes: ['615'] },
  { kind: 'deposit_617', count: 1, status: -3, ageMin: [40, 200], paid: true, errorCodes: ['617'] },
  { kind: 'sold_out_603', count: 2, status: -3, ageMin: [30, 600], paid: true, errorCodes: ['603'] },
  { kind: 'regen_window_closed', count: 2, status: -3, ageMin: [26 * 60, 40 * 60], paid: true, errorCodes: ['604'] },
  { kind: 'plain_unpaid', count: 5, status: 0, ageMin: [2, 25], paid: false },
];

export interface TrainingOrder {
  orderNo: string;
  kind: TrainingCase;
}

export function seedTraining(engine: SimEngine, rng: Rng, startTime: number): TrainingOrder[] {
  for (const [currency, amount] of Object.entries(TRAINING_BALANCES)) engine.balances.set(currency, amount);
  const made: TrainingOrder[] = [];
  let index = 0;
  let repriced = 0;
  for (const def of CASES) {
    for (let i = 0; i < def.count; i++, index++) {
      const airline = AIRLINE_CODES[index % AIRLINE_CODES.length] ?? 'AK';
      const currency = rng.pick(CURRENCIES);
      const paxCount = rng.int(1, 3);
      const passengers = Array.from({ length: paxCount }, () => `${rng.pick(LAST)}/${rng.pick(FIRST)}`);
      const createdAt = startTime - rng.int(def.ageMin[0] * 60, def.ageMin[1] * 60) * 1000;
      const usd = rng.int(60, 450) * paxCount;
      const errorCode = def.errorCodes?.[i % def.errorCodes.length] ?? null;
      const method = def.paid ? (errorCode === '617' || errorCode === '603' || def.kind === 'ticketed' ? rng.pick([1, 3]) : 3) : null;
      const spec: OrderSpec = {
        airline,
        currency,
        price: round2(usd * (SETTLEMENT_USD_RATE[currency] ?? 1)),
        createdAt,
        orderStatus: def.status,
        passengers,
        supportPaymentMethods: [1, 3],
        paymentMethod: method,
        paymentAttempted: method === 3 || def.attempted ? true : false,
        paymentTimestamp: def.paid ? createdAt + rng.int(1, 10) * 60_000 : null,
        errorCode: def.kind === 'pending_615' ? '615' : errorCode,
      };
      // Two airline-rejected orders, in a currency the Training deposit can pay, re-price when
      // regenerated (one up, one down): staff see a job stop for a new approval, and one that pays
      // below what they approved. (No random draw here: the rest of the world stays the same.)
      if (def.kind === 'card_declined' && currency !== 'EUR' && repriced < 2) spec.regenerateFareDelta = repriced++ === 0 ? 0.25 : -0.1;
      if (def.kind === 'ticketing') {
        // Paid moments ago: two will ticket, one will be declined by the airline (Scenario B, live).
        spec.paymentTimestamp = startTime - rng.int(0, 2000);
        spec.ticketingOutcome = i === 2 ? '604' : 'ticketed';
      }
      const order = engine.createOrder(spec);
      made.push({ orderNo: order.orderNo, kind: def.kind });
    }
  }
  return made;
}
