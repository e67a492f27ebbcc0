// Durable retry jobs and the write-ahead journal of their mutating calls
// (docs/money-safety.md rules 5 and 10; docs/conventions.md "Durable work"). A step row is written
// (state in_flight) BEFORE pay.do / regenerateOrder.do is sent, so after a crash the desk knows
// which calls may have reached Atlas. Nothing card-related is stored here except the first6/last4
// mask on the job.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { z } from 'zod';
import type { PaymentMethod } from '../../shared/atlas.ts';
import type { Approval, Job, JobOutcome, JobState, Quote } from '../../shared/desk.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import { jobReasonOf, type JobReason } from '../../shared/reasons.ts';
import { redact } from './redact.ts';
import { transaction } from './db.ts';

export type StepKind = 'pay' | 'regenerate';
/** in_flight: journaled, maybe sent. unknown: may have taken effect. reconciled: settled by query. */
export type StepState = 'in_flight' | 'succeeded' | 'failed' | 'unknown' | 'reconciled';

export interface StepRecord {
  id: number;
  jobId: string;
  orderNo: string;
  kind: StepKind;
  state: StepState;
  request: Record<string, unknown>;
  result: Record<string, unknown> | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface NewJob {
  id: string;
  orderNo: string;
  method: PaymentMethod;
  cardMask: string | null;
  actor: string;
  state: JobState;
  now: string;
  /** What staff approved with the intent (docs/money-safety.md rule 9). */
  approval: Approval;
}

/** Separate retry budgets of one job (a kind of failure never uses up another's retries). */
export interface JobBudgets {
  /** Non-network read failures. */
  readFailures: number;
  /** Re-plans after pay.do 401, regenerate 314, or an order that changed right before a call. */
  replans: number;
  /** Waits asked for by Atlas's rate limiter. */
  rateLimitWaits: number;
  /** Ticketing polls since the payment was accepted. */
  polls: number;
}

export const NO_BUDGET_USED: JobBudgets = { readFailures: 0, replans: 0, rateLimitWaits: 0, polls: 0 };

export interface JobPatch {
  state?: JobState;
  outcome?: JobOutcome;
  reason?: JobReason | null;
  /** The total of retries shown to staff; decisions use the budgets. */
  attempts?: number;
  currentOrderNo?: string;
  nextRunAt?: string | null;
  budgets?: Partial<JobBudgets>;
  /** A new approval replaces the old one whole (amounts, time, who, expiry). */
  approval?: Approval;
  quote?: Quote | null;
}

interface JobRow {
  rowid: number;
  id: string;
  order_no: string;
  current_order_no: string;
  method: number;
  card_mask: string | null;
  state: string;
  outcome: string | null;
  reason: string | null;
  attempts: number;
  next_run_at: string | null;
  actor: string;
  created_at: string;
  updated_at: string;
  read_failures: number;
  replans: number;
  rate_limit_waits: number;
  polls: number;
  approved_json: string | null;
  approved_at: string | null;
  approved_by: string | null;
  approval_expires_at: string | null;
  quote_json: string | null;
}

interface StepRow {
  id: number;
  job_id: string;
  order_no: string;
  kind: string;
  state: string;
  request_json: string;
  result_json: string | null;
  started_at: string;
  finished_at: string | null;
}

const SETTLED_SQL = SETTLED_JOB_STATES.map((s) => `'${s}'`).join(', ');

/** Why a job was parked without running: its row or its journal could not be read back. */
export const RECORD_UNREADABLE = 'record_unreadable' as const satisfies JobReason;

// Rows are parsed when read back (docs/money-safety.md rule 10): a row written by a newer build, a
// bug or a hand edit must never be guessed at and re-run.
const jobStates = z.enum([
  'queued', 'running', 'waiting_network', 'needs_card', 'needs_approval', 'reconciling', 'tracking',
  'done', 'blocked', 'attention', 'failed', 'cancelled',
] as const satisfies readonly JobState[]);
const jobOutcomes = z.enum(['ticketed', 'paid_pending_ticket', 'cancelled_again', 'not_recovered'] as const);
const text = z.string().min(1);

const money = z.object({ amount: z.number().finite(), currency: text });
const amounts = z.object({ dueFromDeposit: money.nullable(), dueFromCard: money.nullable() });
/** A JSON column holding `schema`, or SQL NULL. */
const jsonOf = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .nullable()
    .transform((raw, ctx): z.output<S> | null => {
      if (raw === null) return null;
      try {
        const parsed = schema.safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'unreadable JSON column' });
      return z.NEVER;
    });

const jobRowSchema = z.object({
  id: text,
  order_no: text,
  current_order_no: text,
  method: z.union([z.literal(1), z.literal(3)]),
  card_mask: z.string().nullable(),
  state: jobStates,
  outcome: jobOutcomes.nullable(),
  // A reason this build has no words for was written by a newer build or by hand: the row is parked.
  reason: z.custom<JobReason>((value) => jobReasonOf(value) !== null).nullable(),
  attempts: z.number().int().min(0),
  actor: z.string(),
  created_at: text,
  updated_at: text,
  approved_json: jsonOf(amounts),
  approved_at: z.string().nullable(),
  approved_by: z.string().nullable(),
  approval_expires_at: z.string().nullable(),
  quote_json: jsonOf(amounts.extend({ orderNo: text, at: text })),
});

const jsonObject = z.string().transform((raw, ctx) => {
  try {
    const value: unknown = JSON.parse(raw);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'not a JSON object' });
  return z.NEVER;
});

const stepRowSchema = z.object({
  id: z.number().int(),
  job_id: text,
  order_no: text,
  kind: z.enum(['pay', 'regenerate']),
  state: z.enum(['in_flight', 'succeeded', 'failed', 'unknown', 'reconciled']),
  request_json: jsonObject,
  result_json: jsonObject.nullable(),
  started_at: text,
  finished_at: z.string().nullable(),
});

/** A journal this build cannot read: its job was parked in attention; nothing may act on it. */
export class UnreadableJournal extends Error {
  readonly jobId: string;
  constructor(jobId: string) {
    super(`jobs: the journal of job ${jobId} cannot be read back; the job was parked for staff`);
    this.name = 'UnreadableJournal';
    this.jobId = jobId;
  }
}

function approvalOf(row: z.output<typeof jobRowSchema>): Approval | null {
  const amounts = row.approved_json;
  // All four are written together; anything less is no approval (the runner then asks for one).
  if (!amounts || !row.approved_at || row.approved_by === null || !row.approval_expires_at) return null;
  return { ...amounts, at: row.approved_at, by: row.approved_by, expiresAt: row.approval_expires_at };
}

function toJob(row: z.output<typeof jobRowSchema>): Job {
  return {
    id: row.id,
    orderNo: row.order_no,
    currentOrderNo: row.current_order_no,
    method: row.method,
    cardMask: row.card_mask,
    state: row.state,
    outcome: row.outcome,
    reason: row.reason,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    actor: row.actor,
    approval: approvalOf(row),
    quote: row.quote_json,
  };
}

/** What staff see of a row that does not parse: parked in attention, its raw values shown as text. */
function unreadableJob(row: JobRow): Job {
  const asText = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return {
    id: asText(row.id),
    orderNo: asText(row.order_no),
    currentOrderNo: asText(row.current_order_no) || asText(row.order_no),
    method: row.method === 3 ? 3 : 1,
    cardMask: null,
    state: 'attention',
    outcome: null,
    reason: RECORD_UNREADABLE,
    attempts: typeof row.attempts === 'number' ? row.attempts : 0,
    createdAt: asText(row.created_at),
    updatedAt: asText(row.updated_at),
    actor: asText(row.actor),
    approval: null,
    quote: null,
  };
}

function toStep(row: z.output<typeof stepRowSchema>): StepRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    orderNo: row.order_no,
    kind: row.kind,
    state: row.state,
    request: row.request_json,
    result: row.result_json,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function pickAmounts(a: { dueFromDeposit: unknown; dueFromCard: unknown }) {
  return { dueFromDeposit: a.dueFromDeposit, dueFromCard: a.dueFromCard };
}

const amountsJson = (a: Approval) => JSON.stringify(pickAmounts(a));

/** JSON that has passed the redactor: card keys dropped, PAN-like digit runs masked. */
function safeJson(value: unknown): string {
  return JSON.stringify(redact(value) ?? {});
}

export class JobsRepo {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #get: StatementSync;
  readonly #unsettledFor: StatementSync;
  readonly #listAll: StatementSync;
  readonly #listUnsettled: StatementSync;
  readonly #insertStep: StatementSync;
  readonly #finishStep: StatementSync;
  readonly #stepsFor: StatementSync;
  readonly #inFlight: StatementSync;
  readonly #park: StatementSync;
  readonly #lastCardPay: StatementSync;
  readonly #budgets: StatementSync;
  readonly #refusedExpired: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insert = db.prepare(`INSERT INTO jobs (id, order_no, current_order_no, method, card_mask, state,
      outcome, reason, attempts, next_run_at, actor, created_at, updated_at,
      approved_json, approved_at, approved_by, approval_expires_at)
      VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 0, NULL, ?, ?, ?, ?, ?, ?, ?)`);
    this.#get = db.prepare('SELECT rowid, * FROM jobs WHERE id = ?');
    // An order is "taken" by an unsettled job that was asked for it or is paying it now.
    this.#unsettledFor = db.prepare(`SELECT rowid, * FROM jobs WHERE state NOT IN (${SETTLED_SQL})
      AND (order_no = ? OR current_order_no = ?) ORDER BY created_at LIMIT 1`);
    this.#listAll = db.prepare('SELECT rowid, * FROM jobs ORDER BY created_at, id');
    this.#listUnsettled = db.prepare(`SELECT rowid, * FROM jobs WHERE state NOT IN (${SETTLED_SQL}) ORDER BY created_at, id`);
    this.#insertStep = db.prepare(`INSERT INTO steps (job_id, order_no, kind, state, request_json, started_at)
      VALUES (?, ?, ?, 'in_flight', ?, ?)`);
    this.#finishStep = db.prepare('UPDATE steps SET state = ?, result_json = ?, finished_at = ? WHERE id = ?');
    this.#stepsFor = db.prepare('SELECT * FROM steps WHERE job_id = ? ORDER BY id');
    this.#inFlight = db.prepare(`SELECT * FROM steps WHERE state = 'in_flight' ORDER BY id`);
    this.#lastCardPay = db.prepare(`SELECT MAX(started_at) AS at FROM steps WHERE order_no = ? AND kind = 'pay'
      AND json_extract(request_json, '$.paymentMethod') = 3`);
    this.#park = db.prepare(`UPDATE jobs SET state = 'attention', reason = '${RECORD_UNREADABLE}' WHERE rowid = ?
      AND NOT (state = 'attention' AND reason IS '${RECORD_UNREADABLE}')`);
    this.#budgets = db.prepare('SELECT read_failures, replans, rate_limit_waits, polls FROM jobs WHERE id = ?');
    this.#refusedExpired = db.prepare(`SELECT 1 AS x FROM steps WHERE order_no = ? AND kind = 'pay' AND state = 'failed'
      AND json_valid(result_json) AND json_extract(result_json, '$.code') = 401 LIMIT 1`);
  }

  /**
   * Runs `fn` in one transaction: a job transition (its row, its journal step, its timeline event,
   * a regeneration link) is committed whole or not at all, so a crash can never leave a decision
   * without its record (docs/money-safety.md rule 10). `fn` must be synchronous.
   */
  atomically<T>(fn: () => T): T {
    return transaction(this.#db, fn);
  }

  /** A parsed job, or — for a row that does not parse — the row parked in attention, never re-run. */
  #read(row: JobRow): Job {
    const parsed = jobRowSchema.safeParse(row);
    if (parsed.success) return toJob(parsed.data);
    this.#park.run(row.rowid);
    return unreadableJob(row);
  }

  #rows(statement: StatementSync, ...params: string[]): Job[] {
    return (statement.all(...params) as unknown as JobRow[]).map((row) => this.#read(row));
  }

  /**
   * Creates the job unless the order already has an unsettled one, which is returned instead
   * (a second intent for the same order merges; it never doubles a payment). `related` are the
   * other orders of its regeneration chain: a job on any of them is the same recovery, because
   * every job pays the chain's newest order.
   */
  createOrMerge(job: NewJob, related: readonly string[] = []): { job: Job; created: boolean } {
    return transaction(this.#db, () => {
      for (const orderNo of [job.orderNo, ...related]) {
        const existing = this.unsettledFor(orderNo);
        if (existing) return { job: existing, created: false };
      }
      const a = job.approval;
      this.#insert.run(job.id, job.orderNo, job.orderNo, job.method, job.cardMask, job.state, job.actor, job.now, job.now,
        amountsJson(a), a.at, a.by, a.expiresAt);
      return { job: this.mustGet(job.id), created: true };
    });
  }

  unsettledFor(orderNo: string): Job | null {
    const row = this.#unsettledFor.get(orderNo, orderNo) as JobRow | undefined;
    return row ? this.#read(row) : null;
  }

  get(id: string): Job | null {
    const row = this.#get.get(id) as JobRow | undefined;
    return row ? this.#read(row) : null;
  }

  mustGet(id: string): Job {
    const job = this.get(id);
    if (!job) throw new Error(`jobs: no job ${id}`);
    return job;
  }

  list(): Job[] {
    return this.#rows(this.#listAll);
  }

  /** Jobs still to run; one whose row does not parse is parked on the way and left out. */
  listUnsettled(): Job[] {
    return this.#rows(this.#listUnsettled).filter((job) => job.reason !== RECORD_UNREADABLE);
  }

  /** Settled jobs on `orderNo` that ended in attention with `reason`: what staff acknowledge. */
  attentionFor(orderNo: string, reason: JobReason): Job[] {
    const statement = this.#db.prepare(
      "SELECT rowid, * FROM jobs WHERE current_order_no = ? AND state = 'attention' AND reason = ? ORDER BY created_at, id",
    );
    return this.#rows(statement, orderNo, reason);
  }

  update(id: string, patch: JobPatch, now: string): Job {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    const { approval, quote, budgets, ...plain } = patch;
    const column: Record<keyof typeof plain, string> = {
      state: 'state',
      outcome: 'outcome',
      reason: 'reason',
      attempts: 'attempts',
      currentOrderNo: 'current_order_no',
      nextRunAt: 'next_run_at',
    };
    const budgetColumn: Record<keyof JobBudgets, string> = {
      readFailures: 'read_failures',
      replans: 'replans',
      rateLimitWaits: 'rate_limit_waits',
      polls: 'polls',
    };
    for (const key of Object.keys(plain) as (keyof typeof plain)[]) {
      const value = plain[key];
      if (value === undefined) continue;
      sets.push(`${column[key]} = ?`);
      values.push(value);
    }
    for (const [key, value] of Object.entries(budgets ?? {}) as [keyof JobBudgets, number | undefined][]) {
      if (value === undefined) continue;
      sets.push(`${budgetColumn[key]} = ?`);
      values.push(value);
    }
    if (approval) {
      sets.push('approved_json = ?', 'approved_at = ?', 'approved_by = ?', 'approval_expires_at = ?');
      values.push(amountsJson(approval), approval.at, approval.by, approval.expiresAt);
    }
    if (quote !== undefined) {
      sets.push('quote_json = ?');
      values.push(quote === null ? null : JSON.stringify({ ...pickAmounts(quote), orderNo: quote.orderNo, at: quote.at }));
    }
    sets.push('updated_at = ?');
    values.push(now, id);
    this.#db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...values);
    return this.mustGet(id);
  }

  /** The job's retry budgets used so far. */
  budgets(id: string): JobBudgets {
    const row = this.#budgets.get(id) as Pick<JobRow, 'read_failures' | 'replans' | 'rate_limit_waits' | 'polls'> | undefined;
    if (!row) return { ...NO_BUDGET_USED };
    return { readFailures: row.read_failures, replans: row.replans, rateLimitWaits: row.rate_limit_waits, polls: row.polls };
  }

  /** Atlas answered pay.do 401 (past the payment deadline) for `orderNo`, on any job: its own word that it expired. */
  payRefusedAsExpired(orderNo: string): boolean {
    return this.#refusedExpired.get(orderNo) !== undefined;
  }

  /** Write-ahead record of a mutating call, committed before the call is sent. Returns the step id. */
  beginStep(jobId: string, orderNo: string, kind: StepKind, request: unknown, now: string): number {
    return Number(this.#insertStep.run(jobId, orderNo, kind, safeJson(request), now).lastInsertRowid);
  }

  finishStep(stepId: number, state: Exclude<StepState, 'in_flight'>, result: unknown, now: string): void {
    this.#finishStep.run(state, safeJson(result), now, stepId);
  }

  /**
   * The job's journal, oldest first. A step that does not parse parks the job in attention and
   * throws UnreadableJournal: nobody may derive "what was sent" from a record they cannot read.
   */
  steps(jobId: string): StepRecord[] {
    const steps: StepRecord[] = [];
    for (const row of this.#stepsFor.all(jobId) as unknown as StepRow[]) {
      const parsed = stepRowSchema.safeParse(row);
      if (!parsed.success) {
        this.#db.prepare('UPDATE jobs SET state = ?, reason = ? WHERE id = ?').run('attention', RECORD_UNREADABLE, jobId);
        throw new UnreadableJournal(jobId);
      }
      steps.push(toStep(parsed.data));
    }
    return steps;
  }

  /** When this desk last journaled a card pay.do for `orderNo` (any job), or null. */
  lastCardPayAt(orderNo: string): string | null {
    return (this.#lastCardPay.get(orderNo) as { at: string | null }).at;
  }

  /**
   * Crash recovery: every step still in_flight may or may not have reached Atlas, so it becomes
   * unknown and its job must be reconciled by query. Returns the affected job ids.
   */
  inFlightToUnknown(now: string): string[] {
    return transaction(this.#db, () => {
      const rows = this.#inFlight.all() as unknown as StepRow[];
      const jobIds = new Set<string>();
      for (const row of rows) {
        this.#finishStep.run('unknown', JSON.stringify({ reason: 'interrupted' }), now, row.id);
        jobIds.add(row.job_id);
      }
      for (const id of jobIds) this.update(id, { state: 'reconciling', reason: 'outcome_unknown' }, now);
      return [...jobIds];
    });
  }
}
