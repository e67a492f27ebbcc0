// Child process for the crash-kill tests (test/core/crash.test.ts): runs the real queue on the
// given database against the simulator living in the PARENT process, until idle; the parent kills
// it with SIGKILL at random moments and restarts it. Exit 0 = drained.
// argv: <dbPath>; env: SIM_BASE_URL, SIM_CLIENT_ID, SIM_CLIENT_SECRET.
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { realSleep } from '../../electron/core/backoff.ts';
import { RetryQueue } from '../../electron/core/queue.ts';
import { openDatabase } from '../../electron/store/db.ts';

const dbPath = process.argv[2];
const baseUrl = process.env.SIM_BASE_URL;
if (!dbPath || !baseUrl) {
  console.error('usage: SIM_BASE_URL=… node crash-child.ts <dbPath>');
  process.exit(2);
}
const store = openDatabase(dbPath);
const queue = new RetryQueue({
  db: store.db,
  atlas: createAtlasClient({
    connection: { baseUrl, clientId: process.env.SIM_CLIENT_ID ?? '', clientSecret: process.env.SIM_CLIENT_SECRET ?? '' },
    timeouts: { readMs: 2000, payMs: 2000, regenerateMs: 2000 },
  }),
  // The simulator's running clock started at the parent's Date.now(): the same wall clock.
  clock: { now: () => Date.now() },
  sleep: (ms, signal) => realSleep(Math.min(ms, 5), signal),
  concurrency: () => 4,
});
// Tell the parent the runner is live, so its kill timer measures work, not Node start-up.
process.stdout.write('started\n');
await queue.start();
await queue.whenIdle();
await queue.stop({ timeoutMs: 1000 });
store.close();
process.exit(0);
