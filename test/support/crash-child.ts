// Child process for the crash-kill and lease tests (test/core/queue.crash.test.ts, queue-lease.test.ts): runs
// the real queue on the given database against the simulator living in the PARENT process, and
// exits 0 once the file has no unsettled job left (run here, or by another desk process on the
// same file). The parent SIGKILLs it at moments it picks from the progress lines printed here.
// argv: <dbPath>. env:
//   SIM_BASE_URL, SIM_CLIENT_ID, SIM_CLIENT_SECRET — the simulator;
//   CRASH_HOLD — JSON { point, nth, until? }: at the nth report of `point`, print `hold …` and block
//     this process (its event loop too: no lease renewal) until the file `until` exists, or until
//     killed;
//   LEASE_MS, LEASE_RENEW_MS, QUEUE_TICK_MS — lease timing (short in the lease tests);
//   QUEUE_MAX_CONCURRENCY — the most jobs at once (default 4);
//   CRASH_WAIT_GO=1 — boot (load every module), print `ready`, then wait for one stdin line
//     `go <json>` carrying { dbPath, env } (the values above) before touching the database: the
//     crash test boots the next process while the current one works.
// stdout lines: `ready`, `started`, `trace <point> <jobId> <orderNo>`, `hold <point> <jobId> <orderNo>`,
// `lease <runsHere> <otherPid>`, `drained`.
import { existsSync, writeSync } from 'node:fs';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { realSleep } from '../../electron/core/backoff.ts';
import { RetryQueue } from '../../electron/core/queue.ts';
import type { TraceEvent } from '../../electron/core/trace.ts';
import { openDatabase } from '../../electron/store/db.ts';

/** Synchronous, so a line is in the pipe before the next instruction (a kill may follow at once). */
const say = (line: string) => writeSync(1, `${line}\n`);

async function goLine(): Promise<{ dbPath: string; env: Record<string, string> }> {
  say('ready');
  let buffered = '';
  for await (const chunk of process.stdin) {
    buffered += String(chunk);
    const end = buffered.indexOf('\n');
    if (end >= 0) return JSON.parse(buffered.slice(0, end).replace(/^go /, '')) as { dbPath: string; env: Record<string, string> };
  }
  process.exit(3);
}

const given = process.env.CRASH_WAIT_GO === '1' ? await goLine() : { dbPath: process.argv[2], env: {} };
const env: Record<string, string | undefined> = { ...process.env, ...given.env };
const dbPath = given.dbPath;
const baseUrl = env.SIM_BASE_URL;
if (!dbPath || !baseUrl) {
  console.error('usage: SIM_BASE_URL=… node crash-child.ts <dbPath>');
  process.exit(2);
}
const hold = env.CRASH_HOLD ? (JSON.parse(env.CRASH_HOLD) as { point: string; nth: number; until?: string }) : null;
const optionalNumber = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);
const leaseMs = optionalNumber('LEASE_MS');
const renewMs = optionalNumber('LEASE_RENEW_MS');
let seen = 0;

function trace(event: TraceEvent): void {
  const where = `${event.point} ${event.jobId ?? '-'} ${event.orderNo ?? '-'}`;
  say(`trace ${where}`);
  if (!hold || event.point !== hold.point || ++seen !== hold.nth) return;
  say(`hold ${where}`);
  // Blocks the whole process, like a debugger pause or a frozen VM, until killed or released. The
  // parent releases it by a file, not a timer: a loaded machine must not end the freeze early.
  const cell = new Int32Array(new SharedArrayBuffer(4));
  if (hold.until === undefined) Atomics.wait(cell, 0, 0);
  else while (!existsSync(hold.until)) Atomics.wait(cell, 0, 0, 5);
}

const store = openDatabase(dbPath);
const queue = new RetryQueue({
  db: store.db,
  atlas: createAtlasClient({
    connection: { baseUrl, clientId: env.SIM_CLIENT_ID ?? '', clientSecret: env.SIM_CLIENT_SECRET ?? '' },
    // Generous: an answer lost to a slow machine is not what these tests are about (kills are).
    timeouts: { readMs: 15_000, payMs: 15_000, regenerateMs: 15_000 },
  }),
  // The simulator's running clock started at the parent's Date.now(): the same wall clock.
  clock: { now: () => Date.now() },
  sleep: (ms, signal) => realSleep(Math.min(ms, 5), signal),
  maxConcurrency: () => optionalNumber('QUEUE_MAX_CONCURRENCY') ?? 4,
  trace,
  ...(optionalNumber('QUEUE_TICK_MS') !== undefined ? { tickMs: optionalNumber('QUEUE_TICK_MS') } : {}),
  ...(leaseMs !== undefined || renewMs !== undefined
    ? { lease: { timing: { ...(leaseMs !== undefined ? { leaseMs } : {}), ...(renewMs !== undefined ? { renewMs } : {}) } } }
    : {}),
});
queue.onLeaseChange((s) => say(`lease ${s.runsHere} ${s.elsewhere?.pid ?? '-'}`));
say('started');
await queue.start();
const status = queue.leaseStatus();
say(`lease ${status.runsHere} ${status.elsewhere?.pid ?? '-'}`);
// Idle here is not enough when another process holds the lease: wait until the FILE is settled.
while (queue.jobs.listUnsettled().length > 0) {
  await queue.whenIdle();
  if (queue.jobs.listUnsettled().length > 0) await realSleep(20);
}
say('drained');
await queue.stop({ timeoutMs: 1000 });
store.close();
process.exit(0);
