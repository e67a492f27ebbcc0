// writeFileAtomically: whole file or nothing, temp file beside the target, bounded retry while
// Windows holds the target, and never a temp file left behind.
import fs from 'node:fs';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { RENAME_RETRY_DELAYS_MS, writeFileAtomically, type AtomicFs } from '../../electron/store/atomic-file.ts';
import { useTempDir } from '../support/temp-dir.ts';

const tmp = useTempDir('atomic-');
let dir: string;
beforeEach(() => {
  dir = tmp();
});

interface Calls {
  opens: { file: string; flags: unknown }[];
  fsyncs: number;
  renames: number;
}

/** Real fs, recording calls; the first `failRenames` renames fail with `code`. */
function recordingFs(failRenames = 0, code = 'EPERM'): { io: AtomicFs; calls: Calls } {
  const calls: Calls = { opens: [], fsyncs: 0, renames: 0 };
  const io: AtomicFs = {
    openSync: ((file: string, flags: unknown, mode?: number) => {
      calls.opens.push({ file, flags });
      return fs.openSync(file, flags as string, mode);
    }) as AtomicFs['openSync'],
    writeSync: fs.writeSync,
    fsyncSync: (fd) => {
      calls.fsyncs++;
      fs.fsyncSync(fd);
    },
    closeSync: fs.closeSync,
    renameSync: (from, to) => {
      calls.renames++;
      if (calls.renames <= failRenames) throw Object.assign(new Error(`${code}: held by another process`), { code });
      fs.renameSync(from, to);
    },
    unlinkSync: fs.unlinkSync,
  };
  return { io, calls };
}

describe('writeFileAtomically', () => {
  it('writes through a fresh O_EXCL temp file in the same folder, fsyncs it, and leaves only the target', () => {
    const target = join(dir, 'settings.json');
    writeFileSync(target, 'old');
    const { io, calls } = recordingFs();
    writeFileAtomically(target, '{"new":true}', { fs: io });
    expect(readFileSync(target, 'utf8')).toBe('{"new":true}');
    expect(readdirSync(dir)).toEqual(['settings.json']);
    const tmpOpen = calls.opens[0]!;
    expect(tmpOpen.flags).toBe('wx');
    expect(tmpOpen.file.startsWith(join(dir, '.settings.json.'))).toBe(true);
    expect(tmpOpen.file).toMatch(/\.[0-9a-f]{16}\.tmp$/);
    // The file, then the folder entry.
    expect(calls.fsyncs).toBe(2);
  });

  it('uses a new random temp name each time', () => {
    const target = join(dir, 'x.csv');
    const { io, calls } = recordingFs();
    writeFileAtomically(target, 'a', { fs: io });
    writeFileAtomically(target, 'b', { fs: io });
    const temps = calls.opens.filter((o) => o.flags === 'wx').map((o) => o.file);
    expect(new Set(temps).size).toBe(2);
  });

  it('applies the requested mode', () => {
    const target = join(dir, 'credentials.bin');
    writeFileAtomically(target, new Uint8Array([1, 2, 3]), { mode: 0o600 });
    expect(readFileSync(target)).toEqual(Buffer.from([1, 2, 3]));
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it.each(['EPERM', 'EBUSY', 'EACCES'])('retries the rename while Windows holds the target (%s)', (code) => {
    const target = join(dir, 'history.csv');
    writeFileSync(target, 'old');
    const { io, calls } = recordingFs(3, code);
    const pauses: number[] = [];
    writeFileAtomically(target, 'new', { fs: io, pause: (ms) => pauses.push(ms) });
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(calls.renames).toBe(4);
    expect(pauses).toEqual(RENAME_RETRY_DELAYS_MS.slice(0, 3));
    expect(readdirSync(dir)).toEqual(['history.csv']);
  });

  it('gives up after a bounded number of attempts, keeps the old file and leaves no temp file', () => {
    const target = join(dir, 'settings.json');
    writeFileSync(target, 'old');
    const { io, calls } = recordingFs(Number.POSITIVE_INFINITY);
    const pauses: number[] = [];
    expect(() => writeFileAtomically(target, 'new', { fs: io, pause: (ms) => pauses.push(ms) })).toThrow(/EPERM/);
    expect(calls.renames).toBe(RENAME_RETRY_DELAYS_MS.length + 1);
    expect(pauses).toEqual([...RENAME_RETRY_DELAYS_MS]);
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('does not retry other errors, and cleans up after them', () => {
    const target = join(dir, 'settings.json');
    const { io, calls } = recordingFs(1, 'EXDEV');
    expect(() => writeFileAtomically(target, 'new', { fs: io, pause: () => {} })).toThrow(/EXDEV/);
    expect(calls.renames).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the temp file when writing or flushing fails', () => {
    const target = join(dir, 'export.csv');
    const { io } = recordingFs();
    const failing: AtomicFs = { ...io, fsyncSync: () => { throw Object.assign(new Error('ENOSPC: disk full'), { code: 'ENOSPC' }); } };
    expect(() => writeFileAtomically(target, 'data', { fs: failing })).toThrow(/ENOSPC/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
