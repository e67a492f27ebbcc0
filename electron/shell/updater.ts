// Auto-update through electron-updater (generic feed, see electron-builder.yml). Updates download
// in the background but install only when no payment is in flight: on quit, after the quit guard
// has stopped the core, or on request when the desk is idle.

export interface AutoUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export function createUpdater(options: {
  autoUpdater: AutoUpdaterLike;
  paymentInFlight: () => boolean;
  log?: (line: string) => void;
}) {
  const log = options.log ?? (() => {});
  const updater = options.autoUpdater;
  let downloaded: string | null = null;
  // electron-updater would otherwise install on any quit, including one forced mid-payment.
  updater.autoInstallOnAppQuit = false;
  updater.autoDownload = true;
  updater.on('update-downloaded', (info) => {
    downloaded = info.version;
    log(`updater: ${info.version} downloaded; installs when the desk is idle`);
  });
  updater.on('error', (error) => log(`updater: ${error.message}`));

  return {
    async check(): Promise<void> {
      try {
        await updater.checkForUpdates();
      } catch (error) {
        log(`updater: check failed: ${(error as Error).message}`);
      }
    },
    /**
     * Installs a downloaded update unless a payment is in flight. Returns whether it started.
     * `restart`: start the new version afterwards (staff pressed "Restart to update").
     */
    installIfSafe(installOptions: { restart?: boolean } = {}): boolean {
      if (!downloaded) return false;
      if (options.paymentInFlight()) {
        log('updater: install deferred, a payment is in flight');
        return false;
      }
      updater.quitAndInstall(true, installOptions.restart ?? false);
      return true;
    },
  };
}

/** How often a running desk looks for an update, besides once at start. */
export const UPDATE_CHECK_EVERY_MS = 4 * 60 * 60_000;

/**
 * Checks for an update now and then every `everyMs`, so a desk left open for days still finds
 * one. Returns the function that stops the checks (on quit).
 */
export function scheduleUpdateChecks(options: {
  check: () => Promise<void>;
  everyMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}): () => void {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const everyMs = options.everyMs ?? UPDATE_CHECK_EVERY_MS;
  let timer: unknown = null;
  let stopped = false;
  const run = () => {
    timer = null;
    // check() logs its own failures and never rejects; the next check is due either way.
    void options.check().finally(() => {
      if (!stopped) timer = setTimer(run, everyMs);
    });
  };
  run();
  return () => {
    stopped = true;
    if (timer !== null) clearTimer(timer);
    timer = null;
  };
}
