// Money and time formatting. Money always shows its currency code (never a bare number or a
// symbol that two currencies share) with its ISO 4217 decimals (shared/money.ts); times are the
// user's local time.
export { formatMoney } from '../../../shared/money.ts';

export function formatDateTime(iso: string | null, locale: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** Day and time without the year, for narrow columns ("Nov 27, 7:05 AM", "11月27日 07:05"). */
export function formatShortDateTime(iso: string | null, locale: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(d);
}

/**
 * `yyyy-MM-dd` departure dates are airport-local calendar dates: show them as-is, never shifted.
 * `compact` (table cells): Chinese medium dates ("2026年12月10日") are too wide, use "2026/12/10".
 */
export function formatDepDate(date: string | null, locale: string, compact = false): string {
  if (!date) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const options: Intl.DateTimeFormatOptions =
    compact && locale.startsWith('zh') ? { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' } : { dateStyle: 'medium', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(d);
}

export type Urgency = 'overdue' | 'critical' | 'soon' | 'calm';

/** Splits the time left into parts the UI translates; negative means the deadline has passed. */
export function timeLeft(deadlineIso: string, nowMs: number): { ms: number; d: number; h: number; m: number; s: number; urgency: Urgency } {
  const ms = Date.parse(deadlineIso) - nowMs;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const urgency: Urgency = ms <= 0 ? 'overdue' : ms < 30 * 60_000 ? 'critical' : ms < 3 * 3_600_000 ? 'soon' : 'calm';
  return { ms, d, h, m, s, urgency };
}

/**
 * The CSV separator Excel expects on this computer: Windows derives its list separator from the
 * regional number format, `;` where the decimal mark is a comma (de, fr, es…), else `,`.
 * `locale` undefined = the system's formatting locale.
 */
export function suggestedCsvSeparator(locale?: string): 'comma' | 'semicolon' {
  const decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
  return decimal === ',' ? 'semicolon' : 'comma';
}
