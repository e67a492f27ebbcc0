// Append-only timeline per order. There is no update or delete here on purpose: the timeline is the
// desk's audit trail. Every payload is redacted before it is written (docs/money-safety.md rule 6).
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EventKind, TimelineEvent } from '../../shared/desk.ts';
import { redact } from './redact.ts';
import { searchText, trigramPhrase } from './search-query.ts';

export interface HistoryFilter {
  /** Order number, PNR, airline PNR or passenger name (substring, case-insensitive). */
  search?: string;
  /** ISO UTC, inclusive. */
  since?: string;
  /** ISO UTC, inclusive. */
  until?: string;
  /** Most orders returned; 1,000 by default. */
  limit?: number;
}

export interface HistoryHit {
  orderNo: string;
  /** Latest event of the order inside the window. */
  lastEventAt: string;
  /** The OS account that latest event was written under. */
  osAccount: string | null;
}

interface EventRow {
  id: number;
  order_no: string;
  at: string;
  kind: string;
  actor: string | null;
  os_account: string | null;
  data_json: string;
}

/** Per connection: the OS account its events are written under (set by openDatabase). */
const osAccounts = new WeakMap<DatabaseSync, string | null>();

/** Every event appended through `db` from now on records `account` (null: unknown). */
export function recordOsAccount(db: DatabaseSync, account: string | null): void {
  osAccounts.set(db, account);
}

type HitRow = { order_no: string; at: string; os_account: string | null };

const MIN_AT = '0000';
const MAX_AT = '9999';
/** The most orders a history search ranks by their latest event. */
export const MAX_SEARCHED_ORDERS = 5000;

function toEvent(row: EventRow): TimelineEvent {
  return {
    id: row.id,
    orderNo: row.order_no,
    at: row.at,
    kind: row.kind as EventKind,
    actor: row.actor,
    osAccount: row.os_account,
    data: JSON.parse(row.data_json) as Record<string, unknown>,
  };
}

export class EventsRepo {
  readonly #now: () => number;
  readonly #db: DatabaseSync;
  readonly #append: StatementSync;
  readonly #timeline: StatementSync;
  readonly #recent: StatementSync;
  readonly #searchHits: StatementSync;
  readonly #latest: StatementSync;
  readonly #trigramHits: StatementSync;

  constructor(db: DatabaseSync, clock: { now(): number } = { now: () => Date.now() }) {
    this.#now = () => clock.now();
    this.#db = db;
    this.#append = db.prepare(
      'INSERT INTO events (order_no, at, kind, actor, os_account, data_json) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    );
    this.#timeline = db.prepare('SELECT * FROM events WHERE order_no = ? ORDER BY id LIMIT ?');
    this.#latest = db.prepare('SELECT * FROM events WHERE order_no = ? AND kind = ? ORDER BY id DESC LIMIT 1');
    this.#recent = db.prepare(
      'SELECT order_no, at, os_account FROM events WHERE at >= :since AND at <= :until ORDER BY at DESC, id DESC',
    );
    // Few orders match a search: find them (trigram index for 3+ characters, else a scan of the
    // narrow orders_search index; search-query.ts), then take each one's latest event in the window
    // through the (order_no, id) index, all in one statement (with a single MAX(), SQLite takes
    // os_account from the row that holds the maximum).
    const hits = (matching: string) =>
      db.prepare(`
        SELECT order_no, MAX(at) AS at, os_account FROM events
        WHERE order_no IN (${matching})
          AND at >= :since AND at <= :until
        GROUP BY order_no
        ORDER BY at DESC, order_no
        LIMIT :limit`);
    // A search matching more orders than MAX_SEARCHED_ORDERS ranks the newest of them (the highest
    // rowids: the orders this desk saw last); ranking every match costs ~0.25 s at 18,000 matches.
    this.#trigramHits = hits(`
      SELECT order_no FROM orders WHERE rowid IN (
        SELECT rowid FROM orders_fts WHERE orders_fts MATCH :phrase ORDER BY rowid DESC LIMIT ${MAX_SEARCHED_ORDERS})`);
    this.#searchHits = hits(`
      SELECT order_no FROM orders INDEXED BY orders_search
      WHERE instr(pax_names, :q) OR instr(airline_pnrs, :q) OR instr(order_no, :q) OR instr(pnr_code, :q)
      ORDER BY rowid DESC LIMIT ${MAX_SEARCHED_ORDERS}`);
  }

  /**
   * Appends one event. `data` is redacted: card keys (cardNumber, cardCVV, creditCard…) are
   * dropped and PAN-looking digit runs masked to first 6 / last 4.
   */
  append(
    orderNo: string,
    kind: EventKind,
    actor: string | null,
    data: Record<string, unknown> = {},
    at: string = new Date(this.#now()).toISOString(),
  ): TimelineEvent {
    const safe = (redact(data) ?? {}) as Record<string, unknown>;
    const osAccount = osAccounts.get(this.#db) ?? null;
    const row = this.#append.get(orderNo, at, kind, actor, osAccount, JSON.stringify(safe)) as { id: number };
    return { id: row.id, orderNo, at, kind, actor, osAccount, data: safe };
  }

  /** The order's events, oldest first. */
  timeline(orderNo: string, limit = 10_000): TimelineEvent[] {
    return (this.#timeline.all(orderNo, limit) as unknown as EventRow[]).map(toEvent);
  }

  /** The order's most recent event of `kind`, or null. */
  latest(orderNo: string, kind: EventKind): TimelineEvent | null {
    const row = this.#latest.get(orderNo, kind) as EventRow | undefined;
    return row ? toEvent(row) : null;
  }

  /** Orders with events in the window, most recent activity first. */
  history(filter: HistoryFilter = {}): HistoryHit[] {
    const limit = Math.max(1, Math.min(filter.limit ?? 1000, 100_000));
    const since = filter.since ?? MIN_AT;
    const until = filter.until ?? MAX_AT;
    const search = searchText(filter.search ?? '');
    if (search) {
      const phrase = trigramPhrase(search);
      const window = { since, until, limit };
      const rows = (phrase ? this.#trigramHits.all({ ...window, phrase }) : this.#searchHits.all({ ...window, q: search })) as HitRow[];
      return rows.map((r) => ({ orderNo: r.order_no, lastEventAt: r.at, osAccount: r.os_account }));
    }
    // Walk the (at) index backwards and stop once `limit` distinct orders are found.
    const seen = new Map<string, HistoryHit>();
    for (const row of this.#recent.iterate({ since, until }) as Iterable<HitRow>) {
      if (!seen.has(row.order_no)) {
        seen.set(row.order_no, { orderNo: row.order_no, lastEventAt: row.at, osAccount: row.os_account });
        if (seen.size >= limit) break;
      }
    }
    return [...seen.values()];
  }
}
