// OnlineSignal for the desk core, fed by net.isOnline() (polled: Electron has no online event in
// main) and re-checked at once when the machine wakes up or is unlocked.
import type { OnlineSignal } from '../core/contract.ts';

export interface PowerMonitorLike {
  on(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
  removeListener?(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
}

export function createOnlineSignal(options: {
  isOnline: () => boolean;
  powerMonitor?: PowerMonitorLike;
  pollMs?: number;
}): OnlineSignal & { check(): void; stop(): void } {
  const listeners = new Set<(online: boolean) => void>();
  const read = () => {
    try {
      return options.isOnline();
    } catch {
      return true; // unknown: let requests try and fail on their own
    }
  };
  let online = read();
  const check = () => {
    const now = read();
    if (now === online) return;
    online = now;
    listeners.forEach((listener) => listener(now));
  };
  const timer = setInterval(check, options.pollMs ?? 5_000);
  timer.unref?.();
  options.powerMonitor?.on('resume', check);
  options.powerMonitor?.on('unlock-screen', check);
  return {
    isOnline: () => online,
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    check,
    stop() {
      clearInterval(timer);
      options.powerMonitor?.removeListener?.('resume', check);
      options.powerMonitor?.removeListener?.('unlock-screen', check);
      listeners.clear();
    },
  };
}
