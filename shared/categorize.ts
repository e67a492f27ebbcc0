// Which list an order belongs to (docs/money-safety.md §1). Derived from the plan itself, so the
// list an order sits in can never disagree with what the desk would do for it.
import type { OrderDetails } from './atlas.ts';
import type { AttentionReason, Category } from './desk.ts';
import type { Plan, PlanContext } from './plan.ts';
import { planRecovery } from './planner.ts';

/** The local facts that decide a list; balances and allowed methods only change a plan's warnings. */
export type CategoryContext = Pick<
  PlanContext,
  'paymentFailureKnown' | 'unreconciled' | 'regeneratedInto' | 'now' | 'atlasNow' | 'payRefusedAsExpired' | 'chainRootCreatedAt'
>;

export interface Categorized {
  category: Category;
  attentionReason: AttentionReason | null;
}

const list = (category: Category): Categorized => ({ category, attentionReason: null });
const attention = (attentionReason: AttentionReason): Categorized => ({ category: 'attention', attentionReason });

export function categorize(order: OrderDetails, ctx: CategoryContext): Categorized {
  return categoryOfPlan(planRecovery(order, ctx));
}

/** Category of an already computed plan (the core plans with balances and allowed methods too). */
export function categoryOfPlan(plan: Plan): Categorized {
  const reason = plan.reasons[0] ?? 'outcome_unknown';
  switch (reason) {
    case 'unpaid_payable':
    case 'unpaid_expired':
    case 'deadline_passed_unconfirmed':
      return list('A');
    case 'airline_payment_rejected':
    case 'deposit_low_at_ticketing':
      return list('B');
    case 'ticketing_in_progress':
      return list('ticketing');
    case 'ticketed':
    case 'already_regenerated':
      return list('done');
    case 'not_marked_failed':
      // Unpaid and waiting: its own list. Cancelled (expired) with no evidence: nothing to do.
      return plan.action === 'blocked' ? list('unpaid') : list('done');
    case 'paid_pnr_pending':
      return attention('paid_pnr_pending');
    case 'duplicate_booking':
      return attention('duplicate_booking');
    case 'regeneration_window_closed':
      return attention('regeneration_window_closed');
    case 'cancelled_not_recoverable':
      return attention('cancelled_not_recoverable');
    case 'no_supported_method':
    case 'amount_not_exact':
      return attention('no_supported_method');
    case 'created_at_unknown':
      return attention('created_at_unknown');
    case 'outcome_unknown':
    case 'deadline_unknown':
      return attention('outcome_unknown');
    default: {
      const _unhandled: never = reason;
      return attention('outcome_unknown');
    }
  }
}
