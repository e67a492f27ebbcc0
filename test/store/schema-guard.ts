// The schema guard (docs/conventions.md, "a migration"): columns, indexes and triggers may be
// added, never dropped or changed. Indexes and triggers are pinned too: the partial unique index
// that keeps one unsettled job per order is a money-safety rule, and the triggers keep the
// passenger-search index in step with the orders.
import type { DatabaseSync } from 'node:sqlite';

export interface ColumnShape {
  name: string;
  type: string;
  notnull: number;
  pk: number;
  /** The column's DEFAULT as SQLite prints it, or null. */
  dflt_value: string | null;
}

export interface SchemaShape {
  tables: Record<string, ColumnShape[]>;
  /** Index or trigger name → its CREATE statement, whitespace-normalised (covers UNIQUE, columns, WHERE). */
  indexes: Record<string, string>;
  triggers: Record<string, string>;
}

const normalised = (sql: string) => sql.replace(/\s+/g, ' ').trim();

export function schemaShape(db: DatabaseSync): SchemaShape {
  const objects = db
    .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all() as { type: string; name: string; sql: string | null }[];
  const shape: SchemaShape = { tables: {}, indexes: {}, triggers: {} };
  for (const { type, name, sql } of objects) {
    if (type === 'table') {
      const cols = db.prepare(`PRAGMA table_info(${JSON.stringify(name)})`).all() as unknown as ColumnShape[];
      shape.tables[name] = cols.map(({ name: n, type: t, notnull, pk, dflt_value }) => ({ name: n, type: t, notnull, pk, dflt_value }));
    } else if (type === 'index' && sql) {
      // Automatic indexes (UNIQUE / PRIMARY KEY constraints) have no SQL: their columns pin them.
      shape.indexes[name] = normalised(sql);
    } else if (type === 'trigger' && sql) {
      shape.triggers[name] = normalised(sql);
    }
  }
  return shape;
}

/** Every way `current` breaks `snapshot`: a missing table, column, index or trigger, or a changed definition. */
export function schemaViolations(snapshot: SchemaShape, current: SchemaShape): string[] {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(snapshot.tables)) {
    const now = current.tables[table];
    if (!now) {
      problems.push(`table ${table} was dropped`);
      continue;
    }
    for (const col of columns) {
      const found = now.find((c) => c.name === col.name);
      if (!found) problems.push(`${table}.${col.name} was dropped`);
      else if (found.type !== col.type || found.notnull !== col.notnull || found.pk !== col.pk || found.dflt_value !== col.dflt_value) {
        problems.push(`${table}.${col.name} changed from ${JSON.stringify(col)} to ${JSON.stringify(found)}`);
      }
    }
  }
  for (const kind of ['indexes', 'triggers'] as const) {
    for (const [name, sql] of Object.entries(snapshot[kind])) {
      const now = current[kind][name];
      if (now === undefined) problems.push(`${kind === 'indexes' ? 'index' : 'trigger'} ${name} was dropped`);
      else if (now !== sql) problems.push(`${kind === 'indexes' ? 'index' : 'trigger'} ${name} changed from "${sql}" to "${now}"`);
    }
  }
  return problems;
}
