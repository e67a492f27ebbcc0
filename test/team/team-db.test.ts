// The team database connection and its migrations against a real PostgreSQL (TLS on, password
// authentication): versioned and recorded, safe when several desks start at once; every way of
// failing to connect is named (bad URL, wrong password, unreachable, TLS), never by the password.
import { afterAll, expect, it } from 'vitest';
import { freePort, makeTestCertificates } from '../../scripts/pg-cluster.ts';
import { checkTeamDatabase, createTeamDb, migrateTeamDb } from '../../electron/team/team-db.ts';
import { TeamDbError } from '../../electron/team/team-errors.ts';
import { TEAM_MIGRATIONS, TEAM_SCHEMA_VERSION } from '../../electron/team/team-migrations.ts';
import { parseTeamUrl } from '../../electron/team/team-url.ts';
import { describeTeam, useCluster } from '../support/team-cluster.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

const certDir = tempDir('desk-certs-').dir;
const certs = makeTestCertificates(certDir);
afterAll(() => removeDir(certDir));

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(TeamDbError);
    return (error as TeamDbError).kind;
  }
}

describeTeam('team database', () => {
  const cluster = useCluster({ tls: { cert: certs.cert, key: certs.key } });

  it('applies the migrations once, records them, and lets five desks start at the same moment', async () => {
    const url = cluster.current.url;
    const versions = await Promise.all(Array.from({ length: 5 }, () => checkTeamDatabase(url)));
    expect(versions.map((v) => v.version)).toEqual(Array(5).fill(TEAM_SCHEMA_VERSION));
    const db = createTeamDb(url);
    try {
      const { rows } = await db.query<{ version: number; name: string }>('SELECT version, name FROM team_schema_migrations ORDER BY version');
      expect(rows).toEqual(TEAM_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(await migrateTeamDb(db)).toBe(TEAM_SCHEMA_VERSION);
      // A later build's migration applies on top, recorded with its version.
      const next = [...TEAM_MIGRATIONS, { version: TEAM_SCHEMA_VERSION + 1, name: 'test column', sql: 'ALTER TABLE team_desks ADD COLUMN note text' }];
      expect(await migrateTeamDb(db, next)).toBe(TEAM_SCHEMA_VERSION + 1);
      // …and this build then refuses the newer schema instead of guessing.
      expect(await kindOf(migrateTeamDb(db))).toBe('newer_schema');
      await db.query('DELETE FROM team_schema_migrations WHERE version = $1', [TEAM_SCHEMA_VERSION + 1]);
      await db.query('ALTER TABLE team_desks DROP COLUMN note');
    } finally {
      await db.close();
    }
  });

  it('names a bad URL, a wrong password and an unreachable server, without the password', async () => {
    const { port, user, password } = cluster.current;
    expect(await kindOf(checkTeamDatabase('not a url'))).toBe('bad_url');
    expect(await kindOf(checkTeamDatabase(`mysql://${user}@127.0.0.1/team`))).toBe('bad_url');
    expect(await kindOf(checkTeamDatabase(`postgres://${user}:${password}@127.0.0.1:${port}/`))).toBe('bad_url');
    expect(await kindOf(checkTeamDatabase(`postgres://${user}:${password}@127.0.0.1:${port}/team?sslmode=sometimes`))).toBe('bad_url');
    const wrong = `postgres://${user}:not-the-password@127.0.0.1:${port}/team`;
    try {
      await checkTeamDatabase(wrong);
      expect.unreachable();
    } catch (error) {
      expect((error as TeamDbError).kind).toBe('auth');
      expect((error as Error).message).not.toContain('not-the-password');
    }
    const closed = await freePort();
    expect(await kindOf(checkTeamDatabase(`postgres://${user}:${password}@127.0.0.1:${closed}/team`, { timeoutMs: 2000 }))).toBe('unreachable');
  });

  it('speaks TLS: verify-full with the CA works, an unknown CA is a TLS failure', async () => {
    const { port, user, password } = cluster.current;
    const base = `postgres://${user}:${password}@localhost:${port}/team`;
    expect(parseTeamUrl(base).sslmode).toBe('disable');
    expect(parseTeamUrl('postgres://u:p@db.example.com/team').sslmode).toBe('verify-full');
    const ok = await checkTeamDatabase(`${base}?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.ca)}`);
    expect(ok.version).toBe(TEAM_SCHEMA_VERSION);
    const db = createTeamDb(`${base}?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.ca)}`);
    try {
      const { rows } = await db.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(rows[0]?.ssl).toBe(true);
    } finally {
      await db.close();
    }
    expect(await kindOf(checkTeamDatabase(`${base}?sslmode=verify-full`))).toBe('tls');
    expect(await kindOf(checkTeamDatabase(`${base}?sslmode=require`))).toBe('ok');
  });
});
