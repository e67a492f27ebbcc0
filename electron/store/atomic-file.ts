// Writes a whole file or nothing: a crash or a full disk mid-write never leaves half a settings
// file, credentials blob or CSV export behind, because the rename is atomic on one volume.
import { renameSync, writeFileSync } from 'node:fs';

/** Writes `data` to a temporary file beside `path`, then renames it over `path`. */
export function writeFileAtomically(path: string, data: string | Uint8Array, options: { mode?: number } = {}): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, options.mode === undefined ? {} : { mode: options.mode });
  renameSync(tmp, path);
}
