// Composition root (DESIGN.md §4.4): the only place that wires Electron to the desk. Logic lives in
// electron/shell/* (testable with the electron stub); this file only constructs and connects.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, net, Notification, powerMonitor, powerSaveBlocker, safeStorage, session, shell, Tray } from 'electron';
import ElectronStore from 'electron-store';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAtlasClient } from './atlas/client.ts';
import { createDesk } from './core/desk.ts';
import { deleteTrainingDatabase } from './store/db.ts';
import { startSimulator } from './simulator/index.ts';
import type { EnvironmentInfo, Handlers } from '../shared/ipc.ts';
import { notificationLanguage, notificationText } from '../shared/notification-text.ts';
import { createBackgroundWork } from './shell/background.ts';
import type { BackgroundWork } from './shell/background.ts';
import { createConnectionManager, modeOf, realConnection } from './shell/connection.ts';
import { createDeadlineNotifier } from './shell/deadline-notifier.ts';
import { createDeskHost } from './shell/desk-host.ts';
import { forwardPushes, registerIpc } from './shell/ipc-registrar.ts';
import { createJobNotifier } from './shell/notifications.ts';
import { createOnlineSignal } from './shell/online.ts';
import { applyStartAtLogin, identifyApp } from './shell/os-integration.ts';
import { createQuitGuard, quitDuringPaymentDialog } from './shell/quit-guard.ts';
import { createSecretBox } from './shell/secrets.ts';
import { CONTENT_SECURITY_POLICY, denyAllPermissions, developmentCsp, installCsp } from './shell/security.ts';
import { openSettings } from './shell/settings.ts';
import type { KeyValueStore } from './shell/settings.ts';
import { observableSettings } from './shell/settings-observer.ts';
import { createShellHandlers, environmentInfo } from './shell/shell-handlers.ts';
import { createSyncScheduler } from './shell/sync-scheduler.ts';
import { createDeskTray, trayIconSize } from './shell/tray.ts';
import { isAppUrl } from './shell/trusted-origin.ts';
import type { AppLocation } from './shell/trusted-origin.ts';
import { createUpdateBanner } from './shell/update-banner.ts';
import { createUpdater, scheduleUpdateChecks } from './shell/updater.ts';
import { createMainWindow } from './shell/window.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const indexHtml = path.join(here, '../dist/index.html');
// The dev server URL is honoured only in unpackaged runs (npm run dev sets it).
const devServerUrl = !app.isPackaged ? (process.env.VITE_DEV_SERVER_URL ?? null) : null;
const location: AppLocation = { appFileUrl: pathToFileURL(indexHtml).href, devServerUrl };
const log = (line: string) => console.log(`[desk] ${line}`);

let mainWindow: BrowserWindow | null = null;
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
  const settings = observableSettings(openSettings({ dir: userData, createStore: (options) => new ElectronStore(options) as unknown as KeyValueStore, log }));
  const secrets = createSecretBox({ safeStorage, platform: process.platform, filePath: path.join(userData, 'credentials.bin'), log });
  await secrets.load();
  const online = createOnlineSignal({ isOnline: () => net.isOnline(), powerMonitor });
  const connections = createConnectionManager({ settings: settings.get, credentials: secrets.get, startSimulator });
  // net.fetch follows the OS proxy and certificate store (agency networks often need both).
  const atlasFetch = net.fetch as unknown as typeof fetch;
  const atlas = createAtlasClient({ connection: () => connections.current(), fetch: atlasFetch, log });

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
        databasePath: databasePath(mode),
        clock: { now: () => Date.now() },
        online,
        staffName: () => settings.get().staffName,
        queueConcurrency: () => settings.get().queueConcurrency,
        webhook: () => settings.get().webhook,
        chooseExportPath: async () => {
          const options = { defaultPath: 'atlas-retry-desk-history.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] };
          const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
          return result.canceled ? null : (result.filePath ?? null);
        },
        log,
      }),
    log,
  });

  const send = (channel: string, payload: unknown) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload);
  };
  // The staff's language setting for main's own words (notifications, the quit dialog); "auto"
  // follows the OS locale, like the renderer does.
  const language = () => notificationLanguage(settings.get().language, app.getLocale());
  const secretList = () => {
    const credentials = secrets.get();
    return credentials ? [credentials.clientSecret] : [];
  };

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

  const autoUpdater = app.isPackaged ? (await import('electron-updater')).default.autoUpdater : null;
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
    probeCredentials: (credentials: { clientId: string; clientSecret: string }, current: ReturnType<typeof settings.get>) =>
      createAtlasClient({ connection: realConnection(current, credentials), fetch: atlasFetch }).balance('USD'),
    applyEnvironment: async () => {
      const mode = modeOf(settings.get(), secrets.get());
      await host.switchTo(mode, () => connections.refresh());
      syncScheduler.kick();
    },
    notifyEnvironment: (info: EnvironmentInfo) => send('env:changed', info),
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
  background?.attachWindow(mainWindow);
  if (devServerUrl) void mainWindow.loadURL(devServerUrl);
  else void mainWindow.loadFile(indexHtml);
}

if (!app.requestSingleInstanceLock()) {
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
    try {
      await boot();
    } catch (error) {
      log(`startup failed: ${(error as Error).stack ?? String(error)}`);
      dialog.showErrorBox('Atlas Retry Desk could not start', (error as Error).message);
      app.exit(1);
    }
  });
}
