// Forward-only migrations, each recorded in schema_migrations (docs/conventions.md "A migration").
// Rules:
// - never edit or reorder a shipped migration; add a new one;
// - never drop or change a column (test/store/migrations.test.ts fails if you do);
// - each migration runs in its own transaction with its record, so a crash leaves it all-or-nothing.
import type { DatabaseSync } from 'node:sqlite';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Settled job states (shared/desk.ts SETTLED_JOB_STATES). Written out here on purpose: a migration
// is a frozen snapshot and must not change when the TypeScript constant does.
const UNSETTLED = `state NOT IN ('done', 'blocked', 'attention', 'failed', 'cancelled')`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE orders (
        order_no TEXT PRIMARY KEY,
        order_status TEXT NOT NULL,
        category TEXT NOT NULL,
        attention_reason TEXT,
        error_code TEXT,
        pnr_code TEXT,
        airline_pnrs TEXT NOT NULL DEFAULT '',
        pax_names TEXT NOT NULL DEFAULT '',
        airlines TEXT NOT NULL DEFAULT '',
        currency TEXT,
        total_price REAL,
        tkt_limit_time TEXT,
        created_at TEXT,
        dep_date TEXT,
        details_json TEXT NOT NULL,
        marked_failed INTEGER NOT NULL DEFAULT 0,
        first_seen_at TEXT NOT NULL,
        last_synced_at TEXT NOT NULL,
        last_actor TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX orders_category_deadline ON orders (category, tkt_limit_time);
      CREATE INDEX orders_pnr_code ON orders (pnr_code);
      CREATE INDEX orders_created_at ON orders (created_at);
      CREATE INDEX orders_updated_at ON orders (updated_at);
      -- Narrow covering index: substring search scans this instead of the wide rows (details_json).
      CREATE INDEX orders_search ON orders (order_no, pnr_code, airline_pnrs, pax_names);

      CREATE TABLE order_links (
        original_order_no TEXT NOT NULL,
        new_order_no TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (original_order_no, new_order_no)
      );
      CREATE INDEX order_links_new ON order_links (new_order_no);

      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        order_no TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        actor TEXT,
        data_json TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX events_order ON events (order_no, id);
      CREATE INDEX events_at ON events (at);

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        order_no TEXT NOT NULL,
        current_order_no TEXT NOT NULL,
        method INTEGER NOT NULL,
        card_mask TEXT,
        state TEXT NOT NULL,
        outcome TEXT,
        reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_run_at TEXT,
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      -- One unsettled job per order: a second recovery of the same order must be refused by the DB.
      CREATE UNIQUE INDEX jobs_one_unsettled_per_order ON jobs (order_no) WHERE ${UNSETTLED};
      CREATE INDEX jobs_state ON jobs (state, next_run_at);

      CREATE TABLE steps (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES jobs (id),
        order_no TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        request_json TEXT NOT NULL,
        result_json TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX steps_job ON steps (job_id, id);
      CREATE INDEX steps_order ON steps (order_no, id);
      CREATE INDEX steps_state ON steps (state);

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'events record the OS account',
    sql: `
      -- The OS login the desk ran under when the event was written, beside the staff name (actor):
      -- a shared PC's staff name is typed in Settings, the OS account is not.
      ALTER TABLE events ADD COLUMN os_account TEXT;
    `,
  },
  {
    version: 3,
    name: 'trigram index for substring search',
    // Substring search scanned every row of orders_search (p95 tens of ms at 100,000 orders). An
    // FTS5 trigram index over the same four upper-case columns answers any query of 3 characters
    // or more from the index; shorter queries still scan (orders-repo.ts). External content: the
    // text stays in orders only, the triggers keep the index in step, and 'rebuild' fills it for
    // the orders already stored. case_sensitive 1, because the columns and the query are
    // upper-cased by the desk: a phrase match is then exactly the old instr() substring match.
    // The index is keyed by orders.rowid, which VACUUM may renumber (orders has no INTEGER
    // PRIMARY KEY): after a VACUUM, run INSERT INTO orders_fts(orders_fts) VALUES('rebuild').
    sql: `
      CREATE VIRTUAL TABLE orders_fts USING fts5(
        order_no, pnr_code, airline_pnrs, pax_names,
        content = 'orders', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 1'
      );
      CREATE TRIGGER orders_fts_insert AFTER INSERT ON orders BEGIN
        INSERT INTO orders_fts (rowid, order_no, pnr_code, airline_pnrs, pax_names)
        VALUES (new.rowid, new.order_no, new.pnr_code, new.airline_pnrs, new.pax_names);
      END;
      CREATE TRIGGER orders_fts_delete AFTER DELETE ON orders BEGIN
        INSERT INTO orders_fts (orders_fts, rowid, order_no, pnr_code, airline_pnrs, pax_names)
        VALUES ('delete', old.rowid, old.order_no, old.pnr_code, old.airline_pnrs, old.pax_names);
      END;
      -- A status upsert rewrites the search columns with the same text: re-index only real changes.
      CREATE TRIGGER orders_fts_update AFTER UPDATE OF order_no, pnr_code, airline_pnrs, pax_names ON orders
      WHEN old.order_no IS NOT new.order_no OR old.pnr_code IS NOT new.pnr_code
        OR old.airline_pnrs IS NOT new.airline_pnrs OR old.pax_names IS NOT new.pax_names
      BEGIN
        INSERT INTO orders_fts (orders_fts, rowid, order_no, pnr_code, airline_pnrs, pax_names)
        VALUES ('delete', old.rowid, old.order_no, old.pnr_code, old.airline_pnrs, old.pax_names);
        INSERT INTO orders_fts (rowid, order_no, pnr_code, airline_pnrs, pax_names)
        VALUES (new.rowid, new.order_no, new.pnr_code, new.airline_pnrs, new.pax_names);
      END;
      INSERT INTO orders_fts (orders_fts) VALUES ('rebuild');
    `,
  },
  {
    version: 4,
    name: 'queue lease',
    // One row at most: the desk process that runs this file's queue (docs/money-safety.md rule 10).
    sql: `
      CREATE TABLE queue_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        owner TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        renewed_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        renewals INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    version: 5,
    name: 'separate retry budgets per job',
    // One counter per kind of retry, so that (say) read failures cannot use up the re-plans a
    // pay.do 401 needs. jobs.attempts stays as the total shown to staff.
    sql: `
      ALTER TABLE jobs ADD COLUMN read_failures INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE jobs ADD COLUMN replans INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE jobs ADD COLUMN rate_limit_waits INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE jobs ADD COLUMN polls INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 6,
    name: 'job approvals',
    // What staff approved per job (docs/money-safety.md rule 9): the amounts per source as JSON
    // ({dueFromDeposit, dueFromCard}), when, by whom, until when; and, while the job waits for a
    // new approval, the amounts Atlas asks now (quote_json).
    sql: `
      ALTER TABLE jobs ADD COLUMN approved_json TEXT;
      ALTER TABLE jobs ADD COLUMN approved_at TEXT;
      ALTER TABLE jobs ADD COLUMN approved_by TEXT;
      ALTER TABLE jobs ADD COLUMN approval_expires_at TEXT;
      ALTER TABLE jobs ADD COLUMN quote_json TEXT;
    `,
  },
];

/** Highest version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function appliedVersion(db: DatabaseSync): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Applies pending migrations in order. Refuses a database written by a newer build. */
export function migrate(
  db: DatabaseSync,
  log: (line: string) => void = () => {},
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const current = appliedVersion(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    // Never "repair" a newer schema: an older build could silently lose columns it does not know.
    throw new Error(`store: database schema version ${current} is newer than this app (${latest}); update the app`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
    log(`store: applied migration ${m.version} (${m.name})`);
  }
  return Math.max(current, latest);
}
