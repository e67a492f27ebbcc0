// Real-Electron smoke test (Playwright `_electron`). Runs only where the Electron binary exists:
// registry-only machines cannot download it, and detection must never trigger that download.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/start.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const electronPath = findElectronBinary(path.join(root, 'node_modules', 'electron'));
if (!electronPath) console.log('test/electron skipped: the Electron binary is not installed (node_modules/electron/path.txt + dist/).');

describe.skipIf(!electronPath)('Atlas Retry Desk in real Electron', () => {
  let app: ElectronApplication;
  let userData: string;

  beforeAll(async () => {
    for (const args of [['build'], ['build', '--config', 'vite.electron.config.ts']]) {
      const r = spawnSync(path.join(root, 'node_modules/.bin/vite'), args, { cwd: root, stdio: 'inherit', timeout: 120_000 });
      expect(r.status).toBe(0);
    }
    userData = tempDir('desk-electron-').dir;
    const { _electron } = await import('playwright-core');
    app = await _electron.launch({ executablePath: electronPath!, args: [root, `--user-data-dir=${userData}`], cwd: root, timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (userData) removeDir(userData);
  });

  it('starts in training mode with the banner visible', async () => {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    await expect.poll(() => page.getByText(/training/i).first().isVisible(), { timeout: 20_000 }).toBe(true);
    // Served by the app:// protocol, never from file://.
    expect(page.url()).toBe('app://desk/index.html');
  });

  it('exposes the preload API and answers env:get', async () => {
    const page = await app.firstWindow();
    const env = await page.evaluate(() => (window as unknown as { desk: { env: { get(r: object): Promise<unknown> } } }).desk.env.get({}));
    expect(env).toMatchObject({ ok: true, value: { training: true } });
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  });

  it('blocks navigation away from the app', async () => {
    const page = await app.firstWindow();
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(page.url()).toBe(before);
  });
});
