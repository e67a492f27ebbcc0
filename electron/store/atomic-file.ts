// Writes a whole file or nothing: a crash, a full disk or a power cut mid-write never leaves half a
// settings file, credentials blob or CSV export behind. The data goes to a new temporary file in
// the target's own folder (rename is only atomic within one volume), is flushed to disk, and is
// then renamed over the target. On Windows an antivirus scanner, the indexer or Excel may hold the
// target for a moment (EPERM / EBUSY / EACCES): the rename is retried a bounded number of times.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The fs calls used here, injectable so tests can make them fail. */
export type AtomicFs = Pick<
  typeof fs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'unlinkSync'
>;

export interface AtomicWriteOptions {
  /** File mode of the new file (e.g. 0o600 for secrets). */
  mode?: number;
  fs?: AtomicFs;
  /** Blocks for `ms` between rename attempts (injectable so tests do not wait). */
  pause?: (ms: number) => void;
}

/** Errors Windows gives while another process holds the target open. */
const BUSY = new Set(['EPERM', 'EBUSY', 'EACCES']);
/** Back-off between rename attempts: about 1.5 s in all, then the error is thrown. */
export const RENAME_RETRY_DELAYS_MS: readonly number[] = [10, 20, 40, 80, 160, 320, 500, 500];

function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** Flushes the folder entry of the rename; not possible on Windows (and not needed there). */
function syncFolder(io: AtomicFs, folder: string): void {
  let fd: number | null = null;
  try {
    fd = io.openSync(folder, 'r');
    io.fsyncSync(fd);
  } catch {
    // EISDIR / EPERM on Windows: NTFS journals the rename itself.
  } finally {
    if (fd !== null) io.closeSync(fd);
  }
}

/** Writes `data` to a fresh temp file beside `target`, fsyncs it, then renames it over `target`. */
export function writeFileAtomically(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const io = options.fs ?? fs;
  const pause = options.pause ?? blockFor;
  const folder = path.dirname(target);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  // Random and created with O_EXCL ('wx'): never an existing file, nor a link someone planted there.
  const tmp = path.join(folder, `.${path.basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  let created = false;
  try {
    const fd = io.openSync(tmp, 'wx', options.mode ?? 0o666);
    created = true;
    try {
      for (let written = 0; written < bytes.length; ) written += io.writeSync(fd, bytes, written, bytes.length - written);
      io.fsyncSync(fd);
    } finally {
      io.closeSync(fd);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        io.renameSync(tmp, target);
        created = false;
        break;
      } catch (error) {
        const delay = RENAME_RETRY_DELAYS_MS[attempt];
        if (delay === undefined || !BUSY.has(codeOf(error) ?? '')) throw error;
        pause(delay);
      }
    }
  } finally {
    if (created) {
      try {
        io.unlinkSync(tmp);
      } catch {
        // Already gone, or the folder itself is unwritable: nothing more to clean.
      }
    }
  }
  syncFolder(io, folder);
}
