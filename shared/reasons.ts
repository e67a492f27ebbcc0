// The desk's two closed vocabularies of "why": why a job is where it is (`JobReason`, on
// `Job.reason`), and why the desk refused what staff asked (`RefusalReason`, on a DeskError, on
// the IPC error the window gets, and in rejected lists). Each comes from one `as const` list, so a
// test can enumerate it and find words for every member in both languages; the CLI prints the
// same codes.
import { ATLAS_ERROR_KINDS, type AtlasErrorKind } from './atlas.ts';
import { PLAN_REASONS } from './plan.ts';

/** Reasons the desk itself puts on jobs; a job the plan stops carries the plan's reason (PLAN_REASONS). */
const DESK_JOB_REASONS = [
  'cancelled_by_staff',
  'offline', // waiting for the network
  'rate_limited',
  'card_missing', // card details no longer held (restart, time limit): staff enter it again
  'card_limit_below_due',
  'outcome_checked_by_staff', // staff checked in ATRIP that an unconfirmed payment took no money
  'paid_elsewhere',
  'method_not_supported',
  'unauthorized',
  'ticketing_pending', // paid; Atlas is still ticketing
  'internal_error',
  'record_unreadable', // the job's row could not be read back: parked, never re-run
  'deposit_below_due',
  'order_keeps_changing',
  'look_alike_unverifiable',
  'cancelled_unpaid',
  'cancelled', // cancelled again by Atlas without a ticket errorCode
  // Staff's approval and staff's checks (docs/money-safety.md rules 9 and 12).
  'price_changed', // needs_approval: the amount due is above what staff approved
  'approval_expired', // needs_approval: staff's approval aged out
  'deposit_below_fee', // a card job's fee (taken from the deposit) is above the balance
  'balance_currency_mismatch', // Atlas gave the balance in another currency (or none)
  'card_charge_unconfirmed', // Atlas started a card charge; staff have not confirmed it took no money
  'replaced_by_card', // cancelled before it sent anything: a card job took its place
  // Team mode (electron/core/chain-claims.ts).
  'claimed_by_other_desk',
  'team_offline',
  'other_desk_outcome_unknown',
] as const;

export const JOB_REASONS = [...PLAN_REASONS, ...DESK_JOB_REASONS] as const;

/**
 * Reasons that carry a code from Atlas, in three families, each with one sentence that names the
 * code: pay.do or regenerateOrder.do refused (`pay_rejected_411`, `regenerate_rejected_unknown`),
 * a read that failed (`read_network`, `read_business_800`), and the ticket errorCode of an order
 * Atlas cancelled again (`604`).
 */
export type CodedJobReason =
  | `pay_rejected_${number}`
  | 'pay_rejected_unknown'
  | `regenerate_rejected_${number}`
  | 'regenerate_rejected_unknown'
  | `read_${AtlasErrorKind}`
  | `read_${AtlasErrorKind}_${number}`
  | `${number}`;

export type JobReason = (typeof JOB_REASONS)[number] | CodedJobReason;

const CODE = '-?\\d{1,9}';
const CODED = new RegExp(
  `^(?:(?:pay|regenerate)_rejected_(?:${CODE}|unknown)|read_(?:${ATLAS_ERROR_KINDS.join('|')})(?:_${CODE})?|\\d{1,6})$`,
);
const JOB_REASON_SET: ReadonlySet<string> = new Set(JOB_REASONS);

/** A reason read back from disk or the wire, or null when this build does not know it. */
export function jobReasonOf(value: unknown): JobReason | null {
  if (typeof value !== 'string') return null;
  return JOB_REASON_SET.has(value) || CODED.test(value) ? (value as JobReason) : null;
}

export const payRejected = (code: number | undefined): JobReason => (code === undefined ? 'pay_rejected_unknown' : `pay_rejected_${code}`);

export const regenerateRejected = (code: number | undefined): JobReason =>
  code === undefined ? 'regenerate_rejected_unknown' : `regenerate_rejected_${code}`;

export const readFailed = (failure: { kind: AtlasErrorKind; code?: number | undefined }): JobReason =>
  failure.code === undefined ? `read_${failure.kind}` : `read_${failure.kind}_${failure.code}`;

/** An order Atlas cancelled again: its ticket errorCode when it has one, else `cancelled`. */
export const cancelledAgain = (errorCode: string | null): JobReason =>
  errorCode !== null && /^\d{1,6}$/.test(errorCode) ? (errorCode as `${number}`) : 'cancelled';

/**
 * Why the desk refused a request about an order or a job. An order whose plan does not pay is
 * refused with the plan's reason (PLAN_REASONS); the rest are the desk's own.
 */
export const REFUSAL_REASONS = [
  ...PLAN_REASONS,
  'not_found', // the desk does not know the order or job
  'claimed_by_other_desk', // team mode: another desk holds the order's chain
  'deposit_not_supported',
  'card_not_supported',
  'card_invalid', // the card fails the desk's own check (Luhn, expiry, CVV, holder address)
  'nothing_to_acknowledge', // no unconfirmed payment waits for staff's check
  'queue_held_elsewhere', // another desk process runs this database's queue: cards and cancelling wait
  'not_cancellable', // the job has something on the wire or to reconcile
  'not_a_card_job',
  'already_has_card',
  'card_charge_unconfirmed', // Atlas started a card charge on the order; staff have not confirmed it took no money
  'nothing_to_confirm', // no card charge was started for the order
  'already_queued', // the order has an unsettled job a new card would not reach (replace it explicitly)
  'not_replaceable', // that job has sent something, or is running
  'not_waiting_approval', // approve: the job does not wait for an approval
  'approval_missing', // no approved amount came with the intent
  'approval_currency', // the approved amount is in another currency than the one Atlas charges
  // Settings refused by the shell.
  'host_not_allowed', // the webhook receiver may listen only on loopback or an address of this computer
  'bad_url', // the team database URL cannot be used
] as const;

export type RefusalReason = (typeof REFUSAL_REASONS)[number];
