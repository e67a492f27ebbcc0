// StorageHealth keeps the first database problem met, pushes it once, and lets it go only when a
// check of the real database passes.
import { afterEach, describe, expect, it } from 'vitest';
import { StorageHealth } from '../../electron/core/storage-health.ts';
import type { StorageStatus } from '../../shared/desk.ts';
import { tempStore } from '../support/temp-store.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function fullDatabase() {
  const t = tempStore();
  cleanups.push(t.cleanup);
  const { db } = t.store;
  const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
  db.exec(`PRAGMA max_page_count = ${pages}`);
  return db;
}

describe('StorageHealth', () => {
  it('keeps a disk-full error met by a write, pushes it once, and clears it when a check passes', () => {
    const db = fullDatabase();
    const pushed: StorageStatus[] = [];
    const health = new StorageHealth({ now: () => Date.parse('2026-11-30T10:00:00Z') }, (s) => pushed.push(s));
    const write = () => db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('big', 'x'.repeat(100_000));
    for (let i = 0; i < 3; i++) {
      try {
        write();
      } catch (error) {
        expect(health.note(error)).toBe('disk_full');
      }
    }
    expect(health.status()).toEqual({ problem: 'disk_full', since: '2026-11-30T10:00:00.000Z' });
    expect(pushed).toHaveLength(1);

    expect(health.check(db).problem).toBe('disk_full');
    expect(pushed).toHaveLength(1);

    db.exec('PRAGMA max_page_count = 1000000'); // staff freed space
    expect(health.check(db)).toEqual({ problem: null, since: null });
    expect(pushed.at(-1)).toEqual({ problem: null, since: null });
  });

  it('leaves errors that are not about storage to the caller', () => {
    const pushed: StorageStatus[] = [];
    const health = new StorageHealth({ now: () => 0 }, (s) => pushed.push(s));
    expect(health.note(new TypeError('x is undefined'))).toBeNull();
    expect(health.status().problem).toBeNull();
    expect(pushed).toEqual([]);
  });
});
