// The manager's picture (reports:summary): money recovered per day and currency, payment failures by
// airline and error code, and time from failure to ticket, for a period of local days. Each chart
// has its table beneath it with the same numbers — the table is the accessible version. The
// figures themselves are defined and computed in the core (electron/core/reports.ts).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SETTLED_JOB_STATES } from '../../../shared/desk.ts';
import {
  addDays,
  dayIndexMs,
  daysOf,
  localDay,
  MAX_REPORT_DAYS,
  type CurrencyFigure,
  type ReportRange,
  type ReportSummary,
} from '../../../shared/reports.ts';
import { ticketErrorText } from '../lib/explain.ts';
import { formatMoney } from '../lib/format.ts';
import { countTick, formatDuration, formatReportDay, moneyTick } from '../lib/report-format.ts';
import { useDeskCall } from '../lib/use-desk-call.ts';
import { useQueue } from '../stores/queue.ts';
import { BarChart } from './BarChart.tsx';
import { ErrorNote } from './ErrorNote.tsx';

const PRESETS = [7, 30, 90];
/** About this many day labels under a day chart, however long the period. */
const DAY_LABELS = 10;

function validRange(from: string, to: string): boolean {
  const a = dayIndexMs(from);
  const b = dayIndexMs(to);
  return a !== null && b !== null && b >= a && (b - a) / 86_400_000 < MAX_REPORT_DAYS;
}

const isEmpty = (r: ReportSummary) =>
  r.recovered.length === 0 && r.awaitingTicket.length === 0 && r.failuresByAirline.length === 0 && r.timeToTicket.measured + r.timeToTicket.unmeasured === 0;

function RecoveredCurrency({ report, total }: { report: ReportSummary; total: CurrencyFigure }) {
  const { t, i18n } = useTranslation();
  const { currency } = total;
  const rows = report.recoveredByDay.filter((r) => r.currency === currency);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days = daysOf(report.range.from, report.range.to);
  const money = (amount: number) => formatMoney(amount, currency, i18n.language);
  const captionId = `recovered-${currency}-caption`;
  return (
    <figure className="report-figure split" data-testid={`recovered-${currency}`} aria-labelledby={captionId}>
      <figcaption id={captionId}>
        <span className="report-currency">{currency}</span>{' '}
        <span data-testid={`recovered-total-${currency}`}>{t('reports.currencyTotal', { amount: money(total.amount), count: total.orders })}</span>
      </figcaption>
      <BarChart
        orientation="columns"
        formatValue={moneyTick(i18n.language, currency)}
        labelEvery={Math.max(1, Math.ceil(days.length / DAY_LABELS))}
        bars={days.map((day) => {
          const r = byDay.get(day);
          return {
            key: day,
            label: formatReportDay(day, i18n.language, true),
            title: `${formatReportDay(day, i18n.language)}: ${r ? money(r.amount) : money(0)}`,
            segments: [{ value: r?.amount ?? 0, className: 'bar-money' }],
          };
        })}
      />
      <table className="report-table">
        <caption className="sr-only">{t('reports.recoveredIn', { currency })}</caption>
        <thead>
          <tr><th scope="col">{t('reports.day')}</th><th scope="col" className="num">{t('reports.orders')}</th><th scope="col" className="num">{t('reports.amount')}</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.day}><th scope="row">{formatReportDay(r.day, i18n.language)}</th><td className="num">{r.orders}</td><td className="num money">{money(r.amount)}</td></tr>
          ))}
        </tbody>
        <tfoot>
          <tr><th scope="row">{t('reports.total')}</th><td className="num">{total.orders}</td><td className="num money">{money(total.amount)}</td></tr>
        </tfoot>
      </table>
    </figure>
  );
}

function Recovered({ report }: { report: ReportSummary }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="report-section" aria-labelledby="report-recovered" data-testid="report-recovered">
      <h2 id="report-recovered">{t('reports.recovered')}</h2>
      <p className="hint muted">{t('reports.recoveredHint')}</p>
      {report.recovered.map((total) => <RecoveredCurrency key={total.currency} report={report} total={total} />)}
      {report.awaitingTicket.length > 0 && (
        <div className="report-awaiting" data-testid="report-awaiting">
          <h3>{t('reports.awaiting')}</h3>
          <ul>
            {report.awaitingTicket.map((a) => (
              <li key={a.currency}>{t('reports.currencyTotal', { amount: formatMoney(a.amount, a.currency, i18n.language), count: a.orders })}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Legend() {
  const { t } = useTranslation();
  return (
    <p className="report-legend" aria-hidden="true">
      <span><i className="swatch bar-b" />{t('reports.colB')}</span>
      <span><i className="swatch bar-a" />{t('reports.colA')}</span>
    </p>
  );
}

function Failures({ report }: { report: ReportSummary }) {
  const { t, i18n } = useTranslation();
  const airlineName = (airline: string) => airline || t('reports.noAirline');
  const codeName = (c: ReportSummary['failuresByCode'][number]) => (c.scenario === 'A' ? 'A' : `B ${c.errorCode ?? ''}`.trim());
  const meaning = (c: ReportSummary['failuresByCode'][number]) => (c.scenario === 'A' || !c.errorCode ? t('reports.codeA') : ticketErrorText(i18n, c.errorCode, null));
  const count = countTick(i18n.language);
  return (
    <section className="report-section" aria-labelledby="report-failures" data-testid="report-failures">
      <h2 id="report-failures">{t('reports.failures')}</h2>
      <p className="hint muted">{t('reports.failuresHint')}</p>
      <div className="report-pair">
        <figure className="report-figure" aria-labelledby="report-by-airline" data-testid="failures-by-airline">
          <figcaption id="report-by-airline">{t('reports.byAirline')}</figcaption>
          <Legend />
          <BarChart
            orientation="rows"
            width={500}
            wholeTicks
            formatValue={count}
            bars={report.failuresByAirline.map((r) => ({
              key: r.airline,
              label: airlineName(r.airline),
              title: `${airlineName(r.airline)}: B ${r.b} · A ${r.a}`,
              segments: [{ value: r.b, className: 'bar-b' }, { value: r.a, className: 'bar-a' }],
            }))}
          />
          <table className="report-table">
            <caption className="sr-only">{t('reports.byAirline')}</caption>
            <thead>
              <tr><th scope="col">{t('reports.airline')}</th><th scope="col" className="num">{t('reports.colB')}</th><th scope="col" className="num">{t('reports.colA')}</th><th scope="col" className="num">{t('reports.total')}</th></tr>
            </thead>
            <tbody>
              {report.failuresByAirline.map((r) => (
                <tr key={r.airline} data-testid={`failures-airline-${r.airline || 'none'}`}><th scope="row">{airlineName(r.airline)}</th><td className="num">{r.b}</td><td className="num">{r.a}</td><td className="num">{r.a + r.b}</td></tr>
              ))}
            </tbody>
          </table>
        </figure>
        <figure className="report-figure" aria-labelledby="report-by-code" data-testid="failures-by-code">
          <figcaption id="report-by-code">{t('reports.byCode')}</figcaption>
          <BarChart
            orientation="rows"
            width={500}
            wholeTicks
            formatValue={count}
            bars={report.failuresByCode.map((c) => ({
              key: `${c.scenario}:${c.errorCode ?? ''}`,
              label: codeName(c),
              title: `${codeName(c)} — ${meaning(c)}: ${c.orders}`,
              segments: [{ value: c.orders, className: c.scenario === 'A' ? 'bar-a' : 'bar-b' }],
            }))}
          />
          <table className="report-table">
            <caption className="sr-only">{t('reports.byCode')}</caption>
            <thead>
              <tr><th scope="col">{t('reports.code')}</th><th scope="col">{t('reports.meaning')}</th><th scope="col" className="num">{t('reports.orders')}</th></tr>
            </thead>
            <tbody>
              {report.failuresByCode.map((c) => (
                <tr key={`${c.scenario}:${c.errorCode ?? ''}`} data-testid={`failures-code-${c.scenario}${c.errorCode ? `-${c.errorCode}` : ''}`}>
                  <th scope="row" className="mono">{codeName(c)}</th><td>{meaning(c)}</td><td className="num">{c.orders}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      </div>
    </section>
  );
}

function TimeToTicket({ report }: { report: ReportSummary }) {
  const { t, i18n } = useTranslation();
  const tt = report.timeToTicket;
  const bucket = (i: number) => t(`reports.buckets.${i}`);
  return (
    <section className="report-section" aria-labelledby="report-time" data-testid="report-time">
      <h2 id="report-time">{t('reports.timeToTicket')}</h2>
      <p className="hint muted">{t('reports.timeHint')}</p>
      <dl className="report-stats">
        <div><dt>{t('reports.median')}</dt><dd data-testid="time-median">{tt.medianMs === null ? '—' : formatDuration(tt.medianMs, t)}</dd></div>
        <div><dt>{t('reports.p90')}</dt><dd data-testid="time-p90">{tt.p90Ms === null ? '—' : formatDuration(tt.p90Ms, t)}</dd></div>
        <div><dt>{t('reports.measured')}</dt><dd data-testid="time-measured">{tt.measured}</dd></div>
      </dl>
      {tt.unmeasured > 0 && <p className="hint muted">{t('reports.unmeasured', { count: tt.unmeasured })}</p>}
      <figure className="report-figure split" aria-labelledby="report-time-caption" data-testid="time-distribution">
        <figcaption id="report-time-caption" className="sr-only">{t('reports.timeToTicket')}</figcaption>
        <BarChart
          orientation="rows"
          wholeTicks
          formatValue={countTick(i18n.language)}
          bars={tt.buckets.map((n, i) => ({ key: String(i), label: bucket(i), title: `${bucket(i)}: ${n}`, segments: [{ value: n, className: 'bar-time' }] }))}
        />
        <table className="report-table">
          <caption className="sr-only">{t('reports.timeToTicket')}</caption>
          <thead>
            <tr><th scope="col">{t('reports.bucket')}</th><th scope="col" className="num">{t('reports.recoveries')}</th></tr>
          </thead>
          <tbody>
            {tt.buckets.map((n, i) => (
              <tr key={i}><th scope="row">{bucket(i)}</th><td className="num">{n}</td></tr>
            ))}
          </tbody>
        </table>
      </figure>
    </section>
  );
}

export function ReportsScreen() {
  const { t, i18n } = useTranslation();
  // The staff's own zone: the core buckets every moment into these local days.
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const today = useMemo(() => localDay(Date.now(), timeZone), [timeZone]);
  const [from, setFrom] = useState(() => addDays(today, -29));
  const [to, setTo] = useState(today);
  const ok = validRange(from, to);
  const range: ReportRange = useMemo(() => ({ from, to, timeZone }), [from, to, timeZone]);
  // A recovery that settles while the screen is open changes the figures: load them again. A
  // slower answer for an earlier period is dropped: it must not replace the one staff look at.
  const settledJobs = useQueue((s) => s.jobs.filter((j) => SETTLED_JOB_STATES.includes(j.state)).length);
  const summary = useDeskCall((d) => d.reports.summary(range), { loadOn: [range, settledJobs], skip: !ok });
  const exported = useDeskCall((d) => d.reports.export(range));
  const report = summary.value;
  const loading = summary.loading;
  const saved = !exported.loading && !exported.error ? exported.value : null;

  const preset = (days: number) => {
    setFrom(addDays(today, -(days - 1)));
    setTo(today);
  };

  return (
    <section className="reports-screen" aria-label={t('nav.reports')} aria-busy={loading} data-testid="reports-screen">
      <h1>{t('reports.title')}</h1>
      <div className="filters" role="group" aria-label={t('reports.range')}>
        <label className="date"><span>{t('reports.from')}</span><input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} aria-invalid={!ok} data-testid="report-from" /></label>
        <label className="date"><span>{t('reports.to')}</span><input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} aria-invalid={!ok} data-testid="report-to" /></label>
        {PRESETS.map((n) => (
          <button key={n} type="button" onClick={() => preset(n)} data-testid={`report-last-${n}`}>{t('reports.lastDays', { count: n })}</button>
        ))}
        <span className="spacer" />
        <button type="button" onClick={() => void exported.run()} disabled={!ok || !report} data-testid="report-export">{t('reports.export')}</button>
      </div>
      <p className="hint muted">{t('reports.timeZone', { zone: timeZone })}</p>
      {!ok && <p role="alert" className="error-note" data-testid="report-bad-range">{t('reports.badRange')}</p>}
      {saved && (
        <p role="status" className="note" data-testid="report-exported">
          {saved.saved ? t('reports.exported', { path: saved.path ?? '' }) : t('reports.exportCancelled')}
        </p>
      )}
      <ErrorNote error={exported.error} />
      <ErrorNote error={summary.error} onRetry={summary.retry} />
      <p role="status" className="muted report-loading" data-testid={loading ? 'report-loading' : undefined}>{loading ? t('common.loading') : ''}</p>
      {report && isEmpty(report) && (
        <p className="empty" data-testid="report-empty">
          {t('reports.empty', { from: formatReportDay(report.range.from, i18n.language), to: formatReportDay(report.range.to, i18n.language) })}
        </p>
      )}
      {report && !isEmpty(report) && (
        <div className="report-body" data-testid="report-body">
          <Recovered report={report} />
          <Failures report={report} />
          <TimeToTicket report={report} />
        </div>
      )}
    </section>
  );
}
