import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteTrainingDatabase, openDatabase, transaction } from '../../electron/store/db.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempStore } from '../support/temp-store.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('openDatabase', () => {
  it('opens in WAL mode with synchronous=FULL and foreign keys on', () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    const { db } = t.store;
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    expect((db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous).toBe(2);
    expect((db.prepare('PRAGMA foreign_keys').get() as { foreign_keys: number }).foreign_keys).toBe(1);
    expect((db.prepare('PRAGMA busy_timeout').get() as { timeout: number }).timeout).toBeGreaterThan(0);
    expect(t.store.recoveredFrom).toBeNull();
  });

  it('moves an unreadable file and its -wal/-shm aside (never deletes) and starts a working database', () => {
    const d = dir();
    const path = join(d, 'desk.sqlite');
    const garbage = 'this is not a sqlite database '.repeat(200);
    writeFileSync(path, garbage);
    writeFileSync(`${path}-wal`, 'stale wal');
    const lines: string[] = [];

    const store = openDatabase(path, { log: (l) => lines.push(l) });
    cleanups.push(() => store.close());

    expect(store.recoveredFrom).not.toBeNull();
    const moved = store.recoveredFrom as string;
    expect(moved.startsWith(`${path}.corrupt-`)).toBe(true);
    expect(readFileSync(moved, 'utf8')).toBe(garbage);
    expect(readFileSync(`${moved}-wal`, 'utf8')).toBe('stale wal');
    expect(lines.join('\n')).toContain(moved);
    store.db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    expect(store.db.prepare('SELECT value FROM meta').get()).toEqual({ value: 'v' });
  });

  it('moves aside a database whose pages are damaged behind a valid header', () => {
    const d = dir();
    const path = join(d, 'desk.sqlite');
    const first = openDatabase(path);
    const put = first.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (let i = 0; i < 2000; i++) put.run(`key-${i}`, 'x'.repeat(100));
    first.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    first.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 4096, bytes.length - 4096); // keep the header page, wreck the rest
    writeFileSync(path, bytes);

    const second = openDatabase(path);
    cleanups.push(() => second.close());
    expect(second.recoveredFrom).not.toBeNull();
    expect(existsSync(second.recoveredFrom as string)).toBe(true);
    expect(second.db.prepare('SELECT COUNT(*) AS n FROM meta').get()).toEqual({ n: 0 });
  });

  it('reopens a healthy database without moving anything and keeps its data', () => {
    const d = dir();
    const path = join(d, 'desk.sqlite');
    const first = openDatabase(path);
    first.db.prepare("INSERT INTO meta (key, value) VALUES ('cursor', '42')").run();
    first.close();

    const second = openDatabase(path);
    cleanups.push(() => second.close());
    expect(second.recoveredFrom).toBeNull();
    expect(second.db.prepare("SELECT value FROM meta WHERE key = 'cursor'").get()).toEqual({ value: '42' });
    expect(readdirSync(d).some((f) => f.includes('corrupt'))).toBe(false);
  });

  it('refuses a database written by a newer schema instead of resetting it', () => {
    const d = dir();
    const path = join(d, 'desk.sqlite');
    const first = openDatabase(path);
    first.db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    first.close();

    expect(() => openDatabase(path)).toThrow(/newer than this app/);
    expect(existsSync(path)).toBe(true);
    expect(readdirSync(d).some((f) => f.includes('corrupt'))).toBe(false);
  });
});

describe('deleteTrainingDatabase', () => {
  it('removes the database with its WAL and SHM files, and does nothing when they are absent', () => {
    const path = join(dir(), 'desk-training.sqlite');
    const store = openDatabase(path);
    store.db.exec("INSERT INTO meta (key, value) VALUES ('k', 'v')");
    expect(existsSync(`${path}-wal`)).toBe(true);
    store.close();
    writeFileSync(`${path}-wal`, 'left over');
    writeFileSync(`${path}-shm`, 'left over');
    deleteTrainingDatabase(path);
    expect(['', '-wal', '-shm'].map((s) => existsSync(path + s))).toEqual([false, false, false]);
    expect(() => deleteTrainingDatabase(path)).not.toThrow();
  });
});

describe('transaction', () => {
  it('commits on return and rolls back everything on throw', () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    const { db } = t.store;
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    transaction(db, () => put.run('a', '1'));
    expect(() =>
      transaction(db, () => {
        put.run('b', '2');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.prepare('SELECT key FROM meta ORDER BY key').all()).toEqual([{ key: 'a' }]);
    expect(db.isTransaction).toBe(false);
  });

  it('rolls back only the inner part when a nested transaction fails', () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    const { db } = t.store;
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    transaction(db, () => {
      put.run('outer', '1');
      expect(() =>
        transaction(db, () => {
          put.run('inner', '2');
          throw new Error('inner failed');
        }),
      ).toThrow('inner failed');
    });
    expect(db.prepare('SELECT key FROM meta').all()).toEqual([{ key: 'outer' }]);
  });

  it('rejects an async callback and leaves nothing written', () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    const { db } = t.store;
    expect(() =>
      transaction(db, () => {
        db.prepare("INSERT INTO meta (key, value) VALUES ('x', 'y')").run();
        return Promise.resolve();
      }),
    ).toThrow(/synchronous/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM meta').get()).toEqual({ n: 0 });
  });
});
