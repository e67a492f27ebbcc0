// Composition root of the desk core (docs/conventions.md "Services with injected dependencies"):
// opens the store, wires sync, the order view, the durable queue and its card vault, and serves
// every core IPC channel. Plain Node: the Electron shell, the CLI and the browser-test bridge all
// drive this same object. Periodic sync is the shell's job; this file only runs what it is asked
// to.
import type { CardDetails, Money, OrderDetails } from '../../shared/atlas.ts';
import { approvalProblem } from '../../shared/approval.ts';
import { paymentLimitCurrency, validateCard } from '../../shared/card.ts';
import { CARD, DEPOSIT } from '../../shared/atlas.ts';
import type { ApprovedAmounts, DeskOrder, Job, SyncStatus, TimelineEvent } from '../../shared/desk.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import { cardChargeStarted, regenerationWindowEnd } from '../../shared/planner.ts';
import { CONCURRENCY_BOUNDS, type CoreChannel, type Handlers, type HistoryEntry, type TeamStatus, type WebhookStatus } from '../../shared/ipc.ts';
import type { RefusalReason } from '../../shared/reasons.ts';
import { recoveryIneligibility } from '../../shared/recovery-eligibility.ts';
import { isOffline, isOrderNotFound } from '../atlas/api.ts';
import { openDatabase, type DeskDatabase } from '../store/db.ts';
import { RECORD_UNREADABLE } from '../store/jobs-repo.ts';
import { MetaRepo } from '../store/meta-repo.ts';
import type { OrderScope } from '../store/orders-repo.ts';
import { AdaptiveLimit } from './adaptive-limit.ts';
import { AtlasClock } from './atlas-clock.ts';
import type { DeskCore, DeskDeps } from './contract.ts';
import { offerFor, previewDeposit } from './deposit-preview.ts';
import { writeHistoryCsv } from './history-csv.ts';
import { listFactsOf } from './list-facts.ts';
import { NEEDS_STAFF_CHECK, OrderView, OUTCOME_CHECKED, REGENERATED_BY_DESK } from './order-view.ts';
import { CLAIMED_BY_OTHER_DESK } from './chain-claims.ts';
import { DeskError } from './desk-error.ts';
import { CardVault } from './card-vault.ts';
import { createPushHub } from './push-hub.ts';
import { QueueError, RetryQueue, type Intent } from './queue.ts';
import { reportFileName, writeReportCsv } from './reports-csv.ts';
import { ReportReader } from './reports.ts';
import { StorageHealth } from './storage-health.ts';
import { RecoveryRunner } from './recovery-steps.ts';
import { OrderSync } from './sync.ts';
import { newWebhookToken, WebhookReceiver } from './webhook-receiver.ts';

export interface DeskOptions {
  /**
   * Start the retry queue in start() (default true). The CLI turns it off for read-only commands,
   * so that listing orders never resumes old payment jobs behind the user's back.
   */
  runQueue?: boolean;
}

/** Pages of the store read per call; 'all' is capped (the renderer has search for the rest). */
const PAGE = 500;
const ALL_SCOPE_CAP = 5000;

interface Parts {
  store: DeskDatabase;
  view: OrderView;
  sync: OrderSync;
  queue: RetryQueue;
  reports: ReportReader;
  webhook: WebhookReceiver | null;
  webhookStatus: WebhookStatus;
  unsubscribe: () => void;
}

/** What a job looked like when last seen; a row parked on read changes state without a new updatedAt. */
const jobVersion = (job: Job) => `${job.updatedAt}|${job.state}|${job.reason ?? ''}`;

/** The webhook URL is registered in ATRIP once, so its secret token must survive restarts. */
const WEBHOOK_TOKEN_KEY = 'webhook_token';

const NO_TEAM: TeamStatus = { enabled: false, connected: false, server: null, holds: [] };

export function createDesk(deps: DeskDeps, options: DeskOptions = {}): DeskCore {
  const log = deps.log ?? (() => {});
  const pushes = createPushHub((line) => log(`desk: ${line}`));
  /** Last deposit balances seen, so every plan can warn `deposit_below_due`. */
  const balances: Record<string, number> = {};
  let parts: Parts | null = null;
  let syncing: Promise<SyncStatus> | null = null;

  const now = () => new Date(deps.clock.now()).toISOString();
  /** Atlas's clock, read from every answer the desk gets (docs/money-safety.md rule 11). */
  const atlasClock = new AtlasClock(deps.clock);
  /** How many jobs may run: learns from every Atlas call the desk makes, sync's reads too. */
  const pace = new AdaptiveLimit({ max: () => deps.maxConcurrency?.() ?? CONCURRENCY_BOUNDS.default });
  const atlas = pace.wrap(atlasClock.wrap(deps.atlas));

  const emit = pushes.emit;
  /** Database problems met while running, for the window's banner (storage:status / storage:changed). */
  const health = new StorageHealth(deps.clock, (status) => emit('storage:changed', status), log);
  const noteError = (error: unknown) => void health.note(error);

  const live = (): Parts => {
    if (!parts) throw new DeskError('conflict', 'The desk core is not started.');
    return parts;
  };

  // ---- team mode (deps.team): other desks' holds and work, shown next to this desk's own ----

  /** The order as the window sees it: with another desk's hold on its chain, in team mode. */
  const withHold = (order: DeskOrder): DeskOrder => (deps.team ? { ...order, claimedBy: deps.team.holderOf(order.orderNo) } : order);

  /** Why this desk must not start a recovery of `orderNo`: another desk holds its chain. */
  const heldElsewhere = (orderNo: string): RefusalReason | null => (deps.team?.holderOf(orderNo) ? CLAIMED_BY_OTHER_DESK : null);

  async function teamTimeline(local: TimelineEvent[], orderNo: string): Promise<TimelineEvent[]> {
    if (!deps.team) return local;
    const others = await deps.team.timeline([orderNo]);
    return [...local, ...others].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  /** Local history plus orders other desks worked on, with who acted last. */
  async function teamHistory(view: OrderView, local: HistoryEntry[], query: Parameters<OrderView['history']>[0]): Promise<HistoryEntry[]> {
    if (!deps.team) return local;
    const merged = new Map(local.map((e) => [e.order.orderNo, e]));
    for (const hit of await deps.team.history(query ?? {})) {
      const mine = merged.get(hit.orderNo);
      if (mine && mine.lastEventAt >= hit.lastEventAt) continue;
      const order = mine?.order ?? view.get(hit.orderNo);
      // An order this desk never stored is left out, as in local history.
      if (order) merged.set(hit.orderNo, { order: { ...order, lastActor: hit.actor }, lastEventAt: hit.lastEventAt, lastOsAccount: hit.osAccount });
    }
    const entries = [...merged.values()].sort((a, b) => (a.lastEventAt < b.lastEventAt ? 1 : a.lastEventAt > b.lastEventAt ? -1 : 0));
    return entries.slice(0, query?.limit ?? 1000).map((e) => ({ ...e, order: withHold(e.order) }));
  }

  /** The deposit balance in `currency`; null when Atlas cannot be asked or answers in another currency. */
  async function fetchBalance(currency: string): Promise<number | null> {
    try {
      const money = await atlas.balance(currency);
      if (money.currency?.toUpperCase() !== currency.toUpperCase()) {
        log(`desk: balance ${currency} answered in ${money.currency ?? 'no currency'}; not shown`);
        return null;
      }
      balances[currency.toUpperCase()] = money.amount;
      return money.amount;
    } catch (error) {
      log(`desk: balance ${currency} unavailable: ${(error as Error).message}`);
      return null;
    }
  }

  /**
   * Every fresh read the runner makes is stored like a synced order. An order the desk itself
   * regenerated is evidence of a failed payment: if its own payment fails, it rejoins the failed
   * list (Scenario A), linked to its ancestors, rather than hiding among plain unpaid orders.
   */
  function onRunnerRead(p: Parts, details: OrderDetails, readStartedAt: number): void {
    try {
      p.sync.ingest(details, readStartedAt);
      const orderNo = details.orderNo;
      const from = p.view.links.regeneratedFrom(orderNo);
      if (from !== null && p.view.orders.get(orderNo)?.markedFailed === false) {
        p.view.orders.markFailed(orderNo, null, now());
        p.view.events.append(orderNo, 'marked_failed', null, { reason: REGENERATED_BY_DESK, from }, now());
        p.view.recategorize(orderNo);
        emit('orders:changed', { orderNos: [orderNo] });
      }
    } catch (error) {
      // Bookkeeping must never break a payment step; the next sync stores the order anyway.
      log(`desk: could not store ${details.orderNo}: ${(error as Error).message}`);
      noteError(error);
    }
  }

  /** Job changes move orders between lists (regenerated, paid, cancelled again): recategorize them. */
  function onJobsChanged(p: Parts, jobs: Job[], seen: Map<string, string>): void {
    const touched = new Set<string>();
    for (const job of jobs) {
      if (seen.get(job.id) === jobVersion(job)) continue;
      seen.set(job.id, jobVersion(job));
      // Team mode: a settled job gives its chain back once its timeline reached the team.
      if (SETTLED_JOB_STATES.includes(job.state)) deps.team?.jobSettled(job);
      touched.add(job.orderNo);
      touched.add(job.currentOrderNo);
    }
    const changed: string[] = [];
    for (const orderNo of touched) {
      try {
        const before = p.view.orders.get(orderNo);
        const after = p.view.recategorize(orderNo);
        if (before && after && (before.category !== after.category || before.attentionReason !== after.attentionReason)) {
          changed.push(orderNo);
        }
      } catch (error) {
        log(`desk: recategorize ${orderNo} failed: ${(error as Error).message}`);
        noteError(error);
      }
    }
    emit('queue:changed', jobs);
    if (changed.length > 0) emit('orders:changed', { orderNos: changed });
  }

  /**
   * A card whose time ran out leaves its job waiting for staff (needs_card), instead of sitting in
   * the queue as if it could still pay (docs/money-safety.md rule 6). A running job is left to the
   * runner, which finds no card before pay.do and asks for it itself; a job past its payment no
   * longer holds a card.
   */
  function onCardExpired(p: Parts, jobId: string, seen: Map<string, string>): void {
    try {
      const job = p.queue.jobs.get(jobId);
      if (!job || (job.state !== 'queued' && job.state !== 'waiting_network')) return;
      if (RecoveryRunner.phase(p.queue.jobs.steps(jobId)) !== 'prepay') return;
      p.queue.jobs.update(jobId, { state: 'needs_card', reason: 'card_missing', nextRunAt: null }, now());
      p.view.events.append(job.orderNo, 'note', null, { jobId, reason: 'card_missing' }, now());
      onJobsChanged(p, p.queue.list(), seen);
    } catch (error) {
      log(`desk: could not park job ${jobId} after its card expired: ${(error as Error).message}`);
      noteError(error);
    }
  }

  function open(): Parts {
    const store = openDatabase(deps.databasePath, { log, osAccount: deps.osAccount });
    if (store.recoveredFrom) log(`desk: started a new database; the unreadable one was kept at ${store.recoveredFrom}`);
    const view = new OrderView({
      db: store.db,
      clock: deps.clock,
      depositBalances: () => (Object.keys(balances).length > 0 ? { ...balances } : undefined),
      atlasNow: () => atlasClock.earliestIso(),
    });
    const holder: { p: Parts | null } = { p: null };
    const sync = new OrderSync({
      atlas,
      db: store.db,
      view,
      clock: deps.clock,
      log,
      noteError,
      onOrdersChanged: (orderNos) => emit('orders:changed', { orderNos }),
      onStatus: (status) => emit('sync:changed', status),
      ...(deps.hintLimits ? { hintLimits: deps.hintLimits } : {}),
      // Any read that shows whether a payment happened settles what reconciliation could not.
      onOrderRead: (details) => holder.p?.queue.settleFromRead(details),
    });
    const claims = deps.team?.attach({
      db: store.db,
      onRemoteChange: (orderNos) => {
        if (!holder.p) return;
        // Another desk's regeneration or payment can move an order between lists here too.
        for (const orderNo of orderNos) holder.p.view.recategorize(orderNo);
        emit('orders:changed', { orderNos });
        emit('queue:changed', holder.p.queue.list());
      },
      onStatus: (status) => emit('team:changed', status),
      noteError,
    });
    const seen = new Map<string, string>();
    const vault = new CardVault(deps.clock, deps.cardTtlMs, {
      ...(deps.cardTimers ? { timers: deps.cardTimers } : {}),
      onExpire: (jobId) => {
        if (holder.p) onCardExpired(holder.p, jobId, seen);
      },
    });
    const queue = new RetryQueue({
      vault,
      db: store.db,
      atlas: deps.atlas,
      atlasClock,
      pace,
      clock: deps.clock,
      log,
      noteError,
      ...(deps.online ? { online: deps.online } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.priceTolerancePercent ? { priceTolerancePercent: deps.priceTolerancePercent } : {}),
      ...(claims ? { claims } : {}),
      onOrder: (details, readStartedAt) => {
        if (holder.p) onRunnerRead(holder.p, details, readStartedAt);
      },
      knownListFacts: (orderNo) => {
        const stored = view.orders.get(orderNo);
        return stored ? listFactsOf(stored.details) : null;
      },
    });
    for (const job of queue.list()) {
      seen.set(job.id, jobVersion(job));
      // Reading the list parks a job whose record this build cannot read: its order needs staff now.
      if (job.reason === RECORD_UNREADABLE) view.recategorize(job.currentOrderNo);
    }
    const p: Parts = {
      store,
      view,
      sync,
      queue,
      reports: new ReportReader(store.db),
      webhook: null,
      webhookStatus: { enabled: false, url: null, publicUrl: null, error: null },
      unsubscribe: () => {},
    };
    const offJobs = queue.onChange((jobs) => onJobsChanged(p, jobs, seen));
    const offLease = queue.onLeaseChange((status) => emit('queue:leaseChanged', status));
    const offPace = pace.onChange(() => emit('queue:paceChanged', queue.paceStatus()));
    p.unsubscribe = () => {
      offJobs();
      offLease();
      offPace();
    };
    holder.p = p;
    return p;
  }

  /** The secret path segment, made once per database and kept: it is part of the URL registered in ATRIP. */
  function webhookToken(p: Parts): string {
    const meta = new MetaRepo(p.store.db);
    let token = meta.get(WEBHOOK_TOKEN_KEY);
    if (!token) {
      token = newWebhookToken();
      meta.set(WEBHOOK_TOKEN_KEY, token);
    }
    return token;
  }

  /** Starts the receiver when enabled; a hint only prompts a re-query, within sync's hint gate. */
  async function startWebhook(p: Parts): Promise<void> {
    const config = deps.webhook?.();
    if (!config?.enabled) return;
    const receiver = new WebhookReceiver({
      host: config.host,
      port: config.port,
      token: webhookToken(p),
      log,
      onHint: (orderNo) => p.sync.hint(orderNo),
      ...(deps.webhookAddresses ? { addresses: deps.webhookAddresses } : {}),
    });
    try {
      const { url } = await receiver.start();
      p.webhook = receiver;
      p.webhookStatus = { enabled: true, url, publicUrl: null, error: null };
    } catch (error) {
      // A taken port or a refused address must not keep the desk from starting: sync still finds every order.
      log(`desk: webhook receiver not started: ${(error as Error).message}`);
      p.webhookStatus = { enabled: true, url: null, publicUrl: null, error: (error as NodeJS.ErrnoException).code ?? 'start_failed' };
    }
  }

  /** The status with the URL to register in ATRIP: the public https address (TLS proxy) + the secret path. */
  function webhookStatus(p: Parts): WebhookStatus {
    const base = deps.webhook?.().publicUrl ?? '';
    if (!p.webhookStatus.enabled || base === '') return { ...p.webhookStatus, publicUrl: null };
    const publicUrl = new URL(`webhook/${webhookToken(p)}`, base.endsWith('/') ? base : `${base}/`).href;
    return { ...p.webhookStatus, publicUrl };
  }

  /**
   * The window and the CLI check a card as staff type it; the core checks again (Luhn, expiry, CVV,
   * the holder-address fields the order's airlines require), so no caller can queue a card that
   * Atlas or the airline must refuse — a declined card cancels the order. The paymentLimit must be
   * exact in the order's card currency. The message names fields and codes only, never card data.
   */
  function assertCardUsable(p: Parts, orderNo: string, card: CardDetails): void {
    const order = p.view.get(orderNo);
    const checked = validateCard(card, {
      now: now(),
      environment: deps.environment,
      airlines: order?.details.airlines ?? [],
      limitCurrency: order ? paymentLimitCurrency(order.details, order.plan) : null,
    });
    if (checked.ok) return;
    const fields = Object.entries(checked.errors).map(([field, code]) => `${field}: ${code}`).join(', ');
    throw new DeskError('invalid_request', `The card cannot be used for ${orderNo} (${fields}).`, 'card_invalid');
  }

  function listScope(view: OrderView, scope: OrderScope): DeskOrder[] {
    const out: DeskOrder[] = [];
    const cap = scope === 'all' ? ALL_SCOPE_CAP : Number.POSITIVE_INFINITY;
    for (let offset = 0; out.length < cap; offset += PAGE) {
      const page = view.list(scope, { limit: Math.min(PAGE, cap - out.length), offset });
      out.push(...page);
      if (page.length < PAGE) break;
    }
    return out;
  }

  /** Orders named in an intent but never seen are fetched first (not marked failed). */
  async function ensureKnown(p: Parts, orderNos: readonly string[]): Promise<void> {
    const unknown = [...new Set(orderNos)].filter((orderNo) => !p.view.orders.get(orderNo));
    if (unknown.length > 0) await p.sync.addOrders(unknown, { markFailed: false, actor: deps.staffName() });
  }

  /**
   * An approval's hour counts from Atlas's clock (queue.ts #approval). A process that has not
   * heard from Atlas yet (a fresh CLI `approve`) reads the order first, so the hour is not counted
   * from a desk clock that may be hours off. Offline or refused: the desk's clock it is — and when
   * the system says there is no network, no read is tried, so queueing offline does not wait on it.
   */
  async function learnAtlasClock(p: Parts, orderNo: string): Promise<void> {
    if (atlasClock.now() !== null || deps.online?.isOnline() === false) return;
    await p.sync.refresh(orderNo).catch((error: unknown) => {
      log(`desk: ${orderNo}: Atlas's clock not read before the approval: ${(error as Error).message}`);
    });
  }

  function queueCall<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof QueueError) {
        throw new DeskError(error.code === 'not_found' ? 'not_found' : 'conflict', error.message, error.code);
      }
      throw error;
    }
  }

  /**
   * End of the regeneration window of `orderNo`'s chain (its first original's creation + 24 h),
   * when the desk knows that order: an approval never outlives it (shared/approval.ts).
   */
  function windowEnd(p: Parts, orderNo: string): string | null {
    const root = p.view.links.ancestors(orderNo).pop() ?? orderNo;
    const details = p.view.orders.get(root)?.details;
    return details ? regenerationWindowEnd(details) : null;
  }

  /**
   * An intent's approval checked against the plan the core computes for the order now: every
   * source the method charges approved, in its currency (docs/money-safety.md rule 9). Null: fine.
   */
  function intentApprovalProblem(order: DeskOrder, method: typeof DEPOSIT | typeof CARD, approved: ApprovedAmounts | undefined): RefusalReason | null {
    const offer = offerFor(order, method);
    return offer ? approvalProblem(offer, approved) : 'approval_missing';
  }

  const handlers: Handlers<CoreChannel> = {
    'orders:list': async ({ scope }) => {
      const orders = listScope(live().view, scope);
      return deps.team ? orders.map(withHold) : orders;
    },

    'orders:show': async ({ orderNo }) => {
      const { view } = live();
      const order = view.get(orderNo);
      if (!order) throw new DeskError('not_found', `Order ${orderNo} is not known to the desk; sync or add it.`, 'not_found');
      return { order: withHold(order), timeline: await teamTimeline(view.events.timeline(orderNo), orderNo) };
    },

    'orders:add': async ({ orderNos, markFailed }) =>
      live().sync.addOrders(orderNos, { markFailed, actor: deps.staffName() }),

    'orders:acknowledge': async ({ orderNo }) => {
      const { view, queue, sync } = live();
      const waiting = () => NEEDS_STAFF_CHECK.flatMap((reason) => queue.jobs.attentionFor(orderNo, reason));
      if (waiting().length === 0) {
        throw new DeskError('conflict', `${orderNo} has no payment outcome waiting to be checked.`, 'nothing_to_acknowledge');
      }
      // What Atlas shows now comes first: a read that shows the payment settles it (queue.settleFromRead).
      // Offline or refused, staff's own check in ATRIP still counts.
      await sync.refresh(orderNo).catch((error: unknown) => {
        log(`desk: acknowledge ${orderNo}: order not read: ${(error as Error).message}`);
        noteError(error);
      });
      const jobs = waiting();
      if (jobs.length > 0) {
        queue.jobs.atomically(() => {
          for (const job of jobs) {
            queue.jobs.update(job.id, { reason: OUTCOME_CHECKED }, now());
            // Staff's check settles what no read could: the step is no longer unknown.
            for (const step of queue.jobs.steps(job.id)) {
              if (step.state !== 'unknown') continue;
              queue.jobs.finishStep(step.id, 'reconciled', step.kind === 'pay' ? { paid: false, by: 'staff' } : { by: 'staff' }, now());
            }
          }
          view.events.append(orderNo, 'reconciled', deps.staffName(), { by: 'staff', jobIds: jobs.map((j) => j.id) }, now());
          view.orders.setLastActor(orderNo, deps.staffName(), now());
        });
        deps.team?.acknowledged(jobs.map((j) => j.id));
      }
      const order = view.recategorize(orderNo);
      if (!order) throw new DeskError('not_found', `Order ${orderNo} is not known to the desk.`, 'not_found');
      emit('orders:changed', { orderNos: [orderNo] });
      emit('queue:changed', queue.list());
      return order;
    },

    'orders:confirmNotCharged': async ({ orderNo }) => {
      const { view, queue } = live();
      const order = view.get(orderNo);
      if (!order) throw new DeskError('not_found', `Order ${orderNo} is not known to the desk.`, 'not_found');
      if (!cardChargeStarted(order.details)) {
        throw new DeskError('conflict', `${orderNo} has no card charge started at the airline to confirm.`, 'nothing_to_confirm');
      }
      // Recorded on the order's timeline (who and when): that record is the confirmation itself.
      queue.jobs.atomically(() => {
        view.events.append(orderNo, 'card_not_charged', deps.staffName(), {}, now());
        view.orders.setLastActor(orderNo, deps.staffName(), now());
      });
      const updated = view.recategorize(orderNo) ?? order;
      emit('orders:changed', { orderNos: [orderNo] });
      return updated;
    },

    'orders:sync': async () => {
      const run = live().sync.run();
      syncing = run;
      try {
        return await run;
      } finally {
        if (syncing === run) syncing = null;
      }
    },

    'sync:status': async () => live().sync.status(),

    'recovery:plan': async ({ orderNo }) => {
      const p = live();
      try {
        // Plans shown to staff start from what Atlas says now (rule 1), not from the last sync.
        await p.sync.refresh(orderNo);
      } catch (error) {
        if (isOrderNotFound(error)) throw new DeskError('not_found', `Atlas has no order ${orderNo}.`, 'not_found');
        // Offline: the stored copy is still worth showing; the runner re-reads before acting anyway.
        if (!isOffline(error) || !p.view.orders.get(orderNo)) throw error;
      }
      const first = p.view.get(orderNo);
      if (!first) throw new DeskError('not_found', `Order ${orderNo} is not known to the desk.`, 'not_found');
      const currencies = [
        ...new Set(first.plan.methods.flatMap((m) => (m.dueFromDeposit ? [m.dueFromDeposit.currency.toUpperCase()] : []))),
      ];
      const found = await Promise.all(currencies.map(async (currency) => ({ currency, amount: await fetchBalance(currency) })));
      const known = found.flatMap((b) => (b.amount === null ? [] : [{ currency: b.currency, amount: b.amount }]));
      // Re-plan with the balances just read, so `deposit_below_due` reflects them.
      return { plan: (p.view.get(orderNo) ?? first).plan, balances: known };
    },

    'recovery:previewDeposit': async ({ orderNos }) => {
      const p = live();
      // Recovering an order that was regenerated means recovering its chain's newest order.
      const targets = orderNos.map((orderNo) => p.view.links.newest(orderNo));
      await ensureKnown(p, targets);
      // Orders another desk is recovering leave the selection: their totals are not this desk's to pay.
      const elsewhere = orderNos.filter((orderNo, i) => (heldElsewhere(orderNo) ?? heldElsewhere(targets[i] as string)) !== null);
      const preview = await previewDeposit(
        orderNos.flatMap((orderNo, i) => (elsewhere.includes(orderNo) ? [] : [{ orderNo, order: p.view.get(targets[i] as string) }])),
        fetchBalance,
      );
      if (elsewhere.length === 0) return preview;
      return { ...preview, ineligible: [...preview.ineligible, ...[...new Set(elsewhere)].map((orderNo) => ({ orderNo, reason: CLAIMED_BY_OTHER_DESK }))] };
    },

    'recovery:deposit': async ({ orderNos, approvals }) => {
      const p = live();
      // Recovering an order that was regenerated means recovering its chain's newest order; staff
      // approved the amounts the preview showed for the order they named, which are the newest's.
      const requested = [...new Set(orderNos)].map((orderNo) => ({ orderNo, target: p.view.links.newest(orderNo) }));
      await ensureKnown(p, requested.map((r) => r.target));
      const eligible: typeof requested = [];
      const intents = new Map<string, Intent>();
      const rejected: { orderNo: string; reason: RefusalReason }[] = [];
      const approvedFor = new Map<string, Money>(approvals.map((a) => [a.orderNo, a.dueFromDeposit]));
      for (const r of requested) {
        const order = p.view.get(r.target);
        const due = approvedFor.get(r.orderNo);
        const approved = due ? { dueFromDeposit: due, dueFromCard: null } : undefined;
        const reason =
          heldElsewhere(r.orderNo) ??
          heldElsewhere(r.target) ??
          recoveryIneligibility(order, DEPOSIT) ??
          (order ? intentApprovalProblem(order, DEPOSIT, approved) : null);
        if (reason !== null || !approved) {
          rejected.push({ orderNo: r.orderNo, reason: reason ?? 'approval_missing' });
          continue;
        }
        eligible.push(r);
        // Two names of one chain: the first one's approval stands for its job.
        if (!intents.has(r.target)) intents.set(r.target, { orderNo: r.target, approved, windowEnd: windowEnd(p, r.target) });
      }
      const [first] = intents.keys();
      if (first !== undefined) await learnAtlasClock(p, first);
      const made = intents.size > 0 ? p.queue.enqueueDeposit([...intents.values()], deps.staffName()).jobs : [];
      const jobOf = new Map([...intents.keys()].map((target, i) => [target, made[i] as Job]));
      // One job per requested order, in request order (two names of one chain share its job).
      return { jobs: eligible.map((r) => jobOf.get(r.target) as Job), rejected };
    },

    'recovery:card': async ({ orderNo, card, approved, replaceJobId }) => {
      const p = live();
      const target = p.view.links.newest(orderNo);
      await ensureKnown(p, [target]);
      const hold = deps.team?.holderOf(orderNo) ?? deps.team?.holderOf(target);
      if (hold) throw new DeskError('conflict', `${orderNo} is being recovered by ${hold.staff} at another desk.`, CLAIMED_BY_OTHER_DESK);
      const order = p.view.get(target);
      const reason = recoveryIneligibility(order, CARD) ?? (order ? intentApprovalProblem(order, CARD, approved) : null);
      if (reason !== null) {
        throw new DeskError(reason === 'not_found' ? 'not_found' : 'conflict', `${target} cannot be paid by card: ${reason}`, reason);
      }
      assertCardUsable(p, target, card);
      const intent = { orderNo: target, approved, windowEnd: windowEnd(p, target) };
      await learnAtlasClock(p, target);
      return queueCall(() => p.queue.enqueueCard(intent, card, deps.staffName(), replaceJobId));
    },

    'recovery:approve': async ({ approvals }) => {
      const { queue } = live();
      const jobs: Job[] = [];
      const rejected: { jobId: string; reason: RefusalReason }[] = [];
      for (const { jobId, ...approved } of approvals) {
        const job = queue.jobs.get(jobId);
        if (job) await learnAtlasClock(live(), job.currentOrderNo);
        try {
          jobs.push(queue.approve(jobId, approved, deps.staffName(), job ? windowEnd(live(), job.orderNo) : null));
        } catch (error) {
          if (!(error instanceof QueueError)) throw error;
          rejected.push({ jobId, reason: error.code });
        }
      }
      return { jobs, rejected };
    },

    'queue:list': async () => live().queue.list(),

    'queue:cancel': async ({ jobId }) => queueCall(() => live().queue.cancel(jobId, deps.staffName())),

    'queue:lease': async () => live().queue.leaseStatus(),

    'queue:pace': async () => live().queue.paceStatus(),

    'queue:provideCard': async ({ jobId, card }) => {
      const p = live();
      const job = p.queue.jobs.get(jobId);
      if (job) assertCardUsable(p, job.currentOrderNo, card);
      return queueCall(() => p.queue.provideCard(jobId, card));
    },

    'webhook:status': async () => webhookStatus(live()),

    'webhook:rotateToken': async () => {
      const p = live();
      const token = newWebhookToken();
      new MetaRepo(p.store.db).set(WEBHOOK_TOKEN_KEY, token);
      // In place, on the running server: the old path gets 404 from the next request on.
      p.webhook?.setToken(token);
      if (p.webhookStatus.url) p.webhookStatus = { ...p.webhookStatus, url: p.webhookStatus.url.replace(/\/webhook\/[^/]+$/, `/webhook/${token}`) };
      log('desk: webhook secret path rotated; the old URL no longer works');
      return webhookStatus(p);
    },

    'team:status': async () => deps.team?.status() ?? NO_TEAM,

    'storage:status': async () => health.status(),

    'storage:check': async () => health.check(live().store.db),

    'balance:get': async ({ currencies }) => {
      const wanted = [...new Set(currencies.map((c) => c.toUpperCase()))];
      const result = await Promise.all(wanted.map(async (currency) => ({ asked: currency, balance: await atlas.balance(currency) })));
      // Only balances Atlas answered in the currency asked for: another (or none) is not that balance.
      const known: Money[] = [];
      for (const { asked, balance } of result) {
        if (balance.currency?.toUpperCase() !== asked) continue;
        balances[asked] = balance.amount;
        known.push({ amount: balance.amount, currency: asked });
      }
      return known;
    },

    'history:query': async (query) => {
      const { view } = live();
      return teamHistory(view, view.history(query), query);
    },

    'history:export': async ({ since, until, separator }) => {
      const { view } = live();
      const path = (await deps.chooseExportPath?.('atlas-retry-desk-history.csv')) ?? null;
      if (!path) return { saved: false, path: null, rows: 0 };
      const entries = view.history({ ...(since ? { since } : {}), ...(until ? { until } : {}), limit: 100_000 });
      return { saved: true, path, rows: writeHistoryCsv(path, entries, separator) };
    },

    'reports:summary': async (range) => live().reports.summary(range),

    'reports:export': async (range) => {
      const { reports } = live();
      const path = (await deps.chooseExportPath?.(reportFileName(range))) ?? null;
      if (!path) return { saved: false, path: null, rows: 0 };
      return { saved: true, path, rows: writeReportCsv(path, reports.summary(range)) };
    },
  };

  return {
    handlers: noticingStorage(handlers, noteError),

    on: pushes.on,

    async start() {
      if (parts) return;
      const p = open();
      parts = p;
      await startWebhook(p);
      // Team mode: the first jobs should find the team schema ready (if the server is down they pause).
      await deps.team?.ready(5000);
      // Crash leftovers are reconciled inside queue.start() before any other job runs (rule 5).
      if (options.runQueue ?? true) await p.queue.start();
    },

    async stop(stopOptions) {
      const p = parts;
      if (!p) return;
      const timeoutMs = stopOptions?.timeoutMs ?? 10_000;
      await p.webhook?.stop();
      p.sync.stopHints();
      await p.queue.stop({ timeoutMs });
      if (syncing) {
        // A sync writes to the store: let it finish (bounded) before the file is closed.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([syncing, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
        clearTimeout(timer);
      }
      // What the team has not got yet stays in the local store and ships on the next start.
      await deps.team?.detach({ timeoutMs: Math.min(timeoutMs, 5000) });
      p.unsubscribe();
      parts = null;
      p.store.close();
    },

    paymentInFlight: () => parts?.queue.paymentInFlight() ?? false,

    databaseRecoveredFrom: () => parts?.store.recoveredFrom ?? null,
  };
}

/** Each handler as it is, except that what it throws is shown to `noteError` on its way to the caller. */
function noticingStorage(handlers: Handlers<CoreChannel>, noteError: (error: unknown) => void): Handlers<CoreChannel> {
  const wrapped: Record<string, (request: never) => Promise<unknown>> = {};
  for (const [channel, handler] of Object.entries(handlers) as [CoreChannel, (request: never) => Promise<unknown>][]) {
    wrapped[channel] = async (request) => {
      try {
        return await handler(request);
      } catch (error) {
        noteError(error);
        throw error;
      }
    };
  }
  return wrapped as unknown as Handlers<CoreChannel>;
}
