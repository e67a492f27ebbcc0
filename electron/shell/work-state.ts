// What the queue is doing, as the shell's background behaviour needs it (close-to-tray, taskbar
// progress, power-save blocker, restart to update). Pure: fed every `queue:changed` snapshot.
import type { Job, JobState } from '../../shared/desk.ts';

/** Talking to Atlas now or about to: a payment can only be on the wire in one of these. */
const BUSY: ReadonlySet<JobState> = new Set(['queued', 'running', 'reconciling', 'tracking']);
/**
 * Work that goes on by itself if the app keeps running: busy, or paused until the network is back.
 * `needs_card` is not here: it waits for staff and survives a restart the same way.
 */
const PENDING: ReadonlySet<JobState> = new Set([...BUSY, 'waiting_network']);

export interface WorkState {
  /** Some job would stop if the app quit now. */
  pending: boolean;
  /** Some job is talking to Atlas (not only waiting for the network). */
  busy: boolean;
  /**
   * The current batch: jobs pending since the queue was last idle, and how many of them are no
   * longer pending. Null while idle.
   */
  progress: { done: number; total: number; waitingNetwork: boolean } | null;
}

export const IDLE: WorkState = Object.freeze({ pending: false, busy: false, progress: null });

/** Returns a function from each queue snapshot to the work state, remembering the batch. */
export function createWorkTracker(): (jobs: readonly Job[]) => WorkState {
  const batch = new Set<string>();
  return (jobs) => {
    const pending = jobs.filter((job) => PENDING.has(job.state));
    if (pending.length === 0) {
      batch.clear();
      return IDLE;
    }
    for (const job of pending) batch.add(job.id);
    const stillPending = new Set(pending.map((job) => job.id));
    const done = [...batch].filter((id) => !stillPending.has(id)).length;
    return {
      pending: true,
      busy: pending.some((job) => BUSY.has(job.state)),
      progress: { done, total: batch.size, waitingNetwork: pending.every((job) => job.state === 'waiting_network') },
    };
  };
}
