// One job's live state in words (reads the queue store, which queue:changed keeps current).
import { useTranslation } from 'react-i18next';
import type { Job, JobState } from '../../../shared/desk.ts';
import { codeText } from '../lib/explain.ts';

/** Reasons that only repeat what the state badge already says ("Waiting for network · waiting for the network"). */
const SAID_BY_STATE: Partial<Record<JobState, readonly string[]>> = {
  waiting_network: ['offline'],
  tracking: ['ticketing_pending'],
  reconciling: ['outcome_unknown'],
};

export function jobReasonShown(job: Job): string | null {
  if (!job.reason) return null;
  return SAID_BY_STATE[job.state]?.includes(job.reason) ? null : job.reason;
}

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
