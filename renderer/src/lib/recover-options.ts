// What staff may start for an order: whether it can be recovered from this desk at all (not while
// another desk holds it, nor while a card charge Atlas started is unchecked), and why the deposit or
// card option is off.
import type { DeskOrder } from '../../../shared/desk.ts';
import type { Plan } from '../../../shared/plan.ts';
import { cardChargeStarted } from '../../../shared/planner.ts';

/** Atlas started a card charge on this unpaid order and staff have not checked it (docs/money-safety.md rule 12). */
export function chargeUnchecked(o: DeskOrder): boolean {
  return cardChargeStarted(o.details) && !o.notChargedCheck;
}

export function canRecover(o: DeskOrder): boolean {
  // Another desk of the team holds the order's chain: this desk does not act (the core refuses too).
  if (o.claimedBy) return false;
  return (o.plan.action === 'pay_same_order' || o.plan.action === 'regenerate_then_pay') && o.plan.methods.length > 0 && !chargeUnchecked(o);
}

/** Why the card option is off, or null when it is allowed. */
export function cardBlockReason(plan: Plan): string | null {
  if (plan.warnings.includes('card_not_supported')) return 'plan.warning.card_not_supported';
  if (!plan.methods.some((m) => m.paymentMethod === 3)) return 'recover.cardUnavailable';
  return null;
}

export function depositBlockReason(plan: Plan): string | null {
  if (plan.warnings.includes('deposit_not_supported')) return 'plan.warning.deposit_not_supported';
  if (!plan.methods.some((m) => m.paymentMethod === 1)) return 'recover.depositUnavailable';
  return null;
}
