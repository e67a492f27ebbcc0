// Which orders of a bulk deposit recovery the deposit can pay, per currency: the soonest deadline
// first, each taken while what is left of the balance covers it (an order too big is passed over,
// a later smaller one may still fit). The rest are left unpaid with a reason, not sent to fail
// with pay.do 411. All in exact minor units (docs/money-safety.md rule 13).
import type { Money } from './atlas.ts';
import { fromMinor, toMinor } from './money.ts';

export interface DepositCandidate {
  orderNo: string;
  due: Money;
  /** ISO time by which the order must be paid (or regenerated); null when unknown: taken last. */
  deadline: string | null;
}

export interface CurrencyFit {
  currency: string;
  /** Null when Atlas could not be asked: nothing can be left out, the runner checks each payment. */
  balance: number | null;
  /** The orders the balance covers, in the order they are paid (soonest deadline first). */
  fits: string[];
  /** What those orders need together. */
  due: number;
  /** Orders the balance does not cover once the earlier ones are paid. */
  beyond: string[];
  /** What is left of the balance after `fits`; null with an unknown balance. */
  left: number | null;
}

/** Fits `candidates` into `balances` (currency → amount, null = unknown). Currencies in first-seen order. */
export function fitDeposit(candidates: readonly DepositCandidate[], balances: ReadonlyMap<string, number | null>): CurrencyFit[] {
  const byCurrency = new Map<string, DepositCandidate[]>();
  for (const c of candidates) {
    const code = c.due.currency.trim().toUpperCase();
    byCurrency.set(code, [...(byCurrency.get(code) ?? []), c]);
  }
  return [...byCurrency].map(([currency, orders]) => fitCurrency(currency, sortByDeadline(orders), balances.get(currency) ?? null));
}

function fitCurrency(currency: string, orders: DepositCandidate[], balance: number | null): CurrencyFit {
  const minor = (amount: number) => {
    const m = toMinor(amount, currency);
    if (m === null) throw new RangeError(`${amount} ${currency} is not an exact amount`);
    return m;
  };
  let left = balance === null ? null : minor(balance);
  let due = 0;
  const fits: string[] = [];
  const beyond: string[] = [];
  for (const order of orders) {
    const need = minor(order.due.amount);
    if (left !== null && need > left) {
      beyond.push(order.orderNo);
      continue;
    }
    fits.push(order.orderNo);
    due += need;
    if (left !== null) left -= need;
  }
  return { currency, balance, fits, due: fromMinor(due, currency) ?? Number.NaN, beyond, left: left === null ? null : fromMinor(left, currency) };
}

/** Soonest deadline first; unknown deadlines last; ties keep the staff's order. */
function sortByDeadline(orders: DepositCandidate[]): DepositCandidate[] {
  const at = (c: DepositCandidate) => {
    const t = c.deadline === null ? Number.NaN : Date.parse(c.deadline);
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  return orders.map((c, i) => ({ c, i })).sort((a, b) => at(a.c) - at(b.c) || a.i - b.i).map(({ c }) => c);
}
