// Durable retry jobs and the write-ahead journal of their mutating calls (DESIGN.md §2.5, §4.5).
// A step row is written (state in_flight) BEFORE pay.do / regenerateOrder.do is sent, so after a
// crash the desk knows which calls may have reached Atlas. Nothing card-related is stored here
// except the first6/last4 mask on the job.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { PaymentMethod } from '../../shared/atlas.ts';
import type { Job, JobOutcome, JobState } from '../../shared/desk.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
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
}

export interface JobPatch {
  state?: JobState;
  outcome?: JobOutcome;
  reason?: string | null;
  attempts?: number;
  currentOrderNo?: string;
  nextRunAt?: string | null;
}

interface JobRow {
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

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    orderNo: row.order_no,
    currentOrderNo: row.current_order_no,
    method: row.method as PaymentMethod,
    cardMask: row.card_mask,
    state: row.state as JobState,
    outcome: (row.outcome as JobOutcome) ?? null,
    reason: row.reason,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    actor: row.actor,
  };
}

function toStep(row: StepRow): StepRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    orderNo: row.order_no,
    kind: row.kind as StepKind,
    state: row.state as StepState,
    request: JSON.parse(row.request_json) as Record<string, unknown>,
    result: row.result_json ? (JSON.parse(row.result_json) as Record<string, unknown>) : null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

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

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insert = db.prepare(`INSERT INTO jobs (id, order_no, current_order_no, method, card_mask, state,
      outcome, reason, attempts, next_run_at, actor, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 0, NULL, ?, ?, ?)`);
    this.#get = db.prepare('SELECT * FROM jobs WHERE id = ?');
    // An order is "taken" by an unsettled job that was asked for it or is paying it now.
    this.#unsettledFor = db.prepare(`SELECT * FROM jobs WHERE state NOT IN (${SETTLED_SQL})
      AND (order_no = ? OR current_order_no = ?) ORDER BY created_at LIMIT 1`);
    this.#listAll = db.prepare('SELECT * FROM jobs ORDER BY created_at, id');
    this.#listUnsettled = db.prepare(`SELECT * FROM jobs WHERE state NOT IN (${SETTLED_SQL}) ORDER BY created_at, id`);
    this.#insertStep = db.prepare(`INSERT INTO steps (job_id, order_no, kind, state, request_json, started_at)
      VALUES (?, ?, ?, 'in_flight', ?, ?)`);
    this.#finishStep = db.prepare('UPDATE steps SET state = ?, result_json = ?, finished_at = ? WHERE id = ?');
    this.#stepsFor = db.prepare('SELECT * FROM steps WHERE job_id = ? ORDER BY id');
    this.#inFlight = db.prepare(`SELECT * FROM steps WHERE state = 'in_flight' ORDER BY id`);
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
      this.#insert.run(job.id, job.orderNo, job.orderNo, job.method, job.cardMask, job.state, job.actor, job.now, job.now);
      return { job: this.mustGet(job.id), created: true };
    });
  }

  unsettledFor(orderNo: string): Job | null {
    const row = this.#unsettledFor.get(orderNo, orderNo) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  get(id: string): Job | null {
    const row = this.#get.get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  mustGet(id: string): Job {
    const job = this.get(id);
    if (!job) throw new Error(`jobs: no job ${id}`);
    return job;
  }

  list(): Job[] {
    return (this.#listAll.all() as unknown as JobRow[]).map(toJob);
  }

  listUnsettled(): Job[] {
    return (this.#listUnsettled.all() as unknown as JobRow[]).map(toJob);
  }

  /** Settled jobs on `orderNo` that ended in attention with `reason`: what staff acknowledge. */
  attentionFor(orderNo: string, reason: string): Job[] {
    const rows = this.#db
      .prepare("SELECT * FROM jobs WHERE current_order_no = ? AND state = 'attention' AND reason = ? ORDER BY created_at, id")
      .all(orderNo, reason) as unknown as JobRow[];
    return rows.map(toJob);
  }

  update(id: string, patch: JobPatch, now: string): Job {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    const column: Record<keyof JobPatch, string> = {
      state: 'state',
      outcome: 'outcome',
      reason: 'reason',
      attempts: 'attempts',
      currentOrderNo: 'current_order_no',
      nextRunAt: 'next_run_at',
    };
    for (const key of Object.keys(patch) as (keyof JobPatch)[]) {
      const value = patch[key];
      if (value === undefined) continue;
      sets.push(`${column[key]} = ?`);
      values.push(value);
    }
    sets.push('updated_at = ?');
    values.push(now, id);
    this.#db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...values);
    return this.mustGet(id);
  }

  /** Write-ahead record of a mutating call, committed before the call is sent. Returns the step id. */
  beginStep(jobId: string, orderNo: string, kind: StepKind, request: unknown, now: string): number {
    return Number(this.#insertStep.run(jobId, orderNo, kind, safeJson(request), now).lastInsertRowid);
  }

  finishStep(stepId: number, state: Exclude<StepState, 'in_flight'>, result: unknown, now: string): void {
    this.#finishStep.run(state, safeJson(result), now, stepId);
  }

  steps(jobId: string): StepRecord[] {
    return (this.#stepsFor.all(jobId) as unknown as StepRow[]).map(toStep);
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
