// Updates: checked at start and every few hours; "restart to update" never restarts mid-payment.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createQuitGuard } from '../../electron/shell/quit-guard.ts';
import { createUpdateBanner } from '../../electron/shell/update-banner.ts';
import { createUpdater, scheduleUpdateChecks, UPDATE_CHECK_EVERY_MS } from '../../electron/shell/updater.ts';
import type { AutoUpdaterLike } from '../../electron/shell/updater.ts';
import type { UpdateStatus } from '../../shared/ipc.ts';
import { manualTimers } from '../support/manual-timers.ts';

/** electron-updater's autoUpdater as far as the desk uses it. */
function fakeAutoUpdater() {
  const emitter = new EventEmitter();
  return Object.assign(emitter, {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    checkForUpdates: vi.fn(async () => null),
    quitAndInstall: vi.fn(),
    downloaded(version: string) {
      emitter.emit('update-downloaded', { version });
    },
  });
}

describe('periodic update checks', () => {
  it('checks at once, then every few hours, and stops on quit', async () => {
    const timers = manualTimers();
    const check = vi.fn(async () => {});
    const stop = scheduleUpdateChecks({ check, ...timers });
    expect(check).toHaveBeenCalledOnce();
    await new Promise((r) => setImmediate(r));
    expect(timers.pending()).toEqual([UPDATE_CHECK_EVERY_MS]);
    expect(UPDATE_CHECK_EVERY_MS).toBe(4 * 60 * 60_000);
    await timers.fire();
    expect(check).toHaveBeenCalledTimes(2);
    await new Promise((r) => setImmediate(r));
    stop();
    expect(timers.pending()).toEqual([]);
  });

  it('schedules no further check once stopped while a check is still running', async () => {
    const timers = manualTimers();
    let finish!: () => void;
    const stop = scheduleUpdateChecks({ check: () => new Promise<void>((resolve) => (finish = resolve)), ...timers });
    stop();
    finish();
    await new Promise((r) => setImmediate(r));
    expect(timers.pending()).toEqual([]);
  });
});

function banner(options: { busy: () => boolean } = { busy: () => false }) {
  const auto = fakeAutoUpdater();
  const timers = manualTimers();
  const pushed: UpdateStatus[] = [];
  const workListeners = new Set<() => void>();
  const quit = vi.fn();
  const b = createUpdateBanner({
    autoUpdater: auto,
    busy: options.busy,
    onWorkChange: (listener) => {
      workListeners.add(listener);
      return () => workListeners.delete(listener);
    },
    push: (status) => pushed.push(status),
    quit,
    ...timers,
  });
  return { b, auto, timers, pushed, quit, workChanged: () => workListeners.forEach((l) => l()), workListeners };
}

describe('"restart to update" banner', () => {
  it('has nothing to offer until an update has downloaded, then pushes it to the window', async () => {
    const { b, auto, pushed, quit } = banner();
    expect(await b.handlers['update:status']({})).toEqual({ state: 'none', version: null });
    expect(await b.handlers['update:restart']({})).toEqual({ state: 'none', version: null });
    expect(quit).not.toHaveBeenCalled();
    auto.downloaded('0.2.0');
    expect(pushed).toEqual([{ state: 'ready', version: '0.2.0' }]);
    expect(await b.handlers['update:status']({})).toEqual({ state: 'ready', version: '0.2.0' });
  });

  it('restarts at once when no job talks to Atlas', async () => {
    const { b, auto, quit, pushed } = banner();
    auto.downloaded('0.2.0');
    expect(await b.handlers['update:restart']({})).toEqual({ state: 'restarting', version: '0.2.0' });
    expect(quit).toHaveBeenCalledOnce();
    expect(b.restartRequested()).toBe(true);
    expect(pushed.map((s) => s.state)).toEqual(['ready', 'waiting', 'restarting']);
  });

  it('waits while a payment is in flight, says so, and restarts by itself once the work is done', async () => {
    let busy = true;
    const { b, auto, quit, pushed, timers, workChanged, workListeners } = banner({ busy: () => busy });
    auto.downloaded('0.2.0');
    expect(await b.handlers['update:restart']({})).toEqual({ state: 'waiting', version: '0.2.0' });
    expect(pushed.at(-1)).toEqual({ state: 'waiting', version: '0.2.0' });
    workChanged(); // still busy
    await timers.fire(); // the periodic look: still busy
    expect(quit).not.toHaveBeenCalled();
    expect(b.restartRequested()).toBe(false);
    // Asking again changes nothing.
    expect(await b.handlers['update:restart']({})).toEqual({ state: 'waiting', version: '0.2.0' });
    busy = false;
    workChanged();
    expect(quit).toHaveBeenCalledOnce();
    expect(pushed.at(-1)).toEqual({ state: 'restarting', version: '0.2.0' });
    expect(workListeners.size).toBe(0);
    expect(timers.pending()).toEqual([]);
  });

  it('also notices the end of the work by its periodic look', async () => {
    let busy = true;
    const { b, auto, quit, timers } = banner({ busy: () => busy });
    auto.downloaded('0.2.0');
    await b.handlers['update:restart']({});
    busy = false;
    await timers.fire();
    expect(quit).toHaveBeenCalledOnce();
  });

  it('keeps the wait when a newer version downloads meanwhile', async () => {
    const { b, auto } = banner({ busy: () => true });
    auto.downloaded('0.2.0');
    await b.handlers['update:restart']({});
    auto.downloaded('0.3.0');
    expect(b.status()).toEqual({ state: 'waiting', version: '0.3.0' });
  });

  it('answers "no update" where there is no updater (unpackaged runs)', async () => {
    const b = createUpdateBanner({ autoUpdater: null, busy: () => false, onWorkChange: () => () => {}, push: vi.fn(), quit: vi.fn() });
    expect(await b.handlers['update:restart']({})).toEqual({ state: 'none', version: null });
  });
});

describe('restart into the update, through the quit guard', () => {
  it('waits out the payment, then stops the core and installs with a restart, without asking staff', async () => {
    const auto = fakeAutoUpdater();
    let paying = true;
    const calls: string[] = [];
    const workListeners = new Set<() => void>();
    const updater = createUpdater({ autoUpdater: auto as unknown as AutoUpdaterLike, paymentInFlight: () => paying });
    const guard = createQuitGuard({
      paymentInFlight: () => paying,
      confirmQuitDuringPayment: async () => {
        calls.push('asked');
        return false;
      },
      stopCore: async () => {
        calls.push('core stopped');
      },
      afterStop: () => {
        calls.push(updater.installIfSafe({ restart: b.restartRequested() }) ? 'installed' : 'not installed');
      },
      quit: () => calls.push('quit'),
    });
    const b = createUpdateBanner({
      autoUpdater: auto,
      busy: () => paying,
      onWorkChange: (listener) => (workListeners.add(listener), () => workListeners.delete(listener)),
      push: () => {},
      // app.quit() emits before-quit, which the guard holds until the core has stopped.
      quit: () => guard.onBeforeQuit({ preventDefault: () => {} }),
      setTimer: () => 1,
      clearTimer: () => {},
    });
    auto.downloaded('0.2.0');
    await b.handlers['update:restart']({});
    expect(calls).toEqual([]);
    paying = false; // the payment answered; its job settled
    workListeners.forEach((listener) => listener());
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['core stopped', 'installed', 'quit']);
    expect(auto.quitAndInstall).toHaveBeenCalledExactlyOnceWith(true, true);
  });
});
