// The queue lease (docs/money-safety.md rule 10): one desk process at a time runs the jobs of a
// database file — the app and the CLI, or two overlapping `recover` runs, would otherwise each pay
// every unsettled job. The lease is a row in the file itself (electron/store/lease-repo.ts), so it
// works wherever SQLite does (Windows, macOS, Linux) and dies with the file, not with a lock file.
//
// A holder's lease is free for another process when
// - the holder's process is gone: same host, and its PID is not running (a crash, a kill); or
// - it expired by the wall clock AND its renewal counter has not moved for three renewal periods
//   on the contender's own monotonic clock. The second half keeps a wall-clock jump (NTP, a
//   resumed laptop) from handing a live holder's lease away: a live holder renews every period.
// The holder re-checks its lease inside the same transaction that journals a pay or regenerate
// step (whileHeld), so a holder that was frozen past expiry and lost the lease sends nothing more.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DatabaseSync } from '../store/db.ts';
import { LeaseRepo, type LeaseOwner, type LeaseRow } from '../store/lease-repo.ts';

export interface LeaseTiming {
  /** How long a lease lasts without renewal (ms). */
  leaseMs: number;
  /** How often the holder renews it (ms); well below leaseMs. */
  renewMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { leaseMs: 30_000, renewMs: 5_000 };

export interface LeaseOptions {
  timing?: Partial<LeaseTiming>;
  /** Wall clock (epoch ms) for expiry: processes on one machine share it. Default Date.now. */
  wallClock?: () => number;
  /** Monotonic ms for "no renewal seen for …". Default performance.now. */
  monotonic?: () => number;
  /** Whether a process of this host is running. Default: signal 0. */
  isAlive?: (pid: number) => boolean;
}

/** Thrown where a mutating step would be journaled without the lease: nothing was written or sent. */
export class LeaseLost extends Error {
  constructor() {
    super('another desk process holds the queue lease of this database');
    this.name = 'LeaseLost';
  }
}

/** Signal 0 tests for existence; EPERM means it exists under another user. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class QueueLease {
  readonly me: LeaseOwner = { owner: randomUUID(), pid: process.pid, host: hostname() };
  readonly timing: LeaseTiming;
  readonly #repo: LeaseRepo;
  readonly #wall: () => number;
  readonly #mono: () => number;
  readonly #alive: (pid: number) => boolean;
  /** The other holder's row as last seen, and since when (monotonic) it has not changed. */
  #seen: { owner: string; renewals: number; since: number } | null = null;

  constructor(db: DatabaseSync, options: LeaseOptions = {}) {
    this.#repo = new LeaseRepo(db);
    this.timing = { ...DEFAULT_LEASE_TIMING, ...options.timing };
    this.#wall = options.wallClock ?? Date.now;
    this.#mono = options.monotonic ?? (() => performance.now());
    this.#alive = options.isAlive ?? processAlive;
  }

  #iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  /** Takes the lease if it is free (or already ours). Cheap when it is plainly held by a live process. */
  tryTake(): boolean {
    const current = this.#repo.read();
    if (current && current.owner !== this.me.owner && !this.#holderGone(current)) return false;
    const now = this.#wall();
    return this.#repo.take(this.me, this.#iso(now), this.#iso(now + this.timing.leaseMs), (row) => this.#holderGone(row));
  }

  /** False when the lease is no longer ours (taken after it expired, or released by hand). */
  renew(): boolean {
    const now = this.#wall();
    return this.#repo.renew(this.me.owner, this.#iso(now), this.#iso(now + this.timing.leaseMs));
  }

  release(): void {
    this.#repo.release(this.me.owner);
  }

  /** Runs `write` in one transaction only while this process holds an unexpired lease; else throws LeaseLost. */
  whileHeld<T>(write: () => T): T {
    return this.#repo.whileHeld(this.me.owner, this.#wall(), write, () => {
      throw new LeaseLost();
    });
  }

  /** The row of another process that holds the lease now, or null (free, expired, or ours). */
  heldElsewhere(): LeaseRow | null {
    const current = this.#repo.read();
    if (!current || current.owner === this.me.owner || this.#holderGone(current)) return null;
    return current;
  }

  #holderGone(row: LeaseRow): boolean {
    const mono = this.#mono();
    if (!this.#seen || this.#seen.owner !== row.owner || this.#seen.renewals !== row.renewals) {
      this.#seen = { owner: row.owner, renewals: row.renewals, since: mono };
    }
    // Another desk in this very process (same PID) is alive by definition; only expiry frees it.
    if (row.host === this.me.host && row.pid !== this.me.pid && !this.#alive(row.pid)) return true;
    const expired = Date.parse(row.expiresAt) <= this.#wall();
    return expired && mono - this.#seen.since >= 3 * this.timing.renewMs;
  }
}
