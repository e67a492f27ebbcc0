// OS notifications for background work: when a job settles or needs staff (card details again,
// attention) while the window is hidden or minimised. Text carries order numbers and outcomes only.
import type { Job, JobState } from '../../shared/desk.ts';

const NOTIFY_STATES: ReadonlySet<JobState> = new Set(['done', 'failed', 'attention', 'needs_card', 'blocked']);

export interface NotificationLike {
  show(): void;
}

export function describeJob(job: Job): string {
  switch (job.state) {
    case 'done':
      return job.outcome === 'ticketed' ? `${job.orderNo}: ticketed` : `${job.orderNo}: recovery finished`;
    case 'needs_card':
      return `${job.orderNo}: card details needed again`;
    case 'attention':
      return `${job.orderNo}: needs attention`;
    case 'blocked':
      return `${job.orderNo}: not recovered (${job.reason ?? 'blocked'})`;
    default:
      return `${job.orderNo}: recovery failed`;
  }
}

export function createJobNotifier(options: {
  isWindowHidden: () => boolean;
  notify: (title: string, body: string) => void;
}): (jobs: Job[]) => void {
  const lastState = new Map<string, JobState>();
  let primed = false;
  return (jobs) => {
    const fresh: Job[] = [];
    for (const job of jobs) {
      const before = lastState.get(job.id);
      lastState.set(job.id, job.state);
      // The first snapshot after start describes the past, not news.
      if (primed && before !== job.state && NOTIFY_STATES.has(job.state)) fresh.push(job);
    }
    primed = true;
    if (fresh.length === 0 || !options.isWindowHidden()) return;
    const needStaff = fresh.some((j) => j.state === 'needs_card' || j.state === 'attention');
    const title = needStaff ? 'Atlas Retry Desk: staff needed' : 'Atlas Retry Desk: recoveries finished';
    const lines = fresh.slice(0, 4).map(describeJob);
    if (fresh.length > 4) lines.push(`…and ${fresh.length - 4} more`);
    options.notify(title, lines.join('\n'));
  };
}
