// Real node:sqlite errors, provoked the way they happen on a staff machine, each sorted into the
// problem the desk shows staff; anything else is not a storage problem.
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../electron/store/db.ts';
import { probeStorage, storageProblemOf } from '../../electron/store/storage-errors.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempStore } from '../support/temp-store.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function store() {
  const t = tempStore();
  cleanups.push(t.cleanup);
  return t;
}

/** 600 KB of rows in one transaction. */
const fill = (db: DatabaseSync) => () => {
  db.exec('BEGIN');
  try {
    for (let i = 0; i < 300; i++) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(`k${i}`, 'x'.repeat(2000));
    db.exec('COMMIT');
  } finally {
    if (db.isTransaction) db.exec('ROLLBACK');
  }
};

/** Overwrites every page but the first (the header and schema) with junk. */
function corruptPages(path: string): void {
  const fd = openSync(path, 'r+');
  const junk = Buffer.alloc(4096, 0x41);
  for (let offset = 4096; offset < statSync(path).size; offset += 4096) writeSync(fd, junk, 0, junk.length, offset);
  closeSync(fd);
}

describe('storageProblemOf: real SQLite errors', () => {
  it('a full disk (the file may not grow: PRAGMA max_page_count) is disk_full', () => {
    const { db } = store().store;
    const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    db.exec(`PRAGMA max_page_count = ${pages + 1}`);
    expect(storageProblemOf(thrown(fill(db)))).toBe('disk_full');
  });

  it('a database that may not be written is read_only', () => {
    const t = store();
    const readOnly = new DatabaseSync(t.path, { readOnly: true });
    cleanups.push(() => readOnly.close());
    expect(storageProblemOf(thrown(() => readOnly.exec("INSERT INTO meta (key, value) VALUES ('a', 'b')")))).toBe('read_only');
  });

  it('damaged pages found while running are corrupt', () => {
    const t = store();
    const desk = t.store.db;
    fill(desk)();
    desk.prepare('SELECT count(*) FROM meta').get();
    // Another connection's write and checkpoint make the desk's connection read the file again.
    const other = new DatabaseSync(t.path);
    other.exec("INSERT INTO meta (key, value) VALUES ('other', 'x')");
    other.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    other.close();
    corruptPages(t.path);
    expect(storageProblemOf(thrown(() => desk.prepare('SELECT max(value) FROM meta').get()))).toBe('corrupt');
  });

  it('a file that is not a database is corrupt', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, 'not.sqlite');
    const fd = openSync(path, 'w');
    writeSync(fd, Buffer.alloc(8192, 0x42));
    closeSync(fd);
    const db = new DatabaseSync(path);
    cleanups.push(() => db.close());
    expect(storageProblemOf(thrown(() => db.prepare('SELECT * FROM sqlite_master').all()))).toBe('corrupt');
  });

  it('a journal that cannot be written is io_error', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, 'journal.sqlite');
    const db = new DatabaseSync(path);
    cleanups.push(() => db.close());
    db.exec('PRAGMA journal_mode = DELETE; CREATE TABLE t (x)');
    mkdirSync(`${path}-journal`); // where SQLite must write its rollback journal
    const error = thrown(() => db.exec('INSERT INTO t VALUES (1)'));
    expect((error as { errcode: number }).errcode & 0xff).toBe(10);
    expect(storageProblemOf(error)).toBe('io_error');
  });

  it('a WAL file that cannot be opened is io_error', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, 'wal.sqlite');
    openDatabase(path).close();
    mkdirSync(`${path}-wal`);
    const db = new DatabaseSync(path);
    cleanups.push(() => db.close());
    expect(storageProblemOf(thrown(() => db.exec("INSERT INTO meta (key, value) VALUES ('a', 'b')")))).toBe('io_error');
  });

  it('a lock another connection keeps past the busy timeout is busy', () => {
    const t = store();
    const holder = new DatabaseSync(t.path);
    cleanups.push(() => holder.close());
    holder.exec('BEGIN IMMEDIATE');
    const waiter = new DatabaseSync(t.path, { timeout: 20 });
    cleanups.push(() => waiter.close());
    expect(storageProblemOf(thrown(() => waiter.exec('BEGIN IMMEDIATE')))).toBe('busy');
    holder.exec('ROLLBACK');
  });

  it('is null for what is not a storage problem', () => {
    const { db } = store().store;
    db.exec("INSERT INTO meta (key, value) VALUES ('a', 'b')");
    const constraint = thrown(() => db.exec("INSERT INTO meta (key, value) VALUES ('a', 'c')"));
    const syntax = thrown(() => db.exec('SELEC 1'));
    for (const error of [constraint, syntax, new Error('database or disk is full'), Object.assign(new Error('x'), { errcode: 13 }), null, 'SQLITE_FULL']) {
      expect(storageProblemOf(error)).toBeNull();
    }
  });
});

describe('probeStorage', () => {
  it('says disk_full while the file may not grow, and null once it may', () => {
    const { db } = store().store;
    const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    db.exec(`PRAGMA max_page_count = ${pages + 1}`);
    expect(probeStorage(db, { integrity: false })).toBe('disk_full');
    expect(db.isTransaction).toBe(false);
    db.exec('PRAGMA max_page_count = 1000000');
    expect(probeStorage(db, { integrity: false })).toBeNull();
    expect(db.prepare("SELECT count(*) AS n FROM meta WHERE key = 'storage_probe'").get()).toEqual({ n: 0 });
  });

  it('says read_only for a database that may not be written', () => {
    const t = store();
    const readOnly = new DatabaseSync(t.path, { readOnly: true });
    cleanups.push(() => readOnly.close());
    expect(probeStorage(readOnly, { integrity: false })).toBe('read_only');
  });
});
