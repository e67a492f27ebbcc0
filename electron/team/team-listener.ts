// LISTEN/NOTIFY on the team database: other desks' claims, releases and shipped events arrive as
// notifications naming the orders they touched; the window updates without a manual refresh. The
// connection is re-made (with back-off) whenever it drops, e.g. when the server restarts.
import type pg from 'pg';
import type { TeamDb } from './team-db.ts';
import { TEAM_CHANNEL } from './team-migrations.ts';

export interface TeamListenerDeps {
  db: TeamDb;
  deskId: string;
  /** Orders another desk changed (claimed, released, new events). */
  onChange: (orderNos: string[]) => void;
  /** `error`: why it is not connected, when known. */
  onConnection: (connected: boolean, error?: unknown) => void;
  log?: (line: string) => void;
}

export class TeamListener {
  readonly #d: TeamListenerDeps;
  #client: pg.Client | null = null;
  #stopped = false;
  #failures = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;

  constructor(deps: TeamListenerDeps) {
    this.#d = deps;
  }

  start(): void {
    this.#stopped = false;
    void this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    try {
      const client = await this.#d.db.connectClient();
      if (this.#stopped) {
        await client.end().catch(() => {});
        return;
      }
      client.on('notification', (message) => this.#notified(message));
      const lost = () => {
        if (this.#client !== client) return;
        this.#client = null;
        this.#d.onConnection(false);
        this.#later();
      };
      client.on('error', lost);
      client.on('end', lost);
      await client.query(`LISTEN ${TEAM_CHANNEL}`);
      this.#client = client;
      this.#failures = 0;
      this.#d.onConnection(true);
      // Whatever happened while we were away: let the desk refresh everything.
      this.#d.onChange([]);
    } catch (error) {
      if (this.#failures === 0) this.#d.log?.(`team: listening paused: ${(error as Error).message}`);
      this.#d.onConnection(false, error);
      this.#later();
    }
  }

  #later(): void {
    if (this.#stopped || this.#retry) return;
    this.#failures++;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#connect();
    }, Math.min(10_000, 250 * 2 ** Math.min(this.#failures, 6)));
    this.#retry.unref?.();
  }

  #notified(message: pg.Notification): void {
    try {
      const payload = JSON.parse(message.payload ?? '{}') as { desk?: string; orders?: unknown };
      if (payload.desk === this.#d.deskId) return;
      const orders = Array.isArray(payload.orders) ? payload.orders.filter((o): o is string => typeof o === 'string') : [];
      this.#d.onChange(orders);
    } catch {
      this.#d.onChange([]);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }
}
