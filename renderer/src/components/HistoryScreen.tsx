// Local history: search and date filters over history:query, the timeline on demand, CSV export.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CsvSeparator, HistoryEntry, HistoryQuery } from '../../../shared/ipc.ts';
import { failureReason } from '../lib/explain.ts';
import { formatDateTime, formatMoney, suggestedCsvSeparator } from '../lib/format.ts';
import { useDeskCall } from '../lib/use-desk-call.ts';
import { useOrders } from '../stores/orders.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { Timeline } from './Timeline.tsx';

/** `yyyy-MM-dd` from a date input → the start (or end) of that local day as an ISO instant. */
function dayBound(date: string, end: boolean): string | undefined {
  if (!date) return undefined;
  const d = new Date(`${date}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (end) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

/** The since/until date inputs as the `since`/`until` of history:query and history:export (unset when empty). */
function dateRange(since: string, until: string): { since?: string; until?: string } {
  const s = dayBound(since, false);
  const u = dayBound(until, true);
  return { ...(s ? { since: s } : {}), ...(u ? { until: u } : {}) };
}

function HistoryRow({ entry }: { entry: HistoryEntry }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const o = entry.order;
  // The timeline is read the first time the row opens.
  const shown = useDeskCall((d) => d.orders.show({ orderNo: o.orderNo }));
  const toggle = () => {
    setOpen(!open);
    if (!open && !shown.value && !shown.loading) void shown.run();
  };
  return (
    <li className="history-row" data-testid={`history-${o.orderNo}`}>
      <button type="button" className="history-head" aria-expanded={open} onClick={toggle}>
        <span className="mono">{o.orderNo}</span>
        <span className="mono">{o.details.pnrCode ?? '—'}</span>
        <StatusBadge order={o} />
        <span className="money">{formatMoney(o.details.totalPrice, o.details.currency, i18n.language)}</span>
        <span className="reason">{failureReason(i18n, o)}</span>
        <span className="muted when" title={formatDateTime(entry.lastEventAt, i18n.language)}>{formatDateTime(entry.lastEventAt, i18n.language)}</span>
        <span className="muted actor">{o.lastActor ?? ''}</span>
      </button>
      {open && (
        <div className="history-body">
          <ErrorNote error={shown.error} onRetry={shown.retry} />
          {shown.value ? <Timeline events={shown.value.timeline} /> : !shown.error && <p className="muted">{t('common.loading')}</p>}
        </div>
      )}
    </li>
  );
}

export function HistoryScreen() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [separator, setSeparator] = useState<CsvSeparator>(() => suggestedCsvSeparator());
  const history = useDeskCall((d) => {
    const q: HistoryQuery = { limit: 1000, ...dateRange(since, until) };
    if (search.trim()) q.search = search.trim();
    return d.history.query(q);
  });
  const exported = useDeskCall((d) => d.history.export({ ...dateRange(since, until), separator }));
  // Orders changed (this desk's work, or another desk's in team mode): show it without a manual refresh.
  const orders = useOrders((s) => s.orders);

  const { run: query, cancel } = history;
  useEffect(() => {
    // Debounce typing; an answer for what was typed before is dropped.
    cancel();
    const timer = setTimeout(() => void query(), 200);
    return () => clearTimeout(timer);
  }, [query, cancel, search, since, until, orders]);

  const entries = history.value;
  const saved = exported.value;
  return (
    <section className="history-screen" aria-label={t('nav.history')} data-testid="history-screen">
      <h1>{t('history.title')}</h1>
      <div className="filters" role="search">
        <input type="search" className="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('orders.searchPlaceholder')} aria-label={t('history.search')} data-testid="history-search" />
        <label className="date"><span>{t('history.since')}</span><input type="date" value={since} onChange={(e) => setSince(e.target.value)} aria-label={t('history.since')} /></label>
        <label className="date"><span>{t('history.until')}</span><input type="date" value={until} onChange={(e) => setUntil(e.target.value)} aria-label={t('history.until')} /></label>
        <label className="date"><span>{t('history.separator')}</span>
          <select value={separator} onChange={(e) => setSeparator(e.target.value as CsvSeparator)} aria-label={t('history.separator')} data-testid="history-separator">
            <option value="comma">{t('history.separatorComma')}</option>
            <option value="semicolon">{t('history.separatorSemicolon')}</option>
          </select>
        </label>
        <button type="button" onClick={() => void exported.run()} data-testid="history-export">{t('history.export')}</button>
      </div>
      {saved && !exported.loading && !exported.error && (
        <p role="status" className="note">{saved.saved ? t('history.exported', { count: saved.rows, path: saved.path ?? '' }) : t('history.exportCancelled')}</p>
      )}
      <ErrorNote error={exported.error} />
      <ErrorNote error={history.error} onRetry={history.retry} />
      {entries && entries.length === 0 && <p className="empty">{t('history.empty')}</p>}
      {entries && entries.length > 0 && (
        <ul className="history-list" aria-label={t('history.title')}>
          {entries.map((e) => <HistoryRow key={e.order.orderNo} entry={e} />)}
        </ul>
      )}
    </section>
  );
}
