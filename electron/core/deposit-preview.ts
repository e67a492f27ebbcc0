// Which orders a staff recovery intent may touch, and what a bulk deposit recovery would cost.
// The runner re-reads and re-plans every order before it pays (DESIGN.md §2.1); this is the gate in
// front of it, so that an intent never even becomes a job for an order staff should not bulk-pay:
// above all an `unpaid` order with no evidence of a failed payment (DESIGN.md §1).
import { DEPOSIT, type CARD, type Money } from '../../shared/atlas.ts';
import type { DeskOrder } from '../../shared/desk.ts';
import type { DepositPreview } from '../../shared/ipc.ts';
import type { MethodOffer } from '../../shared/plan.ts';
import { sumMoney } from '../../shared/money.ts';
import { cardChargeStarted } from '../../shared/planner.ts';
import { DeskError } from './desk-error.ts';

/** Actions after which the runner would pay (the same order, or a regenerated one). */
const PAYING_ACTIONS = new Set(['pay_same_order', 'regenerate_then_pay']);

/**
 * Why `order` cannot be recovered with `method` right now, or null when it can. Reasons are the
 * planner's codes (plus `not_found`, `deposit_not_supported`, `card_not_supported`, and
 * `card_charge_unconfirmed`: Atlas started a card charge on this unpaid order and staff have not
 * confirmed, for this order, that it took no money — docs/money-safety.md rule 12).
 */
export function recoveryIneligibility(order: DeskOrder | null, method: typeof DEPOSIT | typeof CARD): string | null {
  if (!order) return 'not_found';
  // Checked before the plan, so a stale category can never let an unmarked unpaid order through.
  if (!order.markedFailed && (order.category === 'unpaid' || order.plan.reasons.includes('not_marked_failed'))) {
    return 'not_marked_failed';
  }
  if (!PAYING_ACTIONS.has(order.plan.action)) return order.plan.reasons[0] ?? order.plan.action;
  if (!offerFor(order, method)) return method === DEPOSIT ? 'deposit_not_supported' : 'card_not_supported';
  if (cardChargeStarted(order.details) && !order.notChargedCheck) return 'card_charge_unconfirmed';
  return null;
}

export function offerFor(order: DeskOrder, method: 1 | 3): MethodOffer | undefined {
  return order.plan.methods.find((m) => m.paymentMethod === method);
}

/**
 * recovery:previewDeposit. `orders` are in request order (null = unknown to the desk). `balance`
 * answers null when Atlas cannot be asked (offline): the preview still shows what is due.
 */
export async function previewDeposit(
  orders: readonly { orderNo: string; order: DeskOrder | null }[],
  balance: (currency: string) => Promise<number | null>,
): Promise<DepositPreview> {
  const eligible: string[] = [];
  const ineligible: DepositPreview['ineligible'] = [];
  const dues: Money[] = [];
  const perOrder: DepositPreview['dues'] = [];
  const counts = new Map<string, number>();
  for (const { orderNo, order } of orders) {
    if (eligible.includes(orderNo) || ineligible.some((i) => i.orderNo === orderNo)) continue;
    const reason = recoveryIneligibility(order, DEPOSIT);
    if (reason !== null || !order) {
      ineligible.push({ orderNo, reason: reason ?? 'not_found' });
      continue;
    }
    eligible.push(orderNo);
    const due = offerFor(order, DEPOSIT)?.dueFromDeposit;
    if (due) {
      dues.push(due);
      perOrder.push({ orderNo, dueFromDeposit: due });
      counts.set(due.currency.toUpperCase(), (counts.get(due.currency.toUpperCase()) ?? 0) + 1);
    }
  }
  // Plans offer only amounts held exactly; a total no number holds exactly is refused, not rounded.
  const sums = sumMoney(dues);
  if (!sums) throw new DeskError('invalid_request', 'The amounts due cannot be added up exactly.', 'amount_not_exact');
  const totals = await Promise.all(
    sums.map(async (total) => ({
      currency: total.currency,
      due: total.amount,
      balance: await balance(total.currency),
      orders: counts.get(total.currency) ?? 0,
    })),
  );
  return { totals, eligible, ineligible, dues: perOrder };
}
