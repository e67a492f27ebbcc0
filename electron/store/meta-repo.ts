// Small durable facts: the sync cursor, the last sync time, and the like.
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export class MetaRepo {
  readonly #get: StatementSync;
  readonly #set: StatementSync;
  readonly #delete: StatementSync;

  constructor(db: DatabaseSync) {
    this.#get = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.#set = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.#delete = db.prepare('DELETE FROM meta WHERE key = ?');
  }

  get(key: string): string | null {
    return (this.#get.get(key) as { value: string } | undefined)?.value ?? null;
  }

  set(key: string, value: string): void {
    this.#set.run(key, value);
  }

  delete(key: string): void {
    this.#delete.run(key);
  }

  /** JSON value, or null when absent or unparsable (a damaged value must not block the app). */
  getJson<T>(key: string): T | null {
    const raw = this.get(key);
    if (raw === null) return null;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return null;
    }
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }
}
