// What the planner returns: the safe next step for one order (docs/money-safety.md,
// docs/atlas-api.md §8). The planner itself (./planner.ts) is a pure function; these types cross
// IPC and reach the UI, which translates every reason and warning code.
import type { Money, PaymentMethod } from './atlas.ts';

export type PlanAction =
  | 'pay_same_order'
  | 'regenerate_then_pay'
  | 'wait_ticketing'
  | 'reconcile_first'
  | 'no_action'
  | 'blocked';

/** Why the planner chose its action. Closed list; the UI has a sentence for each. */
export const PLAN_REASONS = [
  'unpaid_payable', // Scenario A, still before the deadline
  'unpaid_expired', // Scenario A, deadline passed: regenerate first
  'airline_payment_rejected', // Scenario B: -3 with a card errorCode
  'ticketing_in_progress',
  'ticketed',
  'paid_pnr_pending', // 615
  'duplicate_booking', // 608 / 318
  'already_regenerated', // keep paying the new order, never the original
  'regeneration_window_closed', // more than 24 h after creation
  'cancelled_not_recoverable', // -3 with an inventory/data code: regenerate will likely fail or is pointless
  'outcome_unknown', // a step's outcome is unknown: query first
  'no_supported_method',
  'not_marked_failed', // unpaid with no evidence of a failed payment (docs/money-safety.md §1)
  'deposit_low_at_ticketing', // -3 with 617: deposit was too low at ticketing; regenerate, then pay
  'deadline_unknown', // unpaid but tktLimitTime unknown: re-query before paying or regenerating
  'amount_not_exact', // an amount due is in an unknown currency or finer than its minor unit: staff decide
  'deadline_passed_unconfirmed', // unpaid, deadline passed by some clock but not proven on Atlas's: pay first; Atlas answers 401 if it really passed
  'created_at_unknown', // Atlas has not stated when the order (or its chain) was created: the 24 h window cannot be judged
] as const;

export type PlanReason = (typeof PLAN_REASONS)[number];

export type PlanWarning =
  | 'deposit_below_due'
  | 'payment_attempted' // paymentAttempted true: reconcile the card before switching
  | 'regeneration_window_closing'
  | 'deadline_close'
  | 'card_not_supported'
  | 'deposit_not_supported'
  | 'regenerate_may_fail' // inventory-type errorCode
  | 'price_may_change'; // regeneration re-prices at the current fare

export interface MethodOffer {
  paymentMethod: 1 | 3;
  /** Total due with this method, split by where it is deducted from. */
  dueFromDeposit: Money | null;
  dueFromCard: Money | null;
}

export interface Plan {
  action: PlanAction;
  /** Methods the order supports right now (empty unless the action pays). */
  methods: MethodOffer[];
  /** Deadline (ISO UTC) that matters for the action, if any. */
  deadline: string | null;
  /** Order the payment would go to: the same order, or null until regeneration creates it. */
  payOrderNo: string | null;
  reasons: PlanReason[];
  warnings: PlanWarning[];
}

/** Facts the planner needs beyond the order itself. */
export interface PlanContext {
  /** ISO UTC. */
  now: string;
  /** Order numbers this order was already regenerated into (newest last). */
  regeneratedInto: string[];
  /**
   * The desk or staff hold evidence that a payment of this unpaid order failed
   * (docs/money-safety.md §1).
   */
  paymentFailureKnown: boolean;
  /** A step on this order ended with an unknown outcome that is not reconciled yet. */
  unreconciled: boolean;
  /** Deposit balances by currency, when known. */
  depositBalances?: Record<string, number>;
  /** Supported methods the planner may choose between; PaymentMethod values beyond 1/3 are ignored. */
  allowedMethods?: PaymentMethod[];
  /**
   * Atlas's clock now (ISO UTC), the earliest it can be, estimated from its answers. Absent or null:
   * unknown, and an unpaid order is then regenerated only after Atlas itself refused it with 401.
   */
  atlasNow?: string | null;
  /** Atlas answered pay.do 401 (past the payment deadline) for this order: its own word that it expired. */
  payRefusedAsExpired?: boolean;
  /**
   * Set for an order regenerated from another: the creation time of its chain's first order, from
   * which the 24 h regeneration window is counted (null = Atlas never stated it).
   */
  chainRootCreatedAt?: string | null;
}

/**
 * The reason that decided a plan. The planner always gives one; a plan without one reads as an
 * unknown outcome, which stops for staff.
 */
export function leadReason(plan: Pick<Plan, 'reasons'>): PlanReason {
  return plan.reasons[0] ?? 'outcome_unknown';
}
