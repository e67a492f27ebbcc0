// Team mode: what the claims cost, and what a team of desks gets through. Not part of the tests.
// 1. Claim overhead per job: the same N Scenario A deposit jobs, one desk, without and with team
//    mode (claim + proof before pay.do + timeline shipping + release), simulator latency 0, so the
//    difference is the team database's share. Also the bare claim → proof → release round trips.
// 2. Throughput: 500 orders recovered by ten desks against the same 500 by one desk, with latency on
//    every Atlas endpoint: first split between the desks, then each order at two desks (staff
//    overlapping, so half the jobs meet another desk's claim); each order paid once.
// Desks run in THIS process (own SQLite file, own team connection pool, own queue): they share one
// CPU thread, so the speed-up is a lower bound of ten desks on ten machines. PostgreSQL is a
// throwaway cluster (scripts/pg-cluster.ts).
// Usage: node bench/team.bench.ts [overheadJobs=200] [orders=500] [desks=10] [latencyMs=200]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAtlasClient } from '../electron/atlas/client.ts';
import type { TeamLink } from '../electron/core/contract.ts';
import { RetryQueue } from '../electron/core/queue.ts';
import { startSimulator, type RunningSimulator } from '../electron/simulator/index.ts';
import { openDatabase } from '../electron/store/db.ts';
import { createTeamSession } from '../electron/team/team-session.ts';
import { startCluster } from '../scripts/pg-cluster.ts';
import { SETTLED_JOB_STATES } from '../shared/desk.ts';
import { sumMoney } from '../shared/money.ts';

const OVERHEAD_JOBS = Number(process.argv[2] ?? 200);
const ORDERS = Number(process.argv[3] ?? 500);
const DESKS = Number(process.argv[4] ?? 10);
const LATENCY = Number(process.argv[5] ?? 200);
const CONCURRENCY = 4;

const cluster = await startCluster();
const sim: RunningSimulator = await startSimulator({ scenario: 'empty', seed: 17, ticketingDelayMs: 0 });
sim.control.setBalance('USD', 1_000_000_000);
const atlas = createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret } });
const dirs: string[] = [];
/** Staff approve each order at its price (fare + fee), as the bulk dialog sends it. */
const intents = (list: string[]) =>
  list.map((orderNo) => {
    const o = sim.control.order(orderNo)!;
    const due = (sumMoney([{ amount: o.totalPrice, currency: o.currency }, { amount: o.totalTransactionFee, currency: o.currency }]) ?? [])[0] ?? null;
    return { orderNo, approved: { dueFromDeposit: due, dueFromCard: null } };
  });
const orders = (n: number, tag: string) => Array.from({ length: n }, (_, i) => sim.control.createOrder({ orderStatus: 0, passengers: [`${tag}/P${i}`] }).orderNo);

interface BenchDesk {
  queue: RetryQueue;
  close(): Promise<void>;
}

function desk(staff: string, team: boolean): BenchDesk {
  const dir = mkdtempSync(join(tmpdir(), 'desk-team-bench-'));
  dirs.push(dir);
  const store = openDatabase(join(dir, 'desk.db'));
  const link: TeamLink | null = team ? createTeamSession({ url: cluster.url, staff: () => staff, retryMs: 100, pollMs: 50 }) : null;
  const claims = link?.attach({ db: store.db, onRemoteChange: () => {}, onStatus: () => {} });
  const queue = new RetryQueue({
    db: store.db,
    atlas,
    clock: { now: () => sim.control.now() },
    maxConcurrency: () => CONCURRENCY,
    sleep: (ms, signal) => new Promise((r) => (signal?.aborted ? r() : setTimeout(r, Math.min(ms, 1)))),
    ...(claims ? { claims } : {}),
  });
  if (link) {
    const released = new Set<string>();
    queue.onChange((jobs) => {
      for (const job of jobs) {
        if (!SETTLED_JOB_STATES.includes(job.state) || released.has(job.id)) continue;
        released.add(job.id);
        link.jobSettled(job);
      }
    });
  }
  return {
    queue,
    close: async () => {
      await queue.stop();
      await link?.detach({ timeoutMs: 60_000 });
      store.close();
    },
  };
}

/** Runs the desks until every job settled and (team mode) every event is shipped; wall ms. */
async function run(desks: { desk: BenchDesk; orders: string[] }[]): Promise<number> {
  const t = performance.now();
  for (const { desk: d, orders: list } of desks) d.queue.enqueueDeposit(intents(list), 'bench');
  await Promise.all(desks.map(({ desk: d }) => d.queue.start()));
  await Promise.all(desks.map(({ desk: d }) => d.queue.whenIdle()));
  await Promise.all(desks.map(({ desk: d }) => d.close()));
  return performance.now() - t;
}

const paidOnce = (list: string[]) => list.filter((o) => sim.control.paymentsFor(o) === 1).length;

// ---- 1. claim overhead per job ----
const solo = orders(OVERHEAD_JOBS, 'SOLO');
const soloMs = await run([{ desk: desk('Solo', false), orders: solo }]);
const teamed = orders(OVERHEAD_JOBS, 'TEAMED');
const teamMs = await run([{ desk: desk('Teamed', true), orders: teamed }]);
// The bare protocol: claim, proof before pay, release — sequential round trips.
const bare = createTeamSession({ url: cluster.url, staff: () => 'Bare' });
const bareDir = mkdtempSync(join(tmpdir(), 'desk-team-bench-'));
dirs.push(bareDir);
const bareStore = openDatabase(join(bareDir, 'desk.db'));
const claims = bare.attach({ db: bareStore.db, onRemoteChange: () => {}, onStatus: () => {} });
await bare.ready(10_000);
const t = performance.now();
for (let i = 0; i < OVERHEAD_JOBS; i++) {
  const job = { id: `bare-${i}`, orderNo: `BARE${i}`, currentOrderNo: `BARE${i}` };
  await claims.acquire(job);
  await claims.assertHeld(job.id, { kind: 'pay', orderNo: job.orderNo });
  bare.jobSettled({ ...job, method: 1, cardMask: null, state: 'done', outcome: 'ticketed', reason: null, attempts: 0, createdAt: '', updatedAt: '', actor: 'Bare', approval: null, quote: null });
}
await bare.detach({ timeoutMs: 60_000 });
const bareMs = performance.now() - t;
bareStore.close();

console.log(`claim overhead: ${OVERHEAD_JOBS} deposit jobs, one desk, concurrency ${CONCURRENCY}, Atlas latency 0`);
console.log(`  without team mode ${(soloMs / OVERHEAD_JOBS).toFixed(1)} ms/job (${paidOnce(solo)}/${OVERHEAD_JOBS} paid once)`);
console.log(`  with team mode    ${(teamMs / OVERHEAD_JOBS).toFixed(1)} ms/job (${paidOnce(teamed)}/${OVERHEAD_JOBS} paid once)  ratio ${(teamMs / soloMs).toFixed(2)}×`);
console.log(`  bare claim + proof + release: ${(bareMs / OVERHEAD_JOBS).toFixed(2)} ms/job (sequential round trips)`);

// ---- 2. throughput: ten desks vs one ----
sim.control.setFault('*', { kind: 'latency', ms: LATENCY });
const one = orders(ORDERS, 'ONE');
const oneMs = await run([{ desk: desk('One', true), orders: one }]);
const split = orders(ORDERS, 'SPLIT');
const splitMs = await run(Array.from({ length: DESKS }, (_, d) => ({ desk: desk(`Split ${d + 1}`, true), orders: split.filter((_, i) => i % DESKS === d) })));
const shared = orders(ORDERS, 'TEN');
// Each order at two desks: desk d gets orders i with i % DESKS in {d, d-1}.
const overlapMs = await run(
  Array.from({ length: DESKS }, (_, d) => ({
    desk: desk(`Desk ${d + 1}`, true),
    orders: shared.filter((_, i) => i % DESKS === d || i % DESKS === (d + DESKS - 1) % DESKS),
  })),
);
const doubles = [...one, ...split, ...shared].filter((o) => sim.control.paymentsFor(o) > 1).length;
const rate = (ms: number) => `${(ms / 1000).toFixed(1)} s  ${((ORDERS / ms) * 1000).toFixed(1)} orders/s`;
console.log(`throughput: ${ORDERS} orders, Atlas latency ${LATENCY} ms on every endpoint, concurrency ${CONCURRENCY} per desk, team mode, desks in one process`);
console.log(`  one desk                    ${rate(oneMs)} (${paidOnce(one)}/${ORDERS} paid once)`);
console.log(`  ${DESKS} desks, orders split     ${rate(splitMs)} (${paidOnce(split)}/${ORDERS} paid once)  speed-up ${(oneMs / splitMs).toFixed(2)}×`);
console.log(`  ${DESKS} desks, each order at 2  ${rate(overlapMs)} (${paidOnce(shared)}/${ORDERS} paid once)  speed-up ${(oneMs / overlapMs).toFixed(2)}×`);
console.log(`  paid twice: ${doubles}`);

await sim.stop();
await cluster.destroy();
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
process.exit(0);
