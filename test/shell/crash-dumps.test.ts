import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CRASH_DUMP_MAX_AGE_MS, pruneCrashDumps } from '../../electron/shell/crash-dumps.ts';
import { useTempDir } from '../support/temp-dir.ts';

describe('pruneCrashDumps (docs/money-safety.md rule 6: a dump can hold main memory)', () => {
  const tmp = useTempDir('desk-crashpad-');
  let dir: string;
  const now = Date.parse('2026-11-30T12:00:00Z');
  const dump = (rel: string, ageMs: number) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'MDMP');
    const at = new Date(now - ageMs);
    fs.utimesSync(file, at, at);
    return file;
  };

  beforeEach(() => {
    dir = tmp();
  });

  it('removes minidumps older than a day in every Crashpad folder and keeps younger ones', () => {
    const old = [dump('completed/a.dmp', CRASH_DUMP_MAX_AGE_MS + 1), dump('pending/b.DMP', 10 * CRASH_DUMP_MAX_AGE_MS)];
    const young = dump('completed/c.dmp', CRASH_DUMP_MAX_AGE_MS - 60_000);
    const other = dump('settings.dat', 10 * CRASH_DUMP_MAX_AGE_MS);
    expect(pruneCrashDumps(dir, now)).toEqual({ removed: 2, kept: 1, failed: 0 });
    for (const file of old) expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(young)).toBe(true);
    // Crashpad's own files are not dumps and stay.
    expect(fs.existsSync(other)).toBe(true);
  });

  it('treats a folder that does not exist yet as empty', () => {
    expect(pruneCrashDumps(path.join(dir, 'never-crashed'), now)).toEqual({ removed: 0, kept: 0, failed: 0 });
  });
});
