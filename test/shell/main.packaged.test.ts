// A packaged build started with --remote-debugging-port refuses to run: electron/main.ts booted
// under the fake electron with app.isPackaged and that switch on the command line. (One boot per
// file: main.ts runs on import.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { app, BrowserWindow, dialog, fakeElectron, ipcMain } from '../support/fake-electron.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

vi.mock('electron', () => import('../support/fake-electron.ts'));

let userData = '';
const savedArgv = process.argv;

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  userData = tempDir('desk-main-packaged-').dir;
  fakeElectron.userData = userData;
  app.isPackaged = true;
  process.argv = [savedArgv[0] ?? 'node', '--remote-debugging-port=9222'];
  await import('../../electron/main.ts');
});

afterAll(() => {
  process.argv = savedArgv;
  removeDir(userData);
  vi.restoreAllMocks();
});

describe('electron/main.ts packaged, started with a debugging switch', () => {
  it('exits with 1 and says why, before opening a window or answering IPC', async () => {
    await expect(fakeElectron.booted()).rejects.toThrow(/will not start: .*--remote-debugging-port/);
    expect(app.exitCalls).toEqual([1]);
    expect(dialog.errorBoxes).toEqual([{ title: 'Atlas Retry Desk will not start', content: expect.stringContaining('--remote-debugging-port') }]);
    app.becomeReady();
    await new Promise((resolve) => setImmediate(resolve));
    expect(BrowserWindow.instances).toEqual([]);
    expect(ipcMain.handlers.size).toBe(0);
  });
});
