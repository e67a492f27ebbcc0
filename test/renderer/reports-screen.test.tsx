// The Reports screen: figures in tables beneath their charts (a filled-in report the desk answers
// with, test/support/report-fixtures.ts), the staff's own
// period and time zone, presets, empty / loading / error states, CSV export, both languages, and
// the nav and "g r" shortcut that reach it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { ReportsScreen } from '../../renderer/src/components/ReportsScreen.tsx';
import { createI18n } from '../../renderer/src/i18n.ts';
import { formatDuration } from '../../renderer/src/lib/report-format.ts';
import type { ReportRange } from '../../shared/reports.ts';
import { addDays, localDay } from '../../shared/reports.ts';
import { sampleReport } from '../support/report-fixtures.ts';
import { useHarness } from './harness.tsx';

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
/** Text with Intl's no-break spaces as plain ones. */
const text = (el: Element) => (el.textContent ?? '').replace(/\u00a0/g, ' ');
const today = () => localDay(Date.now(), zone());

describe('Reports screen', () => {
  const h = useHarness();
  const requests = () => h.desk().calls.filter((c) => c.channel === 'reports:summary').map((c) => c.request as ReportRange);
  /** The screen with every figure filled in. */
  const renderReports = (opts?: Parameters<typeof h.renderUi>[1]) => {
    const r = h.renderUi(<ReportsScreen />, opts);
    r.desk.answer('reports:summary', sampleReport);
    return r;
  };

  it('asks for the last 30 local days in the staff time zone and says which zone the days are in', async () => {
    renderReports();
    await screen.findByTestId('report-body');
    expect(requests()).toEqual([{ from: addDays(today(), -29), to: today(), timeZone: zone() }]);
    expect(screen.getByText(`Days are local days in ${zone()}.`)).toBeTruthy();
  });

  it('shows money recovered per currency, never summed across currencies, with a table per chart', async () => {
    renderReports();
    const usd = await screen.findByTestId('recovered-USD');
    expect(text(screen.getByTestId('recovered-total-USD'))).toBe('USD 1,701.14 from 5 orders');
    expect(text(screen.getByTestId('recovered-total-JPY'))).toBe('JPY 148,200 from 2 orders');
    expect(text(screen.getByTestId('recovered-total-CNY'))).toBe('CNY 2,315.60 from 1 order');
    const table = within(usd).getByRole('table', { name: 'Money recovered per day in USD' });
    const rows = within(table).getAllByRole('row').map(text);
    expect(rows).toHaveLength(1 + 3 + 1); // header, three days, total
    expect(rows.at(-1)).toBe('Total5USD 1,701.14');
    // The chart is a picture of that table: hidden from assistive technology, one bar per day.
    const svg = usd.querySelector('svg.bar-chart');
    expect(svg?.getAttribute('aria-hidden')).toBe('true');
    expect(svg?.querySelectorAll('g > title')).toHaveLength(30);
    expect(text(screen.getByTestId('report-awaiting'))).toContain('USD 150.00 from 1 order');
  });

  it('lists failures by airline and by error code with the code meanings', async () => {
    renderReports();
    await screen.findByTestId('report-failures');
    expect(screen.getByTestId('failures-airline-NK').textContent).toBe('NK314');
    const byCode = within(screen.getByTestId('failures-by-code')).getByRole('table');
    expect(within(byCode).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'CodeMeaningOrders',
      'APayment failed, the order is still unpaid3',
      'B 604Card declined by the airline3',
      'B 633Payment declined by airline risk control2',
      'B 623Card balance or limit too low1',
    ]);
  });

  it('gives the median and 90th percentile time to ticket and the distribution', async () => {
    renderReports();
    await screen.findByTestId('report-time');
    expect(screen.getByTestId('time-median').textContent).toBe('25 min');
    expect(screen.getByTestId('time-p90').textContent).toBe('3 h 10 min');
    expect(screen.getByTestId('time-measured').textContent).toBe('8');
    const table = within(screen.getByTestId('time-distribution')).getByRole('table');
    expect(within(table).getAllByRole('row').map((r) => r.textContent).slice(1, 3)).toEqual(['under 15 min2', '15–30 min2']);
  });

  it('words durations from seconds to days in both languages', () => {
    const en = createI18n('en').t;
    const zh = createI18n('zh-CN').t;
    expect([40_000, 25 * 60_000, 190 * 60_000, 52 * 3_600_000].map((ms) => formatDuration(ms, en))).toEqual(['40 s', '25 min', '3 h 10 min', '2 d 4 h']);
    expect(formatDuration(40_000, zh)).toBe('40 秒');
  });

  it('reloads for a preset period and refuses a reversed one without asking the desk', async () => {
    const user = userEvent.setup();
    renderReports();
    await screen.findByTestId('report-body');
    await user.click(screen.getByTestId('report-last-7'));
    await waitFor(() => expect(requests().at(-1)).toEqual({ from: addDays(today(), -6), to: today(), timeZone: zone() }));
    const asked = requests().length;
    fireEvent.change(screen.getByTestId('report-from'), { target: { value: addDays(today(), 1) } });
    expect(await screen.findByTestId('report-bad-range')).toBeTruthy();
    expect(requests()).toHaveLength(asked);
    expect((screen.getByTestId('report-export') as HTMLButtonElement).disabled).toBe(true);
  });

  it('loads the figures again when a recovery settles while the screen is open', async () => {
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    await userEvent.setup().click(screen.getByTestId('nav-reports'));
    await screen.findByTestId('report-body');
    const before = requests().length;
    await desk.recoverWithDeposit(['TA2611260003']);
    await waitFor(() => expect(requests().length).toBeGreaterThan(before));
  });

  it('says so when nothing happened in the period', async () => {
    // A desk with no orders and no history: the core's figures are empty.
    h.renderUi(<ReportsScreen />, { desk: { orders: [] } });
    expect((await screen.findByTestId('report-empty')).textContent).toMatch(/^Nothing was recovered and no payment failed between /);
    expect(screen.queryByTestId('report-body')).toBeNull();
  });

  it('shows loading first; a failed reload keeps the figures shown and offers a retry', async () => {
    const user = userEvent.setup();
    renderReports();
    expect(screen.getByTestId('report-loading').textContent).toBe('Loading…');
    await screen.findByTestId('report-body');
    expect(screen.queryByTestId('report-loading')).toBeNull();
    h.desk().failNext('reports:summary', 'internal');
    await user.click(screen.getByTestId('report-last-90'));
    const note = await screen.findByTestId('error-internal');
    expect(screen.getByTestId('report-body')).toBeTruthy();
    await user.click(within(note).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByTestId('error-internal')).toBeNull());
    expect(requests().at(-1)).toEqual({ from: addDays(today(), -89), to: today(), timeZone: zone() });
  });

  it('exports the figures of the period shown as CSV and says where', async () => {
    const user = userEvent.setup();
    renderReports();
    await screen.findByTestId('report-body');
    await user.click(screen.getByTestId('report-export'));
    const note = await screen.findByTestId('report-exported');
    const range = { from: addDays(today(), -29), to: today(), timeZone: zone() };
    expect(h.desk().calls.filter((c) => c.channel === 'reports:export').map((c) => c.request)).toEqual([range]);
    // The desk wrote it where staff chose (here: its own folder).
    const file = path.join((await h.desk().ready()).dir, `atlas-retry-desk-report-${range.from}-to-${range.to}.csv`);
    expect(note.textContent).toBe(`Saved the report's figures to ${file}`);
    expect(readFileSync(file, 'utf8')).toMatch(/^\uFEFF"/);
  });

  it('is in Chinese when the desk is', async () => {
    renderReports({ language: 'zh-CN' });
    await screen.findByTestId('report-body');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('报表');
    expect(text(screen.getByTestId('recovered-total-USD'))).toBe('USD 1,701.14，共 5 个订单');
    expect(screen.getByTestId('time-p90').textContent).toBe('3 小时 10 分钟');
  });

  it('is reached from the navigation and with "g r"', async () => {
    const user = userEvent.setup();
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    await user.keyboard('gr');
    expect(await screen.findByTestId('reports-screen')).toBeTruthy();
    expect(screen.getByTestId('nav-reports').getAttribute('aria-current')).toBe('page');
    await user.click(screen.getByTestId('nav-orders'));
    await user.click(screen.getByTestId('nav-reports'));
    expect(await screen.findByTestId('reports-screen')).toBeTruthy();
  });
});
