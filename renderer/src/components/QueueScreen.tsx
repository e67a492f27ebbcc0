// Recovery jobs grouped by state; cancel jobs not started; give card details to needs_card jobs;
// approve the new amount of needs_approval jobs.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { paymentLimitCurrency } from '../../../shared/card.ts';
import type { CardDetails } from '../../../shared/atlas.ts';
import type { Job } from '../../../shared/desk.ts';
import { codeText } from '../lib/explain.ts';
import { formatDateTime } from '../lib/format.ts';
import { CANCELLABLE, STATE_ORDER } from '../lib/jobs.ts';
import { useDeskCall } from '../lib/use-desk-call.ts';
import { useOrders } from '../stores/orders.ts';
import { useQueue } from '../stores/queue.ts';
import { useUi } from '../stores/ui.ts';
import { CardForm } from './CardForm.tsx';
import { Dialog } from './Dialog.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { JobStatus } from './JobStatus.tsx';
import { OtherDesks } from './TeamHold.tsx';

/**
 * Card details for a job parked in needs_card. The order it pays now may be a regenerated one that
 * is not in the failed list, so it is read with orders:show. Nothing is pre-filled when the last
 * card's limit was too low (card_limit_below_due): staff enter a limit that covers the new fare.
 */
function ProvideCard({ job, onClose }: { job: Job; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const listed = useOrders((s) => s.orders.find((o) => o.orderNo === job.currentOrderNo) ?? s.orders.find((o) => o.orderNo === job.orderNo));
  const shown = useDeskCall((d) => d.orders.show({ orderNo: job.currentOrderNo }), { loadOn: [job.currentOrderNo] });
  const provide = useDeskCall((d, card: CardDetails) => d.queue.provideCard({ jobId: job.id, card }));
  const order = shown.value?.order ?? listed;
  if (!order) return <Dialog title={t('queue.provideCardTitle', { orderNo: job.currentOrderNo })} onClose={onClose} testId="provide-card-dialog" wide>{shown.error ? <ErrorNote error={shown.error} onRetry={shown.retry} /> : <p className="muted">{t('common.loading')}</p>}</Dialog>;
  const cardOffer = order.plan.methods.find((m) => m.paymentMethod === 3)?.dueFromCard ?? null;
  const limitTooLow = job.reason === 'card_limit_below_due';
  return (
    <Dialog title={t('queue.provideCardTitle', { orderNo: job.currentOrderNo })} onClose={onClose} testId="provide-card-dialog" wide>
      <CardForm
        key={order.orderNo}
        airlines={order.details.airlines}
        vendorAmount={cardOffer?.amount ?? order.details.vendorTotalPrice ?? null}
        vendorCurrency={paymentLimitCurrency(order.details, order.plan)}
        // Not yet regenerated: the new order's fare is unknown, so leave room for the re-pricing.
        repriced={job.currentOrderNo === job.orderNo && order.plan.action === 'regenerate_then_pay'}
        prefillLimit={!limitTooLow}
        reason={job.reason ? codeText(i18n, job.reason) : null}
        submitLabel={t('queue.provideCard')}
        onCancel={onClose}
        onSubmit={async (card) => {
          const r = await provide.run(card);
          // Dropped: the dialog is gone.
          if (!r) return null;
          if (!r.ok) return r.error;
          useQueue.getState().upsert([r.value]);
          onClose();
          return null;
        }}
      />
    </Dialog>
  );
}

/**
 * How many jobs may talk to Atlas at once right now. Not a live region: it moves with every burst
 * of a bulk recovery, and a screen reader announcing each change would drown everything else.
 */
function PaceLine() {
  const { t } = useTranslation();
  const pace = useQueue((s) => s.pace);
  const elsewhere = useQueue((s) => s.lease?.elsewhere ?? null);
  // The cap may have changed in Settings since the last push.
  useEffect(() => {
    void useQueue.getState().refreshPace();
  }, []);
  if (!pace || elsewhere) return null;
  return <p className="muted queue-pace" data-testid="queue-pace">{t('queue.pace', { limit: pace.limit, max: pace.max })}</p>;
}

export function QueueScreen() {
  const { t, i18n } = useTranslation();
  const jobs = useQueue((s) => s.jobs);
  const loadError = useQueue((s) => s.error);
  const [cardFor, setCardFor] = useState<Job | null>(null);
  const cancelJob = useDeskCall((d, jobId: string) => d.queue.cancel({ jobId }));
  const groups = useMemo(() => STATE_ORDER.map((state) => ({ state, jobs: jobs.filter((j) => j.state === state) })).filter((g) => g.jobs.length > 0), [jobs]);

  const cancel = async (job: Job) => {
    const r = await cancelJob.run(job.id);
    if (r?.ok) useQueue.getState().upsert([r.value]);
  };

  return (
    <section className="queue-screen" aria-label={t('nav.queue')} data-testid="queue-screen">
      <h1>{t('queue.title')}</h1>
      <PaceLine />
      <ErrorNote error={loadError} onRetry={() => void useQueue.getState().load()} />
      <ErrorNote error={cancelJob.error} />
      {groups.length === 0 && <p className="empty">{t('queue.empty')}</p>}
      <OtherDesks />
      {groups.map((g) => (
        <section key={g.state} className={`queue-group st-${g.state}`} aria-label={t(`queue.state.${g.state}`)} data-testid={`queue-group-${g.state}`}>
          <h2>{t(`queue.state.${g.state}`)} <span className="count">{g.jobs.length}</span></h2>
          <p className="hint muted">{t(`queue.stateHint.${g.state}`)}</p>
          <ul className="jobs">
            {g.jobs.map((j) => (
              <li key={j.id} className="job" data-testid={`job-${j.id}`}>
                <button type="button" className="link mono" onClick={() => { useUi.getState().setScreen('orders'); useUi.getState().openDetail(j.orderNo); }}>{j.orderNo}</button>
                <span>{t(`method.${j.method}`)}{j.cardMask && <span className="mono"> {j.cardMask}</span>}</span>
                <JobStatus job={j} />
                <span className="muted job-meta">{t('queue.attempts', { count: j.attempts })} · {formatDateTime(j.updatedAt, i18n.language)} · {j.actor}</span>
                <span className="job-actions">
                  {j.state === 'needs_card' && (
                    <button type="button" className="primary" onClick={() => setCardFor(j)} data-testid={`provide-card-${j.id}`}>{t('queue.provideCard')}</button>
                  )}
                  {j.state === 'needs_approval' && (
                    <button type="button" className="primary" onClick={() => useUi.getState().openApprove([j.id])} aria-label={t('queue.approveJob', { orderNo: j.orderNo })} data-testid={`approve-${j.id}`}>
                      {t('queue.approve')}
                    </button>
                  )}
                  {CANCELLABLE.has(j.state) && (
                    <button type="button" onClick={() => void cancel(j)} aria-label={t('queue.cancelJob', { orderNo: j.orderNo })} data-testid={`cancel-${j.id}`}>{t('common.cancel')}</button>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {cardFor && <ProvideCard job={cardFor} onClose={() => setCardFor(null)} />}
    </section>
  );
}
