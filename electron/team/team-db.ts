// The connection pool to the team database and its migrations. Every call has a time limit, so a
// server that vanished pauses the desk (TeamUnavailable upstream) instead of hanging a job.
import pg from 'pg';
import { classifyPgError, TeamDbError } from './team-errors.ts';
import { TEAM_MIGRATIONS, type TeamMigration } from './team-migrations.ts';
import { connectionConfig, parseTeamUrl, type TeamUrl } from './team-url.ts';

export interface TeamDbOptions {
  /** Milliseconds to connect and per query (default 5,000). */
  timeoutMs?: number;
  /** Pool size (default 4). */
  max?: number;
  log?: (line: string) => void;
}

export interface TeamDb {
  readonly url: TeamUrl;
  /** Runs one statement; errors are TeamDbError (classified). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** A dedicated client for LISTEN (the caller ends it). */
  connectClient(): Promise<pg.Client>;
  /** The team's identity (team_info.team_id). */
  teamId(): Promise<string>;
  close(): Promise<void>;
}

/** Session advisory lock key for migrations (any constant; same for every desk). */
const MIGRATION_LOCK = 7_431_902_115;

export function createTeamDb(raw: string, options: TeamDbOptions = {}): TeamDb {
  const url = parseTeamUrl(raw);
  const timeoutMs = options.timeoutMs ?? 5000;
  const limits = { connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, statement_timeout: timeoutMs };
  // Made on the first query whose CA file can be read (team-url.ts connectionConfig); until then
  // every call fails like an unreachable server, and the session retries.
  let pool: pg.Pool | null = null;
  let closed = false;
  const poolNow = (): pg.Pool => {
    if (closed) throw new TeamDbError('unreachable', `the connection to the team database at ${url.display} is closed`);
    if (pool) return pool;
    const made = new pg.Pool({ ...connectionConfig(url), ...limits, max: options.max ?? 4, idleTimeoutMillis: 10_000 });
    // An idle client losing its server must not crash the process; the next query reports it.
    made.on('error', (error) => options.log?.(`team: idle connection lost (${classifyPgError(error, url.display).kind})`));
    pool = made;
    return made;
  };
  let team: string | null = null;
  return {
    url,
    async query(sql, params) {
      try {
        return await poolNow().query(sql, params);
      } catch (error) {
        throw classifyPgError(error, url.display);
      }
    },
    async connectClient() {
      const client = new pg.Client({ ...connectionConfig(url), ...limits });
      client.on('error', () => {});
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => {});
        throw classifyPgError(error, url.display);
      }
      return client;
    },
    async teamId() {
      if (team) return team;
      const { rows } = await this.query<{ team_id: string }>('SELECT team_id::text AS team_id FROM team_info LIMIT 1');
      team = rows[0]?.team_id ?? null;
      if (!team) throw new TeamDbError('error', 'the team database has no team_info row');
      return team;
    },
    close: async () => {
      closed = true;
      await pool?.end().catch(() => {});
    },
  };
}

/**
 * A team database whose URL this build cannot use: every call fails with `error`, so the session
 * built on it stays unavailable (jobs wait, nothing is sent) until staff enter the URL again.
 */
export function unusableTeamDb(error: TeamDbError): TeamDb {
  const fail = async (): Promise<never> => {
    throw error;
  };
  return {
    url: { config: {}, sslmode: 'verify-full', caFile: null, display: 'the stored team database URL' },
    query: fail,
    connectClient: fail,
    teamId: fail,
    close: async () => {},
  };
}

/**
 * Applies pending team migrations under an advisory lock (desks starting together wait for each
 * other). Refuses a team database migrated by a newer build.
 */
export async function migrateTeamDb(db: TeamDb, migrations: readonly TeamMigration[] = TEAM_MIGRATIONS, log: (line: string) => void = () => {}): Promise<number> {
  const client = await db.connectClient();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS team_schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM team_schema_migrations');
    const current = rows[0]?.v ?? 0;
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (current > latest) {
      throw new TeamDbError('newer_schema', `the team database schema (version ${current}) is newer than this desk (${latest}); update the desk`);
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO team_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
      log(`team: applied migration ${m.version} (${m.name})`);
    }
    return Math.max(current, latest);
  } catch (error) {
    throw classifyPgError(error, db.url.display);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/** Settings' "test connection" and the CLI's start-up check: connect, migrate, ask the clock. */
export async function checkTeamDatabase(raw: string, options: TeamDbOptions = {}): Promise<{ version: number; display: string }> {
  const db = createTeamDb(raw, { ...options, max: 1 });
  try {
    const version = await migrateTeamDb(db, TEAM_MIGRATIONS, options.log);
    await db.query('SELECT now()');
    return { version, display: db.url.display };
  } finally {
    await db.close();
  }
}
