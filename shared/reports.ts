// The manager's figures (reports:summary, reports:export): their shapes and the calendar helpers
// the core (which computes them) and the renderer (which draws them) share. What each figure
// counts is defined where it is computed, electron/core/reports.ts.

/** Local calendar days `yyyy-MM-dd`, both inclusive, in an IANA time zone (the staff's own). */
export interface ReportRange {
  from: string;
  to: string;
  timeZone: string;
}

/** Longest range one report covers (a year, leap years included). */
export const MAX_REPORT_DAYS = 366;

export type FailureScenario = 'A' | 'B';

/** A count of orders and their summed amount in one currency (never summed across currencies). */
export interface CurrencyFigure {
  currency: string;
  orders: number;
  amount: number;
}

export interface RecoveredDay extends CurrencyFigure {
  /** Local day `yyyy-MM-dd` in the report's time zone. */
  day: string;
}

export interface AirlineFailures {
  /** The order's airlines (IATA), `+`-joined when it has several; '' when Atlas named none. */
  airline: string;
  a: number;
  b: number;
}

export interface CodeFailures {
  scenario: FailureScenario;
  /** Ticket error code for B; null for A (an unpaid order has none). */
  errorCode: string | null;
  orders: number;
}

/** Upper bounds (minutes) of the time-to-ticket buckets; one more, open-ended bucket follows. */
export const DURATION_BOUNDS_MIN: readonly number[] = [15, 30, 60, 120, 240, 480, 1440];

export interface TimeToTicket {
  /** Recoveries measured (a failure moment is known). */
  measured: number;
  /** Recoveries in the range without a recorded failure moment (not in the figures). */
  unmeasured: number;
  /** Nearest-rank median and 90th percentile, milliseconds; null when nothing was measured. */
  medianMs: number | null;
  p90Ms: number | null;
  /** Counts per bucket of DURATION_BOUNDS_MIN (length = bounds + 1). */
  buckets: number[];
}

export interface ReportSummary {
  range: ReportRange;
  /** Per currency, then day; only days with a recovery. */
  recoveredByDay: RecoveredDay[];
  /** Per currency over the range. */
  recovered: CurrencyFigure[];
  /** Paid by the desk in the range, no ticket yet (not counted as recovered). */
  awaitingTicket: CurrencyFigure[];
  failuresByAirline: AirlineFailures[];
  failuresByCode: CodeFailures[];
  timeToTicket: TimeToTicket;
}

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a `yyyy-MM-dd` calendar day, or null when it is not a real date. */
export function dayIndexMs(day: string): number | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-30 over into March: only a date that survives the round trip is real.
  return new Date(ms).toISOString().slice(0, 10) === day ? ms : null;
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  const ms = dayIndexMs(day);
  if (ms === null) throw new Error(`not a calendar day: ${day}`);
  return new Date(ms + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, inclusive. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to && out.length <= MAX_REPORT_DAYS; day = addDays(day, 1)) out.push(day);
  return out;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** True when Intl knows the IANA time zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The local calendar day `yyyy-MM-dd` of an instant in `timeZone`. */
export function localDay(ms: number, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(ms)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Nearest-rank percentile of ascending `sorted`: the smallest value with at least p % at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** Index into DURATION_BOUNDS_MIN's buckets: [0, 15 min) is 0, …, 24 h and more is the last. */
export function durationBucket(ms: number): number {
  const minutes = ms / 60_000;
  const i = DURATION_BOUNDS_MIN.findIndex((bound) => minutes < bound);
  return i === -1 ? DURATION_BOUNDS_MIN.length : i;
}
