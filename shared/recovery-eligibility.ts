// Which orders staff may recover, with which method, and why not: the one rule behind the desk
// core's gate (deposit preview, deposit and card intents), the window (order panel, recover
// dialog) and the test fake desk. The runner still re-reads and re-plans before it pays
// (docs/money-safety.md rule 1); this decides what may become a job at all.
import { DEPOSIT, type CARD } from './atlas.ts';
import type { DeskOrder } from './desk.ts';
import { leadReason, type PlanAction } from './plan.ts';
import { cardChargeStarted } from './planner.ts';
import type { RefusalReason } from './reasons.ts';

/** Actions after which the runner would pay (the same order, or a regenerated one). */
const PAYING_ACTIONS: ReadonlySet<PlanAction> = new Set(['pay_same_order', 'regenerate_then_pay']);

export type RecoverableOrder = Pick<DeskOrder, 'category' | 'markedFailed' | 'plan' | 'claimedBy' | 'details' | 'notChargedCheck'>;

/**
 * Why `order` cannot be recovered now — with `method` when one is given, with deposit or card
 * otherwise — or null when it can. An order the desk does not know is `not_found`.
 */
export function recoveryIneligibility(order: RecoverableOrder | null | undefined, method?: typeof DEPOSIT | typeof CARD): RefusalReason | null {
  if (!order) return 'not_found';
  // Team mode: another desk holds the order's chain; this desk does not act on it.
  if (order.claimedBy) return 'claimed_by_other_desk';
  // Before the plan, so a stale category can never let through an unpaid order nobody said failed.
  if (!order.markedFailed && (order.category === 'unpaid' || order.plan.reasons.includes('not_marked_failed'))) return 'not_marked_failed';
  if (!PAYING_ACTIONS.has(order.plan.action)) return leadReason(order.plan);
  if (method === undefined ? order.plan.methods.length === 0 : !order.plan.methods.some((m) => m.paymentMethod === method)) {
    return method === undefined ? 'no_supported_method' : method === DEPOSIT ? 'deposit_not_supported' : 'card_not_supported';
  }
  if (cardChargeUnconfirmed(order)) return 'card_charge_unconfirmed';
  return null;
}

/**
 * Atlas started a card charge on this unpaid order and staff have not confirmed it took no money:
 * no other payment until they do (docs/money-safety.md rule 12).
 */
export function cardChargeUnconfirmed(order: Pick<DeskOrder, 'details' | 'notChargedCheck'>): boolean {
  return cardChargeStarted(order.details) && !order.notChargedCheck;
}
