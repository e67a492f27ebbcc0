// Composition root (DESIGN.md §4.4): the only place that wires Electron to the desk. Logic lives in
// electron/shell/* (testable with the electron stub); this file only constructs and connects.
import { app, BrowserWindow, dialog, ipcMain, net, Notification, powerMonitor, safeStorage, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAtlasClient } from './atlas/client.ts';
import { createDesk } from './core/desk.ts';
import { deleteTrainingDatabase } from './store/db.ts';
import { startSimulator } from './simulator/index.ts';
import type { EnvironmentInfo, Handlers } from '../shared/ipc.ts';
import { notificationLanguage } from '../shared/notification-text.ts';
import { createConnectionManager, modeOf, realConnection } from './shell/connection.ts';
import { createDeskHost } from './shell/desk-host.ts';
import { forwardPushes, registerIpc } from './shell/ipc-registrar.ts';
import { createJobNotifier } from './shell/notifications.ts';
import { createOnlineSignal } from './shell/online.ts';
import { createQuitGuard, quitDuringPaymentDialog } from './shell/quit-guard.ts';
import { createSecretBox } from './shell/secrets.ts';
import { CONTENT_SECURITY_POLICY, denyAllPermissions, developmentCsp, installCsp } from './shell/security.ts';
import { openSettings } from './shell/settings.ts';
import type { KeyValueStore } from './shell/settings.ts';
import { createShellHandlers, environmentInfo } from './shell/shell-handlers.ts';
import { createSyncScheduler } from './shell/sync-scheduler.ts';
import { isAppUrl } from './shell/trusted-origin.ts';
import type { AppLocation } from './shell/trusted-origin.ts';
import { createTeamSecretBox } from './shell/team-secret.ts';
import { createUpdater } from './shell/updater.ts';
import { checkTeamDatabase } from './team/team-db.ts';
import { createTeamSession } from './team/team-session.ts';
import { createMainWindow } from './shell/window.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const indexHtml = path.join(here, '../dist/index.html');
// The dev server URL is honoured only in unpackaged runs (npm run dev sets it).
const devServerUrl = !app.isPackaged ? (process.env.VITE_DEV_SERVER_URL ?? null) : null;
const location: AppLocation = { appFileUrl: pathToFileURL(indexHtml).href, devServerUrl };
const log = (line: string) => console.log(`[desk] ${line}`);

let mainWindow: BrowserWindow | null = null;

function showWindow() {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function boot(): Promise<void> {
  const userData = app.getPath('userData');
  const settings = openSettings({ dir: userData, createStore: (options) => new ElectronStore(options) as unknown as KeyValueStore, log });
  const secrets = createSecretBox({ safeStorage, platform: process.platform, filePath: path.join(userData, 'credentials.bin'), log });
  await secrets.load();
  const teamSecret = createTeamSecretBox({ safeStorage, platform: process.platform, filePath: path.join(userData, 'team-database.bin'), log });
  await teamSecret.load();
  const staffName = () => settings.get().staffName || 'Desk';
  /** Team mode joins real work only: Training's orders are a simulation and never reach a team. */
  const teamFor = (mode: string) => {
    const url = teamSecret.get();
    return url && mode !== 'training' ? { team: createTeamSession({ url, staff: staffName, log }) } : {};
  };
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
        ...teamFor(mode),
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
    const teamPassword = teamSecret.password();
    return [...(credentials ? [credentials.clientSecret] : []), ...(teamPassword ? [teamPassword] : [])];
  };

  const syncScheduler = createSyncScheduler({
    intervalMinutes: () => settings.get().syncIntervalMinutes,
    sync: () => host.handlers['orders:sync']({}),
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
    team: { secret: teamSecret, check: (url: string) => checkTeamDatabase(url) },
  };
  const handlers: Handlers = { ...host.handlers, ...createShellHandlers(shellContext) };
  await shellContext.applyEnvironment();
  online.onChange(() => send('env:changed', environmentInfo(shellContext)));

  registerIpc({ ipcMain, handlers, isTrustedSender: (url) => isAppUrl(url, location), secrets: secretList, log });
  forwardPushes(host, send, secretList);
  const notifier = createJobNotifier({
    isWindowHidden: () => !mainWindow || mainWindow.isDestroyed() || !mainWindow.isVisible() || mainWindow.isMinimized(),
    notify: (title, body) => {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title, body });
      notification.on('click', showWindow);
      notification.show();
    },
    language,
  });
  host.on('queue:changed', notifier);

  const updater = app.isPackaged
    ? createUpdater({ autoUpdater: (await import('electron-updater')).default.autoUpdater, paymentInFlight: () => host.paymentInFlight(), log })
    : null;
  void updater?.check();

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
      await connections.stop();
      updater?.installIfSafe();
    },
    quit: () => app.quit(),
    log,
  });
  app.on('before-quit', (event) => guard.onBeforeQuit(event));

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
    if (!mainWindow && app.isReady()) openWindow();
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
