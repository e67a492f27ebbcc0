// Team mode for one desk core (the TeamLink of electron/core/contract.ts): claims for the runner,
// the outbox of this desk's timeline, LISTEN/NOTIFY for other desks' changes, and a cache of other
// desks' holds for the order list. Built by the composition roots (electron/main.ts, the CLI).
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { EventKind, Job, JobState, TeamHold, TimelineEvent } from '../../shared/desk.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import type { HistoryQuery, TeamProblem, TeamStatus } from '../../shared/ipc.ts';
import type { JobReason } from '../../shared/reasons.ts';
import type { ChainClaims } from '../core/chain-claims.ts';
import type { TeamLink } from '../core/contract.ts';
import { LinksRepo } from '../store/links-repo.ts';
import { MetaRepo } from '../store/meta-repo.ts';
import { TeamClaims } from './team-claims.ts';
import { createTeamDb, migrateTeamDb, unusableTeamDb, type TeamDb } from './team-db.ts';
import { TeamDbError } from './team-errors.ts';
import { TeamListener } from './team-listener.ts';
import { TeamOutbox } from './team-outbox.ts';

export interface TeamSessionOptions {
  /** The team database URL (never logged); null: one is saved but could not be read on this computer. */
  url: string | null;
  staff: () => string;
  ttlMs?: number;
  retryMs?: number;
  /** Outbox poll interval (ms). */
  pollMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** The desk's id in the team: made once per data folder, kept in the local store. */
const DESK_ID_KEY = 'team_desk_id';
/** Reasons a settled job keeps its open steps: money may have moved, a human must look. */
const KEEP_OPEN: ReadonlySet<string> = new Set(['outcome_unknown', 'duplicate_booking', 'paid_pnr_pending'] satisfies JobReason[]);

type Hold = TeamHold & { orderNos: string[] };

export function deskIdOf(db: DatabaseSync): string {
  const meta = new MetaRepo(db);
  let id = meta.get(DESK_ID_KEY);
  if (!id) {
    id = randomUUID();
    meta.set(DESK_ID_KEY, id);
  }
  return id;
}

/**
 * Never throws for the URL: one this build cannot use (read differently after an upgrade) gives a
 * session that stays unavailable, so the desk waits in its team instead of running on its own.
 */
export function createTeamSession(options: TeamSessionOptions): TeamLink {
  const log = options.log ?? (() => {});
  let db: TeamDb;
  let server: string | null;
  try {
    if (options.url === null) throw new TeamDbError('stored_unreadable', 'the saved team database URL could not be read on this computer');
    db = createTeamDb(options.url, { log, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
    server = db.url.display;
  } catch (error) {
    if (!(error instanceof TeamDbError)) throw error;
    log(`team: the team database URL cannot be used (${error.message}); nothing is paid until it is entered again in Settings`);
    db = unusableTeamDb(error);
    server = null;
  }
  let deskId = '';
  let claims: TeamClaims | null = null;
  let outbox: TeamOutbox | null = null;
  let listener: TeamListener | null = null;
  let local: DatabaseSync | null = null;
  let connected = false;
  /** Why not connected, when known. */
  let problem: TeamProblem | null = null;
  let holds: Hold[] = [];
  let byOrder = new Map<string, Hold>();
  let onStatus: (status: TeamStatus) => void = () => {};
  let onRemote: (orderNos: string[]) => void = () => {};
  let noteError: (error: unknown) => void = () => {};
  let refreshTimer: ReturnType<typeof setInterval> | null = null;
  let refreshing: Promise<void> | null = null;
  let migrated: Promise<void> | null = null;
  /** Schema ready, shipping and listening started, leftovers of a previous run queued for release. */
  let started: Promise<void> = Promise.resolve();
  let detached = false;

  const status = (): TeamStatus => ({ enabled: true, connected, server, holds, ...(!connected && problem ? { problem } : {}) });

  const setConnected = (value: boolean, error?: unknown) => {
    const why = value ? null : error instanceof TeamDbError ? error.kind : problem;
    if (connected === value && problem === why) return;
    connected = value;
    problem = why;
    onStatus(status());
  };

  /** Migrations with back-off: a desk may start while the team server is still down. */
  const ensureSchema = (): Promise<void> => {
    migrated ??= (async () => {
      for (let attempt = 0; !detached; attempt++) {
        try {
          await migrateTeamDb(db, undefined, log);
          return;
        } catch (error) {
          if (attempt === 0) log(`team: cannot prepare the team database yet: ${(error as Error).message}`);
          setConnected(false, error);
          await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** Math.min(attempt, 6))));
        }
      }
    })();
    return migrated;
  };

  /** Reads other desks' holds into the cache (the order list's "being recovered by"). */
  const readHolds = async (): Promise<void> => {
    try {
      const { rows } = await db.query<{ chain_root: string; desk_id: string; staff: string; since: Date; kind: 'claim' | 'open_step'; links: { n: string }[] }>(
        `SELECT h.*, team_chain_links(h.chain_root) AS links FROM (
           SELECT chain_root, desk_id, staff, claimed_at AS since, 'claim' AS kind FROM team_claims WHERE expires_at > now() AND desk_id <> $1
           UNION ALL
           (SELECT DISTINCT ON (chain_root) chain_root, desk_id, staff, started_at, 'open_step' FROM team_steps
             WHERE state <> 'closed' AND desk_id <> $1 ORDER BY chain_root, started_at)
         ) h ORDER BY h.kind, h.since`,
        [deskId],
      );
      const next = new Map<string, Hold>();
      const list: Hold[] = [];
      for (const r of rows) {
        if (next.has(r.chain_root)) continue; // a live claim wins over an open step of the same chain
        const hold: Hold = { deskId: r.desk_id, staff: r.staff, kind: r.kind, since: new Date(r.since).toISOString(), orderNos: [r.chain_root, ...r.links.map((l) => l.n)] };
        list.push(hold);
        for (const o of hold.orderNos) next.set(o, hold);
      }
      const before = JSON.stringify(holds);
      holds = list;
      byOrder = next;
      setConnected(true);
      if (JSON.stringify(list) !== before) onStatus(status());
    } catch (error) {
      if (connected) log(`team: cannot read other desks' holds: ${(error as Error).message}`);
      setConnected(false, error);
    }
  };

  let dirty = false;
  /** Coalesces reads; a request during a read causes one more read after it, so the cache is never stale. */
  const refresh = (): Promise<void> => {
    dirty = true;
    refreshing ??= (async () => {
      while (dirty) {
        dirty = false;
        await readHolds();
      }
      refreshing = null;
    })();
    return refreshing;
  };

  return {
    attach(ctx): ChainClaims {
      local = ctx.db;
      deskId = deskIdOf(ctx.db);
      onStatus = ctx.onStatus;
      onRemote = ctx.onRemoteChange;
      noteError = ctx.noteError ?? (() => {});
      detached = false;
      const staff = options.staff;
      claims = new TeamClaims({
        db,
        deskId,
        staff,
        links: new LinksRepo(ctx.db),
        ...(options.ttlMs ? { ttlMs: options.ttlMs } : {}),
        ...(options.retryMs ? { retryMs: options.retryMs } : {}),
        log,
      });
      outbox = new TeamOutbox({ db, local: ctx.db, deskId, staff, ...(options.pollMs ? { pollMs: options.pollMs } : {}), onConnection: setConnected, log, noteError });
      listener = new TeamListener({
        db,
        deskId,
        log,
        onConnection: setConnected,
        onChange: (orderNos) => {
          void Promise.all([refresh(), mergeLinks(orderNos)]).then(() => {
            if (detached) return;
            try {
              onRemote(orderNos);
            } catch (error) {
              log(`team: could not apply another desk's change: ${(error as Error).message}`);
              noteError(error);
            }
          });
        },
      });
      started = ensureSchema().then(async () => {
        if (detached) return;
        outbox?.start();
        listener?.start();
        await releaseLeftovers();
      });
      refreshTimer = setInterval(() => void refresh(), 5000);
      refreshTimer.unref();
      return claims;
    },

    async ready(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([started, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    },

    jobSettled(job: Job) {
      claims?.forget(job.id);
      outbox?.push({ kind: 'release', jobId: job.id, closeSteps: !(job.state === 'attention' && KEEP_OPEN.has(job.reason ?? '')) });
    },

    acknowledged(jobIds) {
      outbox?.push({ kind: 'close_steps', jobIds });
    },

    holderOf: (orderNo) => {
      const hold = byOrder.get(orderNo);
      return hold ? { deskId: hold.deskId, staff: hold.staff, kind: hold.kind, since: hold.since } : null;
    },

    async timeline(orderNos) {
      if (orderNos.length === 0) return [];
      try {
        const { rows } = await db.query<{ id: string; order_no: string; at: Date; kind: string; actor: string | null; os_account: string | null; staff: string; data: Record<string, unknown> }>(
          `SELECT id, order_no, at, kind, actor, os_account, staff, data FROM team_events
           WHERE order_no = ANY($1::text[]) AND desk_id <> $2 ORDER BY at, id LIMIT 5000`,
          [orderNos, deskId],
        );
        return rows.map((r) => ({
          // Negative: never the id of one of this desk's own events.
          id: -Number(r.id),
          orderNo: r.order_no,
          at: new Date(r.at).toISOString(),
          kind: r.kind as EventKind,
          actor: r.actor,
          osAccount: r.os_account,
          data: r.data,
          desk: r.staff,
        }) satisfies TimelineEvent);
      } catch (error) {
        log(`team: timeline unavailable: ${(error as Error).message}`);
        return [];
      }
    },

    async history(query: HistoryQuery) {
      try {
        const search = query.search?.trim().toUpperCase() ?? '';
        const { rows } = await db.query<{ order_no: string; at: Date; actor: string; os_account: string | null }>(
          `SELECT order_no, max(at) AS at, (array_agg(coalesce(actor, staff) ORDER BY at DESC))[1] AS actor,
             (array_agg(os_account ORDER BY at DESC))[1] AS os_account
           FROM team_events
           WHERE desk_id <> $1 AND at >= coalesce($2::timestamptz, '-infinity') AND at <= coalesce($3::timestamptz, 'infinity')
             AND ($4 = '' OR strpos(order_no, $4) > 0)
           GROUP BY order_no ORDER BY max(at) DESC LIMIT $5`,
          [deskId, query.since ?? null, query.until ?? null, search, Math.min(query.limit ?? 1000, 100_000)],
        );
        return rows.map((r) => ({ orderNo: r.order_no, lastEventAt: new Date(r.at).toISOString(), actor: r.actor, osAccount: r.os_account }));
      } catch (error) {
        log(`team: history unavailable: ${(error as Error).message}`);
        return [];
      }
    },

    status,

    async detach(detachOptions) {
      const timeoutMs = detachOptions?.timeoutMs ?? 5000;
      if (outbox) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([outbox.whenShipped(), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
        clearTimeout(timer);
      }
      detached = true;
      if (refreshTimer) clearInterval(refreshTimer);
      refreshTimer = null;
      claims?.stop();
      await outbox?.stop();
      await listener?.stop();
      await db.close();
      local = null;
    },
  };

  /** Other desks' regenerations of these orders' chains become local links (the list shows them as done). */
  async function mergeLinks(orderNos: string[]): Promise<void> {
    if (!local || orderNos.length === 0) return;
    try {
      const { rows } = await db.query<{ links: { o: string; n: string }[] }>(
        'SELECT DISTINCT team_chain_links(team_chain_root(o)) AS links FROM unnest($1::text[]) o',
        [orderNos],
      );
      const links = new LinksRepo(local);
      const at = new Date().toISOString();
      for (const row of rows) for (const l of row.links) links.link(l.o, l.n, at);
    } catch (error) {
      log(`team: could not read other desks' links: ${(error as Error).message}`);
      noteError(error);
    }
  }

  /**
   * After a restart: this desk's claims and open steps whose jobs settled while it was down (or
   * before their release could be shipped) are released now, with the same rule as jobSettled.
   */
  async function releaseLeftovers(): Promise<void> {
    for (let attempt = 0; local && outbox && !detached; attempt++) {
      try {
        const { rows } = await db.query<{ job_id: string }>(
          `SELECT job_id FROM team_claims WHERE desk_id = $1 UNION SELECT job_id FROM team_steps WHERE desk_id = $1 AND state = 'open'`,
          [deskId],
        );
        const lookup = local.prepare('SELECT state, reason FROM jobs WHERE id = ?');
        for (const { job_id: jobId } of rows) {
          const job = lookup.get(jobId) as { state: JobState; reason: string | null } | undefined;
          if (job && !SETTLED_JOB_STATES.includes(job.state)) continue;
          // A job this store does not know (a replaced database): its steps wait for a human.
          const keep = !job || (job.state === 'attention' && KEEP_OPEN.has(job.reason ?? ''));
          outbox.push({ kind: 'release', jobId, closeSteps: !keep });
        }
        return;
      } catch (error) {
        noteError(error);
        if (attempt === 0) log(`team: could not check leftover claims yet: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** Math.min(attempt, 6))));
      }
    }
  }
}
