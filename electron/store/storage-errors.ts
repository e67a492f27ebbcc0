// SQLite errors met while the desk runs (not at open: db.ts handles those), sorted into the few
// problems staff can act on. node:sqlite throws `ERR_SQLITE_ERROR` with SQLite's result code in
// `errcode` (extended codes keep the primary one in the low byte).
import type { DatabaseSync } from 'node:sqlite';
import type { StorageProblem } from '../../shared/desk.ts';

const BY_PRIMARY_CODE: ReadonlyMap<number, StorageProblem> = new Map([
  [5, 'busy'], // SQLITE_BUSY: another connection kept its lock past our busy timeout
  [8, 'read_only'], // SQLITE_READONLY
  [10, 'io_error'], // SQLITE_IOERR
  [11, 'corrupt'], // SQLITE_CORRUPT
  [13, 'disk_full'], // SQLITE_FULL
  [14, 'io_error'], // SQLITE_CANTOPEN: a journal or WAL file could not be opened
  [26, 'corrupt'], // SQLITE_NOTADB
]);

/** The storage problem a thrown error reports, or null when it is not one (a bug, a constraint, anything else). */
export function storageProblemOf(error: unknown): StorageProblem | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (code !== 'ERR_SQLITE_ERROR' || typeof errcode !== 'number') return null;
  return BY_PRIMARY_CODE.get(errcode & 0xff) ?? null;
}

/** Big enough to need new pages (a full disk refuses them), small enough to cost nothing. */
const PROBE_BYTES = 64 * 1024;

/**
 * Whether the database can be written again: one committed write that needs fresh pages, and the
 * integrity check when the last problem was corruption. Null when it can; the problem otherwise.
 */
export function probeStorage(db: DatabaseSync, options: { integrity: boolean }): StorageProblem | null {
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.prepare("INSERT INTO meta (key, value) VALUES ('storage_probe', ?)").run('0'.repeat(PROBE_BYTES));
      db.prepare("DELETE FROM meta WHERE key = 'storage_probe'").run();
      db.exec('COMMIT');
    } finally {
      if (db.isTransaction) db.exec('ROLLBACK');
    }
    if (options.integrity) {
      const rows = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
      if (rows.length !== 1 || rows[0]?.quick_check !== 'ok') return 'corrupt';
    }
    return null;
  } catch (error) {
    const problem = storageProblemOf(error);
    if (problem === null) throw error;
    return problem;
  }
}
