// The manager's figures (reports:summary), computed from the local store: the timeline (events),
// the write-ahead journal (steps, with their jobs), order links and the stored orders. Definitions:
//
// - Failure: an order entering Scenario A or B, dated at the first moment the desk had the evidence.
//   B: the first read (a `seen` / `status_changed` event) showing the order cancelled with a payment
//      rejection code (the planner's B codes: 604, 613, 616, 623, 633, 617), whether or not the desk
//      could still recover it.
//   A: while the order is unpaid, the first event that says a payment of it failed: staff marked it
//      (`marked_failed`), or a read showed Atlas's paymentAttempted flag (`note` payment_attempted).
//      A regenerated order the desk marks itself (`regenerated_by_desk`) continues its original's
//      failure; it is not a new one.
//   Each order counts at most once per scenario. A failure is in the range when that moment is.
// - Recovered: an order the desk paid (a pay step succeeded, or was reconciled as paid) that then
//   reached ticketed, dated at the first ticketed event after that payment, valued at the order's
//   total price in its settlement currency (Atlas's technical fee not included). Per currency only.
// - Awaiting ticket: paid by the desk in the range and neither ticketed nor cancelled since.
// - Time to ticket: per recovered order, from the earliest failure moment in its regeneration
//   chain (the order and every original it was regenerated from) to its ticketed moment.
// Days are local calendar days in the request's time zone (the staff's), never UTC days.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EventKind } from '../../shared/desk.ts';
import { fromMinor, toMinor } from '../../shared/money.ts';
import {
  DURATION_BOUNDS_MIN,
  dayIndexMs,
  durationBucket,
  localDay,
  nearestRank,
  type AirlineFailures,
  type CodeFailures,
  type CurrencyFigure,
  type RecoveredDay,
  type ReportRange,
  type ReportSummary,
} from '../../shared/reports.ts';
import { ticketErrorGroup } from '../../shared/ticket-errors.ts';
import { MAX_CHAIN } from '../store/links-repo.ts';
import { PAYMENT_ATTEMPTED_NOTE, REGENERATED_BY_DESK } from './order-view.ts';

const HOUR_MS = 3_600_000;
// Local days span UTC from 14 h before midnight UTC (UTC+14) to 12 h after the next (UTC−12).
const EARLIEST_OFFSET_MS = 14 * HOUR_MS;
const LATEST_OFFSET_MS = 12 * HOUR_MS;

/** One timeline event with the few data fields the figures read (extracted by SQLite). */
interface EventRow {
  orderNo: string;
  kind: EventKind;
  at: string;
  status: string | null;
  errorCode: string | null;
  reason: string | null;
}

/** What one order's timeline says, read once. */
interface OrderFacts {
  failureA: string | null;
  failureB: { at: string; errorCode: string } | null;
  /** Moments the order was seen ticketed, oldest first. */
  ticketed: string[];
}

interface StoredOrder {
  orderNo: string;
  currency: string | null;
  totalPrice: number | null;
  status: string;
  airlines: string;
  /** When the desk's pay step for this order finished, if the desk paid it. */
  paidAt: string | null;
}

function isPaymentRejection(errorCode: string | null): errorCode is string {
  const group = ticketErrorGroup(errorCode);
  return group === 'card_payment' || group === 'deposit_low';
}

/** Walks one order's timeline (oldest first), keeping the status it last showed. */
function readFacts(events: readonly EventRow[]): OrderFacts {
  const facts: OrderFacts = { failureA: null, failureB: null, ticketed: [] };
  let status: string | null = null;
  for (const e of events) {
    if (e.kind === 'seen' || e.kind === 'status_changed') {
      status = e.status ?? status;
      if (!facts.failureB && status === 'cancelled' && isPaymentRejection(e.errorCode)) facts.failureB = { at: e.at, errorCode: e.errorCode };
      if (status === 'ticketed') facts.ticketed.push(e.at);
    } else if (e.kind === 'ticketed') {
      facts.ticketed.push(e.at);
    } else if (!facts.failureA && status === 'unpaid') {
      const evidence =
        (e.kind === 'marked_failed' && e.reason !== REGENERATED_BY_DESK) || (e.kind === 'note' && e.reason === PAYMENT_ATTEMPTED_NOTE);
      if (evidence) facts.failureA = e.at;
    }
  }
  facts.ticketed.sort();
  return facts;
}

const earliest = (moments: readonly (string | null | undefined)[]): string | null =>
  moments.reduce<string | null>((min, m) => (m && (min === null || m < min) ? m : min), null);

/**
 * A fixed handful of statements per report, whatever the number of orders: the candidates are
 * found in one pass over the window (events (at) index), then their timelines, stored rows and
 * ancestors are each read in one statement over a JSON list of order numbers.
 */
export class ReportReader {
  readonly #candidates: StatementSync;
  readonly #timelines: StatementSync;
  readonly #orders: StatementSync;
  readonly #ancestors: StatementSync;

  constructor(db: DatabaseSync) {
    // Orders whose window events can matter: failure evidence, or the desk's own payments and
    // tickets. Orders the desk only watched (most of a busy store) are never read further.
    this.#candidates = db.prepare(`SELECT DISTINCT order_no AS n FROM events e WHERE at >= ? AND at < ? AND (
        kind IN ('marked_failed', 'note')
        OR (kind IN ('seen', 'status_changed') AND json_extract(data_json, '$.errorCode') IS NOT NULL)
        OR (kind IN ('ticketed', 'status_changed', 'step_succeeded', 'reconciled')
            AND EXISTS (SELECT 1 FROM steps s WHERE s.order_no = e.order_no AND s.kind = 'pay')))`);
    this.#timelines = db.prepare(`SELECT e.order_no AS orderNo, e.kind, e.at,
        json_extract(e.data_json, CASE e.kind WHEN 'seen' THEN '$.orderStatus' ELSE '$.to' END) AS status,
        json_extract(e.data_json, '$.errorCode') AS errorCode,
        json_extract(e.data_json, '$.reason') AS reason
      FROM json_each(?) c JOIN events e ON e.order_no = c.value
      WHERE e.kind IN ('seen', 'status_changed', 'marked_failed', 'note', 'ticketed')
      ORDER BY e.order_no, e.id`);
    // The journal, not the timeline, says whether the desk's money moved (docs/money-safety.md rule 5).
    this.#orders = db.prepare(`SELECT o.order_no AS orderNo, o.currency, o.total_price AS totalPrice,
        o.order_status AS status, o.airlines,
        (SELECT s.finished_at FROM steps s
          WHERE s.order_no = o.order_no AND s.kind = 'pay' AND s.finished_at IS NOT NULL
            AND (s.state = 'succeeded' OR (s.state = 'reconciled' AND json_extract(s.result_json, '$.paid') = 1))
          ORDER BY s.id LIMIT 1) AS paidAt
      FROM json_each(?) c JOIN orders o ON o.order_no = c.value`);
    this.#ancestors = db.prepare(`WITH RECURSIVE chain (start, order_no, depth) AS (
        SELECT c.value, l.original_order_no, 1 FROM json_each(?) c JOIN order_links l ON l.new_order_no = c.value
        UNION ALL
        SELECT chain.start, l.original_order_no, chain.depth + 1 FROM chain
          JOIN order_links l ON l.new_order_no = chain.order_no WHERE chain.depth < ${MAX_CHAIN}
      )
      SELECT start, order_no AS ancestor FROM chain`);
  }

  /** Facts of every order in `orderNos` (one statement). */
  #facts(orderNos: readonly string[], into: Map<string, OrderFacts>): void {
    const byOrder = new Map<string, EventRow[]>();
    for (const row of this.#timelines.iterate(JSON.stringify(orderNos)) as Iterable<EventRow>) {
      const list = byOrder.get(row.orderNo) ?? [];
      list.push(row);
      byOrder.set(row.orderNo, list);
    }
    for (const orderNo of orderNos) into.set(orderNo, readFacts(byOrder.get(orderNo) ?? []));
  }

  summary(range: ReportRange): ReportSummary {
    const { from, to, timeZone } = range;
    const inRange = (iso: string) => {
      const day = localDay(Date.parse(iso), timeZone);
      return day >= from && day <= to;
    };
    const since = new Date((dayIndexMs(from) ?? 0) - EARLIEST_OFFSET_MS).toISOString();
    const until = new Date((dayIndexMs(to) ?? 0) + 24 * HOUR_MS + LATEST_OFFSET_MS).toISOString();

    const candidates = (this.#candidates.all(since, until) as { n: string }[]).map((r) => r.n);
    const facts = new Map<string, OrderFacts>();
    this.#facts(candidates, facts);
    const stored = this.#orders.all(JSON.stringify(candidates)) as unknown as StoredOrder[];

    const recoveredMinor = new Map<string, { day: string; currency: string; orders: number; minor: number }>();
    const awaitingMinor = new Map<string, { orders: number; minor: number }>();
    const airlines = new Map<string, AirlineFailures>();
    const codes = new Map<string, CodeFailures>();
    /** Recovered orders in the range and their ticketed moment, for time to ticket. */
    const tickets = new Map<string, string>();

    for (const order of stored) {
      const f = facts.get(order.orderNo);
      if (!f) continue;
      for (const [scenario, at, errorCode] of [
        ['A', f.failureA, null],
        ['B', f.failureB?.at ?? null, f.failureB?.errorCode ?? null],
      ] as const) {
        if (!at || !inRange(at)) continue;
        const airline = order.airlines.split(' ').filter(Boolean).sort().join('+');
        const row = airlines.get(airline) ?? { airline, a: 0, b: 0 };
        if (scenario === 'A') row.a += 1;
        else row.b += 1;
        airlines.set(airline, row);
        const key = `${scenario}:${errorCode ?? ''}`;
        const code = codes.get(key) ?? { scenario, errorCode, orders: 0 };
        code.orders += 1;
        codes.set(key, code);
      }

      const paidAt = order.paidAt;
      if (paidAt === null || !order.currency || order.totalPrice === null) continue;
      const currency = order.currency.toUpperCase();
      const minor = toMinor(order.totalPrice, currency);
      const ticketedAt = f.ticketed.find((at) => at >= paidAt) ?? null;
      if (ticketedAt === null) {
        // An amount that is not exact in its currency's minor unit is left out of the money, never rounded in.
        if (order.status === 'ticketing' && inRange(paidAt) && minor !== null) {
          const a = awaitingMinor.get(currency) ?? { orders: 0, minor: 0 };
          a.orders += 1;
          a.minor += minor;
          awaitingMinor.set(currency, a);
        }
        continue;
      }
      if (!inRange(ticketedAt)) continue;
      const day = localDay(Date.parse(ticketedAt), timeZone);
      const key = `${currency}:${day}`;
      if (minor !== null) {
        const r = recoveredMinor.get(key) ?? { day, currency, orders: 0, minor: 0 };
        r.orders += 1;
        r.minor += minor;
        recoveredMinor.set(key, r);
      }
      tickets.set(order.orderNo, ticketedAt);
    }

    // Each recovered order's chain: itself and every original it was regenerated from.
    const chains = new Map<string, string[]>([...tickets.keys()].map((n) => [n, [n]]));
    const ancestors = this.#ancestors.all(JSON.stringify([...tickets.keys()])) as { start: string; ancestor: string }[];
    for (const { start, ancestor } of ancestors) chains.get(start)?.push(ancestor);
    this.#facts([...new Set(ancestors.map((a) => a.ancestor))].filter((n) => !facts.has(n)), facts);
    const durations: number[] = [];
    let unmeasured = 0;
    for (const [orderNo, ticketedAt] of tickets) {
      const moments = (chains.get(orderNo) ?? []).flatMap((n) => [facts.get(n)?.failureA, facts.get(n)?.failureB?.at]);
      const failedAt = earliest(moments.filter((m) => m !== null && m !== undefined && m <= ticketedAt));
      if (failedAt === null) unmeasured += 1;
      else durations.push(Date.parse(ticketedAt) - Date.parse(failedAt));
    }

    const recoveredByDay: RecoveredDay[] = [...recoveredMinor.values()]
      .sort((a, b) => a.currency.localeCompare(b.currency) || a.day.localeCompare(b.day))
      .map(({ day, currency, orders, minor }) => ({ day, currency, orders, amount: fromMinor(minor, currency) ?? Number.NaN }));
    const perCurrency = new Map<string, { orders: number; minor: number }>();
    for (const r of recoveredMinor.values()) {
      const t = perCurrency.get(r.currency) ?? { orders: 0, minor: 0 };
      t.orders += r.orders;
      t.minor += r.minor;
      perCurrency.set(r.currency, t);
    }
    const figures = (m: Map<string, { orders: number; minor: number }>): CurrencyFigure[] =>
      [...m].sort(([a], [b]) => a.localeCompare(b)).map(([currency, t]) => ({ currency, orders: t.orders, amount: fromMinor(t.minor, currency) ?? Number.NaN }));

    durations.sort((a, b) => a - b);
    const buckets = new Array<number>(DURATION_BOUNDS_MIN.length + 1).fill(0);
    for (const d of durations) buckets[durationBucket(d)] = (buckets[durationBucket(d)] ?? 0) + 1;

    return {
      range: { from, to, timeZone },
      recoveredByDay,
      recovered: figures(perCurrency),
      awaitingTicket: figures(awaitingMinor),
      failuresByAirline: [...airlines.values()].sort((x, y) => y.a + y.b - (x.a + x.b) || x.airline.localeCompare(y.airline)),
      failuresByCode: [...codes.values()].sort(
        (x, y) => x.scenario.localeCompare(y.scenario) || y.orders - x.orders || (x.errorCode ?? '').localeCompare(y.errorCode ?? ''),
      ),
      timeToTicket: {
        measured: durations.length,
        unmeasured,
        medianMs: nearestRank(durations, 50),
        p90Ms: nearestRank(durations, 90),
        buckets,
      },
    };
  }
}
