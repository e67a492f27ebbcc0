// Ships this desk's timeline to the team database, outbox-style: the local `events` table IS the
// outbox (append-only, increasing ids) and a cursor in the local `meta` table says how far the
// team has it. A batch is inserted idempotently (desk id + local id), then the cursor moves; a
// crash in between only re-sends what the team already ignores. When the team database cannot be
// reached the shipper waits and tries again; nothing is lost, the desk's own store keeps it all.
//
// Releases of claims go through here too, AFTER the job's events are shipped: another desk that
// takes the chain next must already see this desk's regeneration links and outcome.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { MetaRepo } from '../store/meta-repo.ts';
import type { TeamDb } from './team-db.ts';

export type TeamOp =
  | { kind: 'release'; jobId: string; closeSteps: boolean }
  | { kind: 'close_steps'; jobIds: string[] };

export interface TeamOutboxDeps {
  db: TeamDb;
  local: DatabaseSync;
  deskId: string;
  staff: () => string;
  /** Events per round trip (default 500). */
  batch?: number;
  /** How often the local store is checked for new events (default 250 ms). */
  pollMs?: number;
  /** `error`: why it is not connected, when known. */
  onConnection?: (connected: boolean, error?: unknown) => void;
  log?: (line: string) => void;
  /** Hears every error a flush catches: the local store failing must reach staff too, not only pause shipping. */
  noteError?: (error: unknown) => void;
}

interface EventRow {
  id: number;
  order_no: string;
  at: string;
  kind: string;
  actor: string | null;
  os_account: string | null;
  data_json: string;
}

export class TeamOutbox {
  readonly #d: TeamOutboxDeps;
  readonly #meta: MetaRepo;
  readonly #after: StatementSync;
  readonly #maxId: StatementSync;
  readonly #ops: { op: TeamOp; upTo: number }[] = [];
  #cursorKey: string | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  #failures = 0;
  #stopped = false;
  #idleWaiters: (() => void)[] = [];

  constructor(deps: TeamOutboxDeps) {
    this.#d = deps;
    this.#meta = new MetaRepo(deps.local);
    this.#after = deps.local.prepare('SELECT id, order_no, at, kind, actor, os_account, data_json FROM events WHERE id > ? ORDER BY id LIMIT ?');
    this.#maxId = deps.local.prepare('SELECT coalesce(max(id), 0) AS m FROM events');
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Queues an operation that must wait until every event written so far has been shipped. */
  push(op: TeamOp): void {
    this.#ops.push({ op, upTo: (this.#maxId.get() as { m: number }).m });
    this.#schedule(0);
  }

  /** Local events not yet in the team database. */
  pending(): number {
    const cursor = this.#cursor();
    return cursor === null ? Number.NaN : (this.#maxId.get() as { m: number }).m - cursor + this.#ops.length;
  }

  /** Resolves once everything written so far is shipped and every queued op done (or at stop). */
  whenShipped(): Promise<void> {
    if (this.#caughtUp()) return Promise.resolve();
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#schedule(0);
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
    for (const w of this.#idleWaiters.splice(0)) w();
  }

  #cursor(): number | null {
    return this.#cursorKey === null ? null : Number(this.#meta.get(this.#cursorKey) ?? 0);
  }

  #caughtUp(): boolean {
    const cursor = this.#cursor();
    return cursor !== null && cursor >= (this.#maxId.get() as { m: number }).m && this.#ops.length === 0;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped || this.#running) return;
    if (this.#timer) {
      if (delayMs > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#flush().finally(() => {
        this.#running = null;
        if (this.#caughtUp()) for (const w of this.#idleWaiters.splice(0)) w();
        // Back off while the team database is away (0.25 s … 10 s); otherwise poll for new events.
        const next = this.#failures > 0 ? Math.min(10_000, 250 * 2 ** Math.min(this.#failures, 6)) : (this.#d.pollMs ?? 250);
        this.#schedule(next);
      });
    }, delayMs);
    this.#timer.unref?.();
  }

  async #flush(): Promise<void> {
    try {
      if (this.#cursorKey === null) this.#cursorKey = `team_cursor:${await this.#d.db.teamId()}`;
      const batch = this.#d.batch ?? 500;
      for (;;) {
        const cursor = this.#cursor() ?? 0;
        const rows = this.#after.all(cursor, batch) as unknown as EventRow[];
        if (rows.length === 0) break;
        const events = rows.map((r) => ({ id: r.id, orderNo: r.order_no, at: r.at, kind: r.kind, actor: r.actor, osAccount: r.os_account, data: JSON.parse(r.data_json) as unknown }));
        await this.#d.db.query('SELECT team_ship($1, $2, $3::jsonb)', [this.#d.deskId, this.#d.staff(), JSON.stringify(events)]);
        this.#meta.set(this.#cursorKey, String(rows[rows.length - 1]?.id ?? cursor));
        if (rows.length < batch) break;
      }
      const shipped = this.#cursor() ?? 0;
      while (this.#ops.length > 0 && (this.#ops[0]?.upTo ?? 0) <= shipped) {
        await this.#apply((this.#ops[0] as { op: TeamOp }).op);
        this.#ops.shift();
      }
      if (this.#failures > 0) this.#d.onConnection?.(true);
      this.#failures = 0;
    } catch (error) {
      this.#d.noteError?.(error);
      if (this.#failures === 0) {
        this.#d.log?.(`team: shipping paused: ${(error as Error).message}`);
        this.#d.onConnection?.(false, error);
      }
      this.#failures++;
    }
  }

  async #apply(op: TeamOp): Promise<void> {
    if (op.kind === 'release') {
      await this.#d.db.query('SELECT team_release($1, $2, $3)', [this.#d.deskId, op.jobId, op.closeSteps]);
    } else {
      await this.#d.db.query(
        `UPDATE team_steps SET state = 'closed', closed_at = now() WHERE desk_id = $1 AND job_id = ANY($2::text[]) AND state <> 'closed'`,
        [this.#d.deskId, op.jobIds],
      );
    }
  }
}
