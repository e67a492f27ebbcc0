// A packaged build started with VITE_DEV_SERVER_URL in its environment (what `npm run dev` sets)
// must ignore it: otherwise the window would load another origin, trust it as our page over IPC,
// and run it under the development CSP (inline scripts, a network origin) with devtools on.
// electron/main.ts booted packaged under the fake electron. (One boot per file: main.ts runs on import.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_INDEX_URL } from '../../electron/shell/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/security.ts';
import type { BrowserWindow } from '../support/fake-electron.ts';
import { app, fakeElectron, ipcMain, preventableEvent, session } from '../support/fake-electron.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

vi.mock('electron', () => import('../support/fake-electron.ts'));

const DEV_SERVER = 'http://127.0.0.1:5173/';
let userData = '';
let win: BrowserWindow;
const saved = { devServer: process.env.VITE_DEV_SERVER_URL, resourcesPath: (process as { resourcesPath?: string }).resourcesPath };

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  userData = tempDir('desk-main-packaged-dev-').dir;
  fakeElectron.userData = userData;
  app.isPackaged = true;
  // A packaged app finds app-update.yml and the tray icon under resources/; none here (updates stay off).
  (process as { resourcesPath?: string }).resourcesPath = userData;
  process.env.VITE_DEV_SERVER_URL = DEV_SERVER;
  await import('../../electron/main.ts');
  app.becomeReady();
  win = await fakeElectron.booted();
});

afterAll(async () => {
  if (app.isReady() && app.quitCalls === 0) {
    app.emit('before-quit', preventableEvent());
    await fakeElectron.quitted;
  }
  if (saved.devServer === undefined) delete process.env.VITE_DEV_SERVER_URL;
  else process.env.VITE_DEV_SERVER_URL = saved.devServer;
  (process as { resourcesPath?: string }).resourcesPath = saved.resourcesPath;
  removeDir(userData);
  vi.restoreAllMocks();
});

describe('electron/main.ts packaged, with a dev server URL in the environment', () => {
  it('loads app://desk/ with devtools off, under the strict CSP', () => {
    expect(win.loaded).toEqual([{ kind: 'url', target: APP_INDEX_URL }]);
    expect(win.options.webPreferences).toMatchObject({ devTools: false });
    const respond = vi.fn();
    session.defaultSession.headersReceivedListeners[0]?.({ url: DEV_SERVER, responseHeaders: {} }, respond);
    expect(respond).toHaveBeenCalledExactlyOnceWith({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  it('treats a page from that server as foreign: no answers, no navigation to it', async () => {
    const fromDevServer = { senderFrame: { url: `${DEV_SERVER}#/orders`, parent: null } };
    expect(await ipcMain.invoke('env:get', fromDevServer, {})).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(await ipcMain.invoke('env:get', { senderFrame: { url: APP_INDEX_URL, parent: null } }, {})).toMatchObject({ ok: true });
    const navigation = preventableEvent();
    win.webContents.emit('will-navigate', navigation, DEV_SERVER);
    expect(navigation.defaultPrevented).toBe(true);
  });
});
