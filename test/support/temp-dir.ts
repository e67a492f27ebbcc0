// Real temporary directories (SQLite files, settings, logs), removed when the test is done.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export interface TempDir {
  dir: string;
  cleanup(): void;
}

/** A fresh directory under the OS temp folder, named `<prefix>XXXXXX`. */
export function tempDir(prefix = 'desk-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => removeDir(dir) };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A fresh directory for every test of the calling `describe` (or file); returns a getter for it. */
export function useTempDir(prefix?: string): () => string {
  let current: TempDir | null = null;
  beforeEach(() => {
    current = tempDir(prefix);
  });
  afterEach(() => {
    current?.cleanup();
    current = null;
  });
  return () => {
    if (!current) throw new Error('useTempDir: only inside a test');
    return current.dir;
  };
}
