// Opens the desk's SQLite file with node:sqlite (built into Node 24 and Electron's Node; never a
// native module). Durability first: WAL + synchronous=FULL, because a lost commit here can mean a
// lost write-ahead record of a payment (docs/money-safety.md rule 5).
import { DatabaseSync } from 'node:sqlite';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { recordOsAccount } from './events-repo.ts';
import { migrate } from './migrations.ts';
import { storageProblemOf } from './storage-errors.ts';

export type { DatabaseSync } from 'node:sqlite';

export interface DeskDatabase {
  /** The raw handle, for repositories (orders, events, jobs…). */
  readonly db: DatabaseSync;
  readonly path: string;
  /** Where an unreadable previous file was moved to, when this open had to start afresh. */
  readonly recoveredFrom: string | null;
  close(): void;
}

export interface OpenOptions {
  log?: (line: string) => void;
  /** Milliseconds to wait on a lock held by another connection. */
  busyTimeoutMs?: number;
  /** The OS account the desk runs under (given by the caller), recorded on every event written here. */
  osAccount?: string | null;
}

/** SQLite said the file is not a database or is damaged: the only errors that justify a reset. */
const isCorruption = (error: unknown): boolean => storageProblemOf(error) === 'corrupt';

class CorruptDatabase extends Error {}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Checks the 16-byte header before SQLite sees the file. Needed because SQLite, on closing a
 * connection to a non-database, deletes the -wal/-shm beside it: we must move them aside intact.
 */
function assertHeader(path: string): void {
  if (!existsSync(path) || statSync(path).size === 0) return;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < head.length || !head.equals(SQLITE_HEADER)) throw new CorruptDatabase('file is not a database (bad header)');
  } finally {
    closeSync(fd);
  }
}

function openAndCheck(path: string, busyTimeoutMs: number): DatabaseSync {
  assertHeader(path);
  const db = new DatabaseSync(path, { timeout: busyTimeoutMs, enableForeignKeyConstraints: true });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    const rows = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
    if (rows.length !== 1 || rows[0]?.quick_check !== 'ok') {
      throw new CorruptDatabase(`quick_check: ${rows.map((r) => r.quick_check).slice(0, 3).join('; ')}`);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A database is its file plus, in WAL mode, these siblings. */
const DATABASE_FILE_SUFFIXES = ['', '-wal', '-shm'] as const;

/** Moves the file and its WAL/SHM siblings aside (never deletes: staff or support may rescue it). */
function moveAside(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = `${path}.corrupt-${stamp}`;
  for (const suffix of DATABASE_FILE_SUFFIXES) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

/**
 * Deletes a database with its WAL/SHM. Only for Training databases: the embedded simulator is a
 * new world on every launch, so last launch's training orders no longer exist. Real environments'
 * databases are never deleted.
 */
export function deleteTrainingDatabase(path: string): void {
  for (const suffix of DATABASE_FILE_SUFFIXES) rmSync(path + suffix, { force: true });
}

/**
 * Opens (creating if needed) and migrates the database at `path`. A file SQLite cannot read is
 * moved aside with a timestamp and a fresh database is started; `recoveredFrom` says where it went.
 * Other failures (locked, permission denied, newer schema) are thrown: they do not mean corruption.
 */
export function openDatabase(path: string, options: OpenOptions = {}): DeskDatabase {
  const log = options.log ?? (() => {});
  const busy = options.busyTimeoutMs ?? 5000;
  mkdirSync(dirname(path), { recursive: true });
  let recoveredFrom: string | null = null;
  let db: DatabaseSync;
  try {
    db = openAndCheck(path, busy);
  } catch (error) {
    if (!(error instanceof CorruptDatabase) && !isCorruption(error)) throw error;
    recoveredFrom = moveAside(path, new Date());
    log(
      `store: database ${path} is unreadable (${(error as Error).message}); ` +
        `moved it to ${recoveredFrom} and started a new one`,
    );
    db = openAndCheck(path, busy);
  }
  try {
    migrate(db, log);
  } catch (error) {
    db.close();
    throw error;
  }
  recordOsAccount(db, options.osAccount ?? null);
  return {
    db,
    path,
    recoveredFrom,
    close: () => {
      if (db.isOpen) db.close();
    },
  };
}

let savepointSeq = 0;

/**
 * Runs `fn` in one transaction (node:sqlite has no helper). BEGIN IMMEDIATE takes the write lock
 * up front so two writers never deadlock on lock upgrade. Nested calls use a savepoint, so an inner
 * failure rolls back only the inner part. `fn` must be synchronous: a transaction must not stay
 * open across an await.
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) {
    const name = `sp_${++savepointSeq}`;
    db.exec(`SAVEPOINT ${name}`);
    try {
      const result = fn();
      assertSync(result);
      db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      db.exec(`ROLLBACK TO ${name}`);
      db.exec(`RELEASE ${name}`);
      throw error;
    }
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    assertSync(result);
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function assertSync(result: unknown): void {
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    throw new TypeError('transaction(): the callback must be synchronous');
  }
}
