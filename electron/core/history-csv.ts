// history:export as CSV that opens safely in Excel: UTF-8 with BOM (so non-ASCII names survive),
// RFC 4180 quoting with CRLF, formula-looking cells defused with a leading apostrophe (CSV
// injection), and any PAN-looking digit run masked to first 6 / last 4 (DESIGN.md §2.6).
import { writeFileAtomically } from '../store/atomic-file.ts';
import type { HistoryEntry } from '../../shared/ipc.ts';
import { maskPans } from '../store/redact.ts';

export const BOM = '\uFEFF';

/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: masked, defused, quoted when needed. Numbers and booleans are written as they are. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? maskPans(String(value)) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = maskPans(typeof value === 'string' ? value : JSON.stringify(value));
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Whole document: BOM, header, CRLF line ends (RFC 4180). */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}

export const HISTORY_COLUMNS = [
  'last_activity_utc',
  'order_no',
  'category',
  'attention_reason',
  'order_status',
  'error_code',
  'atlas_pnr',
  'airline_pnrs',
  'passengers',
  'airlines',
  'currency',
  'total_price',
  'payment_deadline_utc',
  'marked_failed',
  'regenerated_from',
  'regenerated_into',
  'next_step',
  'last_actor',
] as const;

export function historyRow(entry: HistoryEntry): unknown[] {
  const { order } = entry;
  const d = order.details;
  return [
    entry.lastEventAt,
    order.orderNo,
    order.category,
    order.attentionReason,
    d.orderStatus,
    d.errorCode,
    d.pnrCode,
    [...new Set(d.passengers.flatMap((p) => p.airlinePNRs))].join(' '),
    d.passengers.map((p) => p.name).join('; '),
    d.airlines.join(' '),
    d.currency,
    d.totalPrice,
    d.tktLimitTime,
    order.markedFailed,
    order.regeneratedFrom,
    order.regeneratedInto.join(' '),
    order.plan.action,
    order.lastActor,
  ];
}

export function historyToCsv(entries: readonly HistoryEntry[]): string {
  return toCsv(HISTORY_COLUMNS, entries.map(historyRow));
}

/** Writes via a temporary file and rename, so a crash never leaves half an export. Returns rows written. */
export function writeHistoryCsv(path: string, entries: readonly HistoryEntry[]): number {
  writeFileAtomically(path, historyToCsv(entries));
  return entries.length;
}
