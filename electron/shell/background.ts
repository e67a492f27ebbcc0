// The desk keeps working while its window is closed: closing the window while recoveries are
// pending hides it (the tray icon brings it back) instead of quitting, which on Windows would stop
// the queue; the taskbar / dock shows the batch's progress; and the computer is kept from
// suspending while jobs talk to Atlas, so a pay.do is not cut off by sleep and left with an
// unknown outcome (docs/money-safety.md rule 2). Quitting for real still goes through the quit guard.
import type { Job } from '../../shared/desk.ts';
import { createWorkTracker, IDLE, type WorkState } from './work-state.ts';

export interface PowerSaveBlockerLike {
  start(type: 'prevent-app-suspension'): number;
  stop(id: number): void;
}

export interface BackgroundWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  hide(): void;
  isDestroyed(): boolean;
  setProgressBar(progress: number, options?: { mode: 'normal' | 'paused' }): void;
}

export interface BackgroundWork {
  /** Feed every queue snapshot (the host's `queue:changed`). */
  onJobs(jobs: readonly Job[]): void;
  /** Jobs would stop if the app quit now, or a payment is on the wire. */
  workPending(): boolean;
  /** Jobs are talking to Atlas now, or a payment is on the wire. */
  busy(): boolean;
  state(): WorkState;
  /** Called after each change of the work state. */
  onChange(listener: (state: WorkState) => void): () => void;
  /** Close-to-tray and taskbar progress for this window. */
  attachWindow(win: BackgroundWindow): void;
  /** Releases the power-save blocker (on quit). */
  stop(): void;
}

export function createBackgroundWork(options: {
  powerSaveBlocker: PowerSaveBlockerLike;
  paymentInFlight: () => boolean;
  /** True once staff asked to quit (the quit guard is no longer `running`): windows close then. */
  quitting: () => boolean;
  /** The window was hidden instead of closed for the first time in this run (say where the desk went). */
  onKeptInTray?: (state: WorkState) => void;
  log?: (line: string) => void;
}): BackgroundWork {
  const track = createWorkTracker();
  const listeners = new Set<(state: WorkState) => void>();
  let state: WorkState = IDLE;
  let blocker: number | null = null;
  let win: BackgroundWindow | null = null;
  let shownProgress = false;
  let keptInTray = false;

  const busy = () => state.busy || options.paymentInFlight();

  // Block suspension while jobs talk to Atlas, not while they only wait for the network: an
  // offline laptop must still be allowed to sleep. A payment is only sent by a busy job.
  const applyPowerSave = () => {
    if (busy() && blocker === null) {
      blocker = options.powerSaveBlocker.start('prevent-app-suspension');
      options.log?.('background: keeping the computer awake while jobs talk to Atlas');
    } else if (!busy() && blocker !== null) {
      options.powerSaveBlocker.stop(blocker);
      blocker = null;
    }
  };

  const applyProgress = () => {
    if (!win || win.isDestroyed()) return;
    const progress = state.progress;
    if (progress) {
      win.setProgressBar(progress.done / progress.total, { mode: progress.waitingNetwork ? 'paused' : 'normal' });
      shownProgress = true;
    } else if (shownProgress) {
      win.setProgressBar(-1);
      shownProgress = false;
    }
  };

  return {
    onJobs(jobs) {
      state = track(jobs);
      applyPowerSave();
      applyProgress();
      for (const listener of listeners) listener(state);
    },
    workPending: () => state.pending || options.paymentInFlight(),
    busy,
    state: () => state,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    attachWindow(next) {
      win = next;
      shownProgress = false;
      applyProgress();
      next.on('close', (event) => {
        if (options.quitting() || !(state.pending || options.paymentInFlight())) return;
        event.preventDefault();
        next.hide();
        if (!keptInTray) options.onKeptInTray?.(state);
        keptInTray = true;
      });
    },
    stop() {
      if (blocker !== null) options.powerSaveBlocker.stop(blocker);
      blocker = null;
    },
  };
}
