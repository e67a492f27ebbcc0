// What a bulk deposit recovery would cost, for the orders it may touch: which ones is the shared
// rule (shared/recovery-eligibility.ts), so that an intent never even becomes a job for an order
// staff should not bulk-pay; how many of them the deposit covers is shared/deposit-fit.ts. The
// runner still re-reads and re-plans every order before it pays (docs/money-safety.md rule 1).
import { DEPOSIT, type Money } from '../../shared/atlas.ts';
import type { DeskOrder } from '../../shared/desk.ts';
import type { DepositPreview } from '../../shared/ipc.ts';
import type { MethodOffer } from '../../shared/plan.ts';
import { fitDeposit, type CurrencyFit, type DepositCandidate } from '../../shared/deposit-fit.ts';
import { recoveryIneligibility } from '../../shared/recovery-eligibility.ts';
import { DeskError } from './desk-error.ts';

export function offerFor(order: DeskOrder, method: 1 | 3): MethodOffer | undefined {
  return order.plan.methods.find((m) => m.paymentMethod === method);
}

/**
 * recovery:previewDeposit. `orders` are in request order (null = unknown to the desk). `balance`
 * answers null when Atlas cannot be asked (offline): the preview still shows what is due, and
 * leaves nothing out (the runner checks the balance before every payment).
 *
 * When a currency's balance does not cover every order, the preview says exactly which ones it
 * covers — the soonest deadline first (shared/deposit-fit.ts) — and only those are `eligible`; the
 * rest are `beyondBalance`, left unpaid rather than sent to fail with pay.do 411.
 */
export async function previewDeposit(
  orders: readonly { orderNo: string; order: DeskOrder | null }[],
  balance: (currency: string) => Promise<number | null>,
): Promise<DepositPreview> {
  const seen = new Set<string>();
  const ineligible: DepositPreview['ineligible'] = [];
  const candidates: DepositCandidate[] = [];
  for (const { orderNo, order } of orders) {
    if (seen.has(orderNo)) continue;
    seen.add(orderNo);
    const reason = recoveryIneligibility(order, DEPOSIT);
    const due = order ? offerFor(order, DEPOSIT)?.dueFromDeposit : null;
    if (reason !== null || !order || !due) {
      ineligible.push({ orderNo, reason: reason ?? (order ? 'deposit_not_supported' : 'not_found') });
      continue;
    }
    candidates.push({ orderNo, due, deadline: order.plan.deadline });
  }
  const currencies = [...new Set(candidates.map((c) => c.due.currency.trim().toUpperCase()))];
  const balances = new Map(await Promise.all(currencies.map(async (currency) => [currency, await balance(currency)] as const)));
  let fits: CurrencyFit[];
  try {
    fits = fitDeposit(candidates, balances);
  } catch (error) {
    // Plans offer only exact amounts, so this is a balance finer than its currency: refused, not rounded.
    if (error instanceof RangeError) throw new DeskError('invalid_request', `The deposit cannot be compared exactly: ${error.message}.`, 'amount_not_exact');
    throw error;
  }
  const dueOf = new Map(candidates.map((c) => [c.orderNo, c.due]));
  const withDue = (orderNo: string) => ({ orderNo, dueFromDeposit: dueOf.get(orderNo) as Money });
  return {
    totals: fits.map((f) => ({ currency: f.currency, due: f.due, balance: f.balance, orders: f.fits.length, left: f.left })),
    eligible: fits.flatMap((f) => f.fits),
    ineligible,
    dues: fits.flatMap((f) => f.fits.map(withDue)),
    beyondBalance: fits.flatMap((f) => f.beyond.map(withDue)),
  };
}
