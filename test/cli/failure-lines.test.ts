// The one stderr line the CLI prints for a failure it did not expect: a storage problem names the
// database file and what to do, from a real node:sqlite error; anything else stays an internal error.
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../electron/cli/config.ts';
import { describeFailure } from '../../electron/cli/desk-cli.ts';
import { EXIT } from '../../electron/cli/errors.ts';

function sqliteError(run: (db: DatabaseSync) => void): unknown {
  const db = new DatabaseSync(':memory:');
  try {
    run(db);
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  throw new Error('expected SQLite to refuse');
}

const config = configFromEnv({ ATLAS_ENV: 'sandbox', ATLAS_CLIENT_ID: 'id', ATLAS_CLIENT_SECRET: 's3cret', DESK_DATA_DIR: '/data/desk' }, '/home/ana', 'ana');

describe('describeFailure', () => {
  it('names a full disk, the database file and what to do, not an internal error', () => {
    const full = sqliteError((db) => {
      db.exec('CREATE TABLE t (v TEXT)');
      const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
      db.exec(`PRAGMA max_page_count = ${pages}`);
      for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(2000));
    });
    const { line, code } = describeFailure(full, config);
    expect(line).toBe('the desk database /data/desk/desk-sandbox.sqlite stopped this command: the disk is full; free some space, then run the command again');
    expect(code).toBe(EXIT.partial);
  });

  it('keeps other SQLite errors (a bug, a constraint) as an internal error, one line', () => {
    const constraint = sqliteError((db) => {
      db.exec('CREATE TABLE t (v TEXT NOT NULL)');
      db.exec('INSERT INTO t VALUES (NULL)');
    });
    expect(describeFailure(constraint, config)).toEqual({ line: 'internal error: NOT NULL constraint failed: t.v', code: EXIT.partial });
  });
});
