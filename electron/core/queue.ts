// The durable retry queue (docs/conventions.md "Durable work"; modelled on Signal's JobQueue):
// staff intents become job rows; a scheduler runs as many as the adaptive limit allows
// (./adaptive-limit.ts: it grows while Atlas answers, halves on 429s, 5xx and timeouts, capped by
// settings), never two of one order's regeneration chain at once; network loss pauses everything
// and a jittered prober resumes it; start() reconciles steps left in flight by a crash BEFORE
// anything else runs. Timing lives here (in memory); what is safe to do lives in
// ./recovery-steps.ts. Only the process holding the database file's queue lease (./queue-lease.ts)
// runs jobs; another one may enqueue and read, follows the holder's writes, and takes over when the
// holder is gone.
import { randomUUID } from 'node:crypto';
import type { AtlasApi } from '../atlas/api.ts';
import { failureOf } from '../atlas/api.ts';
import type { CardDetails, OrderDetails, PaymentMethod } from '../../shared/atlas.ts';
import { CARD, DEPOSIT } from '../../shared/atlas.ts';
import { approvalExpiresAt, approvalProblem } from '../../shared/approval.ts';
import { maskPan } from '../../shared/card.ts';
import type { Approval, ApprovedAmounts, Job, JobState } from '../../shared/desk.ts';
import { CONCURRENCY_BOUNDS, type QueueLeaseStatus, type QueuePace } from '../../shared/ipc.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import type { Plan, PlanContext } from '../../shared/plan.ts';
import { planRecovery } from '../../shared/planner.ts';
import type { DatabaseSync } from '../store/db.ts';
import { EventsRepo } from '../store/events-repo.ts';
import { JobsRepo, UnreadableJournal } from '../store/jobs-repo.ts';
import { LinksRepo } from '../store/links-repo.ts';
import { AdaptiveLimit } from './adaptive-limit.ts';
import { fullJitterMs, realSleep, type Sleep } from './backoff.ts';
import { AtlasClock } from './atlas-clock.ts';
import { CardVault } from './card-vault.ts';
import type { ChainClaims } from './chain-claims.ts';
import { ChargeChecks } from './charge-check.ts';
import type { Clock, OnlineSignal } from './contract.ts';
import { LeaseLost, QueueLease, type LeaseOptions } from './queue-lease.ts';
import { DepositReservations } from './deposit-reservations.ts';
import type { ListFacts } from './list-facts.ts';
import { RecoveryRunner, type Advance } from './recovery-steps.ts';
import { report, type Trace, type TracePoint } from './trace.ts';

export interface QueueDeps {
  db: DatabaseSync;
  atlas: AtlasApi;
  clock: Clock;
  online?: OnlineSignal;
  /**
   * The most jobs at once (settings' max concurrency), read on every scheduling pass so a change
   * applies at once; the adaptive limit moves below it. Default 16.
   */
  maxConcurrency?: () => number;
  /** The adaptive limit, when the desk shares one with its other Atlas calls; one is made when absent. `atlas` must not be wrapped by it yet. */
  pace?: AdaptiveLimit;
  /** Injectable so tests run the back-off schedules fast. */
  sleep?: Sleep;
  /** For the prober's full jitter. */
  random?: () => number;
  vault?: CardVault;
  /** Atlas's clock as its answers show it; one is made when absent. `atlas` must not be wrapped by it yet. */
  atlasClock?: AtlasClock;
  plan?: (order: OrderDetails, ctx: PlanContext) => Plan;
  onOrder?: (order: OrderDetails, readStartedAt: number) => void;
  knownListFacts?: (orderNo: string) => ListFacts | null;
  maxReadAttempts?: number;
  /** How far above an approval a job may pay, in percent; read before every check. Default 0. */
  priceTolerancePercent?: () => number;
  /** Prober back-off bounds (ms). */
  probeBaseMs?: number;
  probeCapMs?: number;
  log?: (line: string) => void;
  /** Hears every error the queue catches and carries on from, so a failing database reaches staff (storage-health.ts). */
  noteError?: (error: unknown) => void;
  /** Team mode: claims on order chains (electron/core/chain-claims.ts); absent for a desk on its own. */
  claims?: ChainClaims;
  /** Lease timing and clocks; tests shorten them. */
  lease?: LeaseOptions;
  /**
   * How often (ms, default 1000) the queue renews its lease when due, tries to take it while
   * another process holds it, and picks up jobs and changes other processes wrote to the file.
   */
  tickMs?: number;
  /** Progress points of the work (./trace.ts); nothing is reported without it. */
  trace?: Trace;
}

export type QueueErrorCode =
  | 'not_found'
  | 'not_cancellable'
  | 'not_a_card_job'
  | 'already_has_card'
  | 'queue_held_elsewhere'
  | 'already_queued' // a card for an order whose unsettled job it would not reach
  | 'not_replaceable' // that job has sent something, or is running
  | 'not_waiting_approval'
  | 'approval_missing'
  | 'approval_currency';

export type { QueueLeaseStatus, QueuePace };

export class QueueError extends Error {
  readonly code: QueueErrorCode;
  /** The job the refusal is about (e.g. the one already queued for the order). */
  readonly job: Job | null;
  constructor(code: QueueErrorCode, message: string, job: Job | null = null) {
    super(message);
    this.name = 'QueueError';
    this.code = code;
    this.job = job;
  }
}

/** A staff intent for one order: what they approved, and until when the chain can be regenerated. */
export interface Intent {
  orderNo: string;
  approved: ApprovedAmounts;
  /** End of the regeneration window of the order's chain (ISO), when known: the approval never outlives it. */
  windowEnd?: string | null;
}

/**
 * States staff may cancel (or replace with a card): nothing of the job is on the wire or waiting
 * for reconciliation.
 */
const CANCELLABLE: readonly JobState[] = ['queued', 'needs_card', 'waiting_network', 'needs_approval'];
/** Parked for staff: not run until they act (a card, an approval). */
const WAITING_FOR_STAFF: readonly JobState[] = ['needs_card', 'needs_approval'];

const methodWord = (job: Job) => (job.method === CARD ? `card ${job.cardMask ?? ''}`.trim() : 'deposit');

export class RetryQueue {
  readonly jobs: JobsRepo;
  readonly vault: CardVault;
  readonly atlasClock: AtlasClock;
  /** How many jobs may run now; learns from every Atlas call the queue makes. */
  readonly pace: AdaptiveLimit;
  readonly #atlas: AtlasApi;
  readonly #events: EventsRepo;
  readonly #links: LinksRepo;
  readonly #runner: RecoveryRunner;
  readonly #d: QueueDeps;
  readonly #sleep: Sleep;
  readonly #listeners = new Set<(jobs: Job[]) => void>();
  readonly #ready: string[] = [];
  readonly #running = new Map<string, Promise<void>>();
  readonly #timers = new Map<string, AbortController>();
  #wire = 0;
  /** Untouched jobs started so far, and that count when each regenerated job was first seen waiting. */
  #freshStarts = 0;
  readonly #regeneratedSince = new Map<string, number>();
  #started = false;
  /** True while start() reconciles crash leftovers: nothing else may run (rule 5). */
  #gated = false;
  #stopping = false;
  #offline = false;
  #probing: Promise<void> | null = null;
  #probeWake: AbortController | null = null;
  #unsubscribeOnline: (() => void) | null = null;
  #unsubscribePace: (() => void) | null = null;
  #idleWaiters: (() => void)[] = [];
  readonly #lease: QueueLease;
  /** True while this process holds the lease: only then does anything run. */
  #holder = false;
  #takingOver: Promise<void> | null = null;
  #ticker: ReturnType<typeof setInterval> | null = null;
  #renewedAt = 0;
  /** PRAGMA data_version: changes when another connection commits to the file. */
  #dataVersion = 0;
  readonly #leaseListeners = new Set<(status: QueueLeaseStatus) => void>();
  #lastStatus = '';

  constructor(deps: QueueDeps) {
    this.#d = deps;
    this.#sleep = deps.sleep ?? realSleep;
    this.jobs = new JobsRepo(deps.db);
    this.#events = new EventsRepo(deps.db, deps.clock);
    this.vault = deps.vault ?? new CardVault(deps.clock);
    this.#links = new LinksRepo(deps.db);
    this.#lease = new QueueLease(deps.db, deps.lease);
    this.atlasClock = deps.atlasClock ?? new AtlasClock(deps.clock);
    this.pace = deps.pace ?? new AdaptiveLimit({ max: () => deps.maxConcurrency?.() ?? CONCURRENCY_BOUNDS.default });
    this.#atlas = this.pace.wrap(this.atlasClock.wrap(deps.atlas));
    const checks = new ChargeChecks(this.#events, this.jobs);
    this.#runner = new RecoveryRunner({
      atlas: this.#atlas,
      atlasClock: this.atlasClock,
      jobs: this.jobs,
      events: this.#events,
      links: this.#links,
      vault: this.vault,
      deposits: new DepositReservations(),
      clock: deps.clock,
      plan: deps.plan ?? planRecovery,
      tolerancePercent: () => deps.priceTolerancePercent?.() ?? 0,
      notChargedCheck: (orderNo) => checks.check(orderNo),
      wire: { begin: () => void this.#wire++, end: () => void this.#wire-- },
      whileHeld: (write) => this.#lease.whileHeld(write),
      ...(deps.trace ? { trace: deps.trace } : {}),
      ...(deps.onOrder ? { onOrder: deps.onOrder } : {}),
      ...(deps.knownListFacts ? { knownListFacts: deps.knownListFacts } : {}),
      ...(deps.maxReadAttempts !== undefined ? { maxReadAttempts: deps.maxReadAttempts } : {}),
      ...(deps.claims ? { claims: deps.claims } : {}),
    });
  }

  #now(): string {
    return new Date(this.#d.clock.now()).toISOString();
  }

  // ---- staff intents ----

  /**
   * What staff approved, stamped now, by `actor`, holding until approvalExpiresAt
   * (shared/approval.ts). Its hour counts from Atlas's clock at its earliest, as the runner judges
   * it on Atlas's clock at its latest: a desk clock that ran fast when staff approved and was then
   * corrected (or is set back afterwards) cannot stretch it. The desk's clock only while Atlas's is
   * unknown (no answer yet in this process).
   */
  #approval(approved: ApprovedAmounts, actor: string, windowEnd: string | null | undefined): Approval {
    const now = this.#d.clock.now();
    const from = this.atlasClock.now()?.earliest ?? now;
    const end = windowEnd ? Date.parse(windowEnd) : Number.NaN;
    return {
      dueFromDeposit: approved.dueFromDeposit,
      dueFromCard: approved.dueFromCard,
      at: new Date(now).toISOString(),
      by: actor,
      expiresAt: new Date(approvalExpiresAt(from, Number.isFinite(end) ? end : null)).toISOString(),
    };
  }

  /** "Recover these orders with deposit". An order with an unsettled job is merged, not doubled. */
  enqueueDeposit(intents: readonly Intent[], actor: string): { jobs: Job[]; merged: string[] } {
    const jobs: Job[] = [];
    const merged: string[] = [];
    const seen = new Set<string>();
    for (const intent of intents) {
      if (seen.has(intent.orderNo)) continue;
      seen.add(intent.orderNo);
      const { job, created } = this.#create(intent.orderNo, DEPOSIT, null, actor, this.#approval(intent.approved, actor, intent.windowEnd));
      jobs.push(job);
      if (!created) merged.push(intent.orderNo);
    }
    this.#changed();
    return { jobs, merged };
  }

  /**
   * "Recover this order with this card". The card goes to the in-memory vault only. An order that
   * already has an unsettled job is refused (`already_queued`, naming that job) unless it is a card
   * job waiting for a card, which takes this one, or `replaceJobId` names it and it has sent
   * nothing yet: then it is cancelled and this card job takes its place, in one transaction.
   */
  enqueueCard(intent: Intent, card: CardDetails, actor: string, replaceJobId?: string): Job {
    // Card details never leave this process's memory (rule 6), so only the runner may take them.
    this.#assertNotHeldElsewhere();
    const orderNo = intent.orderNo;
    const existing = this.#unsettledOnChain(orderNo);
    if (existing && existing.id !== replaceJobId) {
      if (existing.method === CARD && existing.state === 'needs_card') return this.provideCard(existing.id, card);
      throw new QueueError(
        'already_queued',
        `${orderNo} already has job ${existing.id} (${methodWord(existing)}, ${existing.state}); replace its method explicitly or cancel it`,
        existing,
      );
    }
    if (existing) this.#assertReplaceable(existing);
    const approval = this.#approval(intent.approved, actor, intent.windowEnd);
    // The card goes into the vault before the job is made ready: a started queue runs it at once.
    const { job } = this.#create(orderNo, CARD, maskPan(card.cardNumber), actor, approval, (id) => this.vault.put(id, card), existing ?? undefined);
    this.#changed();
    return job;
  }

  /** The unsettled job on `orderNo` or on any order of its regeneration chain, if any. */
  #unsettledOnChain(orderNo: string): Job | null {
    for (const n of [orderNo, ...this.#chainOf(orderNo)]) {
      const job = this.jobs.unsettledFor(n);
      if (job) return job;
    }
    return null;
  }

  #assertReplaceable(job: Job): void {
    if (!CANCELLABLE.includes(job.state) || this.#running.has(job.id) || this.#phaseOf(job.id) !== 'prepay') {
      throw new QueueError('not_replaceable', `job ${job.id} is ${job.state} and may have sent something; it cannot be replaced`, job);
    }
  }

  /**
   * Staff approve the amounts a `needs_approval` job stopped at, as they saw them: each source in
   * the currency the job was quoted in (a lower amount is their approval; the job stops again).
   */
  approve(jobId: string, approved: ApprovedAmounts, actor: string, windowEnd?: string | null): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new QueueError('not_found', `no job ${jobId}`);
    if (job.state !== 'needs_approval' || !job.quote) throw new QueueError('not_waiting_approval', `job ${jobId} is ${job.state}`, job);
    const problem = approvalProblem(job.quote, approved);
    if (problem) throw new QueueError(problem, `the approval for job ${jobId} does not match what it waits for (${problem})`, job);
    const quote = job.quote;
    const approval = this.#approval(approved, actor, windowEnd);
    const updated = this.jobs.atomically(() => {
      this.#events.append(
        quote.orderNo,
        'approved',
        actor,
        { jobId, approved: { dueFromDeposit: approval.dueFromDeposit, dueFromCard: approval.dueFromCard }, expiresAt: approval.expiresAt },
        approval.at,
      );
      return this.jobs.update(jobId, { state: 'queued', reason: null, attempts: 0, approval, quote: null }, approval.at);
    });
    this.#makeReady(jobId);
    this.#changed();
    return updated;
  }

  #create(
    orderNo: string,
    method: PaymentMethod,
    cardMask: string | null,
    actor: string,
    approval: Approval,
    beforeReady?: (jobId: string) => void,
    replaces?: Job,
  ): { job: Job; created: boolean } {
    const now = this.#now();
    const id = randomUUID();
    // The job and the intent on the order's timeline are one record (docs/money-safety.md rule 10);
    // so is the job it replaces, cancelled.
    const result = this.jobs.atomically(() => {
      if (replaces) {
        this.#events.append(replaces.orderNo, 'job_cancelled', actor, { jobId: replaces.id, replacedBy: id }, now);
        this.jobs.update(replaces.id, { state: 'cancelled', reason: 'replaced_by_card', nextRunAt: null }, now);
      }
      const made = this.jobs.createOrMerge({ id, orderNo, method, cardMask, actor, state: 'queued', now, approval }, this.#chainOf(orderNo));
      if (made.created) {
        const approved = { dueFromDeposit: approval.dueFromDeposit, dueFromCard: approval.dueFromCard };
        this.#events.append(orderNo, 'intent', actor, { jobId: made.job.id, paymentMethod: method, card: cardMask, approved }, now);
      }
      return made;
    });
    if (replaces) this.#forget(replaces.id);
    if (result.created) {
      beforeReady?.(result.job.id);
      this.#makeReady(result.job.id);
    }
    return result;
  }

  /** Drops a job that will not run again from memory: its card, its timer, its place in line. */
  #forget(jobId: string): void {
    this.vault.wipe(jobId);
    this.#timers.get(jobId)?.abort();
    this.#timers.delete(jobId);
    this.#unready(jobId);
  }

  /**
   * Every other order of `orderNo`'s regeneration chain (ancestors and all their descendants).
   * A job follows links to the newest order, so two jobs on one chain would pay the same order.
   */
  #chainOf(orderNo: string): string[] {
    const chain = this.#links.chain(orderNo);
    chain.delete(orderNo);
    return [...chain];
  }

  cancel(jobId: string, actor: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new QueueError('not_found', `no job ${jobId}`);
    // Whether a job is on the wire is known only to the process that runs it.
    this.#assertNotHeldElsewhere();
    const phase = this.#phaseOf(jobId);
    if (!CANCELLABLE.includes(job.state) || this.#running.has(jobId) || phase !== 'prepay') {
      throw new QueueError('not_cancellable', `job ${jobId} is ${job.state}`);
    }
    this.#forget(jobId);
    const updated = this.jobs.atomically(() => {
      this.#events.append(job.orderNo, 'job_cancelled', actor, { jobId }, this.#now());
      return this.jobs.update(jobId, { state: 'cancelled', reason: 'cancelled_by_staff', nextRunAt: null }, this.#now());
    });
    this.#changed();
    return updated;
  }

  /** Card details again for a `needs_card` job (after a restart or vault expiry); resumes it. */
  provideCard(jobId: string, card: CardDetails): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new QueueError('not_found', `no job ${jobId}`);
    if (job.method !== CARD) throw new QueueError('not_a_card_job', `job ${jobId} pays by deposit`);
    if (job.state !== 'needs_card') throw new QueueError('already_has_card', `job ${jobId} is ${job.state}`);
    this.#assertNotHeldElsewhere();
    this.vault.put(jobId, card);
    const updated = this.jobs.update(jobId, { state: 'queued', reason: null, attempts: 0 }, this.#now());
    this.#makeReady(jobId);
    this.#changed();
    return updated;
  }

  list(): Job[] {
    return this.jobs.list();
  }

  /**
   * A fresh read of `order` (by anyone) that shows whether a payment happened settles the steps
   * that jobs in attention left unknown on it; a job that turns out paid tracks again.
   */
  settleFromRead(order: OrderDetails): void {
    let settled: { touched: string[]; resume: string[] };
    try {
      settled = this.#runner.settleFromRead(order);
    } catch (error) {
      if (error instanceof UnreadableJournal) return; // that job is parked for staff already
      if (error instanceof LeaseLost) return; // only the holder writes jobs; its own reads settle them
      throw error;
    }
    if (settled.touched.length === 0) return;
    for (const id of settled.resume) this.#makeReady(id);
    this.#changed();
  }

  onChange(listener: (jobs: Job[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** True while a pay.do or regenerateOrder.do is on the wire (the shell warns before quitting). */
  paymentInFlight(): boolean {
    return this.#wire > 0;
  }

  isPaused(): boolean {
    return this.#offline;
  }

  paceStatus(): QueuePace {
    return { limit: this.pace.current(), max: this.pace.max() };
  }

  leaseStatus(): QueueLeaseStatus {
    const other = this.#holder ? null : this.#lease.heldElsewhere();
    return {
      runsHere: this.#holder,
      elsewhere: other ? { pid: other.pid, host: other.host, since: other.acquiredAt } : null,
    };
  }

  onLeaseChange(listener: (status: QueueLeaseStatus) => void): () => void {
    this.#leaseListeners.add(listener);
    return () => this.#leaseListeners.delete(listener);
  }

  #assertNotHeldElsewhere(): void {
    const other = this.#holder ? null : this.#lease.heldElsewhere();
    if (other) {
      throw new QueueError('queue_held_elsewhere', `another desk process (pid ${other.pid} on ${other.host}) is working this queue`);
    }
  }

  // ---- lifecycle ----

  /**
   * Takes the queue lease when it is free (docs/money-safety.md rule 10); while another process
   * holds it, the queue only follows the file and takes over when that process is gone. The holder
   * starts with crash recovery (rule 5): steps left in_flight become unknown and their jobs are
   * reconciled by query before any other job may run. Resolves once that is done, or at once when
   * another process holds the lease.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#stopping = false;
    this.#dataVersion = this.#readDataVersion();
    // A grown limit is room for another job now, not only when a running job ends.
    this.#unsubscribePace = this.pace.onChange(() => this.#pump());
    this.#ticker = setInterval(() => this.#tick(), this.#d.tickMs ?? 1000);
    this.#ticker.unref?.();
    if (this.#lease.tryTake()) await this.#beginHolding();
    else this.#leaseChanged();
  }

  /** The lease is ours: reconcile crash leftovers (rule 5), then run everything. */
  #beginHolding(): Promise<void> {
    this.#takingOver ??= this.#takeOver().finally(() => {
      this.#takingOver = null;
    });
    return this.#takingOver;
  }

  async #takeOver(): Promise<void> {
    this.#holder = true;
    this.#gated = true;
    this.#offline = false;
    this.#renewedAt = performance.now();
    this.#trace('lease_taken');
    this.#leaseChanged();
    // Work from an earlier holding period may still be on the wire: let it answer first.
    await Promise.all([...this.#running.values()]);
    if (!this.#holder || this.#stopping) {
      this.#gated = false;
      return;
    }
    this.#ready.length = 0;
    this.#regeneratedSince.clear();
    const now = this.#now();
    this.jobs.inFlightToUnknown(now);
    const toReconcile: string[] = [];
    for (const job of this.jobs.listUnsettled()) {
      const phase = this.#phaseOf(job.id);
      if (phase === null) continue; // its journal is unreadable: parked for staff
      if (phase === 'reconcile') toReconcile.push(job.id);
      else if (phase === 'prepay' && job.method === CARD && !this.vault.has(job.id)) {
        // The card never survives a restart (rule 6): ask staff again.
        if (job.state !== 'needs_card') this.jobs.update(job.id, { state: 'needs_card', reason: 'card_missing' }, now);
      } else if (!WAITING_FOR_STAFF.includes(job.state)) {
        if (job.state === 'running') this.jobs.update(job.id, { state: 'queued' }, now);
        this.#ready.push(job.id);
      }
    }
    this.#changed();
    // Reconcile in bounded parallel, and wait for it: nothing else runs meanwhile.
    const workers = Array.from({ length: Math.min(this.#concurrency(), toReconcile.length) }, async () => {
      for (let id = toReconcile.shift(); id !== undefined; id = toReconcile.shift()) await this.#runOne(id);
    });
    await Promise.all(workers);
    this.#gated = false;
    if (!this.#holder) return;
    this.#trace('leftovers_reconciled');
    this.#unsubscribeOnline ??= this.#d.online?.onChange((online) => {
      if (online) this.#probeWake?.abort();
    }) ?? null;
    this.#pump();
  }

  /** The lease went to another process (ours expired while frozen) or was found gone: stop at once. */
  #loseLease(): void {
    if (!this.#holder) return;
    this.#holder = false;
    this.#d.log?.('queue: another desk process took over this database\'s queue; this one stops running jobs');
    this.#trace('lease_lost');
    for (const c of this.#timers.values()) c.abort();
    this.#timers.clear();
    this.#ready.length = 0;
    this.#regeneratedSince.clear();
    this.#probeWake?.abort();
    this.#leaseChanged();
    this.#checkIdle();
  }

  /** Renew when due; otherwise look for the lease; follow other processes' writes. */
  #tick(): void {
    if (!this.#started || this.#stopping) return;
    try {
      if (this.#holder) {
        if (performance.now() - this.#renewedAt >= this.#lease.timing.renewMs) {
          if (this.#lease.renew()) this.#renewedAt = performance.now();
          else this.#loseLease();
        }
      } else if (!this.#takingOver && this.#lease.tryTake()) {
        void this.#beginHolding().catch((error: unknown) => {
          this.#d.log?.(`queue: take-over failed: ${(error as Error).message}`);
          this.#d.noteError?.(error);
        });
      }
      const version = this.#readDataVersion();
      if (version !== this.#dataVersion) {
        this.#dataVersion = version;
        this.#adopt();
        this.#changed();
      }
      this.#leaseChanged();
    } catch (error) {
      // A busy or closing database: the next tick tries again. A holder that cannot renew loses
      // the lease by expiry, and its journal writes check the lease themselves.
      this.#d.log?.(`queue: lease tick failed: ${(error as Error).message}`);
      this.#d.noteError?.(error);
    }
  }

  /** Jobs another process enqueued in the file: the holder runs them too. */
  #adopt(): void {
    if (!this.#holder || this.#gated) return;
    for (const job of this.jobs.listUnsettled()) {
      if (job.state !== 'queued' || this.#ready.includes(job.id) || this.#running.has(job.id) || this.#timers.has(job.id)) continue;
      this.#ready.push(job.id);
    }
    this.#pump();
  }

  #readDataVersion(): number {
    return Number((this.#d.db.prepare('PRAGMA data_version').get() as { data_version: number }).data_version);
  }

  #leaseChanged(): void {
    if (this.#leaseListeners.size === 0) return;
    const status = this.leaseStatus();
    const key = JSON.stringify(status);
    if (key === this.#lastStatus) return;
    this.#lastStatus = key;
    for (const listener of this.#leaseListeners) {
      try {
        listener(status);
      } catch (error) {
        this.#d.log?.(`queue: lease listener failed: ${(error as Error).message}`);
      }
    }
  }

  #trace(point: TracePoint): void {
    report(this.#d.trace, { point });
  }

  /** Stops taking new steps and waits (bounded) for the ones on the wire. */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#stopping = true;
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = null;
    this.#unsubscribeOnline?.();
    this.#unsubscribeOnline = null;
    this.#unsubscribePace?.();
    this.#unsubscribePace = null;
    for (const c of this.#timers.values()) c.abort();
    this.#timers.clear();
    this.#probeWake?.abort();
    const all = Promise.all([...this.#running.values(), this.#probing ?? Promise.resolve()]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.timeoutMs ?? 10_000);
    });
    await Promise.race([all, timeout]);
    clearTimeout(timer);
    this.vault.wipeAll();
    // A step still on the wire keeps the lease until it expires or this process is gone: a
    // successor would otherwise reconcile it while its answer may still come.
    if (this.#holder && this.#running.size === 0) {
      try {
        this.#lease.release();
      } catch (error) {
        this.#d.log?.(`queue: could not release the lease: ${(error as Error).message}`);
        this.#d.noteError?.(error);
      }
    }
    this.#holder = false;
    this.#started = false;
    this.#leaseChanged();
  }

  /** Resolves when nothing is running, ready, scheduled or probing (tests and the CLI). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    return this.#running.size === 0 && this.#ready.length === 0 && this.#timers.size === 0 && this.#probing === null;
  }

  // ---- scheduling ----

  /** Read on every pass: the adaptive limit moves, and a settings change applies at once. */
  #concurrency(): number {
    return this.pace.current();
  }

  #makeReady(jobId: string): void {
    // Not the holder: the holder picks the job up from the file (#adopt), or we do at take-over.
    if (!this.#holder) return;
    if (!this.#ready.includes(jobId) && !this.#running.has(jobId)) this.#ready.push(jobId);
    this.#pump();
  }

  #unready(jobId: string): void {
    const i = this.#ready.indexOf(jobId);
    if (i >= 0) this.#ready.splice(i, 1);
  }

  #pump(): void {
    if (!this.#started || this.#gated || this.#stopping || !this.#holder) return this.#checkIdle();
    const limit = this.#concurrency();
    while (!this.#offline && this.#running.size < limit && this.#ready.length > 0) {
      const id = this.#pick();
      if (!id) break;
      void this.#runOne(id);
    }
    this.#checkIdle();
  }

  /**
   * Which ready job runs next. Never two jobs on one regeneration chain at once: a job follows its
   * chain to the newest order while it runs, so two jobs of one chain (enqueued apart, then linked
   * by a regeneration another desk made) could otherwise both reach, and pay, the same order.
   * Among the others, in order:
   * 1. a reconciliation (docs/money-safety.md rule 5);
   * 2. an order this desk regenerated and has not paid yet, once as many of them wait as the limit
   *    allows jobs at once, or once as many untouched jobs as the limit started while it waited: a
   *    bulk never leaves more regenerated orders unpaid than one round of work, nor one unpaid
   *    longer than a round (Atlas holds a new order as little as 5 minutes, docs/atlas-api.md §3.3;
   *    a lapsed one would be regenerated again);
   * 3. a job still on the order staff named: the most work left goes first (longest-processing-
   *    time-first list scheduling), so the jobs of a bulk end together instead of a last small
   *    wave running alone while the other slots idle;
   * 4. a regenerated order to pay;
   * 5. a ticketing poll: a short read that only reports what Atlas does anyway.
   * Ties go to the job that became ready first.
   */
  #pick(): string | undefined {
    const busy = new Set<string>();
    for (const id of this.#running.keys()) {
      const orderNo = this.jobs.get(id)?.currentOrderNo;
      if (orderNo !== undefined) for (const n of this.#links.chain(orderNo)) busy.add(n);
    }
    const first: Partial<Record<'fresh' | 'regenerated' | 'tracking', number>> = {};
    let regeneratedWaiting = 0;
    for (let i = 0; i < this.#ready.length; i++) {
      const job = this.jobs.get(this.#ready[i] as string);
      if (!job || SETTLED_JOB_STATES.includes(job.state) || WAITING_FOR_STAFF.includes(job.state)) {
        this.#regeneratedSince.delete(this.#ready[i] as string);
        this.#ready.splice(i--, 1);
        continue;
      }
      if (busy.has(job.currentOrderNo)) continue;
      if (job.state === 'reconciling') return this.#ready.splice(i, 1)[0];
      const kind = job.state === 'tracking' ? 'tracking' : job.currentOrderNo !== job.orderNo ? 'regenerated' : 'fresh';
      if (kind === 'regenerated') {
        regeneratedWaiting++;
        if (!this.#regeneratedSince.has(job.id)) this.#regeneratedSince.set(job.id, this.#freshStarts);
      }
      first[kind] ??= i;
    }
    const limit = this.#concurrency();
    const since = first.regenerated === undefined ? undefined : this.#regeneratedSince.get(this.#ready[first.regenerated] as string);
    const waitedARound = since !== undefined && this.#freshStarts - since >= limit;
    const regeneratedFirst = regeneratedWaiting >= limit || waitedARound;
    const best = (regeneratedFirst ? first.regenerated : undefined) ?? first.fresh ?? first.regenerated ?? first.tracking;
    if (best === undefined) return undefined;
    if (best === first.fresh) this.#freshStarts++;
    const picked = this.#ready.splice(best, 1)[0] as string;
    this.#regeneratedSince.delete(picked);
    return picked;
  }

  #runOne(jobId: string): Promise<void> {
    const run = (async () => {
      let outcome: Advance;
      try {
        report(this.#d.trace, { point: 'advance', jobId });
        outcome = await this.#runner.advance(jobId);
      } catch (error) {
        outcome = error instanceof LeaseLost ? this.#leaseLostDuring(jobId) : this.#internalError(jobId, error);
      }
      report(this.#d.trace, { point: 'advanced', jobId });
      this.#running.delete(jobId);
      this.#after(jobId, outcome);
      this.#changed();
      this.#pump();
    })();
    this.#running.set(jobId, run);
    return run;
  }

  /** The job's phase from its journal, or null when the journal cannot be read (the job is parked). */
  #phaseOf(jobId: string): ReturnType<typeof RecoveryRunner.phase> | null {
    try {
      return RecoveryRunner.phase(this.jobs.steps(jobId));
    } catch (error) {
      if (error instanceof UnreadableJournal) {
        this.#d.log?.(`queue: ${error.message}`);
        return null;
      }
      throw error;
    }
  }

  /**
   * The journal write found the lease gone: nothing was written or sent. The job stays as it is in
   * the file for the holder (its `running` state becomes `queued` at that process's take-over).
   */
  #leaseLostDuring(jobId: string): Advance {
    this.#d.log?.(`queue: job ${jobId} not continued: this process no longer holds the queue lease`);
    this.#loseLease();
    return { next: 'parked' };
  }

  /** A bug or a store error: never leave money ambiguous silently. */
  #internalError(jobId: string, error: unknown): Advance {
    this.#d.log?.(`queue: job ${jobId} crashed: ${(error as Error)?.message ?? String(error)}`);
    this.#d.noteError?.(error);
    // An unreadable journal has already parked its job in attention.
    if (error instanceof UnreadableJournal) return { next: 'parked' };
    try {
      const phase = RecoveryRunner.phase(this.jobs.steps(jobId));
      const state: JobState = phase === 'prepay' ? 'failed' : 'attention';
      this.jobs.update(jobId, { state, reason: phase === 'prepay' ? 'internal_error' : 'outcome_unknown' }, this.#now());
      this.vault.wipe(jobId);
    } catch (storeError) {
      // The store itself is failing; the next start() reconciles from whatever was committed.
      this.#d.log?.(`queue: could not park job ${jobId}: ${(storeError as Error)?.message ?? String(storeError)}`);
      this.#d.noteError?.(storeError);
    }
    return { next: 'parked' };
  }

  #after(jobId: string, outcome: Advance): void {
    if (this.#stopping || !this.#holder) return;
    switch (outcome.next) {
      case 'again':
        // #pick decides what runs next; among its equals, the job ready first.
        this.#ready.push(jobId);
        return;
      case 'later': {
        const controller = new AbortController();
        this.#timers.set(jobId, controller);
        void this.#sleep(outcome.delayMs, controller.signal).then(() => {
          if (this.#timers.get(jobId) !== controller) return;
          this.#timers.delete(jobId);
          if (!this.#stopping) this.#makeReady(jobId);
        });
        return;
      }
      case 'offline':
        this.#goOffline(jobId);
        return;
      case 'parked':
        return;
    }
  }

  // ---- offline: pause, probe with full-jitter back-off, resume by itself ----

  #goOffline(jobId: string): void {
    this.#offline = true;
    if (this.#probing) return;
    const probeOrder = this.jobs.get(jobId)?.currentOrderNo ?? '';
    this.#probing = (async () => {
      for (let attempt = 0; !this.#stopping && this.#holder; attempt++) {
        this.#probeWake = new AbortController();
        const delay = fullJitterMs(attempt, {
          baseMs: this.#d.probeBaseMs ?? 1000,
          capMs: this.#d.probeCapMs ?? 60_000,
          ...(this.#d.random ? { random: this.#d.random } : {}),
        });
        await this.#sleep(delay, this.#probeWake.signal);
        if (this.#stopping || !this.#holder) break;
        if (await this.#probe(probeOrder)) break;
      }
      this.#probing = null;
      this.#probeWake = null;
      if (!this.#stopping && this.#holder) this.#resume();
      else this.#checkIdle();
    })();
  }

  /** A cheap read; any answer from Atlas (even "order not found") proves the network is back. */
  async #probe(orderNo: string): Promise<boolean> {
    // Team mode: a job paused for the team database resumes only when it answers too.
    if (this.#d.claims && !(await this.#d.claims.reachable())) return false;
    try {
      await this.#atlas.queryOrder(orderNo);
      return true;
    } catch (error) {
      const kind = failureOf(error)?.kind ?? 'network';
      return kind !== 'network' && kind !== 'timeout';
    }
  }

  #resume(): void {
    this.#offline = false;
    const now = this.#now();
    for (const job of this.jobs.listUnsettled()) {
      if (job.state !== 'waiting_network') continue;
      this.jobs.update(job.id, { state: 'queued', reason: null }, now);
      if (!this.#ready.includes(job.id)) this.#ready.unshift(job.id);
    }
    this.#changed();
    this.#pump();
  }

  #changed(): void {
    if (this.#listeners.size === 0) return;
    const jobs = this.jobs.list();
    for (const listener of this.#listeners) {
      try {
        listener(jobs);
      } catch (error) {
        this.#d.log?.(`queue: change listener failed: ${(error as Error).message}`);
      }
    }
  }

  #checkIdle(): void {
    if (!this.#isIdle() || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters.splice(0);
    for (const w of waiters) w();
  }
}
