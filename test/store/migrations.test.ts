import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS, SCHEMA_VERSION, appliedVersion, migrate } from '../../electron/store/migrations.ts';
import { schemaShape, schemaViolations, type SchemaShape } from './schema-guard.ts';
import { tempStore } from '../support/temp-store.ts';

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

  it('has versions 1, 2, 3… in order, without gaps', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('creates every table of schema.md', () => {
    const tables = Object.keys(schemaShape(store()).tables).sort();
    expect(tables).toEqual([
      'events',
      'jobs',
      'meta',
      'order_links',
      'orders',
      // The trigram search index over orders and SQLite's shadow tables for it.
      'orders_fts',
      'orders_fts_config',
      'orders_fts_data',
      'orders_fts_docsize',
      'orders_fts_idx',
      'queue_lease',
      'schema_migrations',
      'steps',
    ]);
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
  it('keeps every snapshotted column, index and trigger with an identical definition (no drop, no change)', () => {
    const current = schemaShape(store());
    if (process.env.UPDATE_SCHEMA_SNAPSHOT === '1') {
      writeFileSync(SNAPSHOT, `${JSON.stringify(current, null, 2)}\n`);
    }
    const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as SchemaShape;
    expect(schemaViolations(snapshot, current)).toEqual([]);
  });

  it('reports a dropped column, a changed type or default, a dropped table, and a dropped or changed index or trigger', () => {
    const col = (name: string, type: string, dflt_value: string | null = null) => ({ name, type, notnull: 0, pk: 0, dflt_value });
    const snapshot: SchemaShape = {
      tables: {
        orders: [col('order_no', 'TEXT'), col('total_price', 'REAL'), col('marked', 'INTEGER', '0'), col('gone', 'TEXT')],
        vanished: [col('x', 'TEXT')],
      },
      indexes: {
        jobs_one_unsettled_per_order: "CREATE UNIQUE INDEX jobs_one_unsettled_per_order ON jobs (order_no) WHERE state NOT IN ('done')",
        orders_pnr: 'CREATE INDEX orders_pnr ON orders (pnr_code)',
      },
      triggers: { orders_fts_insert: 'CREATE TRIGGER orders_fts_insert AFTER INSERT ON orders BEGIN SELECT 1; END' },
    };
    const current: SchemaShape = {
      tables: { orders: [col('order_no', 'TEXT'), col('total_price', 'TEXT'), col('marked', 'INTEGER', '1'), col('added', 'TEXT')] },
      // The partial index lost its WHERE: two unsettled jobs for one order would be allowed again.
      indexes: { jobs_one_unsettled_per_order: 'CREATE UNIQUE INDEX jobs_one_unsettled_per_order ON jobs (order_no)' },
      triggers: {},
    };
    const problems = schemaViolations(snapshot, current).join('\n');
    expect(problems).toMatch(/orders\.gone was dropped/);
    expect(problems).toMatch(/orders\.total_price changed/);
    expect(problems).toMatch(/orders\.marked changed/);
    expect(problems).toMatch(/table vanished was dropped/);
    expect(problems).toMatch(/index jobs_one_unsettled_per_order changed/);
    expect(problems).toMatch(/index orders_pnr was dropped/);
    expect(problems).toMatch(/trigger orders_fts_insert was dropped/);
    expect(schemaViolations(snapshot, current)).toHaveLength(7);
  });

  it('pins the index that keeps one unsettled job per order', () => {
    const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as SchemaShape;
    expect(snapshot.indexes.jobs_one_unsettled_per_order).toMatch(/^CREATE UNIQUE INDEX jobs_one_unsettled_per_order ON jobs \(order_no\) WHERE state NOT IN \(/);
  });
});
