// The CLI in team mode (DESK_TEAM_DATABASE_URL) against a real simulator and a real PostgreSQL:
// a bad URL, a wrong password, an unreachable server and an unreadable CA file each end as one line and exit 2 before
// anything is done; a good URL recovers and ships the desk's timeline to the team database.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { createTeamDb } from '../../electron/team/team-db.ts';
import { freePort } from '../../scripts/pg-cluster.ts';
import { describeTeam, useCluster } from '../support/team-cluster.ts';
import { orderB, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

const CLI = fileURLToPath(new URL('../../electron/cli/desk-cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let sim: RunningSimulator;
let data: ReturnType<typeof tempDir>;
beforeAll(async () => {
  sim = await startTestSimulator({ seed: 12 });
  sim.control.setBalance('USD', 100_000);
  data = tempDir('desk-cli-team-');
});
afterAll(async () => {
  await sim?.stop();
  data?.cleanup();
});

function desk(args: string[], teamUrl: string, extra: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: data.dir,
      ATLAS_ENV: 'sandbox',
      ATLAS_PROXY_URL: sim.baseUrl,
      ATLAS_CLIENT_ID: sim.clientId,
      ATLAS_CLIENT_SECRET: sim.clientSecret,
      DESK_DATA_DIR: join(data.dir, 'desk-data'),
      DESK_STAFF: 'Lin Mei',
      DESK_TEAM_DATABASE_URL: teamUrl,
      ...extra,
    };
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end('');
  });
}

describeTeam('desk CLI in team mode', () => {
  const cluster = useCluster();

  it('exits 2 with one line for a bad URL, a wrong password, an unreachable server or an unreadable CA file, and does nothing', async () => {
    const { user, password, port } = cluster.current;
    const order = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['CLI/REFUSED'] })).orderNo;
    const closed = await freePort();
    const cases: [string, RegExp][] = [
      ['http://example.com/team', /^desk: DESK_TEAM_DATABASE_URL: .*postgres:\/\//],
      [`postgres://${user}:wrong-secret@127.0.0.1:${port}/team`, /^desk: team database: .*refused the user name or password/],
      [`postgres://${user}:${password}@127.0.0.1:${closed}/team`, /^desk: team database: cannot reach the team database at 127\.0\.0\.1:\d+\/team/],
      // The CA file is read when connecting (the app waits for it); the CLI checks first and stops.
      [`postgres://${user}:${password}@127.0.0.1:${port}/team?sslmode=verify-full&sslrootcert=/nonexistent/team-ca.pem`, /^desk: team database: the CA file \/nonexistent\/team-ca\.pem \(sslrootcert\) .* cannot be read$/],
    ];
    for (const [url, line] of cases) {
      const run = await desk(['recover', order, '--deposit'], url);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr.trim()).toMatch(line);
      expect(run.stderr).not.toContain('wrong-secret');
    }
    const training = await desk(['failed'], cluster.current.url, { ATLAS_ENV: 'training', ATLAS_PROXY_URL: '', ATLAS_CLIENT_ID: '', ATLAS_CLIENT_SECRET: '' });
    expect(training.code).toBe(2);
    expect(training.stderr).toMatch(/needs ATLAS_ENV=sandbox or production/);
    expect(sim.control.requests('pay', order)).toHaveLength(0);
    expect(sim.control.requests('regenerateOrder', order)).toHaveLength(0);
  }, 90_000);

  it('recovers in team mode and leaves its whole timeline in the team database', async () => {
    const order = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['CLI/TEAM'] })).orderNo;
    const run = await desk(['recover', order, '--deposit', '--json'], cluster.current.url);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)[0]).toMatchObject({ orderNo: order, outcome: expect.stringMatching(/ticketed|paid_pending_ticket/) });
    const db = createTeamDb(cluster.current.url);
    try {
      const { rows } = await db.query<{ kind: string; actor: string | null; staff: string }>('SELECT kind, actor, staff FROM team_events WHERE order_no = $1 ORDER BY id', [order]);
      expect(rows.map((r) => r.kind)).toEqual(expect.arrayContaining(['intent', 'step_started', 'regenerated']));
      expect(new Set(rows.map((r) => r.staff))).toEqual(new Set(['Lin Mei']));
      expect((await db.query('SELECT 1 FROM team_claims')).rows).toHaveLength(0);
    } finally {
      await db.close();
    }
  }, 60_000);
});
