// Recovery throughput: 200 Scenario A deposit jobs against the simulator with 200 ms latency on
// every endpoint. Prints wall time against the floor (calls × latency ÷ concurrency) and against a
// plain sequential script making the same calls, plus peak memory. Not part of the test run.
// `concurrency` pins the queue's adaptive limit (it starts there and is also its cap; nothing here
// answers 429 or 5xx, so it stays there): the floor is computed for that many jobs at once.
// Usage: node bench/recovery.bench.ts [orders=200] [concurrency=4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAtlasClient } from '../electron/atlas/client.ts';
import { AdaptiveLimit } from '../electron/core/adaptive-limit.ts';
import { RetryQueue } from '../electron/core/queue.ts';
import { openDatabase } from '../electron/store/db.ts';
import { startSimulator } from '../electron/simulator/index.ts';
import { sumMoney } from '../shared/money.ts';

const N = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.argv[3] ?? 4);
const LATENCY = 200;

const sim = await startSimulator({ scenario: 'empty', seed: 5, ticketingDelayMs: 0 });
sim.control.setBalance('USD', 100_000_000);
const atlas = createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret } });
const make = () => Array.from({ length: N }, () => sim.control.createOrder({ orderStatus: 0 }).orderNo);
sim.control.setFault('*', { kind: 'latency', ms: LATENCY });
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

// Baseline: the same calls, one after another (query, balance, pay, tracking query).
const baseOrders = make();
let t = performance.now();
for (const orderNo of baseOrders) {
  const o = await atlas.queryOrder(orderNo);
  await atlas.balance(o.currency);
  await atlas.pay({ orderNo, paymentMethod: 1 });
  await atlas.queryOrder(orderNo);
}
const sequentialMs = performance.now() - t;

const dir = mkdtempSync(join(tmpdir(), 'desk-bench-'));
const store = openDatabase(join(dir, 'desk.db'));
const queue = new RetryQueue({
  db: store.db,
  atlas,
  clock: { now: () => sim.control.now() },
  pace: new AdaptiveLimit({ max: () => CONCURRENCY, initial: CONCURRENCY }),
  // Ticketing is instant here; keep the first tracking poll from dominating the measurement.
  sleep: (ms, signal) => new Promise((r) => (signal?.aborted ? r() : setTimeout(r, Math.min(ms, 1)))),
});
const orders = make();
const before = sim.control.requests().length;
t = performance.now();
// Staff approve each order at its price (fare + fee), as the bulk dialog sends it.
queue.enqueueDeposit(
  orders.map((orderNo) => {
    const o = sim.control.order(orderNo)!;
    return { orderNo, approved: { dueFromDeposit: (sumMoney([{ amount: o.totalPrice, currency: o.currency }, { amount: o.totalTransactionFee, currency: o.currency }]) ?? [])[0] ?? null, dueFromCard: null } };
  }),
  'bench',
);
await queue.start();
await queue.whenIdle();
const queueMs = performance.now() - t;
const calls = sim.control.requests().length - before;
const floorMs = (calls * LATENCY) / CONCURRENCY;
const done = queue.list().filter((j) => j.state === 'done').length;
clearInterval(sampler);
await queue.stop();
store.close();
await sim.stop();
rmSync(dir, { recursive: true, force: true });

console.log(`orders ${N}, concurrency ${CONCURRENCY}, latency ${LATENCY} ms, calls ${calls}, done ${done}/${N}`);
console.log(`queue      ${(queueMs / 1000).toFixed(1)} s`);
console.log(`floor      ${(floorMs / 1000).toFixed(1)} s  (queue/floor ${(queueMs / floorMs).toFixed(2)}×)`);
console.log(`sequential ${(sequentialMs / 1000).toFixed(1)} s  (sequential/queue ${(sequentialMs / queueMs).toFixed(2)}×)`);
console.log(`peak rss   ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
