// OS notifications for background work: when a job settles or needs staff (card details again, a
// new approval, attention) while the window is hidden or minimised. Text carries order numbers and outcomes only,
// in the staff's language (shared/notification-text.ts).
import type { Job, JobState } from '../../shared/desk.ts';
import type { Language } from '../../shared/ipc.ts';
import { blockedReasonText, notificationText } from '../../shared/notification-text.ts';

const NOTIFY_STATES: ReadonlySet<JobState> = new Set(['done', 'failed', 'attention', 'needs_card', 'needs_approval', 'blocked']);
/** States in which a job waits for a person. */
const STAFF_NEEDED: ReadonlySet<JobState> = new Set(['needs_card', 'needs_approval', 'attention']);

export function describeJob(job: Job, language: Language = 'en'): string {
  const orderNo = job.orderNo;
  switch (job.state) {
    case 'done':
      return notificationText(language, job.outcome === 'ticketed' ? 'ticketed' : 'finished', { orderNo });
    case 'needs_card':
      return notificationText(language, 'needsCard', { orderNo });
    case 'needs_approval':
      return notificationText(language, 'needsApproval', { orderNo });
    case 'attention':
      return notificationText(language, 'attention', { orderNo });
    case 'blocked':
      return job.reason ? notificationText(language, 'blocked', { orderNo, reason: blockedReasonText(language, job.reason) }) : notificationText(language, 'blockedNoReason', { orderNo });
    default:
      return notificationText(language, 'failed', { orderNo });
  }
}

export function createJobNotifier(options: {
  isWindowHidden: () => boolean;
  notify: (title: string, body: string) => void;
  /** Read at notification time, so a language change in settings applies at once. Default English. */
  language?: () => Language;
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
    const language = options.language?.() ?? 'en';
    const needStaff = fresh.some((j) => STAFF_NEEDED.has(j.state));
    const title = notificationText(language, needStaff ? 'titleStaffNeeded' : 'titleFinished', {});
    const lines = fresh.slice(0, 4).map((job) => describeJob(job, language));
    if (fresh.length > 4) lines.push(notificationText(language, 'more', { count: fresh.length - 4 }));
    options.notify(title, lines.join('\n'));
  };
}
