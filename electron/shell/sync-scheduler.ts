// Periodic sync for the app: once as soon as a core is live (so Training mode opens with its
// orders listed), then every `syncIntervalMinutes` (0 = only when staff press "Sync now"). The
// interval is re-read each time, so a settings change takes effect without a restart. While
// syncs fail (Atlas unreachable, timing out, refusing) each wait is the interval plus an extra
// that grows with every failure, drawn with full jitter and capped: a desk that cannot reach Atlas
// knocks less often, never more often than usual, and many desks do not knock in step. The first
// successful sync returns to the plain interval.
import type { SyncStatus } from '../../shared/desk.ts';
import { fullJitterMs } from '../core/backoff.ts';

export interface SyncScheduler {
  /** Sync now and restart the interval (after start-up, an environment switch, the network coming back). */
  kick(): void;
  stop(): void;
}

/** While periodic sync is off, look again this often in case the setting changes. */
const IDLE_RECHECK_MS = 60_000;
/** The most a run of failures adds to the interval. */
export const RETRY_CAP_MS = 60 * 60_000;

export function createSyncScheduler(options: {
  intervalMinutes: () => number;
  /** Resolves with the sync's status; `error` set means the sync did not complete. */
  sync: () => Promise<SyncStatus>;
  log?: (line: string) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}): SyncScheduler {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let timer: unknown = null;
  let stopped = false;
  /** Failed syncs in a row. */
  let failures = 0;

  const schedule = (ms: number, run: boolean) => {
    if (timer !== null) clearTimer(timer);
    timer = stopped ? null : setTimer(() => tick(run), ms);
  };

  /** After a tick: wait a full interval (longer after failures) and sync, or, while periodic sync is off, only look again. */
  const next = () => {
    const minutes = options.intervalMinutes();
    if (minutes <= 0) return schedule(IDLE_RECHECK_MS, false);
    const intervalMs = minutes * 60_000;
    // Extra after n failures: uniform in [0, min(cap, interval × 2^n)].
    const extra = failures === 0 ? 0 : fullJitterMs(failures, { baseMs: intervalMs, capMs: RETRY_CAP_MS, ...(options.random ? { random: options.random } : {}) });
    schedule(intervalMs + extra, true);
  };

  const tick = (run: boolean) => {
    timer = null;
    if (!run) return next();
    options.sync().then(
      (status) => {
        if (status.error === null) failures = 0;
        else {
          failures += 1;
          options.log?.(`sync scheduler: sync failed (${status.error}); failed ${failures} time(s) in a row, backing off`);
        }
        next();
      },
      // A refusal (the core is switching environment) is no news about Atlas: the next tick tries again.
      (error: unknown) => {
        options.log?.(`sync scheduler: ${(error as Error).message}`);
        next();
      },
    );
  };

  return {
    kick: () => schedule(0, true),
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
