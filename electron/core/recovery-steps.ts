// One advance of one recovery job: reconcile an unknown step, poll ticketing, or re-read → re-plan →
// staff's gates (approval, card charge) → funds check (deposit balance, a card job's fee too / card
// paymentLimit) → re-read → staff's gates again → one mutating call. The queue
// (./queue.ts) decides WHEN to call advance(); this file decides WHAT is safe to do, following
// docs/money-safety.md:
// - rule 1: the order is read again right before every pay/regenerate (after balance.do and the
//   look-alike search too) and the call is made only if the plan is still the same;
// - rule 2: an ambiguous answer makes the step `unknown`, settled only by query, never by re-sending;
// - rule 3: no regeneration while an order of the same trip was booked since the chain began;
// - rule 5: a step row is committed (in_flight) before the call leaves the process;
// - rule 10: every transition (job row, journal step, timeline event, regeneration link) is one
//   transaction (`#commit`), so a crash never separates a decision from its record;
// - rule 11: deadlines are judged on Atlas's clock (./atlas-clock.ts), with a margin;
// - rules 9 and 12: before money moves, staff's approval must cover the amount and still hold, and
//   a card charge Atlas already started must have been checked by staff (`#staffGate`) — judged
//   again on the order as read last, right before the journal.
// A job's phase is derived from its journal, not trusted from `jobs.state`: once a pay step of the
// job succeeded or was reconciled as paid, the job can only track; it can never pay again; once a
// reconciliation found nothing to continue from, the job can only stop for staff.
import type { AtlasApi } from '../atlas/api.ts';
import { failureOf } from '../atlas/api.ts';
import type { AtlasFailure, Balance, CardDetails, OrderDetails, OrderSummary, PayRequest } from '../../shared/atlas.ts';
import { CARD, DEPOSIT } from '../../shared/atlas.ts';
import { approvalAgedOut, approvedFromOffer, overApproval } from '../../shared/approval.ts';
import type { Job, JobOutcome, JobState, StaffCheck } from '../../shared/desk.ts';
import { leadReason, type MethodOffer, type Plan, type PlanContext } from '../../shared/plan.ts';
import { compareAmounts, compareMoney, subtractAmounts } from '../../shared/money.ts';
import { cardChargeStarted, instant, REGENERATION_WINDOW_MS } from '../../shared/planner.ts';
import { cancelledAgain, payRejected, readFailed, regenerateRejected, type JobReason } from '../../shared/reasons.ts';
import type { JobBudgets, JobPatch, JobsRepo, StepRecord } from '../store/jobs-repo.ts';
import type { EventsRepo } from '../store/events-repo.ts';
import type { LinksRepo } from '../store/links-repo.ts';
import type { AtlasClock } from './atlas-clock.ts';
import type { CardVault } from './card-vault.ts';
import { CLAIMED_BY_OTHER_DESK, OTHER_DESK_OUTCOME_UNKNOWN, TEAM_OFFLINE, TeamUnavailable, type ChainClaims, type ClaimAnswer } from './chain-claims.ts';
import type { Clock } from './contract.ts';
import type { DepositReservations } from './deposit-reservations.ts';
import { hasListFacts, listFactsOf, withListFacts, type ListFacts } from './list-facts.ts';
import { missingFacts, sameTrip, tripOf, tripOfRow } from './look-alikes.ts';
import { readRetryDelayMs, trackingDelayMs } from './backoff.ts';
import { report, type Trace, type TracePoint } from './trace.ts';

/** What the queue should do with the job after one advance. */
export type Advance =
  | { next: 'again' } // run again now (e.g. a new order exists: re-read it)
  | { next: 'later'; delayMs: number } // poll / bounded retry / rate limit
  | { next: 'offline' } // network down: job is waiting_network, pause the queue
  | { next: 'parked' }; // settled, or waiting for staff (needs_card, needs_approval)

export interface RecoveryDeps {
  /** Every call goes through `atlasClock`, so its answers keep the clock estimate fresh. */
  atlas: AtlasApi;
  atlasClock: AtlasClock;
  jobs: JobsRepo;
  events: EventsRepo;
  links: LinksRepo;
  vault: CardVault;
  /** Deposit money promised to payments Atlas's balance may not show yet (bulk jobs share it). */
  deposits: DepositReservations;
  clock: Clock;
  plan: (order: OrderDetails, ctx: PlanContext) => Plan;
  /**
   * Every fresh read of an order, so the composition root can store it (and recompute its
   * category). `readStartedAt` (performance.now() when the request left) lets the store keep the
   * newest answer when two reads of one order cross.
   */
  onOrder?: (order: OrderDetails, readStartedAt: number) => void;
  /** The list facts (creation time, city codes) the desk already keeps for an order. */
  knownListFacts?: (orderNo: string) => ListFacts | null;
  /** How far above staff's approval a job may pay, in percent (shared/approval.ts). */
  tolerancePercent: () => number;
  /** Staff's still-valid "the card was not charged" for an order (./charge-check.ts), or null. */
  notChargedCheck: (orderNo: string) => StaffCheck | null;
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
/** Re-plans (pay.do 401, regenerate 314, an order that changed right before a call) per job. */
const MAX_REPLANS = 3;
/** Waits the rate limiter may ask of one job. */
const MAX_RATE_LIMIT_WAITS = 30;
/**
 * A regenerate interrupted by a crash was answered, if at all, within the client's timeout
 * (60 s for regenerateOrder.do, electron/atlas/client.ts): its window ends this long after the journal.
 */
const INTERRUPTED_CALL_MS = 2 * 60 * 1000;
/** Slack around a regenerate's window on Atlas's clock: whole-second list times, other Atlas servers. */
const WINDOW_TOLERANCE_MS = 60 * 1000;

/** Failure kinds after which Atlas provably did nothing with a pay/regenerate call (#refusedBeforeActing). */
const NOT_ACTED_ON: ReadonlySet<AtlasFailure['kind']> = new Set(['network', 'rate_limited', 'unauthorized']);

/** The wait a 429 asks for: its `retryAfter` (the client keeps it within bounds), 5 s when it names none, never under 1 s. */
const rateLimitDelayMs = (failure: AtlasFailure): number => Math.max(1, failure.retryAfter ?? 5) * 1000;

class ReadFailed extends Error {
  readonly failure: AtlasFailure;
  constructor(failure: AtlasFailure) {
    super(failure.kind);
    this.failure = failure;
  }
}

/** Atlas shows a payment: recorded method, or ticketing/ticketed. */
function isPaid(order: OrderDetails): boolean {
  return order.paymentMethod !== null || order.orderStatus === 'ticketing' || order.orderStatus === 'ticketed';
}

type Phase = 'reconcile' | 'track' | 'stopped' | 'prepay';

interface Planned {
  order: OrderDetails;
  plan: Plan;
  /** Creation time of the chain's first order (undefined when the order has no ancestors). */
  chainStart: string | null | undefined;
}

export class RecoveryRunner {
  readonly #d: RecoveryDeps;
  /** List facts fetched by this runner (an order's own list row), so one job reads it once. */
  readonly #listFacts = new Map<string, ListFacts>();
  /** balance.do on the wire per currency, with its deposit mark: jobs that need it meanwhile share it. */
  readonly #balanceReads = new Map<string, Promise<{ mark: number; answer: Balance }>>();

  constructor(deps: RecoveryDeps) {
    this.#d = deps;
  }

  #now(): string {
    return new Date(this.#d.clock.now()).toISOString();
  }

  #trace(point: TracePoint, job: Job, orderNo: string): void {
    report(this.#d.trace, { point, jobId: job.id, orderNo });
  }

  /**
   * Every change of a job's row — and so every transition (#commit) — is made only while this
   * process holds the queue lease: a holder that lost it while a call was on the wire records
   * nothing of the answer (LeaseLost rolls the transition back). The step stays in_flight, and the
   * next holder settles it by query (docs/money-safety.md rules 2 and 10).
   */
  #set(job: Job, patch: JobPatch): Job {
    return this.#d.whileHeld(() => this.#d.jobs.update(job.id, patch, this.#now()));
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

  #settle(job: Job, state: JobState, reason: JobReason | null, outcome: JobOutcome = null, writes: () => void = () => {}): Advance {
    this.#commit(job, { state, reason, outcome, nextRunAt: null }, writes);
    // A settled job never pays again: drop any card it still holds, and any deposit it held back.
    this.#d.vault.wipe(job.id);
    this.#d.deposits.release(job.id);
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

  /** One more retry of one kind: its own budget, and the total staff see. */
  #spend(job: Job, kind: keyof JobBudgets, patch: JobPatch = {}, writes: () => void = () => {}): { job: Job; used: number } {
    const used = this.#d.jobs.budgets(job.id)[kind] + 1;
    return { job: this.#commit(job, { ...patch, attempts: job.attempts + 1, budgets: { [kind]: used } }, writes), used };
  }

  /**
   * The job's phase, from its own journal:
   * - reconcile: a call may have reached Atlas and is not settled yet;
   * - track: a payment of this job was accepted — it can never pay again;
   * - stopped: a reconciliation found no payment and no new order to continue with — staff decide;
   * - prepay: nothing of this job has moved money yet.
   */
  static phase(steps: StepRecord[]): Phase {
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
      // Nothing was sent: a deposit held for this job is checked again on its next run.
      if (phase === 'prepay') this.#d.deposits.release(job.id);
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

  /** queryOrderDetails, stored by the desk, with the list facts it keeps laid over it. */
  async #query(orderNo: string): Promise<OrderDetails> {
    const readStartedAt = performance.now();
    const order = this.#known(await this.#read(() => this.#d.atlas.queryOrder(orderNo)));
    this.#d.onOrder?.(order, readStartedAt);
    return order;
  }

  #known(order: OrderDetails): OrderDetails {
    return withListFacts(order, this.#listFacts.get(order.orderNo) ?? this.#d.knownListFacts?.(order.orderNo) ?? null);
  }

  /**
   * The facts only an order's own list row states (creation time, city codes), fetched when the
   * desk does not keep them yet: the 24 h window and the look-alike search depend on them.
   */
  async #listFactsOf(orderNo: string, known: ListFacts | null): Promise<ListFacts | null> {
    if (known && hasListFacts(known)) return known;
    const cached = this.#listFacts.get(orderNo);
    if (cached) return cached;
    const page = await this.#read(() => this.#d.atlas.listOrders({ orderNo, page: 1, pageSize: 10 }));
    const row = page.orders.find((o) => o.orderNo === orderNo);
    if (!row) return known;
    const facts = listFactsOf(row);
    this.#listFacts.set(orderNo, facts);
    return facts;
  }

  /** One place for read failures: offline pauses the queue; others retry within their own budget. */
  #readFailed(job: Job, failure: AtlasFailure, phase: 'reconcile' | 'track' | 'prepay'): Advance {
    if (failure.kind === 'network' || failure.kind === 'timeout') {
      this.#set(job, { state: 'waiting_network', reason: 'offline' });
      return { next: 'offline' };
    }
    const state: JobState = phase === 'track' ? 'tracking' : phase === 'reconcile' ? 'reconciling' : 'queued';
    if (failure.kind === 'rate_limited') {
      const { used } = this.#spend(job, 'rateLimitWaits', { state, reason: 'rate_limited' });
      if (used > MAX_RATE_LIMIT_WAITS) return this.#outOfRetries(this.#d.jobs.mustGet(job.id), phase, 'rate_limited');
      return { next: 'later', delayMs: rateLimitDelayMs(failure) };
    }
    const reason = readFailed(failure);
    if (phase === 'track') return this.#trackingMiss(job);
    const { job: spent, used } = this.#spend(job, 'readFailures', { state, reason });
    if (failure.kind === 'unauthorized' || used >= (this.#d.maxReadAttempts ?? 5)) return this.#outOfRetries(spent, phase, reason);
    return { next: 'later', delayMs: readRetryDelayMs(used - 1) };
  }

  #outOfRetries(job: Job, phase: 'reconcile' | 'track' | 'prepay', reason: JobReason): Advance {
    // Money may have moved on an unreconciled step: a human decides, it is not a plain failure.
    if (phase === 'reconcile') return this.#settle(job, 'attention', 'outcome_unknown');
    // No read left to show the accepted payment: #trackingMiss decides, as after the last poll.
    if (phase === 'track') return this.#trackingGaveUp(job, null);
    return this.#settle(job, 'failed', reason);
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
      case 'rate_limited': {
        // The same budget of waits as a rate-limited read: a limiter that never lets the call
        // through stops the job instead of keeping it asking for ever (docs/atlas-api.md §10.22).
        const { job: waiting, used } = this.#spend(job, 'rateLimitWaits', { state: 'queued', reason: 'rate_limited' }, () =>
          this.#d.jobs.finishStep(stepId, 'failed', result, now),
        );
        if (used > MAX_RATE_LIMIT_WAITS) return this.#settle(waiting, 'failed', 'rate_limited', 'not_recovered');
        return { next: 'later', delayMs: rateLimitDelayMs(failure) };
      }
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
    const planned = await this.#readAndPlan(job);
    const { order, plan } = planned;
    switch (plan.action) {
      case 'pay_same_order':
        return this.#pay(job, planned);
      case 'regenerate_then_pay': {
        // Check the money BEFORE creating a new order: regenerating for a deposit that is already
        // short, or a card whose limit is below even the current fare, only makes an order nobody
        // pays. The planner's figures are the current order's, an estimate of the re-priced one;
        // #pay checks the new order's real amounts again.
        // The same holds for staff's approval: never create an order whose estimate is already
        // above what they approved (#staffGate).
        const offer = plan.methods.find((m) => m.paymentMethod === job.method);
        if (!offer) return this.#settle(job, 'blocked', 'method_not_supported', 'not_recovered');
        const stop = await this.#beforeMoney(job, order, offer, 'regenerate');
        return stop ?? this.#regenerate(job, planned);
      }
      case 'wait_ticketing':
        // Someone (another desk, ATRIP's web UI) paid it meanwhile: nothing left for us to pay.
        return this.#settle(job, 'done', 'paid_elsewhere', 'paid_pending_ticket');
      case 'no_action': {
        const reason = leadReason(plan);
        if (reason === 'ticketed') return this.#settle(job, 'done', 'ticketed', 'ticketed');
        if (reason === 'paid_pnr_pending') return this.#settle(job, 'attention', 'paid_pnr_pending');
        return this.#settle(job, 'blocked', reason, 'not_recovered');
      }
      case 'reconcile_first':
        return this.#settle(job, 'attention', 'outcome_unknown');
      case 'blocked': {
        const reason = leadReason(plan);
        return this.#settle(job, reason === 'duplicate_booking' ? 'attention' : 'blocked', reason, 'not_recovered');
      }
    }
  }

  /**
   * Reads the job's current order and plans it. A plan that may regenerate needs the facts only
   * orderList states (the creation time of the order and of its chain's first order, the city
   * codes): those are fetched when the desk does not keep them yet, and the order planned again.
   */
  async #readAndPlan(job: Job): Promise<Planned> {
    let order = await this.#query(job.currentOrderNo);
    const root = this.#d.links.ancestors(order.orderNo).pop();
    const knownStart = (orderNo: string) => (this.#listFacts.get(orderNo) ?? this.#d.knownListFacts?.(orderNo) ?? null)?.createdAt ?? null;
    let chainStart = root === undefined ? undefined : knownStart(root);
    let plan = this.#plan(job, order, chainStart);
    if (plan.action === 'regenerate_then_pay' || plan.reasons[0] === 'created_at_unknown') {
      order = withListFacts(order, await this.#listFactsOf(order.orderNo, listFactsOf(order)));
      if (root !== undefined) {
        const known = this.#listFacts.get(root) ?? this.#d.knownListFacts?.(root) ?? null;
        chainStart = known?.createdAt ?? (await this.#listFactsOf(root, known))?.createdAt ?? null;
      }
      plan = this.#plan(job, order, chainStart);
    }
    return { order, plan, chainStart };
  }

  #plan(job: Job, order: OrderDetails, chainStart: string | null | undefined): Plan {
    return this.#d.plan(order, {
      now: this.#now(),
      regeneratedInto: this.#d.links.regeneratedInto(order.orderNo),
      // The job itself is staff's explicit evidence that this order's payment failed
      // (docs/money-safety.md §1).
      paymentFailureKnown: true,
      unreconciled: false,
      allowedMethods: [job.method],
      atlasNow: this.#d.atlasClock.earliestIso(),
      payRefusedAsExpired: this.#d.jobs.payRefusedAsExpired(order.orderNo),
      ...(chainStart !== undefined ? { chainRootCreatedAt: chainStart } : {}),
    });
  }

  /**
   * Rule 1, right before a mutating call: balance.do or the look-alike search came between the
   * read and now, so read the order again. The same plan (action, order, what is due) → the fresh
   * read; anything else → null, and the job starts over from the new facts.
   */
  async #confirm(job: Job, before: Planned): Promise<Planned | null> {
    const again = await this.#readAndPlan(job);
    const offer = (p: Plan) => JSON.stringify(p.methods.find((m) => m.paymentMethod === job.method) ?? null);
    const same = again.order.orderNo === before.order.orderNo && again.plan.action === before.plan.action && offer(again.plan) === offer(before.plan);
    return same ? again : null;
  }

  /** The order changed between the read and the call: start over, within the re-plan budget. */
  #changedMeanwhile(job: Job): Advance {
    this.#d.deposits.release(job.id);
    const { job: spent, used } = this.#spend(job, 'replans');
    if (used > MAX_REPLANS) return this.#settle(spent, 'failed', 'order_keeps_changing', 'not_recovered');
    return { next: 'again' };
  }

  async #pay(job: Job, planned: Planned): Promise<Advance> {
    const offer = planned.plan.methods.find((m) => m.paymentMethod === job.method);
    if (!offer) return this.#settle(job, 'blocked', 'method_not_supported', 'not_recovered');
    const stop = await this.#beforeMoney(job, planned.order, offer, 'pay');
    if (stop) return stop;
    // balance.do (a deposit job's due, a card job's fee) came between the read and this call (a
    // card limit check awaits nothing): read again.
    const confirmed = offer.dueFromDeposit !== null ? await this.#confirm(job, planned) : planned;
    if (!confirmed) return this.#changedMeanwhile(job);
    const order = confirmed.order;
    // Staff's approval is judged on the order about to be paid, as read last (#confirm proved its
    // amounts are `offer`'s): an approval may have aged out while the balance was read.
    const unapproved = this.#staffGate(job, order, offer, 'pay');
    if (unapproved) return unapproved;
    let request: PayRequest;
    if (job.method === DEPOSIT) {
      request = { orderNo: order.orderNo, paymentMethod: DEPOSIT };
    } else {
      const card: CardDetails | null = this.#d.vault.get(job.id);
      if (!card) {
        // Nothing is paid until staff give the card again: the fee held for it is let go.
        this.#d.deposits.release(job.id);
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
      this.#d.deposits.accepted(job.id);
      // The wait before the first poll is the schedule's first step: it counts as used.
      this.#commit(job, { state: 'tracking', reason: null, budgets: { polls: 1, readFailures: 0 } }, () => {
        this.#d.jobs.finishStep(stepId, 'succeeded', { accepted: true }, now);
        this.#event(order.orderNo, 'step_succeeded', job, { step: 'pay', paymentMethod: job.method });
      });
      return { next: 'later', delayMs: trackingDelayMs(0) ?? 0 };
    }
    const result = { kind: failure.kind, code: failure.code ?? null };
    const definite = failure.kind === 'business' && failure.code !== 402 && failure.code !== 404;
    if (!definite && !NOT_ACTED_ON.has(failure.kind)) {
      // 402/404 (the order is being paid by someone, maybe us) and every ambiguous answer: settle by
      // query. A maybe-taken payment keeps its deposit held until reconciliation says which.
      return this.#stepUnknown(job, stepId, order.orderNo, 'pay', result);
    }
    this.#d.deposits.release(job.id);
    const refused = this.#refusedBeforeActing(job, stepId, order.orderNo, 'pay', failure);
    if (refused) return refused;
    const record = () => {
      this.#d.jobs.finishStep(stepId, 'failed', result, now);
      this.#event(order.orderNo, 'step_failed', job, { step: 'pay', ...result });
    };
    if (failure.code === 401) {
      // Atlas's own word that the deadline passed (its clock is the judge): re-read → regenerate.
      const replans = this.#d.jobs.budgets(job.id).replans + 1;
      if (replans <= MAX_REPLANS) {
        this.#commit(job, { attempts: job.attempts + 1, budgets: { replans } }, record);
        return { next: 'again' };
      }
    }
    if (failure.code === 403) return this.#settle(job, 'blocked', 'method_not_supported', 'not_recovered', record);
    return this.#settle(job, 'failed', payRejected(failure.code), 'not_recovered', record);
  }

  /**
   * Every check before a pay or a regenerate, using `offer` (the order's amounts, or for a
   * regeneration the current order's as an estimate): staff's decisions first, then the money.
   */
  async #beforeMoney(job: Job, order: OrderDetails, offer: MethodOffer, before: 'regenerate' | 'pay'): Promise<Advance | null> {
    return this.#staffGate(job, order, offer, before) ?? (await this.#fundsShort(job, order.orderNo, offer, before));
  }

  /**
   * What only staff can decide, checked against the order as Atlas shows it now:
   * - rule 12: a card charge Atlas started on this unpaid order was confirmed as not taken, after
   *   the desk's last card payment of it (./charge-check.ts) — else the job stops, blocked;
   * - rule 9: the approval still holds (on Atlas's clock) and covers every source of `offer` (plus the tolerance) —
   *   else the job waits in `needs_approval` with what Atlas asks now, both amounts on the timeline;
   *   amounts that cannot be compared exactly with it (rule 13) stop the job: `amount_not_exact`.
   */
  #staffGate(job: Job, order: OrderDetails, offer: MethodOffer, before: 'regenerate' | 'pay'): Advance | null {
    if (cardChargeStarted(order) && !this.#d.notChargedCheck(order.orderNo)) {
      return this.#settle(job, 'blocked', 'card_charge_unconfirmed', 'not_recovered', () =>
        this.#event(order.orderNo, 'note', job, { reason: 'card_charge_unconfirmed', before }),
      );
    }
    const due = approvedFromOffer(offer);
    const quote = { orderNo: order.orderNo, at: this.#now(), ...due };
    const approval = job.approval;
    if (!approval || approvalAgedOut(approval, this.#d.clock.now(), this.#d.atlasClock.now()?.latest ?? null)) {
      return this.#waitForApproval(job, 'approval_expired', quote, { before, expiresAt: approval?.expiresAt ?? null });
    }
    const tolerancePercent = this.#d.tolerancePercent();
    const over = overApproval(due, approval, tolerancePercent);
    if (over === null) {
      const approved = { dueFromDeposit: approval.dueFromDeposit, dueFromCard: approval.dueFromCard };
      return this.#settle(job, 'blocked', 'amount_not_exact', 'not_recovered', () =>
        this.#event(order.orderNo, 'note', job, { reason: 'amount_not_exact', before, due, approved }),
      );
    }
    if (over.length === 0) return null;
    return this.#waitForApproval(job, 'price_changed', quote, { before, changes: over, tolerancePercent });
  }

  /**
   * Parks the job until staff approve `quote` (queue.approve); the card, if any, stays in the vault.
   * Deposit it held is let go: it pays nothing until then.
   */
  #waitForApproval(job: Job, reason: 'price_changed' | 'approval_expired', quote: NonNullable<Job['quote']>, data: Record<string, unknown>): Advance {
    this.#commit(job, { state: 'needs_approval', reason, quote, nextRunAt: null }, () =>
      this.#event(quote.orderNo, 'note', job, { reason, ...data }),
    );
    this.#d.deposits.release(job.id);
    return { next: 'parked' };
  }

  /**
   * Can the job's money cover what `offer` says is due? Null when it can (or when nothing says
   * otherwise); else the job is stopped and the amounts go on the order's timeline.
   * - Card: a `paymentLimit` (vendor currency) below the amount due by card would be declined by
   *   the airline (623), and Atlas then cancels the order, which burns a regenerated one. Staff
   *   re-enter the card with a higher limit (queue:provideCard); the card is not kept meanwhile.
   * - Deposit: what the order takes from the deposit — all of it for a deposit job, Atlas's fee
   *   (the `serviceFee` / `paymentFee` parts deducted from DEPOSIT, docs/atlas-api.md §3.2) for a
   *   card job, whose ticketing fails with 617 on a deposit short of it (and Atlas cancels the
   *   order) — must be covered by the balance in its currency, less what this desk holds for its
   *   other payments that the balance cannot show yet (`deposit_below_due`, `deposit_below_fee`);
   *   before a pay.do the amount is then held for this job (./deposit-reservations.ts).
   * - A balance Atlas names in another currency, or in none, is not that balance
   *   (`balance_currency_mismatch`); amounts that cannot be compared exactly (docs/money-safety.md
   *   rule 13: finer than the minor unit, an unknown currency) stop the job: `amount_not_exact`.
   */
  async #fundsShort(job: Job, orderNo: string, offer: MethodOffer, before: 'regenerate' | 'pay'): Promise<Advance | null> {
    const limitShort = job.method === CARD ? this.#cardLimitShort(job, orderNo, offer, before) : null;
    if (limitShort) return limitShort;
    const due = offer.dueFromDeposit;
    if (!due) return null;
    const asked = due.currency.trim().toUpperCase();
    const { mark, answer } = await this.#read(() => this.#balance(asked));
    if (answer.currency === null || answer.currency.trim().toUpperCase() !== asked) {
      return this.#settle(job, 'blocked', 'balance_currency_mismatch', 'not_recovered', () =>
        this.#event(orderNo, 'note', job, { reason: 'balance_currency_mismatch', before, asked, answered: answer.currency }),
      );
    }
    const balance = { amount: answer.amount, currency: asked };
    const available = this.#d.deposits.available(job.id, asked, balance.amount, mark);
    const cmp = available === null ? null : compareMoney({ amount: available, currency: asked }, due);
    if (cmp !== null && cmp >= 0) {
      if (before === 'pay') this.#d.deposits.hold(job.id, asked, due.amount);
      return null;
    }
    const reason = cmp === null ? 'amount_not_exact' : job.method === DEPOSIT ? 'deposit_below_due' : 'deposit_below_fee';
    const held = available === null ? null : subtractAmounts(balance.amount, available, asked);
    const reserved = held !== null && held > 0 ? { reserved: { amount: held, currency: asked } } : {};
    return this.#settle(job, 'blocked', reason, 'not_recovered', () =>
      this.#event(orderNo, 'note', job, { reason, before, due, balance, ...reserved }),
    );
  }

  /**
   * The deposit balance in `currency`, with the reservations mark taken when its balance.do left.
   * A job that needs it while one is on the wire shares that read instead of sending its own (a
   * bulk's jobs check funds many times a second): the answer is at most one call older, and every
   * payment this desk made since that read began is still held against it (the mark), so nothing
   * the desk spent is counted as available. Atlas stays the judge at pay.do (411: settled by query).
   */
  #balance(currency: string): Promise<{ mark: number; answer: Balance }> {
    const onTheWire = this.#balanceReads.get(currency);
    if (onTheWire) return onTheWire;
    const mark = this.#d.deposits.mark();
    const read = this.#d.atlas.balance(currency).then((answer) => ({ mark, answer }));
    this.#balanceReads.set(currency, read);
    const forget = () => {
      if (this.#balanceReads.get(currency) === read) this.#balanceReads.delete(currency);
    };
    read.then(forget, forget);
    return read;
  }

  /** A card job's `paymentLimit` against the amount due by card (see #fundsShort); null when it covers it. */
  #cardLimitShort(job: Job, orderNo: string, offer: MethodOffer, before: 'regenerate' | 'pay'): Advance | null {
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

  async #regenerate(job: Job, planned: Planned): Promise<Advance> {
    const guard = await this.#lookAlikeGuard(job, planned);
    if ('stop' in guard) return guard.stop;
    const confirmed = await this.#confirm(job, planned);
    if (!confirmed) return this.#changedMeanwhile(job);
    const original = confirmed.order;
    // Staff's decisions again on the order as read last (the look-alike search took time).
    const offer = confirmed.plan.methods.find((m) => m.paymentMethod === job.method);
    const unapproved = offer ? this.#staffGate(job, original, offer, 'regenerate') : null;
    if (unapproved) return unapproved;
    const unproven = await this.#claim(job, (claims) => claims.assertHeld(job.id, { kind: 'regenerate', orderNo: original.orderNo }));
    if (unproven) return unproven;
    // The window in which Atlas's new order can appear, on Atlas's clock: if the answer is lost,
    // only an order made inside it may be taken for ours (./look-alikes.ts, #reconcile).
    const journal = { originalOrderNo: original.orderNo, createdFrom: guard.createdFrom, atlasFrom: this.#d.atlasClock.now()?.earliest ?? null };
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
      this.#commit(job, { currentOrderNo: created, budgets: { readFailures: 0 } }, () => {
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
        const replans = this.#d.jobs.budgets(job.id).replans + 1;
        if (f.code === 314 && replans <= MAX_REPLANS) {
          // The original is ticketing/ticketed now: re-read and re-plan (bounded).
          this.#commit(job, { attempts: job.attempts + 1, budgets: { replans } }, record);
          return { next: 'again' };
        }
        return this.#settle(job, 'failed', regenerateRejected(f.code), 'not_recovered', record);
      }
      default:
        return this.#stepUnknown(job, stepId, original.orderNo, 'regenerate', { ...result, atlasTo: this.#d.atlasClock.now()?.latest ?? null });
    }
  }

  /**
   * Rule 3 across desks: an order of the same trip (travellers, route, date) booked since the
   * chain began may be another desk's or ATRIP's regeneration — Atlas refuses a second one (318)
   * only while that twin is live — or the traveller's own re-booking. Any such order, or one that
   * cannot be compared, stops the job for staff with the orders named. The chain's own orders
   * (its first order and every order regenerated from it) are never look-alikes.
   */
  async #lookAlikeGuard(job: Job, planned: Planned): Promise<{ stop: Advance } | { createdFrom: number }> {
    const original = planned.order;
    const trip = tripOf(original);
    const missing = missingFacts(trip);
    const asked = this.#d.clock.now();
    const createdFrom = Math.min(
      instant(planned.chainStart) ?? Number.POSITIVE_INFINITY,
      instant(original.createdAt) ?? asked - REGENERATION_WINDOW_MS,
    );
    const { matches, unknown } = trip.paxNames.length === 0 ? { matches: [], unknown: [] } : await this.#lookAlikes(original, createdFrom);
    if (matches.length > 0) {
      const duplicateOrders = matches.map((o) => o.orderNo);
      return { stop: this.#settle(job, 'attention', 'duplicate_booking', 'not_recovered', () =>
        this.#event(original.orderNo, 'note', job, { reason: 'look_alikes_found', duplicateOrders }),
      ) };
    }
    // Fail closed: with no travellers every order is a candidate; an order that cannot be compared may be the twin.
    if (trip.paxNames.length === 0 || unknown.length > 0) {
      const candidates = unknown.map((o) => o.orderNo);
      return { stop: this.#settle(job, 'attention', 'look_alike_unverifiable', 'not_recovered', () =>
        this.#event(original.orderNo, 'note', job, { reason: 'look_alike_unverifiable', missing, candidates }),
      ) };
    }
    return { createdFrom };
  }

  /**
   * Orders since `createdFrom` of the same trip as `original` (`matches`) or that cannot be told
   * apart from it (`unknown`), outside its chain and not regenerated by this desk from another order.
   */
  async #lookAlikes(original: OrderDetails, createdFrom: number): Promise<{ matches: OrderSummary[]; unknown: OrderSummary[] }> {
    const trip = tripOf(original);
    const chain = this.#d.links.chain(original.orderNo);
    const matches: OrderSummary[] = [];
    const unknown: OrderSummary[] = [];
    const until = this.#d.atlasClock.now()?.latest ?? this.#d.clock.now();
    // Atlas narrows by one traveller, the date and — only with the original's own CITY codes, the
    // codes orderList filters by — the route; the exact comparison is made here, below.
    const query = {
      createdFrom: new Date(createdFrom).toISOString(),
      createdTo: new Date(until + TWIN_WINDOW_MS).toISOString(),
      ...(trip.paxNames[0] ? { paxName: trip.paxNames[0] } : {}),
      ...(trip.fromCity && trip.toCity ? { fromCity: trip.fromCity, toCity: trip.toCity } : {}),
      ...(trip.depDate ? { depDate: trip.depDate } : {}),
      pageSize: 100,
    };
    for (let page = 1; page <= 50; page++) {
      const result = await this.#read(() => this.#d.atlas.listOrders({ ...query, page }));
      for (const row of result.orders) {
        if (chain.has(row.orderNo)) continue;
        const from = this.#d.links.regeneratedFrom(row.orderNo);
        if (from !== null && !chain.has(from)) continue;
        let same = sameTrip(trip, tripOfRow(row));
        if (same === 'needs_details') {
          // The row has city codes only: its own details have the airports ours are known by.
          const details = withListFacts(await this.#read(() => this.#d.atlas.queryOrder(row.orderNo)), listFactsOf(row));
          same = sameTrip(trip, tripOf(details));
        }
        if (same === 'yes') matches.push(row);
        else if (same !== 'no') unknown.push(row);
      }
      if (page * result.pageSize >= result.totalRecords || result.orders.length === 0) break;
    }
    return { matches, unknown };
  }

  // ---- after an unknown outcome (rule 2): by query only ----

  async #reconcile(job: Job): Promise<Advance> {
    const steps = this.#d.jobs.steps(job.id);
    const step = steps.filter((s) => s.state === 'unknown' || s.state === 'in_flight').pop();
    if (!step) return { next: 'again' };
    return step.kind === 'pay' ? this.#reconcilePay(job, step) : this.#reconcileRegenerate(job, step);
  }

  async #reconcilePay(job: Job, step: StepRecord): Promise<Advance> {
    const now = () => this.#now();
    const order = await this.#query(step.orderNo);
    this.#trace('reconcile_read', job, step.orderNo);
    const paid = isPaid(order);
    if (!paid && job.method === DEPOSIT && step.result?.code === 411) return this.#depositRefused(job, step, order);
    const record = () => {
      this.#d.jobs.finishStep(step.id, 'reconciled', { paid, orderStatus: order.orderStatus }, now());
      this.#event(step.orderNo, 'reconciled', job, { step: 'pay', paid, orderStatus: order.orderStatus });
    };
    if (paid) {
      this.#d.vault.wipe(job.id);
      this.#d.deposits.accepted(job.id);
      const tracking = this.#commit(job, { state: 'tracking', reason: null, currentOrderNo: step.orderNo, budgets: { polls: 0 } }, record);
      return this.#trackWith(tracking, order);
    }
    // Still unpaid after a maybe-sent pay.do: never re-send automatically; a human decides.
    return this.#settle(job, 'attention', 'outcome_unknown', 'not_recovered', record);
  }

  /**
   * pay.do 411 on a deposit payment is Atlas's documented "insufficient balance" (docs/atlas-api.md
   * §2.2, §7). Atlas's own CLI treats 411 as uncertain, so it is settled by query like any unknown
   * (rule 2) — and an order the query shows still unpaid, with no payment recorded, was refused:
   * the job stops as `deposit_below_due`, not as an outcome nobody knows. Any sign of payment is
   * tracked as paid (#reconcilePay). Card payments keep 411 unknown: a card gateway may have charged.
   */
  #depositRefused(job: Job, step: StepRecord, order: OrderDetails): Advance {
    const now = this.#now();
    const result = { kind: 'business', code: 411, paid: false, orderStatus: order.orderStatus };
    return this.#settle(job, 'blocked', 'deposit_below_due', 'not_recovered', () => {
      this.#d.jobs.finishStep(step.id, 'failed', result, now);
      this.#event(step.orderNo, 'step_failed', job, { step: 'pay', kind: 'business', code: 411 });
    });
  }

  /**
   * A regenerate whose answer was lost. Atlas documents no link from a new order to its original
   * outside the lost answer itself (docs/atlas-api.md §3.2, §3.4), so the new order is looked for
   * in orderList: it is adopted only when exactly one order of the same trip appeared inside the
   * call's window on Atlas's clock, and nothing else could be it. Otherwise staff decide, shown
   * every candidate — an unrelated booking (the traveller's own re-booking) must never be paid.
   */
  async #reconcileRegenerate(job: Job, step: StepRecord): Promise<Advance> {
    const now = () => this.#now();
    const queried = await this.#query(step.orderNo);
    const original = withListFacts(queried, await this.#listFactsOf(step.orderNo, listFactsOf(queried)));
    const createdFrom = typeof step.request.createdFrom === 'number' ? step.request.createdFrom : Date.parse(step.startedAt) - TWIN_WINDOW_MS;
    const before = new Set(Array.isArray(step.request.preexisting) ? (step.request.preexisting as string[]) : []);
    const { matches, unknown } = await this.#lookAlikes(original, createdFrom);
    this.#trace('reconcile_read', job, original.orderNo);
    const candidates = [...matches, ...unknown].filter((o) => !before.has(o.orderNo));
    const window = this.#callWindow(step);
    const inWindow = candidates.filter((o) => {
      const created = instant(o.createdAt);
      // An order whose creation time is unknown cannot be ruled out.
      return window === null || created === null || (created >= window.from - WINDOW_TOLERANCE_MS && created <= window.to + WINDOW_TOLERANCE_MS);
    });
    const twin = window !== null && inWindow.length === 1 && matches.includes(inWindow[0] as OrderSummary) ? (inWindow[0] as OrderSummary) : null;
    if (twin) {
      const newOrderNo = twin.orderNo;
      this.#commit(job, { state: 'running', reason: null, currentOrderNo: newOrderNo }, () => {
        this.#d.links.link(original.orderNo, newOrderNo, now());
        this.#d.jobs.finishStep(step.id, 'reconciled', { newOrderNo }, now());
        this.#event(original.orderNo, 'regenerated', job, { newOrderNo, reconciled: true });
      });
      return { next: 'again' };
    }
    const names = candidates.map((o) => o.orderNo);
    return this.#settle(job, 'attention', inWindow.length > 1 ? 'duplicate_booking' : 'outcome_unknown', 'not_recovered', () => {
      this.#d.jobs.finishStep(step.id, 'reconciled', { candidates: names }, now());
      this.#event(original.orderNo, 'reconciled', job, { step: 'regenerate', candidates: names });
    });
  }

  /**
   * When, on Atlas's clock, a regenerate step could have made its order: from the journal to the
   * answer (or, after a crash, to the client's timeout). Null when Atlas's clock was never known.
   */
  #callWindow(step: StepRecord): { from: number; to: number } | null {
    const journaled = Date.parse(step.startedAt);
    const from = typeof step.request.atlasFrom === 'number' ? step.request.atlasFrom : this.#d.atlasClock.at(journaled)?.earliest ?? null;
    if (from === null) return null;
    const to = typeof step.result?.atlasTo === 'number' ? step.result.atlasTo : from + INTERRUPTED_CALL_MS;
    return { from, to };
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
      return this.#settle(job, 'failed', cancelledAgain(order.errorCode), 'cancelled_again', () =>
        this.#event(order.orderNo, 'cancelled', job, { errorCode: order.errorCode }),
      );
    }
    return this.#trackingMiss(job, order);
  }

  /** One more poll used up (`lastRead`: what it read, null when the read failed); then #trackingGaveUp. */
  #trackingMiss(job: Job, lastRead: OrderDetails | null = null): Advance {
    const polls = this.#d.jobs.budgets(job.id).polls;
    const delay = trackingDelayMs(polls);
    if (delay === null) return this.#trackingGaveUp(job, lastRead);
    this.#set(job, { state: 'tracking', attempts: job.attempts + 1, budgets: { polls: polls + 1 }, nextRunAt: new Date(this.#d.clock.now() + delay).toISOString() });
    return { next: 'later', delayMs: delay };
  }

  /**
   * Tracking is over (~2 min of polls, or no read left): an order whose last read shows the
   * payment stays "ticketing" in the list. One whose last read shows no payment, or could not be
   * read, is not known to be paid: Atlas accepted a pay.do it does not show (rule 2: unknown, never
   * "paid" and never "not paid"), so the order waits in attention for a read that shows it or for
   * staff's check — a new recovery would otherwise pay it again.
   */
  #trackingGaveUp(job: Job, lastRead: OrderDetails | null): Advance {
    if (lastRead && isPaid(lastRead)) return this.#settle(job, 'done', 'ticketing_pending', 'paid_pending_ticket');
    return this.#settle(job, 'attention', 'outcome_unknown', null, () =>
      this.#event(job.currentOrderNo, 'note', job, { reason: 'payment_not_shown', orderStatus: lastRead?.orderStatus ?? null }),
    );
  }

  // ---- a later read shows the truth (settles what a failed reconciliation left) ----

  /**
   * Any read of `order` (sync, the plan shown to staff, a webhook re-query, the runner itself) that
   * shows whether a payment happened settles the pay steps that jobs in attention left unknown on
   * it: paid → the step is reconciled as paid and the job tracks (or is done when ticketed);
   * cancelled without a payment → nothing was taken; still unpaid → the step is reconciled as not
   * paid (yet), and staff still confirm (rule 2). Returns the jobs it touched, and those of them
   * that must run again (tracking).
   */
  settleFromRead(order: OrderDetails): { touched: string[]; resume: string[] } {
    const touched: string[] = [];
    const resume: string[] = [];
    for (const job of this.#d.jobs.attentionFor(order.orderNo, 'outcome_unknown')) {
      // Open: a pay step whose outcome no read has shown — unknown, reconciled as not paid (yet), or
      // accepted by Atlas while the order never showed it (#trackingMiss).
      const open = this.#d.jobs
        .steps(job.id)
        .filter(
          (s) =>
            s.kind === 'pay' &&
            s.orderNo === order.orderNo &&
            (s.state === 'unknown' || s.state === 'succeeded' || (s.state === 'reconciled' && s.result?.paid !== true)),
        );
      if (open.length === 0) continue;
      const paid = isPaid(order);
      const unknownSteps = open.filter((s) => s.state === 'unknown');
      if (!paid && order.orderStatus !== 'cancelled' && unknownSteps.length === 0) continue;
      const settleSteps = paid ? open : unknownSteps.length > 0 ? unknownSteps : open;
      touched.push(job.id);
      const record = () => {
        for (const s of settleSteps) {
          this.#d.jobs.finishStep(s.id, 'reconciled', { paid, orderStatus: order.orderStatus, by: 'read' }, this.#now());
          this.#event(order.orderNo, 'reconciled', job, { step: 'pay', paid, orderStatus: order.orderStatus });
        }
      };
      if (!paid && order.orderStatus !== 'cancelled') {
        this.#commit(job, {}, record);
      } else if (!paid) {
        this.#settle(job, 'failed', 'cancelled_unpaid', 'not_recovered', record);
      } else if (order.orderStatus === 'ticketed' || order.ticketIssued) {
        this.#settle(job, 'done', null, 'ticketed', () => {
          record();
          this.#event(order.orderNo, 'ticketed', job, {});
        });
      } else if (order.orderStatus === 'cancelled') {
        this.#settle(job, 'failed', cancelledAgain(order.errorCode), 'cancelled_again', () => {
          record();
          this.#event(order.orderNo, 'cancelled', job, { errorCode: order.errorCode });
        });
      } else {
        this.#commit(job, { state: 'tracking', reason: null, outcome: null, budgets: { polls: 0 } }, record);
        resume.push(job.id);
      }
    }
    return { touched, resume };
  }
}
