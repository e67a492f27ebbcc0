// Recovery jobs as the window shows them: the order of the queue's groups, which jobs may be
// cancelled, and which reason is worth a word next to the state.
import type { Job, JobState } from '../../../shared/desk.ts';

/** The queue screen's groups, most urgent first. */
export const STATE_ORDER: JobState[] = ['needs_card', 'attention', 'running', 'reconciling', 'waiting_network', 'queued', 'tracking', 'failed', 'blocked', 'done', 'cancelled'];
/** Jobs that have not sent anything yet can be cancelled safely. */
export const CANCELLABLE: ReadonlySet<JobState> = new Set(['queued', 'waiting_network', 'needs_card']);

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
