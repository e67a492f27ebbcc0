// When the window's renderer process dies (crash, out of memory, killed), main reloads the page and
// remembers when and why, so the window can say it happened (a banner, in both languages). The desk
// core lives in main: queued work carries on meanwhile. A renderer that keeps dying is not reloaded
// for ever: after `maxReloads` within `windowMs` it is left as it is and the log says so.

export interface WindowRecovered {
  /** ISO instant of the last reload. */
  at: string;
  /** Electron's render-process-gone reason: crashed, oom, killed, abnormal-exit, launch-failed, integrity-failure. */
  reason: string;
}

export interface RendererRecovery {
  /** Wire to webContents 'render-process-gone'. Returns whether the page was reloaded. */
  onGone(details: { reason: string; exitCode?: number }): boolean;
  last(): WindowRecovered | null;
}

export function createRendererRecovery(options: {
  reload: () => void;
  now?: () => number;
  log?: (line: string) => void;
  maxReloads?: number;
  windowMs?: number;
}): RendererRecovery {
  const now = options.now ?? Date.now;
  const maxReloads = options.maxReloads ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  const reloads: number[] = [];
  let last: WindowRecovered | null = null;
  return {
    onGone({ reason, exitCode }) {
      // A clean exit is the window closing, not a crash.
      if (reason === 'clean-exit') return false;
      const at = now();
      options.log?.(`window: renderer gone (${reason}, exit code ${exitCode ?? 'unknown'})`);
      while (reloads.length > 0 && at - (reloads[0] as number) > windowMs) reloads.shift();
      if (reloads.length >= maxReloads) {
        options.log?.(`window: not reloading again (${reloads.length} reloads within ${Math.round(windowMs / 1000)} s)`);
        return false;
      }
      reloads.push(at);
      last = { at: new Date(at).toISOString(), reason };
      options.reload();
      return true;
    },
    last: () => (last ? { ...last } : null),
  };
}
