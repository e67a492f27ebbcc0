// Crash-kill: a child process drains ≥50 mixed jobs against the simulator in this process and is
// SIGKILLed at random moments (up to 25 times per seed), then restarted, until every job settles.
// The simulator's ledger must show at most one payment per order and per regenerated chain, and no
// job may be lost.
// CRASH_SEEDS / CRASH_KILLS_PER_SEED make the long soak run (bench/crash-soak.ts sets them).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryQueue } from '../../electron/core/queue.ts';
import { openDatabase } from '../../electron/store/db.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { startSimulator } from '../../electron/simulator/index.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import { removeDir, scenarioA, scenarioAExpired, scenarioB, depositIntents } from './queue-harness.ts';

const CHILD = fileURLToPath(new URL('../support/crash-child.ts', import.meta.url));
const SEEDS = Number(process.env.CRASH_SEEDS ?? 4);
const KILLS_PER_SEED = Number(process.env.CRASH_KILLS_PER_SEED ?? 25);
const JOBS = 50;
/** Fewer kills than planned happen when the child drains first; fewer than this would prove little. */
const MIN_KILLS_PER_SEED = Math.min(KILLS_PER_SEED, 5);

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'empty', seed: 3, ticketingDelayMs: 0 });
  sim.control.setBalance('USD', 10_000_000);
});
afterAll(async () => {
  await sim?.stop();
});

/** mulberry32: the kill moments are reproducible per seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the child; kills it after `killAfterMs` (if given). Resolves with how it ended. */
function runChild(dbPath: string, killAfterMs: number | null): Promise<'killed' | 'drained'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dbPath], {
      env: { ...process.env, SIM_BASE_URL: sim.baseUrl, SIM_CLIENT_ID: sim.clientId, SIM_CLIENT_SECRET: sim.clientSecret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timer: ReturnType<typeof setTimeout> | null = null;
    child.stdout.once('data', () => {
      if (killAfterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('drained');
      else reject(new Error(`crash-child exited ${code}: ${stderr.slice(0, 2000)}`));
    });
  });
}

function chainPayments(orderNo: string): number {
  const chain = [orderNo, ...sim.control.orders().filter((o) => o.originalOrderNo === orderNo).map((o) => o.orderNo)];
  return chain.reduce((n, o) => n + sim.control.paymentsFor(o), 0);
}

describe('crash-kill', () => {
  it(`SIGKILL at random moments (${SEEDS} seeds × up to ${KILLS_PER_SEED} kills): no job lost, at most one payment per order`, async () => {
    let kills = 0;
    const started = performance.now();
    const states: Record<string, number> = {};
    for (let seed = 1; seed <= SEEDS; seed++) {
      const random = rng(seed);
      const now = sim.control.now();
      const orders = Array.from({ length: JOBS }, (_, i) => {
        const pax = [`CRASH${seed}/P${i}`];
        const kind = i % 3;
        const spec = kind === 0 ? scenarioA({ passengers: pax }) : kind === 1 ? scenarioB(now, { passengers: pax }) : scenarioAExpired(now, { passengers: pax });
        return sim.control.createOrder(spec).orderNo;
      });
      const dir = mkdtempSync(join(tmpdir(), 'desk-crash-'));
      const dbPath = join(dir, 'desk.db');
      {
        // Staff intents are written by "the desk" before the runner process starts.
        const store = openDatabase(dbPath);
        const queue = new RetryQueue({ db: store.db, atlas: null as never, clock: { now: () => Date.now() } });
        expect(queue.enqueueDeposit(depositIntents(sim, orders), 'mei').jobs).toHaveLength(JOBS);
        store.close();
      }
      let seedKills = 0;
      for (;;) {
        const kill = seedKills < KILLS_PER_SEED ? Math.floor(random() * 250) : null;
        const end = await runChild(dbPath, kill);
        if (end === 'drained') break;
        seedKills++;
      }
      // The child may drain before its last planned kill (a fast, idle machine): the seed still
      // counts, as long as the kills were real ones in the middle of the work.
      expect(seedKills, `seed ${seed} was killed only ${seedKills} times before its jobs drained`).toBeGreaterThanOrEqual(MIN_KILLS_PER_SEED);
      kills += seedKills;
      const store = openDatabase(dbPath);
      const jobs = new RetryQueue({ db: store.db, atlas: null as never, clock: { now: () => Date.now() } }).list();
      store.close();
      expect(jobs.map((j) => j.orderNo).sort()).toEqual([...orders].sort());
      for (const job of jobs) {
        expect(SETTLED_JOB_STATES).toContain(job.state);
        states[`${job.state}/${job.reason ?? job.outcome}`] = (states[`${job.state}/${job.reason ?? job.outcome}`] ?? 0) + 1;
      }
      for (const o of orders) {
        expect(sim.control.paymentsFor(o)).toBeLessThanOrEqual(1);
        expect(chainPayments(o)).toBeLessThanOrEqual(1);
      }
      removeDir(dir);
    }
    console.log(`crash-kill: ${kills} kills in ${Math.round(performance.now() - started)} ms; end states`, states);
  }, Number(process.env.CRASH_SEEDS ?? 4) * 120_000);
});
