// One advance of one recovery job: reconcile an unknown step, poll ticketing, or re-read → re-plan →
// funds check (deposit balance / card paymentLimit) → one mutating call. The queue (./queue.ts)
// decides WHEN to call advance(); this file decides WHAT is safe to do, following DESIGN.md §2:
// - rule 1: every pay/regenerate is preceded by a fresh queryOrderDetails and a new plan;
// - rule 2: an ambiguous answer makes the step `unknown`, settled only by query, never by re-sending;
// - rule 5: a step row is committed (in_flight) before the call leaves the process;
// - rule 10: every transition (job row, journal step, timeline event, regeneration link) is one
//   transaction (`#commit`), so a crash never separates a decision from its record.
// A job's phase is derived from its journal, not trusted from `jobs.state`: once a pay step of the
// job succeeded or was reconciled as paid, the job can only track; it can never pay again; once a
// reconciliation found nothing to continue from, the job can only stop for staff.
import type { AtlasApi } from '../atlas/api.ts';
import { AtlasError } from '../atlas/api.ts';
import type { AtlasFailure, CardDetails, OrderDetails, OrderSummary, PayRequest } from '../../shared/atlas.ts';
import { CARD, DEPOSIT } from '../../shared/atlas.ts';
import type { Job, JobOutcome, JobState } from '../../shared/desk.ts';
import type { MethodOffer, Plan, PlanContext } from '../../shared/plan.ts';
import { compareAmounts, compareMoney } from '../../shared/money.ts';
import { instant, REGENERATION_WINDOW_MS } from '../../shared/planner.ts';
import type { JobPatch, JobsRepo, StepRecord } from '../store/jobs-repo.ts';
import type { EventsRepo } from '../store/events-repo.ts';
import type { LinksRepo } from '../store/links-repo.ts';
import type { CardVault } from './card-vault.ts';
import { CLAIMED_BY_OTHER_DESK, OTHER_DESK_OUTCOME_UNKNOWN, TEAM_OFFLINE, TeamUnavailable, type ChainClaims, type ClaimAnswer } from './chain-claims.ts';
import type { Clock } from './contract.ts';
import { readRetryDelayMs, trackingDelayMs } from './backoff.ts';
import { report, type Trace, type TracePoint } from './trace.ts';

/** What the queue should do with the job after one advance. */
export type Advance =
  | { next: 'again' } // run again now (e.g. a new order exists: re-read it)
  | { next: 'later'; delayMs: number } // poll / bounded retry / rate limit
  | { next: 'offline' } // network down: job is waiting_network, pause the queue
  | { next: 'parked' }; // settled, or waiting for staff (needs_card)

export interface RecoveryDeps {
  atlas: AtlasApi;
  jobs: JobsRepo;
  events: EventsRepo;
  links: LinksRepo;
  vault: CardVault;
  clock: Clock;
  plan: (order: OrderDetails, ctx: PlanContext) => Plan;
  /** Every fresh read of an order, so the composition root can upsert it (and recompute its category). */
  onOrder?: (order: OrderDetails) => void;
  /** Counts calls on the wire for paymentInFlight(). */
  wire: { begin(): void; end(): void };
  /** Non-network read failures tolerated per job before it fails (default 5). */
  maxReadAttempts?: number;
  /** Team mode: the chain's claim, taken before and proven right before every pay/regenerate. */
  claims?: ChainClaims;
  /**
   * Runs a journal write only while this process holds the queue lease, in one transaction with
   * the check; throws (LeaseLost) otherwise, before anything is written or sent (docs/money-safety.md rule 10).
   */
  whileHeld: <T>(write: () => T) => T;
  trace?: Trace;
}

/** Atlas may show a new order in orderList a little before/after our clock says we asked. */
const TWIN_WINDOW_MS = 10 * 60 * 1000;
/** Follow at most this many original → new links (a cycle would be a bug). */
const MAX_CHAIN = 8;

class ReadFailed extends Error {
  readonly failure: AtlasFailure;
  constructor(failure: AtlasFailure) {
    super(failure.kind);
    this.failure = failure;
  }
}

function failureOf(error: unknown): AtlasFailure | null {
  return error instanceof AtlasError ? error.failure : null;
}

export class RecoveryRunner {
  readonly #d: RecoveryDeps;

  constructor(deps: RecoveryDeps) {
    this.#d = deps;
  }

  #now(): string {
    return new Date(this.#d.clock.now()).toISOString();
  }

  #trace(point: TracePoint, job: Job, orderNo: string): void {
    report(this.#d.trace, { point, jobId: job.id, orderNo });
  }

  #set(job: Job, patch: JobPatch): Job {
    return this.#d.jobs.update(job.id, patch, this.#now());
  }

  /**
   * One job transition: the records `writes` makes (journal step, timeline events, a link) and the
   * job's new state commit together, or — if this process dies or a write fails — none of them.
   */
  #commit(job: Job, patch: JobPatch, writes: () => void): Job {
    return this.#d.jobs.atomically(() => {
      writes();
      return this.#set(job, patch);
    });
  }

  #event(orderNo: string, kind: Parameters<EventsRepo['append']>[1], job: Job, data: Record<string, unknown> = {}): void {
    this.#d.events.append(orderNo, kind, job.actor, { jobId: job.id, ...data }, this.#now());
  }

  #settle(job: Job, state: JobState, reason: string | null, outcome: JobOutcome = null, writes: () => void = () => {}): Advance {
    this.#commit(job, { state, reason, outcome, nextRunAt: null }, writes);
    // A settled job never pays again: drop any card it still holds.
    this.#d.vault.wipe(job.id);
    return { next: 'parked' };
  }

  /**
   * Journals a mutating call (in_flight) with its timeline event, committed before it is sent, in
   * one transaction with the proof that this process still holds the queue lease (throws LeaseLost
   * otherwise, before anything is written).
   */
  #journal(job: Job, orderNo: string, kind: 'pay' | 'regenerate', request: Record<string, unknown>, event: Record<string, unknown>): number {
    this.#trace(`${kind}_ready`, job, orderNo);
    const stepId = this.#d.whileHeld(() => {
      const id = this.#d.jobs.beginStep(job.id, orderNo, kind, request, this.#now());
      this.#event(orderNo, 'step_started', job, { step: kind, ...event });
      return id;
    });
    this.#trace(`${kind}_journaled`, job, orderNo);
    return stepId;
  }

  /**
   * The job's phase, from its own journal:
   * - reconcile: a call may have reached Atlas and is not settled yet;
   * - track: a payment of this job was accepted — it can never pay again;
   * - stopped: a reconciliation found no payment and no new order to continue with — staff decide;
   * - prepay: nothing of this job has moved money yet.
   */
  static phase(steps: StepRecord[]): 'reconcile' | 'track' | 'stopped' | 'prepay' {
    if (steps.some((s) => s.state === 'unknown' || s.state === 'in_flight')) return 'reconcile';
    if (steps.some((s) => s.kind === 'pay' && (s.state === 'succeeded' || (s.state === 'reconciled' && s.result?.paid === true)))) {
      return 'track';
    }
    const deadEnd = (s: StepRecord) =>
      s.state === 'reconciled' && (s.kind === 'pay' ? s.result?.paid !== true : typeof s.result?.newOrderNo !== 'string');
    if (steps.some(deadEnd)) return 'stopped';
    return 'prepay';
  }

  async advance(jobId: string): Promise<Advance> {
    let job = this.#d.jobs.mustGet(jobId);
    const phase = RecoveryRunner.phase(this.#d.jobs.steps(job.id));
    // The record says a reconciliation already stopped this job: whatever its row says, never resume.
    if (phase === 'stopped') return this.#settle(job, 'attention', 'outcome_unknown', 'not_recovered');
    job = this.#set(job, { state: phase === 'track' ? 'tracking' : phase === 'reconcile' ? 'reconciling' : 'running' });
    try {
      if (phase === 'reconcile') return await this.#reconcile(job);
      if (phase === 'track') return await this.#track(job);
      return await this.#prepay(job);
    } catch (error) {
      if (!(error instanceof ReadFailed)) throw error;
      return this.#readFailed(this.#d.jobs.mustGet(job.id), error.failure, phase);
    }
  }

  async #read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      throw new ReadFailed(failure);
    }
  }

  async #query(orderNo: string): Promise<OrderDetails> {
    const order = await this.#read(() => this.#d.atlas.queryOrder(orderNo));
    this.#d.onOrder?.(order);
    return order;
  }

  /** One place for read failures: offline pauses the queue; others retry a bounded number of times. */
  #readFailed(job: Job, failure: AtlasFailure, phase: 'reconcile' | 'track' | 'prepay'): Advance {
    if (failure.kind === 'network' || failure.kind === 'timeout') {
      this.#set(job, { state: 'waiting_network', reason: 'offline' });
      return { next: 'offline' };
    }
    const state: JobState = phase === 'track' ? 'tracking' : phase === 'reconcile' ? 'reconciling' : 'queued';
    if (failure.kind === 'rate_limited') {
      this.#set(job, { state, reason: 'rate_limited' });
      return { next: 'later', delayMs: Math.max(1, failure.retryAfter ?? 5) * 1000 };
    }
    const reason = `read_${failure.kind}${failure.code !== undefined ? `_${failure.code}` : ''}`;
    if (phase === 'track') return this.#trackingMiss(job);
    const attempts = job.attempts + 1;
    if (failure.kind === 'unauthorized' || attempts >= (this.#d.maxReadAttempts ?? 5)) {
      // Money may have moved on an unreconciled step: a human decides, it is not a plain failure.
      return phase === 'reconcile' ? this.#settle(job, 'attention', 'outcome_unknown') : this.#settle(job, 'failed', reason);
    }
    this.#set(job, { state, reason, attempts });
    return { next: 'later', delayMs: readRetryDelayMs(attempts - 1) };
  }

  /**
   * Failures of a pay/regenerate call after which Atlas provably did nothing (the request never
   * left, the limiter or the credential check turned it away): the step failed, and the job waits
   * for the network, waits out the rate limit, or stops. Other failures return null.
   */
  #refusedBeforeActing(job: Job, stepId: number, orderNo: string, step: 'pay' | 'regenerate', failure: AtlasFailure): Advance | null {
    const now = this.#now();
    const result = { kind: failure.kind, code: failure.code ?? null };
    switch (failure.kind) {
      case 'network':
        this.#commit(job, { state: 'waiting_network', reason: 'offline' }, () =>
          this.#d.jobs.finishStep(stepId, 'failed', { ...result, notSent: true }, now),
        );
        return { next: 'offline' };
      case 'rate_limited':
        this.#commit(job, { state: 'queued', reason: 'rate_limited' }, () => this.#d.jobs.finishStep(stepId, 'failed', result, now));
        return { next: 'later', delayMs: Math.max(1, failure.retryAfter ?? 5) * 1000 };
      case 'unauthorized':
        return this.#settle(job, 'failed', 'unauthorized', 'not_recovered', () => {
          this.#d.jobs.finishStep(stepId, 'failed', result, now);
          this.#event(orderNo, 'step_failed', job, { step, ...result });
        });
      default:
        return null;
    }
  }

  // ---- before payment ----

  async #prepay(start: Job): Promise<Advance> {
    let job = start;
    // Card jobs need the card before ANY mutating step: regenerating an order we cannot pay only
    // creates another order to expire.
    if (job.method === CARD && !this.#d.vault.has(job.id)) {
      this.#set(job, { state: 'needs_card', reason: 'card_missing' });
      return { next: 'parked' };
    }
    const unclaimed = await this.#claim(job, (claims) => claims.acquire(job));
    if (unclaimed) return unclaimed;
    // Follow original → new links: pay the newest order, never the original (rule 3).
    for (let i = 0; i < MAX_CHAIN; i++) {
      const into = this.#d.links.regeneratedInto(job.currentOrderNo);
      const newest = into[into.length - 1];
      if (!newest) break;
      job = this.#set(job, { currentOrderNo: newest });
    }
    const order = await this.#query(job.currentOrderNo);
    const plan = this.#d.plan(order, {
      now: this.#now(),
      regeneratedInto: this.#d.links.regeneratedInto(order.orderNo),
      // The job itself is staff's explicit evidence that this order's payment failed (DESIGN.md §1).
      paymentFailureKnown: true,
      unreconciled: false,
      allowedMethods: [job.method],
    });
    switch (plan.action) {
      case 'pay_same_order':
        return this.#pay(job, order, plan);
      case 'regenerate_then_pay': {
        // Check the money BEFORE creating a new order: regenerating for a deposit that is already
        // short, or a card whose limit is below even the current fare, only makes an order nobody
        // pays. The planner's figures are the current order's, an estimate of the re-priced one;
        // #pay checks the new order's real amounts again.
        const offer = plan.methods.find((m) => m.paymentMethod === job.method);
        const short = offer ? await this.#fundsShort(job, order.orderNo, offer, 'regenerate') : null;
        return short ?? this.#regenerate(job, order);
      }
      case 'wait_ticketing':
        // Someone (another desk, ATRIP's web UI) paid it meanwhile: nothing left for us to pay.
        return this.#settle(job, 'done', 'paid_elsewhere', 'paid_pending_ticket');
      case 'no_action': {
        const reason = plan.reasons[0] ?? 'no_action';
        if (reason === 'ticketed') return this.#settle(job, 'done', 'ticketed', 'ticketed');
        if (reason === 'paid_pnr_pending') return this.#settle(job, 'attention', 'paid_pnr_pending');
        return this.#settle(job, 'blocked', reason, 'not_recovered');
      }
      case 'reconcile_first':
        return this.#settle(job, 'attention', 'outcome_unknown');
      case 'blocked': {
        const reason = plan.reasons[0] ?? 'blocked';
        return this.#settle(job, reason === 'duplicate_booking' ? 'attention' : 'blocked', reason, 'not_recovered');
      }
    }
  }

  async #pay(job: Job, order: OrderDetails, plan: Plan): Promise<Advance> {
    const offer = plan.methods.find((m) => m.paymentMethod === job.method);
    if (!offer) return this.#settle(job, 'blocked', 'method_not_supported', 'not_recovered');
    const short = await this.#fundsShort(job, order.orderNo, offer, 'pay');
    if (short) return short;
    let request: PayRequest;
    if (job.method === DEPOSIT) {
      request = { orderNo: order.orderNo, paymentMethod: DEPOSIT };
    } else {
      const card: CardDetails | null = this.#d.vault.get(job.id);
      if (!card) {
        this.#set(job, { state: 'needs_card', reason: 'card_missing' });
        return { next: 'parked' };
      }
      request = { orderNo: order.orderNo, paymentMethod: CARD, creditCard: card };
    }
    const unproven = await this.#claim(job, (claims) => claims.assertHeld(job.id, { kind: 'pay', orderNo: order.orderNo }));
    if (unproven) return unproven;
    // Write-ahead: the journal row is committed before the request leaves (rule 5). Only the mask.
    const journal = { orderNo: order.orderNo, paymentMethod: job.method, card: job.cardMask };
    const stepId = this.#journal(job, order.orderNo, 'pay', journal, { paymentMethod: job.method, card: job.cardMask });
    this.#d.wire.begin();
    let failure: AtlasFailure | null = null;
    try {
      await this.#d.atlas.pay(request);
    } catch (error) {
      failure = failureOf(error) ?? { kind: 'unknown_outcome', endpoint: 'pay', meaning: 'unexpected error' };
    } finally {
      this.#d.wire.end();
    }
    this.#trace('pay_answered', job, order.orderNo);
    // Nothing left this machine: keep the card for the retry. Any other answer: drop it (rule 6).
    if (!failure || (failure.kind !== 'network' && failure.kind !== 'rate_limited')) this.#d.vault.wipe(job.id);
    const now = this.#now();
    if (!failure) {
      this.#commit(job, { state: 'tracking', reason: null, attempts: 0 }, () => {
        this.#d.jobs.finishStep(stepId, 'succeeded', { accepted: true }, now);
        this.#event(order.orderNo, 'step_succeeded', job, { step: 'pay', paymentMethod: job.method });
      });
      return { next: 'later', delayMs: trackingDelayMs(0) ?? 0 };
    }
    const refused = this.#refusedBeforeActing(job, stepId, order.orderNo, 'pay', failure);
    if (refused) return refused;
    const result = { kind: failure.kind, code: failure.code ?? null };
    switch (failure.kind) {
      case 'business': {
        // 402/404: the order is (being) paid by someone, maybe us: settle by query like an unknown.
        if (failure.code === 402 || failure.code === 404) return this.#stepUnknown(job, stepId, order.orderNo, 'pay', result);
        const record = () => {
          this.#d.jobs.finishStep(stepId, 'failed', result, now);
          this.#event(order.orderNo, 'step_failed', job, { step: 'pay', ...result });
        };
        if (failure.code === 401 && job.attempts < 2) {
          // Deadline passed (Atlas's clock is the judge): re-read → regenerate. Bounded, in case
          // our clock disagrees with Atlas's and the planner keeps saying "payable".
          this.#commit(job, { attempts: job.attempts + 1 }, record);
          return { next: 'again' };
        }
        if (failure.code === 403) return this.#settle(job, 'blocked', 'method_not_supported', 'not_recovered', record);
        return this.#settle(job, 'failed', `pay_rejected_${failure.code ?? 'unknown'}`, 'not_recovered', record);
      }
      default:
        return this.#stepUnknown(job, stepId, order.orderNo, 'pay', result);
    }
  }

  /**
   * Can the job's money cover what `offer` says is due? Null when it can (or when nothing says
   * otherwise); else the job is stopped and the amounts go on the order's timeline.
   * - Deposit: the balance in the due currency (the order's settlement currency) must cover it.
   * - Card: a `paymentLimit` (vendor currency) below the amount due by card would be declined by
   *   the airline (623), and Atlas then cancels the order, which burns a regenerated one. Staff
   *   re-enter the card with a higher limit (queue:provideCard); the card is not kept meanwhile.
   * - Either: amounts that cannot be compared exactly (docs/money-safety.md rule 13: another
   *   currency, or finer than the minor unit) stop the job for staff: `amount_not_exact`.
   */
  async #fundsShort(job: Job, orderNo: string, offer: MethodOffer, before: 'regenerate' | 'pay'): Promise<Advance | null> {
    if (job.method === DEPOSIT) {
      const due = offer.dueFromDeposit;
      if (!due) return null;
      const balance = await this.#read(() => this.#d.atlas.balance(due.currency));
      const cmp = compareMoney(balance, due);
      if (cmp !== null && cmp >= 0) return null;
      const reason = cmp === null ? 'amount_not_exact' : 'deposit_below_due';
      return this.#settle(job, 'blocked', reason, 'not_recovered', () =>
        this.#event(orderNo, 'note', job, { reason, before, due, balance }),
      );
    }
    const limit = this.#d.vault.get(job.id)?.paymentLimit;
    const due = offer.dueFromCard;
    if (limit === null || limit === undefined || !due) return null;
    const cmp = compareAmounts(limit, due.amount, due.currency);
    if (cmp !== null && cmp >= 0) return null;
    if (cmp === null) {
      return this.#settle(job, 'blocked', 'amount_not_exact', 'not_recovered', () =>
        this.#event(orderNo, 'note', job, { reason: 'amount_not_exact', before, due, paymentLimit: limit }),
      );
    }
    this.#d.vault.wipe(job.id);
    this.#commit(job, { state: 'needs_card', reason: 'card_limit_below_due' }, () =>
      this.#event(orderNo, 'note', job, { reason: 'card_limit_below_due', before, due, paymentLimit: limit }),
    );
    return { next: 'parked' };
  }

  /**
   * Team mode: null when the chain is this job's (or there is no team), else what the job does
   * instead of acting: wait for the other desk, or pause like offline when the team database
   * cannot prove the claim. Nothing is journaled or sent on that path.
   */
  async #claim(job: Job, ask: (claims: ChainClaims) => Promise<ClaimAnswer>): Promise<Advance | null> {
    if (!this.#d.claims) return null;
    try {
      const answer = await ask(this.#d.claims);
      if (answer.held) return null;
      if (answer.needsStaff) return this.#settle(job, 'attention', OTHER_DESK_OUTCOME_UNKNOWN, 'not_recovered');
      this.#set(job, { state: 'queued', reason: CLAIMED_BY_OTHER_DESK });
      return { next: 'later', delayMs: answer.retryMs };
    } catch (error) {
      if (!(error instanceof TeamUnavailable)) throw error;
      this.#set(job, { state: 'waiting_network', reason: TEAM_OFFLINE });
      return { next: 'offline' };
    }
  }

  /** The call may have taken effect (rule 2): never re-send, settle by query on the next advance. */
  #stepUnknown(job: Job, stepId: number, orderNo: string, step: 'pay' | 'regenerate', result: Record<string, unknown>): Advance {
    this.#commit(job, { state: 'reconciling', reason: 'outcome_unknown' }, () => {
      this.#d.jobs.finishStep(stepId, 'unknown', result, this.#now());
      this.#event(orderNo, 'step_unknown', job, { step, ...result });
    });
    return { next: 'again' };
  }

  async #regenerate(job: Job, original: OrderDetails): Promise<Advance> {
    // Look-alikes booked since the original (same travellers, route and date): another desk or
    // ATRIP's web UI may have regenerated it already, and Atlas refuses a second regeneration (318)
    // only while that twin is live (rule 3). Any look-alike → staff decide, shown the orders.
    // The same list is the "before" snapshot: if the answer is lost, the twin is the look-alike
    // that was not there before (an unrelated booking must never be mistaken for it and paid).
    const asked = this.#d.clock.now();
    const createdFrom = Math.min(instant(original.createdAt) ?? asked - REGENERATION_WINDOW_MS, asked - TWIN_WINDOW_MS);
    const preexisting = (await this.#lookAlikes(original, createdFrom)).map((o) => o.orderNo);
    if (preexisting.length > 0) {
      return this.#settle(job, 'attention', 'duplicate_booking', 'not_recovered', () =>
        this.#event(original.orderNo, 'note', job, { reason: 'look_alikes_found', duplicateOrders: preexisting }),
      );
    }
    const unproven = await this.#claim(job, (claims) => claims.assertHeld(job.id, { kind: 'regenerate', orderNo: original.orderNo }));
    if (unproven) return unproven;
    const journal = { originalOrderNo: original.orderNo, createdFrom, preexisting };
    const stepId = this.#journal(job, original.orderNo, 'regenerate', journal, {});
    this.#d.wire.begin();
    let failure: AtlasFailure | null = null;
    let newOrderNo: string | null = null;
    try {
      newOrderNo = (await this.#d.atlas.regenerate(original.orderNo)).orderNo;
    } catch (error) {
      failure = failureOf(error) ?? { kind: 'unknown_outcome', endpoint: 'regenerateOrder', meaning: 'unexpected error' };
    } finally {
      this.#d.wire.end();
    }
    this.#trace('regenerate_answered', job, original.orderNo);
    const now = this.#now();
    if (newOrderNo) {
      const created = newOrderNo;
      // The link commits with the step: a second regeneration must be impossible.
      this.#commit(job, { currentOrderNo: created, attempts: 0 }, () => {
        this.#d.links.link(original.orderNo, created, now);
        this.#d.jobs.finishStep(stepId, 'succeeded', { newOrderNo: created }, now);
        this.#event(original.orderNo, 'regenerated', job, { newOrderNo: created });
      });
      return { next: 'again' };
    }
    const f = failure as AtlasFailure;
    const refused = this.#refusedBeforeActing(job, stepId, original.orderNo, 'regenerate', f);
    if (refused) return refused;
    const result = { kind: f.kind, code: f.code ?? null };
    switch (f.kind) {
      case 'business': {
        const record = () => {
          this.#d.jobs.finishStep(stepId, 'failed', { ...result, duplicateOrders: f.duplicateOrders ?? [] }, now);
          this.#event(original.orderNo, 'step_failed', job, { step: 'regenerate', ...result, duplicateOrders: f.duplicateOrders ?? [] });
        };
        if (f.code === 318) return this.#settle(job, 'attention', 'duplicate_booking', 'not_recovered', record);
        if (f.code === 314 && job.attempts < 2) {
          // The original is ticketing/ticketed now: re-read and re-plan (bounded).
          this.#commit(job, { attempts: job.attempts + 1 }, record);
          return { next: 'again' };
        }
        return this.#settle(job, 'failed', `regenerate_rejected_${f.code ?? 'unknown'}`, 'not_recovered', record);
      }
      default:
        return this.#stepUnknown(job, stepId, original.orderNo, 'regenerate', result);
    }
  }

  // ---- after an unknown outcome (rule 2): by query only ----

  async #reconcile(job: Job): Promise<Advance> {
    const steps = this.#d.jobs.steps(job.id);
    const step = steps.filter((s) => s.state === 'unknown' || s.state === 'in_flight').pop();
    if (!step) return { next: 'again' };
    const now = () => this.#now();
    if (step.kind === 'pay') {
      const order = await this.#query(step.orderNo);
      this.#trace('reconcile_read', job, step.orderNo);
      const paid = order.paymentMethod !== null || order.orderStatus === 'ticketing' || order.orderStatus === 'ticketed';
      const record = () => {
        this.#d.jobs.finishStep(step.id, 'reconciled', { paid, orderStatus: order.orderStatus }, now());
        this.#event(step.orderNo, 'reconciled', job, { step: 'pay', paid, orderStatus: order.orderStatus });
      };
      if (paid) {
        this.#d.vault.wipe(job.id);
        const tracking = this.#commit(job, { state: 'tracking', reason: null, attempts: 0, currentOrderNo: step.orderNo }, record);
        return this.#trackWith(tracking, order);
      }
      // Still unpaid after a maybe-sent pay.do: never re-send automatically; a human decides.
      return this.#settle(job, 'attention', 'outcome_unknown', 'not_recovered', record);
    }
    // Regenerate: Atlas cannot be searched by originalOrderNo; find the twin in orderList instead.
    const original = await this.#query(step.orderNo);
    const createdFrom = typeof step.request.createdFrom === 'number' ? step.request.createdFrom : Date.parse(step.startedAt) - TWIN_WINDOW_MS;
    const before = new Set(Array.isArray(step.request.preexisting) ? (step.request.preexisting as string[]) : []);
    const twins = (await this.#lookAlikes(original, createdFrom)).filter((o) => !before.has(o.orderNo));
    this.#trace('reconcile_read', job, original.orderNo);
    if (twins.length === 1) {
      const newOrderNo = (twins[0] as OrderSummary).orderNo;
      this.#commit(job, { state: 'running', reason: null, currentOrderNo: newOrderNo, attempts: 0 }, () => {
        this.#d.links.link(original.orderNo, newOrderNo, now());
        this.#d.jobs.finishStep(step.id, 'reconciled', { newOrderNo }, now());
        this.#event(original.orderNo, 'regenerated', job, { newOrderNo, reconciled: true });
      });
      return { next: 'again' };
    }
    return this.#settle(job, 'attention', twins.length > 1 ? 'duplicate_booking' : 'outcome_unknown', 'not_recovered', () => {
      this.#d.jobs.finishStep(step.id, 'reconciled', { twins: twins.map((t) => t.orderNo) }, now());
      this.#event(original.orderNo, 'reconciled', job, { step: 'regenerate', twins: twins.map((t) => t.orderNo) });
    });
  }

  /** Orders since `createdFrom` with the original's passengers and route, not linked to another original. */
  async #lookAlikes(original: OrderDetails, createdFrom: number): Promise<OrderSummary[]> {
    const key = (names: string[]) => [...names].map((n) => n.toUpperCase()).sort().join('|');
    const pax = key(original.passengers.map((p) => p.name));
    const found: OrderSummary[] = [];
    // Atlas narrows by one traveller, route and date; the exact match is made here, below.
    const query = {
      createdFrom: new Date(createdFrom).toISOString(),
      createdTo: new Date(this.#d.clock.now() + TWIN_WINDOW_MS).toISOString(),
      ...(original.passengers[0] ? { paxName: original.passengers[0].name } : {}),
      ...(original.fromCity ? { fromCity: original.fromCity } : {}),
      ...(original.toCity ? { toCity: original.toCity } : {}),
      ...(original.depDate ? { depDate: original.depDate } : {}),
      pageSize: 100,
    };
    for (let page = 1; page <= 50; page++) {
      const result = await this.#read(() => this.#d.atlas.listOrders({ ...query, page }));
      for (const o of result.orders) {
        if (o.orderNo === original.orderNo || key(o.paxNames) !== pax) continue;
        if (o.fromCity !== original.fromCity || o.toCity !== original.toCity || o.depDate !== original.depDate) continue;
        const from = this.#d.links.regeneratedFrom(o.orderNo);
        if (from !== null && from !== original.orderNo) continue;
        found.push(o);
      }
      if (page * result.pageSize >= result.totalRecords || result.orders.length === 0) break;
    }
    return found;
  }

  // ---- after pay accepted (rule 4) ----

  async #track(job: Job): Promise<Advance> {
    const order = await this.#query(job.currentOrderNo);
    return this.#trackWith(job, order);
  }

  #trackWith(job: Job, order: OrderDetails): Advance {
    if (order.orderStatus === 'ticketed' || order.ticketIssued) {
      return this.#settle(job, 'done', null, 'ticketed', () => this.#event(order.orderNo, 'ticketed', job, {}));
    }
    if (order.orderStatus === 'cancelled') {
      // Cancelled again (e.g. the airline declined the new card): the order rejoins the list via
      // the order upsert; this job is over, staff start a new one.
      return this.#settle(job, 'failed', order.errorCode ?? 'cancelled', 'cancelled_again', () =>
        this.#event(order.orderNo, 'cancelled', job, { errorCode: order.errorCode }),
      );
    }
    return this.#trackingMiss(job);
  }

  /** One more poll used up; after the schedule (~2 min) the order stays "ticketing" in the list. */
  #trackingMiss(job: Job): Advance {
    const delay = trackingDelayMs(job.attempts);
    if (delay === null) return this.#settle(job, 'done', 'ticketing_pending', 'paid_pending_ticket');
    this.#set(job, { state: 'tracking', attempts: job.attempts + 1, nextRunAt: new Date(this.#d.clock.now() + delay).toISOString() });
    return { next: 'later', delayMs: delay };
  }
}
