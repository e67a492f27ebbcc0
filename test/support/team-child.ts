// Child process for the team-mode proof (test/team/team-proof.test.ts): one desk of the team — its
// own data folder, the real queue and runner, a real TeamSession on the parent's PostgreSQL —
// against the simulator living in the PARENT process, until its jobs are settled and its whole
// timeline is in the team database. The parent SIGKILLs desks at random moments and restarts them,
// and restarts the PostgreSQL server in the middle. Exit 0 = drained and shipped.
// argv: <dbPath> <staff>; env: SIM_BASE_URL, SIM_CLIENT_ID, SIM_CLIENT_SECRET, TEAM_URL.
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { realSleep } from '../../electron/core/backoff.ts';
import { RetryQueue } from '../../electron/core/queue.ts';
import { openDatabase } from '../../electron/store/db.ts';
import { createTeamSession } from '../../electron/team/team-session.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';

const [dbPath, staff] = process.argv.slice(2);
const baseUrl = process.env.SIM_BASE_URL;
const teamUrl = process.env.TEAM_URL;
if (!dbPath || !staff || !baseUrl || !teamUrl) {
  console.error('usage: SIM_BASE_URL=… TEAM_URL=… node team-child.ts <dbPath> <staff>');
  process.exit(2);
}
const store = openDatabase(dbPath);
const team = createTeamSession({ url: teamUrl, staff: () => staff, ttlMs: 2000, retryMs: 100, pollMs: 50, timeoutMs: 2000 });
const claims = team.attach({ db: store.db, onRemoteChange: () => {}, onStatus: () => {} });
const queue = new RetryQueue({
  db: store.db,
  atlas: createAtlasClient({
    connection: { baseUrl, clientId: process.env.SIM_CLIENT_ID ?? '', clientSecret: process.env.SIM_CLIENT_SECRET ?? '' },
    timeouts: { readMs: 2000, payMs: 2000, regenerateMs: 2000 },
  }),
  // The simulator's running clock started at the parent's Date.now(): the same wall clock.
  clock: { now: () => Date.now() },
  sleep: (ms, signal) => realSleep(Math.min(ms, 20), signal),
  probeBaseMs: 50,
  probeCapMs: 500,
  maxConcurrency: () => 4,
  claims,
});
// What desk.ts does: a settled job gives its chain back (after its events are shipped).
const released = new Set<string>();
queue.onChange((jobs) => {
  for (const job of jobs) {
    if (SETTLED_JOB_STATES.includes(job.state) && !released.has(job.id)) {
      released.add(job.id);
      team.jobSettled(job);
    }
  }
});
process.stdout.write('started\n');
await team.ready(30_000);
await queue.start();
await queue.whenIdle();
await queue.stop({ timeoutMs: 1000 });
// Everything shipped and released before saying "drained" (the server may be restarting).
await team.detach({ timeoutMs: 60_000 });
const shipped = store.db.prepare(`SELECT (SELECT coalesce(max(id), 0) FROM events) AS last, (SELECT value FROM meta WHERE key LIKE 'team_cursor:%') AS cursor`).get() as { last: number; cursor: string | null };
store.close();
process.exit(Number(shipped.cursor ?? 0) >= shipped.last ? 0 : 4);
