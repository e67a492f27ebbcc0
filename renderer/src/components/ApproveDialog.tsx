// Approve the new amount of recovery jobs that stopped before paying (docs/money-safety.md rule 9):
// one job from an order's panel or a queue row, or every waiting job of a selection. Shows, per
// order, what was approved → what Atlas asks now, and the new amounts per currency; confirming
// sends exactly the amounts shown (recovery:approve), then follows each job live.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Money } from '../../../shared/atlas.ts';
import type { ApprovedAmounts } from '../../../shared/desk.ts';
import { sumMoney } from '../../../shared/money.ts';
import { amountsText, codeText } from '../lib/explain.ts';
import { formatMoney } from '../lib/format.ts';
import { waitingApproval } from '../lib/jobs.ts';
import { useDeskCall } from '../lib/use-desk-call.ts';
import { useQueue } from '../stores/queue.ts';
import { Dialog } from './Dialog.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { JobStatus } from './JobStatus.tsx';

function Amounts({ amounts, testId }: { amounts: ApprovedAmounts | null; testId?: string }) {
  const { t, i18n } = useTranslation();
  return <span className="money" data-testid={testId}>{amountsText(i18n, amounts) ?? t('timeline.nothingApproved')}</span>;
}

const sources = (a: ApprovedAmounts | null): Money[] => [a?.dueFromDeposit, a?.dueFromCard].filter((m): m is Money => !!m);

export function ApproveDialog({ jobIds, onClose }: { jobIds: readonly string[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const live = useQueue((s) => s.jobs);
  // A snapshot of what staff are shown: the amounts they approve must not change under their eyes.
  const [shown] = useState(() => waitingApproval(live.filter((j) => jobIds.includes(j.id))));
  const approving = useDeskCall((d) =>
    d.recovery.approve({ approvals: shown.map((j) => ({ jobId: j.id, dueFromDeposit: j.quote?.dueFromDeposit ?? null, dueFromCard: j.quote?.dueFromCard ?? null })) }),
  );
  const busy = approving.loading;
  const done = approving.value;
  // Empty when the amounts cannot be added up exactly: no total is better than a rounded one.
  const totals = sumMoney(shown.flatMap((j) => sources(j.quote))) ?? [];

  const confirm = async () => {
    const r = await approving.run();
    if (r?.ok) useQueue.getState().upsert(r.value.jobs);
  };

  return (
    <Dialog title={t('approve.title')} onClose={onClose} testId="approve-dialog" wide>
      {shown.length === 0 ? (
        <p data-testid="approve-none">{t('approve.none')}</p>
      ) : (
        <>
          <p className="muted">{t('approve.intro')}</p>
          <table className="results-table" data-testid="approve-table">
            <thead>
              <tr>
                <th scope="col">{t('approve.order')}</th>
                <th scope="col">{t('approve.before')}</th>
                <th scope="col">{t('approve.now')}</th>
                {done && <th scope="col">{t('approve.result')}</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((job) => {
                const current = live.find((j) => j.id === job.id) ?? job;
                const refused = done?.rejected.find((r) => r.jobId === job.id);
                const before = job.approval ? { dueFromDeposit: job.approval.dueFromDeposit, dueFromCard: job.approval.dueFromCard } : null;
                return (
                  <tr key={job.id} data-testid={`approve-row-${job.orderNo}`}>
                    <td>
                      <span className="mono">{job.orderNo}</span>
                      {job.quote && job.quote.orderNo !== job.orderNo && <div className="muted mono" title={t('approve.paying')}>→ {job.quote.orderNo}</div>}
                      <div className="muted" data-testid={`approve-why-${job.orderNo}`}>{codeText(i18n, job.reason ?? 'price_changed')}</div>
                    </td>
                    <td><Amounts amounts={before} testId={`approve-before-${job.orderNo}`} /></td>
                    <td><strong><Amounts amounts={job.quote} testId={`approve-now-${job.orderNo}`} /></strong></td>
                    {done && (
                      <td>
                        {refused ? (
                          <span className="job-state st-failed"><span className="badge">{t('approve.rejected')}</span> <span className="muted">{codeText(i18n, refused.reason)}</span></span>
                        ) : (
                          <JobStatus job={current} />
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h3>{t('approve.totals')}</h3>
          <table className="totals" data-testid="approve-totals">
            <thead>
              <tr><th scope="col">{t('approve.currency')}</th><th scope="col">{t('approve.orders')}</th><th scope="col">{t('approve.total')}</th></tr>
            </thead>
            <tbody>
              {totals.map((total) => (
                <tr key={total.currency} data-testid={`approve-total-${total.currency}`}>
                  <td>{total.currency}</td>
                  <td className="num">{shown.filter((j) => sources(j.quote).some((m) => m.currency.toUpperCase() === total.currency)).length}</td>
                  <td className="num money">{formatMoney(total.amount, total.currency, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <ErrorNote error={approving.error} />
      <div className="actions">
        <button type="button" onClick={onClose}>{done || shown.length === 0 ? t('common.close') : t('common.cancel')}</button>
        {!done && shown.length > 0 && (
          <button type="button" className="primary" disabled={busy} onClick={() => void confirm()} data-testid="approve-confirm">
            {busy ? t('common.working') : t('approve.confirm', { count: shown.length })}
          </button>
        )}
      </div>
    </Dialog>
  );
}
