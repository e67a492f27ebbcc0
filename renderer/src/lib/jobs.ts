// Recovery jobs as the window shows them: the order of the queue's groups, which jobs may be
// cancelled, which reason is worth a word next to the state, and which wait for staff's approval.
import type { Job, JobState } from '../../../shared/desk.ts';

/** The queue screen's groups, most urgent first. */
export const STATE_ORDER: JobState[] = ['needs_approval', 'needs_card', 'attention', 'running', 'reconciling', 'waiting_network', 'queued', 'tracking', 'failed', 'blocked', 'done', 'cancelled'];
/** Jobs that have not sent anything yet can be cancelled safely (the core checks their journal too). */
export const CANCELLABLE: ReadonlySet<JobState> = new Set(['queued', 'waiting_network', 'needs_card', 'needs_approval']);

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

/** Jobs waiting for staff's approval of a new amount, with the amount they wait for. */
export function waitingApproval(jobs: readonly Job[]): Job[] {
  return jobs.filter((j) => j.state === 'needs_approval' && j.quote !== null);
}

/** The waiting jobs of these orders (the order a job was asked for, or the one it pays now). */
export function waitingFor(jobs: readonly Job[], orderNos: ReadonlySet<string>): Job[] {
  return waitingApproval(jobs).filter((j) => orderNos.has(j.orderNo) || orderNos.has(j.currentOrderNo));
}
