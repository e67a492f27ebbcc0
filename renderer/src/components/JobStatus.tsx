// One job's live state in words (reads the queue store, which queue:changed keeps current).
import { useTranslation } from 'react-i18next';
import type { Job } from '../../../shared/desk.ts';
import { codeText } from '../lib/explain.ts';
import { jobReasonShown } from '../lib/jobs.ts';

export function JobStatus({ job }: { job: Job }) {
  const { t, i18n } = useTranslation();
  const reason = jobReasonShown(job);
  return (
    <span className={`job-state st-${job.state}`} data-testid={`job-state-${job.orderNo}`}>
      <span className="badge">{t(`queue.state.${job.state}`)}</span>
      {job.outcome && <span> · {t(`queue.outcome.${job.outcome}`)}</span>}
      {reason && <span className="muted"> · {codeText(i18n, reason)}</span>}
      {job.currentOrderNo !== job.orderNo && <span className="muted mono" title={t('queue.newOrder')}> → {job.currentOrderNo}</span>}
    </span>
  );
}
