// The window's "restart to update" banner: once an update has downloaded, staff may restart into
// it. The restart never cuts a payment in half (docs/money-safety.md rules 2 and 5): while jobs
// talk to Atlas or a payment is on the wire the request waits, the banner says so, and the desk
// restarts by itself once the work is done. The restart is app.quit(), through the quit guard,
// which stops the core before the updater installs.
import type { Handlers, UpdateChannel, UpdateStatus } from '../../shared/ipc.ts';

/** While waiting, look again this often too (work changes are the main trigger). */
const RECHECK_MS = 5_000;

export interface UpdateBanner {
  readonly handlers: Handlers<UpdateChannel>;
  status(): UpdateStatus;
  /** Staff asked for the restart (the install then starts the new version). */
  restartRequested(): boolean;
  stop(): void;
}

export function createUpdateBanner(options: {
  /** electron-updater's autoUpdater, or null where there is no updater (unpackaged runs). */
  autoUpdater: { on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown } | null;
  /** Jobs talk to Atlas or a payment is on the wire (background.ts). */
  busy: () => boolean;
  /** Subscribes to changes of the work state; returns the unsubscribe. */
  onWorkChange: (listener: () => void) => () => void;
  /** Pushes update:changed to the window. */
  push: (status: UpdateStatus) => void;
  /** app.quit(). */
  quit: () => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  log?: (line: string) => void;
}): UpdateBanner {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let status: UpdateStatus = { state: 'none', version: null };
  let requested = false;
  let recheck: unknown = null;
  let offWork: (() => void) | null = null;

  const set = (next: UpdateStatus) => {
    status = next;
    options.push({ ...status });
  };

  const stopWaiting = () => {
    offWork?.();
    offWork = null;
    if (recheck !== null) clearTimer(recheck);
    recheck = null;
  };

  /** Restarts now if nothing is busy; otherwise keeps waiting. */
  const tryRestart = () => {
    if (status.state !== 'waiting') return;
    if (options.busy()) {
      if (recheck === null) {
        options.log?.('updater: restart deferred until no job talks to Atlas');
        recheck = setTimer(() => ((recheck = null), tryRestart()), RECHECK_MS);
      }
      return;
    }
    stopWaiting();
    requested = true;
    set({ ...status, state: 'restarting' });
    options.log?.(`updater: restarting into ${status.version}`);
    options.quit();
  };

  options.autoUpdater?.on('update-downloaded', (info) => {
    // A newer download while staff wait keeps the wait; otherwise it is ready.
    set({ state: status.state === 'waiting' || status.state === 'restarting' ? status.state : 'ready', version: info.version });
  });

  return {
    handlers: {
      'update:status': async () => ({ ...status }),
      'update:restart': async () => {
        if (status.state === 'ready') {
          set({ ...status, state: 'waiting' });
          offWork = options.onWorkChange(tryRestart);
          tryRestart();
        }
        return { ...status };
      },
    },
    status: () => ({ ...status }),
    restartRequested: () => requested,
    stop: stopWaiting,
  };
}
