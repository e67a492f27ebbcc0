// Composition root (docs/conventions.md "Services with injected dependencies"): the only place that
// wires Electron to the desk. Logic lives in electron/shell/* (testable with the electron stub);
// this file only constructs and connects.
import { app, BrowserWindow, clipboard, crashReporter, dialog, ipcMain, Menu, nativeImage, net, Notification, powerMonitor, powerSaveBlocker, protocol, safeStorage, session, shell, Tray } from 'electron';
import ElectronStore from 'electron-store';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAtlasClient } from './atlas/client.ts';
import { createDesk } from './core/desk.ts';
import { deleteTrainingDatabase } from './store/db.ts';
import { startSimulator } from './simulator/index.ts';
import type { EnvironmentInfo, Handlers } from '../shared/ipc.ts';
import { notificationLanguage, notificationText } from '../shared/notification-text.ts';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './shell/app-protocol.ts';
import { createBackgroundWork } from './shell/background.ts';
import type { BackgroundWork } from './shell/background.ts';
import { createConnectionManager, credentialTarget, mayReceiveCredentials, modeOf, realConnection } from './shell/connection.ts';
import { createDeadlineNotifier } from './shell/deadline-notifier.ts';
import { crashDumpFiles, pruneCrashDumps } from './shell/crash-dumps.ts';
import { buildDiagnostics, processFacts } from './shell/diagnostics.ts';
import { createDeskLog } from './shell/log-file.ts';
import { createRendererRecovery } from './shell/renderer-recovery.ts';
import { createDeskHost } from './shell/desk-host.ts';
import { forwardPushes, registerIpc } from './shell/ipc-registrar.ts';
import { createJobNotifier } from './shell/notifications.ts';
import { createOnlineSignal } from './shell/online.ts';
import { osAccountName } from './shell/os-account.ts';
import { applyStartAtLogin, identifyApp } from './shell/os-integration.ts';
import { createQuitGuard, quitDuringPaymentDialog } from './shell/quit-guard.ts';
import { createSecretBox } from './shell/secrets.ts';
import { CONTENT_SECURITY_POLICY, denyAllPermissions, developmentCsp, installCsp } from './shell/security.ts';
import { openSettings } from './shell/settings.ts';
import type { KeyValueStore } from './shell/settings.ts';
import { hostChangeDialog } from './shell/host-change.ts';
import { observableSettings } from './shell/settings-observer.ts';
import { createShellHandlers, environmentInfo, usableCredentials } from './shell/shell-handlers.ts';
import { refusedStartupOptions } from './shell/startup-switches.ts';
import { createSyncScheduler } from './shell/sync-scheduler.ts';
import { createDeskTray, trayIconSize } from './shell/tray.ts';
import { isAppUrl } from './shell/trusted-origin.ts';
import type { AppLocation } from './shell/trusted-origin.ts';
import { teamChangeDialog, type TeamChange } from './shell/team-change.ts';
import { createTeamSecretBox } from './shell/team-secret.ts';
import { createUpdateBanner } from './shell/update-banner.ts';
import { createUpdater, readUpdateConfigFile, scheduleUpdateChecks, updatePolicy } from './shell/updater.ts';
import { checkTeamDatabase } from './team/team-db.ts';
import { createTeamSession } from './team/team-session.ts';
import { createMainWindow } from './shell/window.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '../dist');
// The dev server URL is honoured only in unpackaged runs (npm run dev sets it).
const devServerUrl = !app.isPackaged ? (process.env.VITE_DEV_SERVER_URL ?? null) : null;
const location: AppLocation = { appUrl: APP_INDEX_URL, devServerUrl };
// Crash dumps stay on this computer: main's memory can hold card numbers, so nothing is uploaded.
crashReporter.start({ uploadToServer: false });
// Every line, console and file alike, goes through the log's redaction; secrets are known once booted.
let logSecrets: () => readonly string[] = () => [];
app.setAppLogsPath();
const deskLog = createDeskLog({ dir: () => app.getPath('logs'), secrets: () => logSecrets(), echo: (line) => console.log(`[desk] ${line}`) });
const log = (line: string) => deskLog.write(line);

let mainWindow: BrowserWindow | null = null;
// A crashed renderer gets our page again, never a reload of whatever page it showed.
const rendererRecovery = createRendererRecovery({ reload: () => void mainWindow?.loadURL(devServerUrl ?? APP_INDEX_URL), log });
let background: BackgroundWork | null = null;

function showWindow() {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function openOrShowWindow() {
  if (mainWindow) showWindow();
  else openWindow();
}

async function boot(): Promise<void> {
  identifyApp(app, process.platform);
  const userData = app.getPath('userData');
  const crashFolder = app.getPath('crashDumps');
  const pruned = pruneCrashDumps(crashFolder, Date.now());
  if (pruned.removed + pruned.failed > 0) log(`crash reports: removed ${pruned.removed} older than a day, ${pruned.failed} could not be removed`);
  const settings = observableSettings(openSettings({ dir: userData, createStore: (options) => new ElectronStore(options) as unknown as KeyValueStore, log }));
  const secrets = createSecretBox({ safeStorage, platform: process.platform, filePath: path.join(userData, 'credentials.bin'), log });
  await secrets.load();
  const teamSecret = createTeamSecretBox({ safeStorage, platform: process.platform, filePath: path.join(userData, 'team-database.bin'), log });
  await teamSecret.load();
  const staffName = () => settings.get().staffName || 'Desk';
  /** Team mode joins real work only: Training's orders are a simulation and never reach a team. */
  const teamFor = (mode: string) => {
    if (mode === 'training') return {};
    const url = teamSecret.get();
    // Saved but unreadable at start: still that team's desk, unavailable, never one on its own.
    if (url === null && !teamSecret.unreadable()) return {};
    return { team: createTeamSession({ url, staff: staffName, log }) };
  };
  const online = createOnlineSignal({ isOnline: () => net.isOnline(), powerMonitor });
  // Only credentials bound to where calls go now are ever handed to the client (rule 14).
  const connections = createConnectionManager({ settings: settings.get, credentials: () => secrets.usableFor(credentialTarget(settings.get())), startSimulator });
  // net.fetch follows the OS proxy and certificate store (agency networks often need both).
  const atlasFetch = net.fetch as unknown as typeof fetch;
  const atlas = createAtlasClient({ connection: () => connections.current(), mayReceiveCredentials: (url) => connections.allows(url), fetch: atlasFetch, log });

  let trainingDatabaseReset = false;
  const databasePath = (mode: string) => {
    const file = path.join(userData, `desk-${mode}.sqlite`);
    if (mode === 'training' && !trainingDatabaseReset) {
      deleteTrainingDatabase(file);
      trainingDatabaseReset = true;
    }
    return file;
  };

  const host = createDeskHost({
    createCore: (mode) =>
      createDesk({
        atlas,
        environment: mode,
        databasePath: databasePath(mode),
        clock: { now: () => Date.now(), monotonic: () => performance.now() },
        online,
        staffName: () => settings.get().staffName,
        osAccount: osAccountName(),
        ...teamFor(mode),
        maxConcurrency: () => settings.get().maxConcurrency,
        priceTolerancePercent: () => settings.get().priceTolerancePercent,
        webhook: () => ({ ...settings.get().webhook, publicUrl: settings.get().webhookPublicUrl }),
        chooseExportPath: async (suggestedName) => {
          const options = { defaultPath: suggestedName, filters: [{ name: 'CSV', extensions: ['csv'] }] };
          const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
          return result.canceled ? null : (result.filePath ?? null);
        },
        log,
      }),
    log,
  });

  // Pushes go to our page only, as requests come from it only: the preload (and so desk.on) runs in
  // whatever page the window shows.
  const send = (channel: string, payload: unknown) => {
    if (mainWindow && !mainWindow.isDestroyed() && isAppUrl(mainWindow.webContents.getURL(), location)) mainWindow.webContents.send(channel, payload);
  };
  // The staff's language setting for main's own words (notifications, the quit dialog); "auto"
  // follows the OS locale, like the renderer does.
  const language = () => notificationLanguage(settings.get().language, app.getLocale());
  const secretList = () => {
    const credentials = secrets.get();
    const teamPassword = teamSecret.password();
    return [...(credentials ? [credentials.clientSecret] : []), ...(teamPassword ? [teamPassword] : [])];
  };
  logSecrets = secretList;

  const syncScheduler = createSyncScheduler({
    intervalMinutes: () => settings.get().syncIntervalMinutes,
    sync: () => host.handlers['orders:sync']({}),
    log,
  });

  const showNotification = (title: string, body: string) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body });
    notification.on('click', showWindow);
    notification.show();
  };
  // Before the first core starts, so the queue it resumes is seen (shell/background.ts).
  background = createBackgroundWork({
    powerSaveBlocker,
    paymentInFlight: () => host.paymentInFlight(),
    quitting: () => guard.state() !== 'running',
    onKeptInTray: () => showNotification(notificationText(language(), 'keptInTrayTitle', {}), notificationText(language(), 'keptInTrayBody', {})),
    log,
  });
  const work = background;
  host.on('queue:changed', (jobs) => work.onJobs(jobs));

  // Updates only for a signed, packaged build from an https feed (never on Linux): updater.ts.
  const updates = updatePolicy({
    isPackaged: app.isPackaged,
    platform: process.platform,
    config: app.isPackaged ? readUpdateConfigFile(path.join(process.resourcesPath, 'app-update.yml')) : null,
  });
  if (!updates.enabled) log(`updater: off (${updates.reason})`);
  const autoUpdater = updates.enabled ? (await import('electron-updater')).default.autoUpdater : null;
  const updater = autoUpdater ? createUpdater({ autoUpdater, paymentInFlight: () => host.paymentInFlight(), log }) : null;
  const stopUpdateChecks = updater ? scheduleUpdateChecks({ check: () => updater.check() }) : null;
  const updateBanner = createUpdateBanner({
    autoUpdater,
    busy: () => work.busy(),
    onWorkChange: (listener) => work.onChange(listener),
    push: (status) => send('update:changed', status),
    quit: () => app.quit(),
    log,
  });

  const shellContext = {
    settings,
    secrets,
    online: () => online.isOnline(),
    appVersion: app.getVersion(),
    paymentInFlight: () => host.paymentInFlight(),
    databaseRecoveredFrom: () => host.databaseRecoveredFrom(),
    windowRecovered: () => rendererRecovery.last(),
    diagnostics: async () =>
      buildDiagnostics(
        {
          ...processFacts(app.getVersion()),
          env: environmentInfo(shellContext),
          settings: settings.get(),
          jobs: await host.handlers['queue:list']({}).catch(() => null),
          sync: await host.handlers['sync:status']({}).catch(() => null),
          windowRecovered: rendererRecovery.last(),
          logFile: deskLog.file(),
          crashDumps: { folder: crashFolder, kept: crashDumpFiles(crashFolder).length, removedAtStart: pruned.removed },
          logLines: deskLog.recent(200),
        },
        secretList(),
      ),
    copyToClipboard: (text: string) => clipboard.writeText(text),
    probeCredentials: (credentials: { clientId: string; clientSecret: string }, current: ReturnType<typeof settings.get>) =>
      createAtlasClient({ connection: realConnection(current, credentials), mayReceiveCredentials: mayReceiveCredentials(current), fetch: atlasFetch }).balance('USD'),
    confirmTargetChange: async (change: Parameters<typeof hostChangeDialog>[1]) => {
      showWindow();
      const question = hostChangeDialog(language(), change);
      const answer = mainWindow ? await dialog.showMessageBox(mainWindow, question) : await dialog.showMessageBox(question);
      return answer.response === 1;
    },
    applyEnvironment: async () => {
      const mode = modeOf(settings.get(), usableCredentials({ settings, secrets }));
      await host.switchTo(mode, () => connections.refresh());
      syncScheduler.kick();
    },
    notifyEnvironment: (info: EnvironmentInfo) => send('env:changed', info),
    team: {
      secret: teamSecret,
      check: (url: string) => checkTeamDatabase(url),
      confirm: async (change: TeamChange) => {
        showWindow();
        const question = teamChangeDialog(language(), change);
        const answer = mainWindow ? await dialog.showMessageBox(mainWindow, question) : await dialog.showMessageBox(question);
        return answer.response === 1;
      },
    },
  };
  const handlers: Handlers = { ...host.handlers, ...createShellHandlers(shellContext), ...updateBanner.handlers };
  await shellContext.applyEnvironment();
  online.onChange(() => send('env:changed', environmentInfo(shellContext)));
  // Back online: sync now rather than at the end of a back-off wait.
  online.onChange((isOnline) => isOnline && syncScheduler.kick());

  registerIpc({ ipcMain, handlers, isTrustedSender: (url) => isAppUrl(url, location), secrets: secretList, log });
  forwardPushes(host, send, secretList);
  const notifier = createJobNotifier({
    isWindowHidden: () => !mainWindow || mainWindow.isDestroyed() || !mainWindow.isVisible() || mainWindow.isMinimized(),
    notify: showNotification,
    language,
  });
  host.on('queue:changed', notifier);
  const deadlines = createDeadlineNotifier({
    listFailed: () => host.handlers['orders:list']({ scope: 'failed' }),
    now: () => Date.now(),
    notify: showNotification,
    language,
    log,
  });
  host.on('sync:changed', (status) => void deadlines(status));

  const guard = createQuitGuard({
    paymentInFlight: () => host.paymentInFlight(),
    confirmQuitDuringPayment: async () => {
      showWindow();
      const question = quitDuringPaymentDialog(language());
      const answer = mainWindow ? await dialog.showMessageBox(mainWindow, question) : await dialog.showMessageBox(question);
      return answer.response === 1;
    },
    stopCore: () => host.stop({ timeoutMs: 15_000 }),
    afterStop: async () => {
      syncScheduler.stop();
      online.stop();
      stopUpdateChecks?.();
      updateBanner.stop();
      work.stop();
      tray.destroy();
      await connections.stop();
      updater?.installIfSafe({ restart: updateBanner.restartRequested() });
    },
    quit: () => app.quit(),
    log,
  });
  app.on('before-quit', (event) => guard.onBeforeQuit(event));

  const iconSize = trayIconSize(process.platform);
  const trayIcon = app.isPackaged ? path.join(process.resourcesPath, 'tray-icon.png') : path.join(here, '../build/icon.png');
  const tray = createDeskTray({
    createTray: () => new Tray(nativeImage.createFromPath(trayIcon).resize({ width: iconSize, height: iconSize })),
    buildMenu: (items) => Menu.buildFromTemplate(items),
    language,
    open: openOrShowWindow,
    syncNow: () => syncScheduler.kick(),
    quit: () => app.quit(),
  });
  tray.refresh(work.state());
  work.onChange((state) => tray.refresh(state));
  applyStartAtLogin(app, settings.get().startAtLogin, process.platform, log);
  settings.onSaved((next, before) => {
    tray.refresh(work.state());
    if (next.startAtLogin !== before.startAtLogin) applyStartAtLogin(app, next.startAtLogin, process.platform, log);
  });

  openWindow();
}

function openWindow(): void {
  mainWindow = createMainWindow({
    BrowserWindow,
    preloadPath: path.join(here, 'preload.cjs'),
    title: 'Atlas Retry Desk',
    devTools: !app.isPackaged,
    location,
    openExternal: (url) => shell.openExternal(url),
    log,
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  mainWindow.webContents.on('render-process-gone', (_event, details) => rendererRecovery.onGone(details));
  background?.attachWindow(mainWindow);
  void mainWindow.loadURL(devServerUrl ?? APP_INDEX_URL);
}

// Before ready, as Electron requires: the window's page is served on app://, never file://.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
const refusedOptions = app.isPackaged ? refusedStartupOptions(process.argv, process.platform, process.env, (name) => app.commandLine.hasSwitch(name)) : [];

if (refusedOptions.length > 0) {
  log(`refusing to start with ${refusedOptions.join(', ')}`);
  dialog.showErrorBox('Atlas Retry Desk will not start', `It was started with debugging or traffic-logging options (${refusedOptions.join(', ')}). Start it from its normal shortcut.`);
  app.exit(1);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  // Any other webContents (there should be none): no webviews, no popups.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    // The dock icon also brings back a window hidden by close-to-tray.
    if (app.isReady()) openOrShowWindow();
  });
  void app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession);
    installCsp(session.defaultSession, devServerUrl ? developmentCsp(devServerUrl) : CONTENT_SECURITY_POLICY);
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: rendererRoot, csp: CONTENT_SECURITY_POLICY, log }));
    try {
      await boot();
    } catch (error) {
      log(`startup failed: ${(error as Error).stack ?? String(error)}`);
      dialog.showErrorBox('Atlas Retry Desk could not start', (error as Error).message);
      app.exit(1);
    }
  });
}
