// Auto-update through electron-updater (generic feed, see electron-builder.yml). Updates download
// in the background but install only when no payment is in flight: on quit, after the quit guard
// has stopped the core, or on request when the desk is idle.
//
// An update replaces the code that holds the Atlas secret and card numbers, so it runs only when it
// can be trusted (updatePolicy): a packaged build, an https feed, a Windows build that knows the
// publisher to verify each installer's signature against, and never on Linux (AppImages are not
// signed, so nothing would check what gets installed).
import fs from 'node:fs';

/** What electron-builder wrote into resources/app-update.yml, as far as the policy needs it. */
export interface UpdateConfig {
  url: string | null;
  publisherName: string[];
}

const unquote = (value: string) => value.trim().replace(/^(['"])(.*)\1$/, '$2');

/**
 * Reads app-update.yml (electron-builder's own flat `key: value` file; publisherName may be a
 * list). Anything unexpected reads as "not there", which turns updates off.
 */
export function readUpdateConfig(text: string): UpdateConfig {
  const config: UpdateConfig = { url: null, publisherName: [] };
  let inPublishers = false;
  for (const line of text.split(/\r?\n/)) {
    const item = /^\s+-\s+(.+)$/.exec(line);
    if (inPublishers && item) {
      config.publisherName.push(unquote(item[1] as string));
      continue;
    }
    inPublishers = false;
    const pair = /^([A-Za-z]+):\s*(.*)$/.exec(line);
    if (!pair) continue;
    const [, key, value = ''] = pair;
    if (key === 'url') config.url = unquote(value) || null;
    if (key === 'publisherName') {
      if (value.trim() === '') inPublishers = true;
      else config.publisherName.push(unquote(value));
    }
  }
  return config;
}

/** resources/app-update.yml of a packaged build, or null when it is missing or unreadable. */
export function readUpdateConfigFile(file: string): UpdateConfig | null {
  try {
    return readUpdateConfig(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

export type UpdateDecision = { enabled: true } | { enabled: false; reason: string };

export function updatePolicy(options: { isPackaged: boolean; platform: string; config: UpdateConfig | null }): UpdateDecision {
  if (!options.isPackaged) return { enabled: false, reason: 'not a packaged build' };
  if (options.platform === 'linux') return { enabled: false, reason: 'Linux builds are not signed; install new versions by hand' };
  const url = options.config?.url;
  if (!url) return { enabled: false, reason: 'no update feed in app-update.yml' };
  let feed: URL | null = null;
  try {
    feed = new URL(url);
  } catch {
    feed = null;
  }
  if (!feed || feed.protocol !== 'https:' || feed.username !== '' || feed.password !== '') return { enabled: false, reason: 'the update feed is not an https URL' };
  if (options.platform === 'win32' && (options.config?.publisherName.length ?? 0) === 0) {
    return { enabled: false, reason: 'no publisher name to verify Windows updates against' };
  }
  return { enabled: true };
}

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
