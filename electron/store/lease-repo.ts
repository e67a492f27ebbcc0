// The queue lease row (migration 4): which desk process runs this database file's queue. The SQL
// only; when a lease may be taken, and renewing it, live in electron/core/queue-lease.ts. Every
// write is one BEGIN IMMEDIATE transaction, so a take and a holder's journal write never interleave.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { transaction } from './db.ts';

export interface LeaseOwner {
  /** Random per process (a PID can be reused; two desks can live in one process). */
  owner: string;
  pid: number;
  host: string;
}

export interface LeaseRow extends LeaseOwner {
  acquiredAt: string;
  renewedAt: string;
  expiresAt: string;
  /** Bumped by every renewal: a contender sees a live holder by this changing. */
  renewals: number;
}

interface Row {
  owner: string;
  pid: number;
  host: string;
  acquired_at: string;
  renewed_at: string;
  expires_at: string;
  renewals: number;
}

function toLease(row: Row): LeaseRow {
  return {
    owner: row.owner,
    pid: row.pid,
    host: row.host,
    acquiredAt: row.acquired_at,
    renewedAt: row.renewed_at,
    expiresAt: row.expires_at,
    renewals: row.renewals,
  };
}

export class LeaseRepo {
  readonly #db: DatabaseSync;
  readonly #read: StatementSync;
  readonly #put: StatementSync;
  readonly #renew: StatementSync;
  readonly #release: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#read = db.prepare('SELECT * FROM queue_lease WHERE id = 1');
    this.#put = db.prepare(`INSERT INTO queue_lease (id, owner, pid, host, acquired_at, renewed_at, expires_at, renewals)
      VALUES (1, ?, ?, ?, ?, ?, ?, 0)
      ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
        acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at, expires_at = excluded.expires_at,
        renewals = queue_lease.renewals + 1`);
    this.#renew = db.prepare('UPDATE queue_lease SET renewed_at = ?, expires_at = ?, renewals = renewals + 1 WHERE id = 1 AND owner = ?');
    this.#release = db.prepare('DELETE FROM queue_lease WHERE id = 1 AND owner = ?');
  }

  read(): LeaseRow | null {
    const row = this.#read.get() as Row | undefined;
    return row ? toLease(row) : null;
  }

  /**
   * Takes the lease for `me` when there is none, it is already `me`'s, or `mayTake(current)` says
   * its holder is gone — decided inside the write transaction on the row as it is now.
   */
  take(me: LeaseOwner, now: string, expiresAt: string, mayTake: (current: LeaseRow) => boolean): boolean {
    return transaction(this.#db, () => {
      const current = this.read();
      if (current && current.owner !== me.owner && !mayTake(current)) return false;
      const acquiredAt = current?.owner === me.owner ? current.acquiredAt : now;
      this.#put.run(me.owner, me.pid, me.host, acquiredAt, now, expiresAt);
      return true;
    });
  }

  /** Extends `owner`'s lease; false when it is no longer theirs. */
  renew(owner: string, now: string, expiresAt: string): boolean {
    return Number(this.#renew.run(now, expiresAt, owner).changes) === 1;
  }

  release(owner: string): void {
    this.#release.run(owner);
  }

  /**
   * Runs `write` in one transaction only while `owner` holds a lease that has not expired at `now`
   * (ms); otherwise returns `lost` without writing. A contender's take waits for this transaction.
   */
  whileHeld<T>(owner: string, now: number, write: () => T, lost: () => never): T {
    return transaction(this.#db, () => {
      const current = this.read();
      if (!current || current.owner !== owner || !(Date.parse(current.expiresAt) > now)) return lost();
      return write();
    });
  }
}
