import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/start.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('Electron binary detection', () => {
  it('finds the binary named by path.txt under dist/, and nothing when either is missing', () => {
    const dir = tempDir('desk-electron-pkg-').dir;
    expect(findElectronBinary(dir, {})).toBeNull();
    fs.writeFileSync(path.join(dir, 'path.txt'), 'electron');
    expect(findElectronBinary(dir, {})).toBeNull();
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'electron'), '');
    expect(findElectronBinary(dir, {})).toBe(path.join(dir, 'dist', 'electron'));
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'nowhere') })).toBeNull();
    removeDir(dir);
  });
});

describe.skipIf(findElectronBinary(path.join(root, 'node_modules', 'electron')) !== null)('npm start without an Electron binary', () => {
  it('exits 1 with a short explanation and no stack trace, within the time limit', () => {
    const r = spawnSync(process.execPath, ['scripts/start.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, ATLAS_DESK_ELECTRON_INSTALL_TIMEOUT_MS: '10000' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the Electron binary is not available');
    expect(r.stderr.split('\n').length).toBeLessThan(10);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 40_000);
});
