// Crash reports stay on this computer (crashReporter never uploads), but a minidump holds part of
// main's memory, and main holds card details while a card job waits for its pay.do
// (docs/money-safety.md rule 6). So a dump is kept one day — long enough for support to ask for it
// the day it happened — and removed at the next start after that. What is left is an open risk
// the docs name: a dump younger than a day can hold a card number.
import fs from 'node:fs';
import path from 'node:path';

export const CRASH_DUMP_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface CrashDumpPrune {
  removed: number;
  kept: number;
  /** Files that could not be removed (locked, no permission): kept, and said so. */
  failed: number;
}

/** The minidumps (`*.dmp`, in any sub-folder: Crashpad keeps `new`, `pending`, `completed`). A missing folder is empty. */
export function crashDumpFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.dmp')).map((e) => path.join(e.parentPath, e.name));
}

/** Removes minidumps older than `maxAgeMs`. */
export function pruneCrashDumps(dir: string, now: number, maxAgeMs = CRASH_DUMP_MAX_AGE_MS): CrashDumpPrune {
  const result: CrashDumpPrune = { removed: 0, kept: 0, failed: 0 };
  for (const file of crashDumpFiles(dir)) {
    try {
      if (now - fs.statSync(file).mtimeMs < maxAgeMs) {
        result.kept++;
        continue;
      }
      fs.rmSync(file, { force: true });
      result.removed++;
    } catch {
      result.failed++;
    }
  }
  return result;
}
