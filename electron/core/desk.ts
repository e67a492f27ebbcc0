// Composition root of the desk core (DESIGN.md §4.4): opens the store, wires sync, the order view,
// the durable queue and its card vault, and serves every core IPC channel. Plain Node: the
// Electron shell, the CLI and the browser-test bridge all drive this same object. Periodic sync
// is the shell's job; this file only runs what it is asked to.
import type { CardDetails, OrderDetails } from '../../shared/atlas.ts';
import { validateCard } from '../../shared/card.ts';
import { CARD, DEPOSIT } from '../../shared/atlas.ts';
import type { DeskOrder, Job, SyncStatus } from '../../shared/desk.ts';
import type { CoreChannel, Handlers, WebhookStatus } from '../../shared/ipc.ts';
import { isOffline, isOrderNotFound } from '../atlas/api.ts';
import { openDatabase, type DeskDatabase } from '../store/db.ts';
import { RECORD_UNREADABLE } from '../store/jobs-repo.ts';
import { MetaRepo } from '../store/meta-repo.ts';
import type { OrderScope } from '../store/orders-repo.ts';
import { AtlasClock } from './atlas-clock.ts';
import type { DeskCore, DeskDeps } from './contract.ts';
import { previewDeposit, recoveryIneligibility } from './deposit-preview.ts';
import { writeHistoryCsv } from './history-csv.ts';
import { listFactsOf } from './list-facts.ts';
import { NEEDS_STAFF_CHECK, OrderView, OUTCOME_CHECKED } from './order-view.ts';
import { DeskError } from './desk-error.ts';
import { createPushHub } from './push-hub.ts';
import { QueueError, RetryQueue } from './queue.ts';
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
  webhook: WebhookReceiver | null;
  webhookStatus: WebhookStatus;
  unsubscribe: () => void;
}

/** What a job looked like when last seen; a row parked on read changes state without a new updatedAt. */
const jobVersion = (job: Job) => `${job.updatedAt}|${job.state}|${job.reason ?? ''}`;

/** The webhook URL is registered in ATRIP once, so its secret token must survive restarts. */
const WEBHOOK_TOKEN_KEY = 'webhook_token';



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
  const atlas = atlasClock.wrap(deps.atlas);

  const emit = pushes.emit;

  const live = (): Parts => {
    if (!parts) throw new DeskError('conflict', 'The desk core is not started.');
    return parts;
  };

  async function fetchBalance(currency: string): Promise<number | null> {
    try {
      const money = await atlas.balance(currency);
      balances[money.currency.toUpperCase()] = money.amount;
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
        p.view.events.append(orderNo, 'marked_failed', null, { reason: 'regenerated_by_desk', from }, now());
        p.view.recategorize(orderNo);
        emit('orders:changed', { orderNos: [orderNo] });
      }
    } catch (error) {
      // Bookkeeping must never break a payment step; the next sync stores the order anyway.
      log(`desk: could not store ${details.orderNo}: ${(error as Error).message}`);
    }
  }

  /** Job changes move orders between lists (regenerated, paid, cancelled again): recategorize them. */
  function onJobsChanged(p: Parts, jobs: Job[], seen: Map<string, string>): void {
    const touched = new Set<string>();
    for (const job of jobs) {
      if (seen.get(job.id) === jobVersion(job)) continue;
      seen.set(job.id, jobVersion(job));
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
      }
    }
    emit('queue:changed', jobs);
    if (changed.length > 0) emit('orders:changed', { orderNos: changed });
  }

  function open(): Parts {
    const store = openDatabase(deps.databasePath, { log });
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
      onOrdersChanged: (orderNos) => emit('orders:changed', { orderNos }),
      onStatus: (status) => emit('sync:changed', status),
      // Any read that shows whether a payment happened settles what reconciliation could not.
      onOrderRead: (details) => holder.p?.queue.settleFromRead(details),
    });
    const queue = new RetryQueue({
      db: store.db,
      atlas: deps.atlas,
      atlasClock,
      clock: deps.clock,
      log,
      ...(deps.online ? { online: deps.online } : {}),
      ...(deps.queueConcurrency ? { concurrency: deps.queueConcurrency } : {}),
      onOrder: (details, readStartedAt) => {
        if (holder.p) onRunnerRead(holder.p, details, readStartedAt);
      },
      knownListFacts: (orderNo) => {
        const stored = view.orders.get(orderNo);
        return stored ? listFactsOf(stored.details) : null;
      },
    });
    const seen = new Map<string, string>();
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
      webhook: null,
      webhookStatus: { enabled: false, url: null, error: null },
      unsubscribe: () => {},
    };
    p.unsubscribe = queue.onChange((jobs) => onJobsChanged(p, jobs, seen));
    holder.p = p;
    return p;
  }

  /** Starts the receiver when enabled; a hint only prompts a re-query (sync.hint coalesces duplicates). */
  async function startWebhook(p: Parts): Promise<void> {
    const config = deps.webhook?.();
    if (!config?.enabled) return;
    const meta = new MetaRepo(p.store.db);
    let token = meta.get(WEBHOOK_TOKEN_KEY);
    if (!token) {
      token = newWebhookToken();
      meta.set(WEBHOOK_TOKEN_KEY, token);
    }
    const receiver = new WebhookReceiver({
      host: config.host,
      port: config.port,
      token,
      log,
      onHint: (orderNo) => p.sync.hint(orderNo),
    });
    try {
      const { url } = await receiver.start();
      p.webhook = receiver;
      p.webhookStatus = { enabled: true, url, error: null };
    } catch (error) {
      // A taken port must not keep the desk from starting: sync still finds every order.
      log(`desk: webhook receiver not started: ${(error as Error).message}`);
      p.webhookStatus = { enabled: true, url: null, error: (error as NodeJS.ErrnoException).code ?? 'start_failed' };
    }
  }

  /**
   * The window and the CLI check a card as staff type it; the core checks again (Luhn, expiry, CVV,
   * the holder-address fields the order's airlines require), so no caller can queue a card that
   * Atlas or the airline must refuse — a declined card cancels the order. The message names
   * fields and codes only, never card data.
   */
  function assertCardUsable(p: Parts, orderNo: string, card: CardDetails): void {
    const checked = validateCard(card, { now: now(), airlines: p.view.get(orderNo)?.details.airlines ?? [] });
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

  const handlers: Handlers<CoreChannel> = {
    'orders:list': async ({ scope }) => listScope(live().view, scope),

    'orders:show': async ({ orderNo }) => {
      const { view } = live();
      const order = view.get(orderNo);
      if (!order) throw new DeskError('not_found', `Order ${orderNo} is not known to the desk; sync or add it.`, 'not_found');
      return { order, timeline: view.events.timeline(orderNo) };
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
      await sync.refresh(orderNo).catch((error: unknown) => log(`desk: acknowledge ${orderNo}: order not read: ${(error as Error).message}`));
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
      }
      const order = view.recategorize(orderNo);
      if (!order) throw new DeskError('not_found', `Order ${orderNo} is not known to the desk.`, 'not_found');
      emit('orders:changed', { orderNos: [orderNo] });
      emit('queue:changed', queue.list());
      return order;
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
      const targets = orderNos.map((orderNo) => p.view.links.newest(orderNo));
      await ensureKnown(p, targets);
      return previewDeposit(
        orderNos.map((orderNo, i) => ({ orderNo, order: p.view.get(targets[i] as string) })),
        fetchBalance,
      );
    },

    'recovery:deposit': async ({ orderNos }) => {
      const p = live();
      // Recovering an order that was regenerated means recovering its chain's newest order.
      const requested = [...new Set(orderNos)].map((orderNo) => ({ orderNo, target: p.view.links.newest(orderNo) }));
      await ensureKnown(p, requested.map((r) => r.target));
      const eligible: typeof requested = [];
      const rejected: { orderNo: string; reason: string }[] = [];
      for (const r of requested) {
        const reason = recoveryIneligibility(p.view.get(r.target), DEPOSIT);
        if (reason === null) eligible.push(r);
        else rejected.push({ orderNo: r.orderNo, reason });
      }
      const targets = [...new Set(eligible.map((r) => r.target))];
      const made = targets.length > 0 ? p.queue.enqueueDeposit(targets, deps.staffName()).jobs : [];
      const jobOf = new Map(targets.map((target, i) => [target, made[i] as Job]));
      // One job per requested order, in request order (two names of one chain share its job).
      return { jobs: eligible.map((r) => jobOf.get(r.target) as Job), rejected };
    },

    'recovery:card': async ({ orderNo, card }) => {
      const p = live();
      const target = p.view.links.newest(orderNo);
      await ensureKnown(p, [target]);
      const reason = recoveryIneligibility(p.view.get(target), CARD);
      if (reason !== null) {
        throw new DeskError(reason === 'not_found' ? 'not_found' : 'conflict', `${target} cannot be paid by card: ${reason}`, reason);
      }
      assertCardUsable(p, target, card);
      return p.queue.enqueueCard(target, card, deps.staffName());
    },

    'queue:list': async () => live().queue.list(),

    'queue:cancel': async ({ jobId }) => queueCall(() => live().queue.cancel(jobId, deps.staffName())),

    'queue:provideCard': async ({ jobId, card }) => {
      const p = live();
      const job = p.queue.jobs.get(jobId);
      if (job) assertCardUsable(p, job.currentOrderNo, card);
      return queueCall(() => p.queue.provideCard(jobId, card));
    },

    'webhook:status': async () => live().webhookStatus,

    'balance:get': async ({ currencies }) => {
      const wanted = [...new Set(currencies.map((c) => c.toUpperCase()))];
      const result = await Promise.all(wanted.map((currency) => atlas.balance(currency)));
      for (const money of result) balances[money.currency.toUpperCase()] = money.amount;
      return result;
    },

    'history:query': async (query) => live().view.history(query),

    'history:export': async ({ since, until }) => {
      const { view } = live();
      const path = (await deps.chooseExportPath?.()) ?? null;
      if (!path) return { saved: false, path: null, rows: 0 };
      const entries = view.history({ ...(since ? { since } : {}), ...(until ? { until } : {}), limit: 100_000 });
      return { saved: true, path, rows: writeHistoryCsv(path, entries) };
    },
  };

  return {
    handlers,

    on: pushes.on,

    async start() {
      if (parts) return;
      const p = open();
      parts = p;
      await startWebhook(p);
      // Crash leftovers are reconciled inside queue.start() before any other job runs (rule 5).
      if (options.runQueue ?? true) await p.queue.start();
    },

    async stop(stopOptions) {
      const p = parts;
      if (!p) return;
      const timeoutMs = stopOptions?.timeoutMs ?? 10_000;
      await p.webhook?.stop();
      await p.queue.stop({ timeoutMs });
      if (syncing) {
        // A sync writes to the store: let it finish (bounded) before the file is closed.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([syncing, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
        clearTimeout(timer);
      }
      p.unsubscribe();
      parts = null;
      p.store.close();
    },

    paymentInFlight: () => parts?.queue.paymentInFlight() ?? false,

    databaseRecoveredFrom: () => parts?.store.recoveredFrom ?? null,
  };
}
