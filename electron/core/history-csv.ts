// history:export as CSV that opens safely in Excel (docs/money-safety.md rule 6 for the card
// masking):
// - UTF-8 with a BOM, so passenger names in Chinese or with accents survive a double-click open.
// - Every cell quoted (RFC 4180, CRLF), so no value can split a row or a column.
// - Cells a spreadsheet would run as a formula are defused with a leading apostrophe: `=`, `+`,
//   `-`, `@` and their full-width forms (＝ ＋ － ＠), also after leading white space, and a leading
//   TAB, CR, LF or NUL (OWASP "CSV injection").
// - Any PAN-looking digit run masked to first 6 / last 4.
// Separator: Excel splits a double-clicked CSV on the list separator of the Windows regional
// settings: `,` in English and Chinese, `;` where the decimal separator is a comma (German, French,
// Spanish…). A `sep=;` first line would force it, but Excel is widely reported to ignore the BOM
// when that line is present and to show non-ASCII names garbled, so there is no `sep=` line: staff
// pick `semicolon` instead (the app suggests it from the locale's number format), and numbers then
// use a decimal comma too.
import { writeFileAtomically } from '../store/atomic-file.ts';
import type { CsvSeparator, HistoryEntry } from '../../shared/ipc.ts';
import { maskPans } from '../store/redact.ts';

export const BOM = '\uFEFF';

const SEPARATOR: Record<CsvSeparator, string> = { comma: ',', semicolon: ';' };

/**
 * What makes a spreadsheet treat a text cell as a formula: a formula sign (ASCII or full-width)
 * after any leading white space, or a leading control character.
 */
const FORMULA_START = /^(?:[\s\0]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n\0])/u;

/** One cell, always quoted: masked, defused. Numbers get the separator's decimal mark. */
export function csvCell(value: unknown, separator: CsvSeparator = 'comma'): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'number') {
    // A number we hold is never a formula, so a negative one stays a number for the spreadsheet.
    text = Number.isFinite(value) ? maskPans(String(value)) : '';
    if (separator === 'semicolon') text = text.replace('.', ',');
  } else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else {
    text = maskPans(typeof value === 'string' ? value : JSON.stringify(value));
    if (FORMULA_START.test(text)) text = `'${text}`;
  }
  return `"${text.replace(/"/g, '""')}"`;
}

/** Whole document: BOM, header, CRLF line ends (RFC 4180). */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[], separator: CsvSeparator = 'comma'): string {
  const lines = [header, ...rows].map((row) => row.map((cell) => csvCell(cell, separator)).join(SEPARATOR[separator]));
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
  'last_activity_os_account',
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
    entry.lastOsAccount,
  ];
}

export function historyToCsv(entries: readonly HistoryEntry[], separator: CsvSeparator = 'comma'): string {
  return toCsv(HISTORY_COLUMNS, entries.map(historyRow), separator);
}

/** Writes the whole export or nothing (atomic-file.ts). Returns rows written. */
export function writeHistoryCsv(path: string, entries: readonly HistoryEntry[], separator: CsvSeparator = 'comma'): number {
  writeFileAtomically(path, historyToCsv(entries, separator));
  return entries.length;
}
