// Bulk pace: N Scenario B orders (cancelled after a card decline: regenerate, then pay by deposit)
// recovered in one go, against the time of ONE such order alone, at Atlas-like latencies per
// endpoint (regenerateOrder.do ~3 s, pay.do ~2 s, queries ~0.3 s; docs/atlas-api.md §1.5). Runs,
// each on a fresh simulator and database: 1 order alone (adaptive queue; the median of 3), then N
// orders with (a) the adaptive queue, (b) a fixed 4 at a time (the queue before the adaptive
// limit), (c) one at a time, (d) the adaptive queue while Atlas answers bursts of 429s, (e) the
// adaptive queue with twice the cap. Prints each time, its ratio to the single order, and the
// concurrency trace of (d). Fails if any order was paid twice. Not part of the tests.
// Everything time-like is multiplied by `scale` to keep the run short: Atlas's latencies, its
// ticketing delay, the desk's waits (tracking polls, retryAfter) and the limiter's clock — so the
// ratios are those of the full-length run, less the fixed local overhead per call.
// `readMs` sets the three reads' latency (what the floor depends on, see bench/README.md).
// Usage: node bench/bulk-pace.bench.ts [orders=50] [scale=0.25] [max=16] [readMs=300]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAtlasClient } from '../electron/atlas/client.ts';
import { AdaptiveLimit } from '../electron/core/adaptive-limit.ts';
import { realSleep } from '../electron/core/backoff.ts';
import { RetryQueue } from '../electron/core/queue.ts';
import { startSimulator, type SimEndpoint } from '../electron/simulator/index.ts';
import { openDatabase } from '../electron/store/db.ts';
import { LinksRepo } from '../electron/store/links-repo.ts';
import { sumMoney } from '../shared/money.ts';

const N = Number(process.argv[2] ?? 50);
const SCALE = Number(process.argv[3] ?? 0.25);
const MAX = Number(process.argv[4] ?? 16);
const READ_MS = Number(process.argv[5] ?? 300);
/** Atlas-like answer times per endpoint (ms, before scaling). */
const LATENCY: Partial<Record<SimEndpoint, number>> = { regenerateOrder: 3000, pay: 2000, queryOrderDetails: READ_MS, orderList: READ_MS, balance: READ_MS };
/** From an accepted pay.do to tickets (ms, before scaling). */
const TICKETING_MS = 3000;
/** Run (d): every BURST_EVERY_MS, Atlas answers every request with 429 (this retryAfter, s) for BURST_MS. */
const BURST_EVERY_MS = 8000;
const BURST_MS = 1000;
const RETRY_AFTER_S = 2;
const MIN = 60_000;

interface Run {
  ms: number;
  /** CPU time of this process (simulator included) over wall time: near 1 means the run was CPU-bound, not waiting on Atlas. */
  cpuShare: number;
  done: number;
  /** Orders whose chain was paid exactly once; `paidTwice`: more than once (never, or the bench fails). */
  paidOnce: number;
  paidTwice: number;
  calls: number;
  rateLimited: number;
  peakRunning: number;
  /** Scaled-back ms that jobs spent inside an advance (holding one of the limit's places), summed over jobs. */
  slotMs: number;
  /** (scaled-back ms since start, limit) at every change. */
  trace: [number, number][];
}

async function run(orders: number, options: { max: number; initial?: number; bursts?: boolean }): Promise<Run> {
  const sim = await startSimulator({ scenario: 'empty', seed: 11, ticketingDelayMs: TICKETING_MS * SCALE });
  sim.control.setBalance('USD', 100_000_000);
  sim.control.setSwitches({ latencyMs: Object.fromEntries(Object.entries(LATENCY).map(([e, ms]) => [e, ms * SCALE])) });
  const now = sim.control.now();
  const orderNos = Array.from(
    { length: orders },
    (_, i) =>
      sim.control.createOrder({
        orderStatus: -3,
        errorCode: '604',
        paymentMethod: 3,
        createdAt: now - 20 * MIN,
        paymentTimestamp: now - 19 * MIN,
        passengers: [`BULK/P${i}`],
      }).orderNo,
  );
  const atlas = createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret } });
  const dir = mkdtempSync(join(tmpdir(), 'desk-pace-bench-'));
  const store = openDatabase(join(dir, 'desk.db'));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const pace = new AdaptiveLimit({
    max: () => options.max,
    ...(options.initial !== undefined ? { initial: options.initial } : {}),
    now: () => performance.now() / SCALE,
  });
  const trace: [number, number][] = [[0, pace.current()]];
  pace.onChange((limit) => trace.push([(performance.now() - t0) / SCALE, limit]));
  let running = 0;
  let peakRunning = 0;
  let slotMs = 0;
  const advancing = new Map<string, number>();
  const queue = new RetryQueue({
    db: store.db,
    atlas,
    clock: { now: () => sim.control.now() },
    pace,
    sleep: (ms, signal) => realSleep(ms * SCALE, signal),
    trace: (event) => {
      if (event.point === 'advance') {
        peakRunning = Math.max(peakRunning, ++running);
        advancing.set(event.jobId ?? '', performance.now());
      }
      if (event.point === 'advanced') {
        running--;
        slotMs += (performance.now() - (advancing.get(event.jobId ?? '') ?? performance.now())) / SCALE;
      }
    },
  });
  const before = sim.control.requests().length;
  // A burst: for BURST_MS, every request is turned away by Atlas's limiter.
  let burstEnd: ReturnType<typeof setTimeout> | undefined;
  const bursts = options.bursts
    ? setInterval(() => {
        sim.control.setFault('*', { kind: 'rate_limit', retryAfter: RETRY_AFTER_S, httpStatus: 429 });
        burstEnd = setTimeout(() => sim.control.setFault('*', null), BURST_MS * SCALE);
      }, BURST_EVERY_MS * SCALE)
    : null;
  // Staff approve each order at its price (fare + fee), as the bulk dialog sends it.
  const intents = orderNos.map((orderNo) => {
    const o = sim.control.order(orderNo)!;
    const [due] = sumMoney([{ amount: o.totalPrice, currency: o.currency }, { amount: o.totalTransactionFee, currency: o.currency }]) ?? [];
    return { orderNo, approved: { dueFromDeposit: due ?? null, dueFromCard: null } };
  });
  queue.enqueueDeposit(intents, 'bench');
  await queue.start();
  await queue.whenIdle();
  const ms = (performance.now() - t0) / SCALE;
  const cpu = process.cpuUsage(cpu0);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - t0);
  if (bursts) clearInterval(bursts);
  clearTimeout(burstEnd);
  const requests = sim.control.requests().slice(before);
  const links = new LinksRepo(store.db);
  const payments = orderNos.map((o) => [...links.chain(o)].reduce((sum, n) => sum + sim.control.paymentsFor(n), 0));
  const paidOnce = payments.filter((p) => p === 1).length;
  const paidTwice = payments.filter((p) => p > 1).length;
  const done = queue.list().filter((j) => j.state === 'done').length;
  await queue.stop();
  store.close();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
  return { ms, cpuShare, done, paidOnce, paidTwice, calls: requests.length, rateLimited: requests.filter((r) => r.fault === 'rate_limit').length, peakRunning, slotMs, trace };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
console.log(`bulk pace: ${N} Scenario B orders, deposit; latencies ${Object.entries(LATENCY).map(([e, ms]) => `${e} ${ms} ms`).join(', ')}; ticketing ${TICKETING_MS} ms`);
console.log(`times are scaled back to full length (run at ×${SCALE}); cap ${MAX}; load average at start ${load()} (1/5/15 min)`);

const singles: Run[] = [];
for (let i = 0; i < 3; i++) singles.push(await run(1, { max: MAX }));
const single = singles.sort((x, y) => x.ms - y.ms)[1] as Run;
const runs: [string, Run][] = [
  ['(a) adaptive', await run(N, { max: MAX })],
  ['(b) fixed 4', await run(N, { max: 4, initial: 4 })],
  ['(c) sequential', await run(N, { max: 1 })],
  ['(d) adaptive, 429 bursts', await run(N, { max: MAX, bursts: true })],
  // What the cap costs: the same bulk with twice the cap.
  [`(e) adaptive, cap ${MAX * 2}`, await run(N, { max: MAX * 2 })],
];

console.log(`\n${'run'.padEnd(26)} ${'time'.padStart(8)}  ${'× single'.padStart(8)}  done  paid once  calls  429s  peak jobs  cpu/wall`);
const row = (name: string, r: Run) =>
  console.log(
    `${name.padEnd(26)} ${s(r.ms).padStart(8)}  ${(r.ms / single.ms).toFixed(2).padStart(8)}  ${String(r.done).padStart(4)}  ${String(r.paidOnce).padStart(9)}  ${String(r.calls).padStart(5)}  ${String(r.rateLimited).padStart(4)}  ${String(r.peakRunning).padStart(9)}  ${r.cpuShare.toFixed(2).padStart(8)}`,
  );
row('1 order alone (median)', single);
for (const [name, r] of runs) row(name, r);
const bursty = runs[3]![1];
console.log(`\n(d) concurrency trace (s → limit): ${bursty.trace.map(([t, l]) => `${(t / 1000).toFixed(1)}→${l}`).join(' ')}`);
console.log(`1 order alone, the 3 runs: ${singles.map((r) => s(r.ms)).join(', ')}`);
// The best (a) could do with its own work: its slot time packed with no gap into MAX places, then
// one order's time outside any advance (the waits for tickets after its pay).
const adaptive = runs[0]![1];
const outside = single.ms - single.slotMs;
const floor = adaptive.slotMs / MAX + outside;
console.log(
  `(a) floor: ${s(adaptive.slotMs)} of slot time over ${MAX} places = ${s(adaptive.slotMs / MAX)}, + ${s(outside)} one order spends outside any advance = ${s(floor)}, ${(floor / single.ms).toFixed(2)}× one order alone (${s(single.slotMs)} of its ${s(single.ms)} in advances)`,
);
console.log(`load average at end ${load()}`);
if ([...singles, ...runs.map(([, r]) => r)].some((r) => r.paidTwice > 0)) {
  console.error('bench: an order was paid twice');
  process.exit(1);
}
