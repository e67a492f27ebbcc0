// Desk-level records shared by the core, the IPC contract and the UI.
import type { Money, OrderDetails, PaymentMethod } from './atlas.ts';
import type { Plan } from './plan.ts';
import type { JobReason } from './reasons.ts';

/**
 * Which list an order belongs to (docs/money-safety.md §1); derived from the plan by
 * shared/categorize.ts.
 */
export type Category = 'B' | 'A' | 'attention' | 'ticketing' | 'unpaid' | 'done';

/** Why an order is in `attention`, when it is. */
export type AttentionReason =
  | 'duplicate_booking' // 608, or 318 on regenerate
  | 'paid_pnr_pending' // 615
  | 'outcome_unknown' // reconciliation could not settle a step
  | 'regeneration_window_closed'
  | 'cancelled_not_recoverable'
  | 'no_supported_method' // a failed order that neither deposit nor card can pay
  | 'created_at_unknown'; // Atlas never stated when it was created: the 24 h window cannot be judged

export interface DeskOrder {
  orderNo: string;
  category: Category;
  attentionReason: AttentionReason | null;
  /** Latest known Atlas state. */
  details: OrderDetails;
  plan: Plan;
  firstSeenAt: string;
  lastSyncedAt: string;
  /** Staff or the desk marked this unpaid order as payment-failed (Scenario A evidence). */
  markedFailed: boolean;
  /** Original order this one was regenerated from, if any. */
  regeneratedFrom: string | null;
  /** Orders this one was regenerated into. */
  regeneratedInto: string[];
  /** Staff member who last acted on it. */
  lastActor: string | null;
  /**
   * Staff confirmed that the card charge Atlas started (`paymentAttempted`) did not take money,
   * and no card payment of this order was sent since (docs/money-safety.md rule 12); else null.
   */
  notChargedCheck: StaffCheck | null;
  /** Team mode: another desk holds this order's chain ("being recovered by Lin Mei"); this desk must not act. */
  claimedBy?: TeamHold | null;
}

/** Who confirmed something for the desk, and when (ISO UTC). */
export interface StaffCheck {
  at: string;
  by: string | null;
}

/** Team mode: another desk's hold on an order's regeneration chain. */
export interface TeamHold {
  deskId: string;
  staff: string;
  /** `claim`: a live lease; `open_step`: a pay/regenerate whose outcome that desk has not settled yet. */
  kind: 'claim' | 'open_step';
  since: string;
}

export type EventKind =
  | 'seen' // first seen by sync or added by staff
  | 'status_changed' // sync saw a new orderStatus / errorCode
  | 'webhook_hint'
  | 'marked_failed' // staff said payment failed
  | 'intent' // staff asked for a recovery
  | 'step_started' // journaled before sending
  | 'step_succeeded'
  | 'step_failed'
  | 'step_unknown'
  | 'reconciled'
  | 'regenerated' // link original → new
  | 'ticketed'
  | 'cancelled'
  | 'job_cancelled'
  | 'approved' // staff approved the amount a job stopped at (price changed, or the approval aged out)
  | 'card_not_charged' // staff confirmed the card charge Atlas started did not take money
  | 'note';

export interface TimelineEvent {
  id: number;
  orderNo: string;
  at: string;
  kind: EventKind;
  /** Staff name (Settings / DESK_STAFF), or null for the desk's own events. */
  actor: string | null;
  /** The OS login the desk ran under when the event was written (null in events older than that). */
  osAccount: string | null;
  /** Redacted, human-oriented details (codes, methods, new order numbers). Never card data. */
  data: Record<string, unknown>;
  /** Team mode: the staff name of the other desk this event happened at (absent for this desk's own). */
  desk?: string;
}

export type JobState =
  | 'queued'
  | 'running'
  | 'waiting_network'
  | 'needs_card' // card details were lost (restart or vault expiry): ask again
  | 'needs_approval' // the amount due is above what staff approved, or the approval aged out
  | 'reconciling'
  | 'tracking' // pay accepted, polling ticketing
  | 'done'
  | 'blocked' // planner said no; reason given
  | 'attention'
  | 'failed'
  | 'cancelled';

export const SETTLED_JOB_STATES: readonly JobState[] = ['done', 'blocked', 'attention', 'failed', 'cancelled'];

export type JobOutcome = 'ticketed' | 'paid_pending_ticket' | 'cancelled_again' | 'not_recovered' | null;

/** What a job may charge, per source, in the currency of that source (docs/money-safety.md rule 9). */
export interface ApprovedAmounts {
  /** Deposit: the whole amount; card: Atlas's fee taken from the deposit (null when none). */
  dueFromDeposit: Money | null;
  /** Card jobs: what the airline charges the card, in the vendor currency. */
  dueFromCard: Money | null;
}

/** What staff saw and approved for a job, when, by whom, and until when it holds. */
export interface Approval extends ApprovedAmounts {
  at: string;
  by: string;
  expiresAt: string;
}

/** The amounts of the order about to be paid when a job stopped for a new approval. */
export interface Quote extends ApprovedAmounts {
  orderNo: string;
  at: string;
}

export interface Job {
  id: string;
  orderNo: string;
  /** The order the job is paying now (differs after regeneration). */
  currentOrderNo: string;
  method: PaymentMethod;
  /** Card jobs show only this mask (first 6 / last 4 at most). */
  cardMask: string | null;
  state: JobState;
  outcome: JobOutcome;
  /** Why it is blocked, failed, waiting or needs attention (shared/reasons.ts); the UI has words for each. */
  reason: JobReason | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  actor: string;
  /** What staff approved; null only for a job written before approvals existed (it stops for one). */
  approval: Approval | null;
  /** Set while the job waits in `needs_approval`: what Atlas asks now. */
  quote: Quote | null;
}

export interface SyncStatus {
  running: boolean;
  lastSyncAt: string | null;
  /** Progress of the running sync. */
  done: number;
  total: number;
  error: string | null;
}

/**
 * What keeps the desk from reading or writing its own database, as SQLite reported it while the
 * desk ran (classified in electron/store/storage-errors.ts). Each has words and a next step for staff.
 */
export const STORAGE_PROBLEMS = ['disk_full', 'read_only', 'corrupt', 'io_error', 'busy'] as const;
export type StorageProblem = (typeof STORAGE_PROBLEMS)[number];

export interface StorageStatus {
  /** The last problem met, until a check (storage:check) finds the database writable again. */
  problem: StorageProblem | null;
  /** When it was first met (ISO UTC). */
  since: string | null;
}
