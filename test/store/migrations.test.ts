import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS, SCHEMA_VERSION, appliedVersion, migrate } from '../../electron/store/migrations.ts';
import { schemaShape, schemaViolations, type SchemaShape } from './schema-guard.ts';
import { tempStore } from './helpers.ts';

const SNAPSHOT = new URL('./schema-snapshot.json', import.meta.url);

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function store() {
  const t = tempStore();
  cleanups.push(t.cleanup);
  return t.store.db;
}

describe('migrations', () => {
  it('records every migration once and is a no-op when run again', () => {
    const db = store();
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
  });

  it('has strictly increasing versions starting at 1', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('creates every table of schema.md', () => {
    const tables = Object.keys(schemaShape(store())).sort();
    expect(tables).toEqual(['events', 'jobs', 'meta', 'order_links', 'orders', 'queue_lease', 'schema_migrations', 'steps']);
  });

  it('applies a later migration forward and rolls back a failing one completely', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db);
    const next = { version: SCHEMA_VERSION + 1, name: 'add note', sql: 'ALTER TABLE orders ADD COLUMN note TEXT' };
    migrate(db, undefined, [...MIGRATIONS, next]);
    expect(appliedVersion(db)).toBe(SCHEMA_VERSION + 1);

    const broken = {
      version: SCHEMA_VERSION + 2,
      name: 'broken',
      sql: 'CREATE TABLE half_done (x TEXT); SELECT * FROM no_such_table;',
    };
    expect(() => migrate(db, undefined, [...MIGRATIONS, next, broken])).toThrow();
    expect(appliedVersion(db)).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });
});

describe('jobs: one unsettled job per order', () => {
  const insert = (db: DatabaseSync, id: string, state: string) =>
    db
      .prepare(
        `INSERT INTO jobs (id, order_no, current_order_no, method, state, actor, created_at, updated_at)
         VALUES (?, 'ORDER00001', 'ORDER00001', 1, ?, 'ann', 't', 't')`,
      )
      .run(id, state);

  it('refuses a second unsettled job for the same order', () => {
    const db = store();
    insert(db, 'j1', 'queued');
    expect(() => insert(db, 'j2', 'running')).toThrow(/UNIQUE/);
  });

  it('allows a new job once the previous ones are settled', () => {
    const db = store();
    for (const [i, state] of ['done', 'blocked', 'attention', 'failed', 'cancelled'].entries()) insert(db, `s${i}`, state);
    expect(() => insert(db, 'next', 'queued')).not.toThrow();
  });

  it('rejects a step for a job that does not exist (foreign key)', () => {
    const db = store();
    expect(() =>
      db
        .prepare(
          `INSERT INTO steps (job_id, order_no, kind, state, request_json, started_at)
           VALUES ('nope', 'ORDER00001', 'pay', 'in_flight', '{}', 't')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });
});

describe('schema guard', () => {
  // To record a deliberate addition: UPDATE_SCHEMA_SNAPSHOT=1 npx vitest run test/store/migrations.test.ts
  it('keeps every snapshotted column with an identical definition (no drop, no change)', () => {
    const current = schemaShape(store());
    if (process.env.UPDATE_SCHEMA_SNAPSHOT === '1') {
      writeFileSync(SNAPSHOT, `${JSON.stringify(current, null, 2)}\n`);
    }
    const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as SchemaShape;
    expect(schemaViolations(snapshot, current)).toEqual([]);
  });

  it('reports a dropped column, a changed type and a dropped table', () => {
    const snapshot: SchemaShape = {
      orders: [
        { name: 'order_no', type: 'TEXT', notnull: 0, pk: 1 },
        { name: 'total_price', type: 'REAL', notnull: 0, pk: 0 },
        { name: 'gone', type: 'TEXT', notnull: 0, pk: 0 },
      ],
      vanished: [{ name: 'x', type: 'TEXT', notnull: 0, pk: 0 }],
    };
    const current: SchemaShape = {
      orders: [
        { name: 'order_no', type: 'TEXT', notnull: 0, pk: 1 },
        { name: 'total_price', type: 'TEXT', notnull: 0, pk: 0 },
        { name: 'added', type: 'TEXT', notnull: 0, pk: 0 },
      ],
    };
    const problems = schemaViolations(snapshot, current);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/orders\.gone was dropped/);
    expect(problems.join('\n')).toMatch(/orders\.total_price changed/);
    expect(problems.join('\n')).toMatch(/table vanished was dropped/);
  });
});
