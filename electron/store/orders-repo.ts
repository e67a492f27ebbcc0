// Orders as last seen in Atlas, with the desk's own facts (category, "marked failed", last actor).
// The plan is not stored: it depends on `now` and is recomputed when an order is shown
// (electron/core/order-view.ts). Search columns are denormalised at write time.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { OrderDetails, OrderStatus } from '../../shared/atlas.ts';
import type { AttentionReason, Category } from '../../shared/desk.ts';
import { transaction } from './db.ts';
import { searchText, trigramPhrase } from './search-query.ts';

export type OrderScope = 'failed' | 'unpaid' | 'all';

/** Categories listed on the "failed orders" screen (docs/money-safety.md §1). */
export const FAILED_CATEGORIES: readonly Category[] = ['B', 'A', 'attention', 'ticketing'];

export interface OrderRecord {
  details: OrderDetails;
  category: Category;
  attentionReason: AttentionReason | null;
  markedFailed: boolean;
  firstSeenAt: string;
  lastSyncedAt: string;
  lastActor: string | null;
  updatedAt: string;
}

export interface OrderUpsert {
  details: OrderDetails;
  category: Category;
  attentionReason: AttentionReason | null;
  /** ISO UTC; becomes last_synced_at / updated_at (and first_seen_at on insert). */
  now: string;
  /** Sets marked_failed; never clears it (evidence of a failed payment does not expire). */
  markFailed?: boolean;
  actor?: string | null;
}

export interface UpsertResult {
  created: boolean;
  /** State before this write, to decide whether a status_changed event is due. */
  previous: { orderStatus: OrderStatus; errorCode: string | null; category: Category } | null;
}

export interface ListOptions {
  /** Page size; 500 by default. */
  limit?: number;
  offset?: number;
}

interface OrderRow {
  details_json: string;
  category: string;
  attention_reason: string | null;
  marked_failed: number;
  first_seen_at: string;
  last_synced_at: string;
  last_actor: string | null;
  updated_at: string;
}

const RECORD_COLUMNS =
  'details_json, category, attention_reason, marked_failed, first_seen_at, last_synced_at, last_actor, updated_at';

function toRecord(row: OrderRow): OrderRecord {
  return {
    details: JSON.parse(row.details_json) as OrderDetails,
    category: row.category as Category,
    attentionReason: row.attention_reason as AttentionReason | null,
    markedFailed: row.marked_failed === 1,
    firstSeenAt: row.first_seen_at,
    lastSyncedAt: row.last_synced_at,
    lastActor: row.last_actor,
    updatedAt: row.updated_at,
  };
}

/** Airline PNRs of all passengers; round trips may come as "X|Y". */
function airlinePnrs(details: OrderDetails): string {
  const set = new Set<string>();
  for (const p of details.passengers) for (const pnr of p.airlinePNRs) for (const part of pnr.split('|')) if (part) set.add(part);
  return [...set].join(' ');
}

export class OrdersRepo {
  readonly #db: DatabaseSync;
  readonly #get: StatementSync;
  readonly #previous: StatementSync;
  readonly #upsert: StatementSync;
  readonly #failedPage: StatementSync;
  readonly #unpaidPage: StatementSync;
  readonly #allPage: StatementSync;
  readonly #exact: StatementSync;
  readonly #substring: StatementSync;
  readonly #trigram: StatementSync;
  readonly #markFailed: StatementSync;
  readonly #setActor: StatementSync;
  readonly #setCategory: StatementSync;
  readonly #mergeIndex: StatementSync;
  readonly #totalChanges: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#get = db.prepare(`SELECT ${RECORD_COLUMNS} FROM orders WHERE order_no = ?`);
    this.#previous = db.prepare('SELECT order_status, error_code, category FROM orders WHERE order_no = ?');
    this.#upsert = db.prepare(`
      INSERT INTO orders (order_no, order_status, category, attention_reason, error_code, pnr_code,
        airline_pnrs, pax_names, airlines, currency, total_price, tkt_limit_time, created_at, dep_date,
        details_json, marked_failed, first_seen_at, last_synced_at, last_actor, updated_at)
      VALUES (:order_no, :order_status, :category, :attention_reason, :error_code, :pnr_code,
        :airline_pnrs, :pax_names, :airlines, :currency, :total_price, :tkt_limit_time, :created_at, :dep_date,
        :details_json, :marked_failed, :now, :now, :actor, :now)
      ON CONFLICT (order_no) DO UPDATE SET
        order_status = excluded.order_status,
        category = excluded.category,
        attention_reason = excluded.attention_reason,
        error_code = excluded.error_code,
        pnr_code = excluded.pnr_code,
        airline_pnrs = excluded.airline_pnrs,
        pax_names = excluded.pax_names,
        airlines = excluded.airlines,
        currency = excluded.currency,
        total_price = excluded.total_price,
        tkt_limit_time = excluded.tkt_limit_time,
        -- queryOrderDetails may not carry the creation time that orderList gave us: keep it.
        created_at = COALESCE(excluded.created_at, orders.created_at),
        dep_date = excluded.dep_date,
        details_json = excluded.details_json,
        marked_failed = MAX(orders.marked_failed, excluded.marked_failed),
        last_synced_at = excluded.last_synced_at,
        last_actor = COALESCE(excluded.last_actor, orders.last_actor),
        updated_at = excluded.updated_at`);
    // Two steps: pick the page's rowids from the (category, tkt_limit_time) index alone, then read
    // only those rows. Each category is read in index order (no sort of the whole list) and capped
    // at limit+offset rows; only those few are merged and sorted. Ties break on rowid, which the
    // index holds. Orders with no deadline (ticketing) come last.
    const page = (categories: readonly Category[]) => {
      const parts = categories.map(
        (c) => `SELECT * FROM (SELECT rowid AS r, tkt_limit_time AS d, 0 AS undated FROM orders
            WHERE category = '${c}' AND tkt_limit_time IS NOT NULL ORDER BY tkt_limit_time, rowid LIMIT :n)`,
      );
      parts.push(`SELECT * FROM (SELECT rowid AS r, NULL AS d, 1 AS undated FROM orders
          WHERE category IN (${categories.map((c) => `'${c}'`).join(', ')}) AND tkt_limit_time IS NULL ORDER BY rowid LIMIT :n)`);
      return db.prepare(`
        WITH picked AS (SELECT r, d, undated FROM (${parts.join(' UNION ALL ')})
          ORDER BY undated, d, r LIMIT :limit OFFSET :offset)
        SELECT ${RECORD_COLUMNS} FROM picked JOIN orders ON orders.rowid = picked.r
        ORDER BY picked.undated, picked.d, picked.r`);
    };
    this.#failedPage = page(FAILED_CATEGORIES);
    this.#unpaidPage = page(['unpaid']);
    this.#allPage = db.prepare(`
      SELECT ${RECORD_COLUMNS} FROM orders WHERE rowid IN (
        SELECT rowid FROM orders ORDER BY updated_at DESC LIMIT :limit OFFSET :offset)
      ORDER BY updated_at DESC, order_no`);
    this.#exact = db.prepare(`
      SELECT ${RECORD_COLUMNS} FROM orders WHERE order_no = :q
      UNION ALL
      SELECT ${RECORD_COLUMNS} FROM orders WHERE pnr_code = :q AND order_no <> :q`);
    // 3+ characters: the trigram index (orders_fts) gives the matching rowids without a scan. The
    // limit applies after ordering: a common surname must answer its newest orders, not the first
    // rows the index happens to hold.
    this.#trigram = db.prepare(`
      SELECT ${RECORD_COLUMNS} FROM orders WHERE rowid IN (
        SELECT rowid FROM orders WHERE rowid IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH :phrase)
        ORDER BY updated_at DESC, order_no LIMIT :limit)
      ORDER BY updated_at DESC, order_no`);
    // 1–2 characters match most orders: walk them newest first and stop at the limit. instr() on
    // columns stored upper-case is several times faster than LIKE and has no wildcards.
    this.#substring = db.prepare(`
      SELECT ${RECORD_COLUMNS} FROM orders INDEXED BY orders_updated_at
      WHERE instr(pax_names, :q) OR instr(airline_pnrs, :q) OR instr(order_no, :q) OR instr(pnr_code, :q)
      ORDER BY updated_at DESC, order_no LIMIT :limit`);
    this.#markFailed = db.prepare(
      'UPDATE orders SET marked_failed = 1, last_actor = COALESCE(:actor, last_actor), updated_at = :now WHERE order_no = :order_no',
    );
    this.#setActor = db.prepare('UPDATE orders SET last_actor = :actor, updated_at = :now WHERE order_no = :order_no');
    this.#setCategory = db.prepare(
      'UPDATE orders SET category = :category, attention_reason = :reason, updated_at = :now WHERE order_no = :order_no',
    );
    // A negative page count makes FTS5's incremental 'merge' work towards one segment (an
    // 'optimize' done a bounded step at a time).
    this.#mergeIndex = db.prepare(`INSERT INTO orders_fts (orders_fts, rank) VALUES ('merge', -:pages)`);
    this.#totalChanges = db.prepare('SELECT total_changes() AS n');
  }

  upsert(input: OrderUpsert): UpsertResult {
    const d = input.details;
    return transaction(this.#db, () => {
      const prev = this.#previous.get(d.orderNo) as
        | { order_status: OrderStatus; error_code: string | null; category: Category }
        | undefined;
      this.#upsert.run({
        order_no: d.orderNo,
        order_status: d.orderStatus,
        category: input.category,
        attention_reason: input.attentionReason,
        error_code: d.errorCode,
        // Search columns are stored upper-case so search can use instr() (details_json keeps the original).
        pnr_code: d.pnrCode?.toUpperCase() ?? null,
        airline_pnrs: airlinePnrs(d).toUpperCase(),
        pax_names: d.passengers.map((p) => p.name).join(' ').toUpperCase(),
        airlines: d.airlines.join(' '),
        currency: d.currency,
        total_price: d.totalPrice,
        tkt_limit_time: d.tktLimitTime,
        created_at: d.createdAt,
        dep_date: d.depDate,
        details_json: JSON.stringify(d),
        marked_failed: input.markFailed ? 1 : 0,
        now: input.now,
        actor: input.actor ?? null,
      });
      return {
        created: prev === undefined,
        previous: prev
          ? { orderStatus: prev.order_status, errorCode: prev.error_code, category: prev.category }
          : null,
      };
    });
  }

  get(orderNo: string): OrderRecord | null {
    const row = this.#get.get(orderNo) as OrderRow | undefined;
    return row ? toRecord(row) : null;
  }

  /**
   * One page of a list. 'failed' and 'unpaid' are ordered by payment deadline (soonest first,
   * no deadline last); 'all' by most recently updated.
   */
  list(scope: OrderScope, options: ListOptions = {}): OrderRecord[] {
    const limit = options.limit ?? 500;
    const offset = options.offset ?? 0;
    const rows =
      scope === 'failed'
        ? this.#failedPage.all({ limit, offset, n: limit + offset })
        : scope === 'unpaid'
          ? this.#unpaidPage.all({ limit, offset, n: limit + offset })
          : this.#allPage.all({ limit, offset });
    return (rows as unknown as OrderRow[]).map(toRecord);
  }

  /**
   * Finds orders by order number, Atlas PNR, airline PNR or passenger name (case-insensitive
   * substring). An exact order-number / Atlas-PNR match is returned alone.
   */
  search(text: string, limit = 50): OrderRecord[] {
    const q = searchText(text);
    if (!q) return [];
    const exact = this.#exact.all({ q }) as unknown as OrderRow[];
    const seen = new Set<string>();
    const out: OrderRecord[] = [];
    const push = (row: OrderRow) => {
      const rec = toRecord(row);
      if (seen.has(rec.details.orderNo) || out.length >= limit) return;
      seen.add(rec.details.orderNo);
      out.push(rec);
    };
    exact.forEach(push);
    // A full order number or PNR is what staff paste most: answer it without scanning.
    if (out.length === 0) {
      const phrase = trigramPhrase(q);
      const rows = phrase ? this.#trigram.all({ phrase, limit }) : this.#substring.all({ q, limit });
      (rows as unknown as OrderRow[]).forEach(push);
    }
    return out;
  }

  /**
   * One bounded step (about `pages` index pages written) of merging the trigram index into a single
   * segment. Every committed write of new search text adds a small segment, and a 3+ character
   * search reads each trigram's doclist once per segment: at 100,000 orders the index holds ~10
   * segments and a passenger search spends ~1.6× the CPU in FTS5 it spends on one. Answers do not
   * change.
   * True while there was work to do (FTS5 reports none as fewer than 2 changes).
   */
  mergeSearchIndex(pages = 500): boolean {
    const changes = () => (this.#totalChanges.get() as { n: number }).n;
    const before = changes();
    this.#mergeIndex.run({ pages });
    return changes() - before >= 2;
  }

  /** Records staff's evidence that payment failed (Scenario A). False when the order is unknown. */
  markFailed(orderNo: string, actor: string | null, now: string): boolean {
    return Number(this.#markFailed.run({ order_no: orderNo, actor, now }).changes) > 0;
  }

  setLastActor(orderNo: string, actor: string, now: string): boolean {
    return Number(this.#setActor.run({ order_no: orderNo, actor, now }).changes) > 0;
  }

  setCategory(orderNo: string, category: Category, reason: AttentionReason | null, now: string): boolean {
    return Number(this.#setCategory.run({ order_no: orderNo, category, reason, now }).changes) > 0;
  }

  count(scope: OrderScope = 'all'): number {
    const where =
      scope === 'failed'
        ? `WHERE category IN (${FAILED_CATEGORIES.map((c) => `'${c}'`).join(', ')})`
        : scope === 'unpaid'
          ? `WHERE category = 'unpaid'`
          : '';
    return (this.#db.prepare(`SELECT COUNT(*) AS n FROM orders ${where}`).get() as { n: number }).n;
  }
}
