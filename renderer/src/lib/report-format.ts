// Words and numbers for the Reports screen: report days (calendar dates, never shifted by a time
// zone), durations, and axis numbers.
import type { TFunction } from 'i18next';
import { currencyDigits } from '../../../shared/money.ts';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A report day `yyyy-MM-dd` as the staff read dates: "Nov 3, 2026", or "Nov 3" / "11月3日" when `short`. */
export function formatReportDay(day: string, locale: string, short = false): string {
  const m = DAY.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const options: Intl.DateTimeFormatOptions = short ? { month: 'short', day: 'numeric', timeZone: 'UTC' } : { dateStyle: 'medium', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(d);
}

/** "40 s", "45 min", "3 h 10 min", "2 d 4 h" (rounded down to the unit shown). */
export function formatDuration(ms: number, t: TFunction): string {
  if (ms < 60_000) return t('reports.duration.seconds', { s: Math.floor(ms / 1000) });
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return t('reports.duration.days', { d, h });
  if (h > 0) return t('reports.duration.hours', { h, m });
  return t('reports.duration.minutes', { m });
}

/** Axis numbers for counts. */
export function countTick(locale: string): (value: number) => string {
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return (value) => format.format(value);
}

/** Axis money in a currency's own digits, compact ("1.2K", "1.2万"); the table gives the exact figure. */
export function moneyTick(locale: string, currency: string): (value: number) => string {
  const format = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: Math.min(2, currencyDigits(currency) ?? 2) });
  return (value) => format.format(value);
}
