// Periodic sync for the app: once as soon as a core is live (so Training mode opens with its
// orders listed), then every `syncIntervalMinutes` (0 = only when staff press "Sync now"). The
// interval is re-read each time, so a settings change takes effect without a restart.
export interface SyncScheduler {
  /** Sync now and restart the interval (after start-up or an environment switch). */
  kick(): void;
  stop(): void;
}

/** While periodic sync is off, look again this often in case the setting changes. */
const IDLE_RECHECK_MS = 60_000;

export function createSyncScheduler(options: {
  intervalMinutes: () => number;
  sync: () => Promise<unknown>;
  log?: (line: string) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}): SyncScheduler {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let timer: unknown = null;
  let stopped = false;

  const schedule = (ms: number, run: boolean) => {
    if (timer !== null) clearTimer(timer);
    timer = stopped ? null : setTimer(() => tick(run), ms);
  };

  /** After a tick: wait a full interval and sync, or, while periodic sync is off, only look again. */
  const next = () => {
    const minutes = options.intervalMinutes();
    schedule(minutes > 0 ? minutes * 60_000 : IDLE_RECHECK_MS, minutes > 0);
  };

  const tick = (run: boolean) => {
    timer = null;
    if (!run) return next();
    // Sync reports its own errors in SyncStatus; a refusal (core switching) just waits for the next tick.
    options.sync().then(next, (error: unknown) => {
      options.log?.(`sync scheduler: ${(error as Error).message}`);
      next();
    });
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
