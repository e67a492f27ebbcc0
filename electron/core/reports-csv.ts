// reports:export: the figures of one report as one CSV table (the same safe writer as the history
// export: BOM, formula-safe cells, atomic write). One row per figure; columns a figure does not
// use stay empty, so a spreadsheet filter on `figure` shows each table on its own.
import { displayDigits } from '../../shared/money.ts';
import { DURATION_BOUNDS_MIN, type ReportRange, type ReportSummary } from '../../shared/reports.ts';
import { writeFileAtomically } from '../store/atomic-file.ts';
import { toCsv } from './history-csv.ts';

export const REPORT_COLUMNS = [
  'figure',
  'day',
  'time_zone',
  'currency',
  'airline',
  'scenario',
  'error_code',
  'duration_bucket',
  'orders',
  'amount',
  'seconds',
] as const;

type Row = Partial<Record<(typeof REPORT_COLUMNS)[number], string | number>>;

/** Exactly the currency's minor digits ("1234.50", "1500", "12.345"), never a float tail. */
const amountText = (amount: number, currency: string) => amount.toFixed(displayDigits(amount, currency));

/** "0-15min", "15-30min", …, "1440min+". */
export function bucketLabel(i: number): string {
  const lo = i === 0 ? 0 : (DURATION_BOUNDS_MIN[i - 1] ?? 0);
  const hi = DURATION_BOUNDS_MIN[i];
  return hi === undefined ? `${lo}min+` : `${lo}-${hi}min`;
}

export function reportRows(report: ReportSummary): Row[] {
  const { from, to, timeZone } = report.range;
  const rows: Row[] = [{ figure: 'range', day: `${from}/${to}`, time_zone: timeZone }];
  for (const r of report.recoveredByDay) {
    rows.push({ figure: 'recovered_per_day', day: r.day, time_zone: timeZone, currency: r.currency, orders: r.orders, amount: amountText(r.amount, r.currency) });
  }
  for (const r of report.recovered) rows.push({ figure: 'recovered_total', currency: r.currency, orders: r.orders, amount: amountText(r.amount, r.currency) });
  for (const r of report.awaitingTicket) rows.push({ figure: 'awaiting_ticket', currency: r.currency, orders: r.orders, amount: amountText(r.amount, r.currency) });
  for (const r of report.failuresByAirline) {
    if (r.a > 0) rows.push({ figure: 'failures_by_airline', airline: r.airline, scenario: 'A', orders: r.a });
    if (r.b > 0) rows.push({ figure: 'failures_by_airline', airline: r.airline, scenario: 'B', orders: r.b });
  }
  for (const r of report.failuresByCode) {
    rows.push({ figure: 'failures_by_error_code', scenario: r.scenario, ...(r.errorCode ? { error_code: r.errorCode } : {}), orders: r.orders });
  }
  const t = report.timeToTicket;
  t.buckets.forEach((count, i) => rows.push({ figure: 'time_to_ticket', duration_bucket: bucketLabel(i), orders: count }));
  if (t.medianMs !== null) rows.push({ figure: 'time_to_ticket_median', orders: t.measured, seconds: Math.round(t.medianMs / 1000) });
  if (t.p90Ms !== null) rows.push({ figure: 'time_to_ticket_p90', orders: t.measured, seconds: Math.round(t.p90Ms / 1000) });
  if (t.unmeasured > 0) rows.push({ figure: 'time_to_ticket_unmeasured', orders: t.unmeasured });
  return rows;
}

export function reportToCsv(report: ReportSummary): string {
  return toCsv(REPORT_COLUMNS, reportRows(report).map((row) => REPORT_COLUMNS.map((c) => row[c] ?? null)));
}

/** Writes via a temporary file and rename. Returns the data rows written. */
export function writeReportCsv(path: string, report: ReportSummary): number {
  const rows = reportRows(report).length;
  writeFileAtomically(path, reportToCsv(report));
  return rows;
}

/** The save dialog's suggestion, e.g. atlas-retry-desk-report-2026-11-01-to-2026-11-30.csv. */
export const reportFileName = (range: ReportRange) => `atlas-retry-desk-report-${range.from}-to-${range.to}.csv`;
