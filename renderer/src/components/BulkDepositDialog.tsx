// Bulk recovery with deposit: preview (which orders the balance covers per currency, soonest
// deadline first, and those it does not; who cannot and why),
// then per-row results streaming in through queue:changed. Unpaid orders are never included.
// Confirming approves each order's amount as previewed, and exactly those amounts are sent.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SETTLED_JOB_STATES, type DeskOrder, type Job } from '../../../shared/desk.ts';
import type { DepositPreview } from '../../../shared/ipc.ts';
import type { RefusalReason } from '../../../shared/reasons.ts';
import { codeText } from '../lib/explain.ts';
import { formatMoney } from '../lib/format.ts';
import { splitSelection } from '../lib/selection.ts';
import { useDeskCall } from '../lib/use-desk-call.ts';
import { useQueue } from '../stores/queue.ts';
import { Dialog } from './Dialog.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { JobStatus } from './JobStatus.tsx';

export function BulkDepositDialog(props: { orders: readonly DeskOrder[]; selected: ReadonlySet<string>; onClose: () => void; onStarted?: () => void }) {
  const { t, i18n } = useTranslation();
  // A snapshot taken when the dialog opens: starting the jobs clears the list's selection and the
  // orders move on, but this dialog keeps talking about the orders staff confirmed.
  const [{ candidates, unpaid }] = useState(() => splitSelection(props.orders, props.selected));
  // Once: the selection is fixed while the dialog is open.
  const previewing = useDeskCall((d) => d.recovery.previewDeposit({ orderNos: candidates }), { loadOn: [], skip: candidates.length === 0 });
  const starting = useDeskCall((d, confirmed: DepositPreview) => d.recovery.deposit({ orderNos: confirmed.eligible, approvals: confirmed.dues }));
  const preview = previewing.value;
  const busy = starting.loading;
  const jobs = useQueue((s) => s.jobs);
  const answer = starting.value;
  const started: Started | null = answer && { jobIds: answer.jobs.map((j) => j.id), rejected: answer.rejected, notPaidNow: preview?.beyondBalance.map((d) => d.orderNo) ?? [] };

  const start = async () => {
    if (!preview || preview.eligible.length === 0) return;
    const r = await starting.run(preview);
    if (!r?.ok) return;
    useQueue.getState().upsert(r.value.jobs);
    props.onStarted?.();
  };

  return (
    <Dialog title={t('bulk.title')} onClose={props.onClose} testId="bulk-dialog" wide>
      <ErrorNote error={previewing.error} onRetry={previewing.retry} />
      <ErrorNote error={starting.error} />
      {!started && unpaid.length > 0 && (
        <p className="note" data-testid="bulk-unpaid-excluded">{t('bulk.unpaidExcluded', { count: unpaid.length })}</p>
      )}
      {!started && candidates.length === 0 && <p data-testid="bulk-nothing">{t('bulk.nothing')}</p>}
      {started ? (
        <BulkResults started={started} jobs={jobs} onClose={props.onClose} />
      ) : (
        preview && (
          <>
            <p data-testid="bulk-count">{t('bulk.count', { count: preview.eligible.length })}</p>
            <table className="totals" data-testid="bulk-totals">
              <thead>
                <tr><th scope="col">{t('bulk.currency')}</th><th scope="col">{t('bulk.orders')}</th><th scope="col">{t('bulk.due')}</th><th scope="col">{t('bulk.balance')}</th><th scope="col">{t('bulk.left')}</th></tr>
              </thead>
              <tbody>
                {preview.totals.map((x) => (
                  <tr key={x.currency} data-testid={`bulk-total-${x.currency}`}>
                    <td>{x.currency}</td>
                    <td className="num">{x.orders}</td>
                    <td className="num money">{formatMoney(x.due, x.currency, i18n.language)}</td>
                    <td className="num money">{x.balance === null ? t('recover.balanceUnknown') : formatMoney(x.balance, x.currency, i18n.language)}</td>
                    <td className="num money">{x.left === null ? '—' : formatMoney(x.left, x.currency, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {preview.eligible.length > 1 && (
              <>
                <p className="hint muted">{t('bulk.fitNote')}</p>
                <ol className="fit-order" data-testid="bulk-fits">
                  {preview.dues.map((d) => (
                    <li key={d.orderNo}><span className="mono">{d.orderNo}</span> — <span className="money">{formatMoney(d.dueFromDeposit.amount, d.dueFromDeposit.currency, i18n.language)}</span></li>
                  ))}
                </ol>
              </>
            )}
            {preview.beyondBalance.length > 0 && (
              <>
                <h3 className="warn-text">{t('bulk.beyond', { count: preview.beyondBalance.length })}</h3>
                <ul className="ineligible" data-testid="bulk-beyond">
                  {preview.beyondBalance.map((d) => (
                    <li key={d.orderNo}><span className="mono">{d.orderNo}</span> — <span className="money">{formatMoney(d.dueFromDeposit.amount, d.dueFromDeposit.currency, i18n.language)}</span></li>
                  ))}
                </ul>
                <p className="hint">{t('bulk.beyondNote')}</p>
              </>
            )}
            {preview.ineligible.length > 0 && (
              <>
                <h3>{t('bulk.ineligible', { count: preview.ineligible.length })}</h3>
                <ul className="ineligible" data-testid="bulk-ineligible">
                  {preview.ineligible.map((x) => (
                    <li key={x.orderNo}><span className="mono">{x.orderNo}</span> — {codeText(i18n, x.reason)}</li>
                  ))}
                </ul>
              </>
            )}
            {preview.eligible.length > 0 && <p className="hint muted" data-testid="bulk-approve-note">{t('bulk.approveNote')}</p>}
            <div className="actions">
              <button type="button" onClick={props.onClose}>{t('common.cancel')}</button>
              <button type="button" className="primary" disabled={busy || preview.eligible.length === 0} onClick={() => void start()} data-testid="bulk-confirm">
                {busy ? t('common.working') : t('bulk.confirm', { count: preview.eligible.length })}
              </button>
            </div>
          </>
        )
      )}
    </Dialog>
  );
}

type Started = { jobIds: string[]; rejected: { orderNo: string; reason: RefusalReason }[]; notPaidNow: string[] };

/** One row per order of the selection: its job's live state, why it was not started, or that the deposit did not cover it. */
function BulkResults({ started, jobs, onClose }: { started: Started; jobs: readonly Job[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const mine = started.jobIds.map((id) => jobs.find((j) => j.id === id)).filter((j): j is Job => j !== undefined);
  const done = mine.filter((j) => j.state === 'done').length;
  const active = mine.filter((j) => !SETTLED_JOB_STATES.includes(j.state)).length;
  const problems = mine.length - done - active + started.rejected.length + started.notPaidNow.length;
  return (
    <div data-testid="bulk-results">
      {/* Only the one-line summary is live: re-reading the whole table on every job change is noise. */}
      <p className="bulk-summary" role="status" data-testid="bulk-summary">{t('bulk.summary', { done, active, problems })}</p>
      <table className="results-table">
        <thead>
          <tr><th scope="col">{t('orders.col.orderNo')}</th><th scope="col">{t('bulk.result')}</th></tr>
        </thead>
        <tbody>
          {mine.map((job) => (
            <tr key={job.id} data-testid={`bulk-result-${job.orderNo}`}>
              <td className="mono">{job.orderNo}</td>
              <td><JobStatus job={job} /></td>
            </tr>
          ))}
          {started.rejected.map((r) => (
            <tr key={r.orderNo} data-testid={`bulk-result-${r.orderNo}`}>
              <td className="mono">{r.orderNo}</td>
              <td><span className="job-state st-failed"><span className="badge">{t('bulk.rejected')}</span> <span className="muted">{codeText(i18n, r.reason)}</span></span></td>
            </tr>
          ))}
          {started.notPaidNow.map((orderNo) => (
            <tr key={orderNo} data-testid={`bulk-result-${orderNo}`}>
              <td className="mono">{orderNo}</td>
              <td><span className="job-state st-failed"><span className="badge">{t('bulk.notPaidNow')}</span> <span className="muted">{t('bulk.notPaidNowReason')}</span></span></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions"><button type="button" className="primary" onClick={onClose}>{t('common.close')}</button></div>
    </div>
  );
}
