// Pulls candidate orders from Atlas into the store: orderList.do (unpaid, ticketing, cancelled) in a
// created-time window, each order enriched by queryOrderDetails.do (the source of truth), then
// categorized and upserted with timeline events. Read-only towards Atlas: sync never mutates.
//
// Resumability: the window and the next page are kept in `meta` while a run is in progress. A
// network failure stops the run (status error) and the next run continues from that page, so
// nothing in the window is skipped. A page is re-done whole; upserts and events are idempotent
// enough for that ('seen' only on first insert, 'status_changed' only on a change).
import type { DatabaseSync } from 'node:sqlite';
import { isDeepStrictEqual } from 'node:util';
import type { OrderDetails, OrderStatus, OrderSummary } from '../../shared/atlas.ts';
import { looksLikeCardNumber, maskPan } from '../../shared/card.ts';
import type { SyncStatus } from '../../shared/desk.ts';
import { failureOf, isOrderNotFound, type AtlasApi } from '../atlas/api.ts';
import { MetaRepo } from '../store/meta-repo.ts';
import type { OrderRecord } from '../store/orders-repo.ts';
import type { Clock } from './contract.ts';
import { HintGate, type GateTimers, type HintLimits } from './hint-gate.ts';
import { hasListFacts, keepListFacts, listFactsOf, withListFacts } from './list-facts.ts';
import { OrderView, PAYMENT_ATTEMPTED_NOTE } from './order-view.ts';

/** The statuses worth syncing: -3 cancelled (Scenario B), 0 unpaid (A candidates), 1 ticketing. */
export const SYNC_STATUSES: readonly OrderStatus[] = ['cancelled', 'unpaid', 'ticketing'];

const CURSOR_KEY = 'sync.cursor';
const LAST_TO_KEY = 'sync.lastCompletedTo';
const LAST_AT_KEY = 'sync.lastSyncAt';
const ORDER_NO = /^[A-Z0-9]{6,40}$/;

/** Who asked for an order to be stored, for its events. */
interface Source {
  via: 'sync' | 'manual' | 'webhook' | 'query';
  markFailed: boolean;
  actor: string | null;
}
const SYNC_SOURCE: Source = { via: 'sync', markFailed: false, actor: null };
const HINT_SOURCE: Source = { via: 'webhook', markFailed: false, actor: null };
const QUERY_SOURCE: Source = { via: 'query', markFailed: false, actor: null };

export interface SyncProgress {
  done: number;
  total: number;
}

/** An unfinished run: its window and the next page to fetch. */
interface Cursor {
  from: string;
  to: string;
  page: number;
  done: number;
  total: number;
}

export interface OrderSyncDeps {
  /** The desk's order view, so sync stores orders exactly as the rest of the desk reads them; one is built when absent. */
  view?: OrderView;
  atlas: AtlasApi;
  db: DatabaseSync;
  clock: Clock;
  log?: (line: string) => void;
  /** Hears every error sync catches and carries on from, so a failing database reaches staff (storage-health.ts). */
  noteError?: (error: unknown) => void;
  /** Injectable so tests do not wait for real `retryAfter` seconds. */
  sleep?: (ms: number) => Promise<void>;
  /** Parallel queryOrderDetails calls; 4 by default. */
  concurrency?: number;
  pageSize?: number;
  /** Every run covers at least this many hours of creation time. 48 h by default. */
  initialWindowHours?: number;
  /** After a longer gap, a run starts this long before the previous run's end. 15 min by default. */
  overlapMinutes?: number;
  /** Never look back further than this, however long the desk was off. 30 days by default. */
  maxLookbackDays?: number;
  /** Gives up on a call after this many consecutive 429s. */
  maxRateLimitWaits?: number;
  /** Called with the order numbers whose stored state changed (feeds the `orders:changed` push). */
  onOrdersChanged?: (orderNos: string[]) => void;
  /** Every read that was stored: the queue settles steps whose outcome it shows. */
  onOrderRead?: (details: OrderDetails) => void;
  onStatus?: (status: SyncStatus) => void;
  /** Bounds on the Atlas queries webhook hints may cause (hint-gate.ts); defaults otherwise. */
  hintLimits?: Partial<HintLimits>;
  /** Timers of the hint gate; tests inject fake ones. */
  hintTimers?: GateTimers;
}

export interface AddResult {
  added: string[];
  notFound: string[];
  invalid: string[];
}


/** Runs `fn` over `items` with at most `limit` in flight; the first failure stops new starts. */
async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}

export class OrderSync {
  readonly view: OrderView;
  readonly #atlas: AtlasApi;
  readonly #meta: MetaRepo;
  readonly #clock: Clock;
  readonly #log: (line: string) => void;
  readonly #noteError: (error: unknown) => void;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #concurrency: number;
  readonly #pageSize: number;
  readonly #initialWindowMs: number;
  readonly #overlapMs: number;
  readonly #maxLookbackMs: number;
  readonly #maxRateLimitWaits: number;
  readonly #onOrdersChanged: (orderNos: string[]) => void;
  readonly #onOrderRead: (details: OrderDetails) => void;
  readonly #onStatus: (status: SyncStatus) => void;
  /** Per order, when the read whose answer is stored began (performance.now()): an older answer arriving later loses. */
  readonly #storedRead = new Map<string, number>();
  #status: SyncStatus;
  #running: Promise<SyncStatus> | null = null;
  readonly #hints: HintGate;

  constructor(deps: OrderSyncDeps) {
    this.#atlas = deps.atlas;
    this.#clock = deps.clock;
    this.#meta = new MetaRepo(deps.db);
    this.view = deps.view ?? new OrderView({ db: deps.db, clock: deps.clock });
    this.#log = deps.log ?? (() => {});
    this.#noteError = deps.noteError ?? (() => {});
    this.#sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#concurrency = Math.max(1, deps.concurrency ?? 4);
    this.#pageSize = deps.pageSize ?? 100;
    this.#initialWindowMs = (deps.initialWindowHours ?? 48) * 3_600_000;
    this.#overlapMs = (deps.overlapMinutes ?? 15) * 60_000;
    this.#maxLookbackMs = (deps.maxLookbackDays ?? 30) * 86_400_000;
    this.#maxRateLimitWaits = deps.maxRateLimitWaits ?? 10;
    this.#onOrdersChanged = deps.onOrdersChanged ?? (() => {});
    this.#onOrderRead = deps.onOrderRead ?? (() => {});
    this.#onStatus = deps.onStatus ?? (() => {});
    this.#status = { running: false, lastSyncAt: this.#meta.get(LAST_AT_KEY), done: 0, total: 0, error: null };
    this.#hints = new HintGate({
      run: (orderNo) => this.#applyHint(orderNo),
      known: (orderNo) => Boolean(this.view.orders.get(orderNo)),
      ...(deps.hintLimits ? { limits: deps.hintLimits } : {}),
      ...(deps.hintTimers ? { timers: deps.hintTimers } : {}),
    });
  }

  status(): SyncStatus {
    return { ...this.#status };
  }

  /**
   * One sync run. Concurrent callers share the run in progress. Resolves with the final status;
   * failures are reported in `status.error` ('network', 'unauthorized', …), never thrown.
   */
  run(onProgress?: (progress: SyncProgress) => void): Promise<SyncStatus> {
    this.#running ??= this.#run(onProgress ?? (() => {})).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #run(onProgress: (progress: SyncProgress) => void): Promise<SyncStatus> {
    const cursor = this.#meta.getJson<Cursor>(CURSOR_KEY) ?? this.#newCursor();
    this.#meta.setJson(CURSOR_KEY, cursor);
    this.#setStatus({ running: true, done: cursor.done, total: cursor.total, error: null });
    let pageStartDone = cursor.done;
    try {
      for (;;) {
        const page = await this.#withRateLimit(() =>
          this.#atlas.listOrders({
            orderStatus: [...SYNC_STATUSES],
            createdFrom: cursor.from,
            createdTo: cursor.to,
            page: cursor.page,
            pageSize: this.#pageSize,
          }),
        );
        cursor.total = Math.max(page.totalRecords, cursor.done);
        this.#setStatus({ total: cursor.total });
        onProgress({ done: cursor.done, total: cursor.total });
        const changed: string[] = [];
        pageStartDone = cursor.done;
        await mapLimit(page.orders, this.#concurrency, async (summary) => {
          if (await this.#refresh(summary.orderNo, summary, SYNC_SOURCE)) changed.push(summary.orderNo);
          this.#setStatus({ done: ++cursor.done });
          onProgress({ done: cursor.done, total: cursor.total });
        });
        if (changed.length > 0) this.#onOrdersChanged(changed);
        const size = page.pageSize > 0 ? page.pageSize : this.#pageSize;
        const lastPage = page.orders.length === 0 || cursor.page * size >= page.totalRecords;
        if (lastPage) break;
        // The page is fully stored: only now move the cursor past it.
        cursor.page += 1;
        this.#meta.setJson(CURSOR_KEY, cursor);
      }
      // The orders this run stored each added a segment to the search index: merge a bounded step
      // (~2 MB of writes, tens of ms) per run, so passenger search reads one segment, not dozens.
      this.view.orders.mergeSearchIndex();
      const finishedAt = new Date(this.#clock.now()).toISOString();
      this.#meta.set(LAST_TO_KEY, cursor.to);
      this.#meta.set(LAST_AT_KEY, finishedAt);
      this.#meta.delete(CURSOR_KEY);
      this.#setStatus({ running: false, lastSyncAt: finishedAt, error: null });
    } catch (error) {
      this.#noteError(error);
      this.#log(`sync: stopped at page ${cursor.page} (${(error as Error).message}); will resume there`);
      // Before the cursor write, which fails too when the store is failing: the run is over either way.
      this.#setStatus({ running: false, error: failureOf(error)?.kind ?? 'internal' });
      // The cursor stays: the next run resumes at the page that failed.
      this.#meta.setJson(CURSOR_KEY, { ...cursor, done: pageStartDone });
    }
    return this.status();
  }

  #newCursor(): Cursor {
    const now = this.#clock.now();
    const lastTo = this.#meta.get(LAST_TO_KEY);
    const floor = now - this.#maxLookbackMs;
    // Statuses change after creation (Scenario B happens after payment), so every run covers at
    // least the last 48 h; after a longer gap it reaches back to the previous run's end.
    const recent = now - this.#initialWindowMs;
    const from = lastTo ? Math.max(Math.min(Date.parse(lastTo) - this.#overlapMs, recent), floor) : recent;
    return { from: new Date(from).toISOString(), to: new Date(now).toISOString(), page: 1, done: 0, total: 0 };
  }

  /**
   * Queries one order and stores it. Returns true when its stored state changed. 800 (not found)
   * is logged and skipped during sync; network errors propagate (they stop the run).
   */
  async #refresh(
    orderNo: string,
    summary: OrderSummary | null,
    source: Source,
  ): Promise<boolean> {
    let details: OrderDetails;
    const readStartedAt = performance.now();
    try {
      details = await this.#withRateLimit(() => this.#atlas.queryOrder(orderNo));
    } catch (error) {
      if (summary && (isOrderNotFound(error) || failureOf(error)?.kind === 'invalid_response')) {
        // One unreadable order must not block every future sync: skip it, say so.
        this.#log(`sync: skipped ${orderNo}: ${(error as Error).message}`);
        return false;
      }
      throw error;
    }
    details = summary ? withListFacts(details, listFactsOf(summary)) : await this.#withOwnListRow(details);
    return this.#store(details, source, readStartedAt);
  }

  /**
   * An order read by number (added, hinted): the creation time and city codes only its own list
   * row states are fetched once, unless the desk keeps them already. A failed lookup leaves them
   * unknown — the plan then asks staff rather than guess (docs/money-safety.md rule 3).
   */
  async #withOwnListRow(details: OrderDetails): Promise<OrderDetails> {
    const kept = keepListFacts(details, this.#keptFacts(details.orderNo));
    if (hasListFacts(kept)) return kept;
    try {
      const page = await this.#withRateLimit(() => this.#atlas.listOrders({ orderNo: details.orderNo, page: 1, pageSize: 10 }));
      const row = page.orders.find((o) => o.orderNo === details.orderNo);
      return row ? withListFacts(kept, listFactsOf(row)) : kept;
    } catch (error) {
      this.#log(`sync: list row of ${details.orderNo} not read: ${(error as Error).message}`);
      return kept;
    }
  }

  #keptFacts(orderNo: string) {
    const stored = this.view.orders.get(orderNo);
    return stored ? listFactsOf(stored.details) : null;
  }

  /**
   * Stores one read. `readStartedAt` is when its request left (performance.now()): when two reads
   * of one order cross, the answer to the later request is kept, whichever arrives last.
   */
  #store(fresh: OrderDetails, source: Source, readStartedAt: number): boolean {
    const { orders, events } = this.view;
    const newest = this.#storedRead.get(fresh.orderNo);
    if (newest !== undefined && readStartedAt < newest) return false;
    this.#storedRead.set(fresh.orderNo, readStartedAt);
    const now = new Date(this.#clock.now()).toISOString();
    const existing = orders.get(fresh.orderNo);
    // queryOrderDetails may not state what the order's own list row did: keep it.
    const details = keepListFacts(fresh, existing ? listFactsOf(existing.details) : null);
    const markedFailed = (existing?.markedFailed ?? false) || source.markFailed;
    const { category, attentionReason } = this.view.categoryOf(details, markedFailed);
    const result = orders.upsert({
      details,
      category,
      attentionReason,
      now,
      markFailed: source.markFailed,
      actor: source.actor,
    });
    const actor = source.actor;
    const facts = { orderStatus: details.orderStatus, errorCode: details.errorCode };
    let changed = result.created;
    if (result.previous === null) {
      events.append(details.orderNo, 'seen', actor, { ...facts, source: source.via }, now);
    } else if (
      result.previous.orderStatus !== details.orderStatus ||
      result.previous.errorCode !== details.errorCode
    ) {
      events.append(
        details.orderNo,
        'status_changed',
        actor,
        { from: result.previous.orderStatus, fromErrorCode: result.previous.errorCode, to: details.orderStatus, errorCode: details.errorCode },
        now,
      );
      changed = true;
    }
    // Atlas's own evidence that a payment failed (rule 12), dated on the timeline like a staff mark,
    // so reports can say when the desk first knew.
    if (details.orderStatus === 'unpaid' && details.paymentAttempted === true && existing?.details.paymentAttempted !== true) {
      events.append(details.orderNo, 'note', actor, { reason: PAYMENT_ATTEMPTED_NOTE }, now);
    }
    if (source.markFailed && !existing?.markedFailed) {
      events.append(details.orderNo, 'marked_failed', actor, {}, now);
      changed = true;
    }
    this.#onOrderRead(details);
    return changed || result.previous?.category !== category;
  }

  /** Calls `fn`, waiting out 429s (`retryAfter` seconds, 1 s if absent) up to a bound. */
  async #withRateLimit<T>(fn: () => Promise<T>): Promise<T> {
    for (let waits = 0; ; waits++) {
      try {
        return await fn();
      } catch (error) {
        const failure = failureOf(error);
        if (failure?.kind !== 'rate_limited' || waits >= this.#maxRateLimitWaits) throw error;
        const seconds = failure.retryAfter ?? 1;
        this.#log(`sync: rate limited, waiting ${seconds}s`);
        await this.#sleep(seconds * 1000);
      }
    }
  }

  /**
   * Stores an order the desk just read itself (the runner's pre-pay query, recovery:plan) exactly
   * like a synced one: categorized, upserted, seen/status_changed events. True when it changed.
   * `readStartedAt`: performance.now() when that read's request left.
   */
  ingest(details: OrderDetails, readStartedAt: number): boolean {
    const changed = this.#store(details, QUERY_SOURCE, readStartedAt);
    if (changed) this.#onOrdersChanged([details.orderNo]);
    return changed;
  }

  /** Reads one order now (the plan shown to staff, staff acknowledging an outcome) and stores it. True when it changed. */
  async refresh(orderNo: string): Promise<boolean> {
    const changed = await this.#refresh(orderNo, null, QUERY_SOURCE);
    if (changed) this.#onOrdersChanged([orderNo]);
    return changed;
  }

  /**
   * Staff add orders by number (orders:add). Each is queried; Atlas 800 → notFound, a malformed
   * number → invalid. Network failures are thrown after the orders already done are stored.
   */
  async addOrders(orderNos: readonly string[], options: { markFailed: boolean; actor: string }): Promise<AddResult> {
    const result: AddResult = { added: [], notFound: [], invalid: [] };
    const wanted: string[] = [];
    for (const raw of orderNos) {
      const orderNo = raw.trim().toUpperCase();
      // A card number pasted among order numbers goes neither to Atlas nor back in full.
      if (looksLikeCardNumber(raw)) result.invalid.push(maskPan(raw));
      else if (!ORDER_NO.test(orderNo)) result.invalid.push(raw);
      else if (!wanted.includes(orderNo)) wanted.push(orderNo);
    }
    try {
      await mapLimit(wanted, this.#concurrency, async (orderNo) => {
        try {
          await this.#refresh(orderNo, null, { via: 'manual', markFailed: options.markFailed, actor: options.actor });
          result.added.push(orderNo);
        } catch (error) {
          if (isOrderNotFound(error)) result.notFound.push(orderNo);
          else throw error;
        }
      });
    } finally {
      if (result.added.length > 0) this.#onOrdersChanged([...result.added]);
    }
    return result;
  }

  /**
   * A webhook said something about `orderNo`: re-query it (the payload is never trusted), within the
   * hint gate's bounds (per order, overall, concurrency; duplicates coalesce). Resolves when the
   * query it led to is done, or at once when the hint was dropped. Never throws.
   */
  hint(orderNo: string): Promise<void> {
    const normalized = orderNo.trim().toUpperCase();
    if (!ORDER_NO.test(normalized)) return Promise.resolve();
    return this.#hints.offer(normalized).done;
  }

  /** Queries hints caused, and hints dropped for lack of room (for tests and logs). */
  hintStats(): ReturnType<HintGate['stats']> {
    return this.#hints.stats();
  }

  /** No more hint queries (desk stop); those running finish. */
  stopHints(): void {
    this.#hints.stop();
  }

  /**
   * The re-query behind a hint. Nothing is written unless Atlas's answer differs from what the
   * desk holds: a forged or repeated hint costs one query and no row.
   */
  async #applyHint(orderNo: string): Promise<void> {
    try {
      const readStartedAt = performance.now();
      // queryOrderDetails carries no creation time or city codes; keep those orderList gave us.
      const details = await this.#withOwnListRow(await this.#withRateLimit(() => this.#atlas.queryOrder(orderNo)));
      const existing = this.view.orders.get(orderNo);
      if (existing && this.#unchanged(existing, details)) return;
      if (!this.#store(details, HINT_SOURCE, readStartedAt)) return;
      this.view.events.append(orderNo, 'webhook_hint', null, {});
      this.#onOrdersChanged([orderNo]);
    } catch (error) {
      // Sync will pick it up later; a hint is only a prompt.
      this.#log(`sync: hint for ${orderNo} not applied: ${(error as Error).message}`);
      this.#noteError(error);
    }
  }

  #unchanged(existing: OrderRecord, details: OrderDetails): boolean {
    const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    if (!isDeepStrictEqual(plain(existing.details), plain(details))) return false;
    const { category, attentionReason } = this.view.categoryOf(details, existing.markedFailed);
    return category === existing.category && attentionReason === existing.attentionReason;
  }

  #setStatus(patch: Partial<SyncStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#onStatus(this.status());
  }
}
