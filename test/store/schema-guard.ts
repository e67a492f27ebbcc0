// The schema guard (DESIGN.md §4.6): columns may be added, never dropped or changed.
import type { DatabaseSync } from 'node:sqlite';

export interface ColumnShape {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}
export type SchemaShape = Record<string, ColumnShape[]>;

export function schemaShape(db: DatabaseSync): SchemaShape {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  const shape: SchemaShape = {};
  for (const { name } of tables) {
    const cols = db.prepare(`PRAGMA table_info(${JSON.stringify(name)})`).all() as unknown as ColumnShape[];
    shape[name] = cols.map(({ name: n, type, notnull, pk }) => ({ name: n, type, notnull, pk }));
  }
  return shape;
}

/** Every way `current` breaks `snapshot`: a missing table or column, or a changed definition. */
export function schemaViolations(snapshot: SchemaShape, current: SchemaShape): string[] {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(snapshot)) {
    const now = current[table];
    if (!now) {
      problems.push(`table ${table} was dropped`);
      continue;
    }
    for (const col of columns) {
      const found = now.find((c) => c.name === col.name);
      if (!found) problems.push(`${table}.${col.name} was dropped`);
      else if (found.type !== col.type || found.notnull !== col.notnull || found.pk !== col.pk) {
        problems.push(`${table}.${col.name} changed from ${JSON.stringify(col)} to ${JSON.stringify(found)}`);
      }
    }
  }
  return problems;
}
