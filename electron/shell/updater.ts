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
    /** Installs a downloaded update unless a payment is in flight. Returns whether it started. */
    installIfSafe(): boolean {
      if (!downloaded) return false;
      if (options.paymentInFlight()) {
        log('updater: install deferred, a payment is in flight');
        return false;
      }
      updater.quitAndInstall(true, false);
      return true;
    },
  };
}
