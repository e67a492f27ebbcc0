// Store benchmark: SQLite (node:sqlite, this store) at 100,000 orders / 1,000,000 events against
// the same operations on a `conf` JSON file (electron-store's engine), measured in the same run.
// Run: node bench/store.bench.ts [orders] [events] [confOrders]   (not part of the test run)
//
// Passenger search (3+ characters) uses the trigram index; target p95 ≤ 2 ms, printed beside its
// ratio to the order-number search of the same run, with the index merged as sync runs leave it
// and, for comparison, as the import left it.
//
// "Failed orders" = one page of 500 rows of categories A/B/attention/ticketing ordered by payment
// deadline (what the main screen shows first). Target: p95 ≤ 20 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import Conf from 'conf';
import type { OrderDetails } from '../shared/atlas.ts';
import type { Category } from '../shared/desk.ts';
import { openDatabase, transaction } from '../electron/store/db.ts';
import { EventsRepo } from '../electron/store/events-repo.ts';
import { OrdersRepo } from '../electron/store/orders-repo.ts';

const ORDERS = Number(process.argv[2] ?? 100_000);
const EVENTS = Number(process.argv[3] ?? 1_000_000);
const CONF_ORDERS = Number(process.argv[4] ?? 10_000);
const SAMPLES = 200;
const CONF_SAMPLES = 30;

// Roughly what a busy agency sees: most orders done, a few in each failure list.
const MIX: [Category, number][] = [['done', 0.52], ['unpaid', 0.2], ['B', 0.15], ['A', 0.05], ['ticketing', 0.05], ['attention', 0.03]];
const LAST = ['TAN', 'LIM', 'NG', 'WONG', 'CHEN', 'LEE', 'SMITH', 'KUMAR', 'GARCIA', 'NGUYEN'];
const FIRST = ['MEI', 'WEI', 'ALICE', 'JOHN', 'RAVI', 'ANNA', 'MING', 'SITI', 'OMAR', 'LUCA'];

// mulberry32: deterministic, and 32-bit exact (a float LCG would lose precision and repeat).
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(rand() * 26))).join('');

function category(): Category {
  let r = rand();
  for (const [c, p] of MIX) if ((r -= p) < 0) return c;
  return 'done';
}

const T0 = Date.parse('2026-11-01T00:00:00Z');
function order(i: number): { details: OrderDetails; category: Category } {
  const c = category();
  const created = T0 + i * 20_000;
  const orderNo = `TESTA${new Date(created).toISOString().replace(/\D/g, '').slice(0, 14)}${String(i % 1000).padStart(3, '0')}`;
  const pax = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
    name: `${pick(LAST)}${letters(2)}/${pick(FIRST)}`,
    passengerType: 0 as const,
    ticketNos: c === 'done' ? [`618${Math.floor(rand() * 1e10)}`] : [],
    airlinePNRs: [letters(6)],
  }));
  const details: OrderDetails = {
    orderNo,
    pnrCode: letters(6),
    orderStatus: c === 'done' ? 'ticketed' : c === 'B' ? 'cancelled' : c === 'ticketing' ? 'ticketing' : 'unpaid',
    ticketIssued: c === 'done',
    tktLimitTime: c === 'ticketing' ? null : new Date(created + 2 * 3_600_000).toISOString(),
    errorCode: c === 'B' ? '604' : null,
    errorMessage: c === 'B' ? 'Card declined by the airline' : null,
    airlineMessage: null,
    paymentMethod: c === 'done' || c === 'ticketing' ? 1 : null,
    paymentAttempted: null,
    paymentOptions: [
      { paymentMethod: 1, ticketFare: { amount: 420.5, currency: 'USD', deductFrom: 'DEPOSIT' }, serviceFee: { amount: 5, currency: 'USD', deductFrom: 'DEPOSIT' }, paymentFee: null },
      { paymentMethod: 3, ticketFare: { amount: 560.1, currency: 'SGD', deductFrom: 'CARD' }, serviceFee: { amount: 5, currency: 'USD', deductFrom: 'DEPOSIT' }, paymentFee: null },
    ],
    supportPaymentMethods: [1, 3],
    totalPrice: 425.5,
    currency: 'USD',
    totalTransactionFee: 1.5,
    vendorTotalPrice: 560.1,
    vendorCurrency: 'SGD',
    airlines: ['TR'],
    createdAt: new Date(created).toISOString(),
    paymentTimestamp: null,
    fromCity: 'SIN',
    toCity: 'BKK',
    fromAirport: 'SIN',
    toAirport: 'BKK',
    depDate: '2026-12-01',
    passengers: pax,
  };
  return { details, category: c };
}

function percentiles(ms: number[]): { p50: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95) };
}

interface Timing {
  p50: number;
  p95: number;
  /** The process's own CPU time per operation: what other processes on a busy machine cannot inflate. */
  cpu: { p50: number; p95: number };
}

function measure(n: number, fn: (i: number) => unknown): Timing {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn(i);
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return { ...percentiles(times), cpu: percentiles(cpu) };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const fmt = (r: { p50: number; p95: number }) => `p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'desk-bench-'));
try {
  // ---- SQLite ----
  const store = openDatabase(join(dir, 'desk.sqlite'));
  const orders = new OrdersRepo(store.db);
  const events = new EventsRepo(store.db);
  const built: OrderDetails[] = [];
  let t = performance.now();
  transaction(store.db, () => {
    for (let i = 0; i < ORDERS; i++) {
      const o = order(i);
      built.push(o.details);
      orders.upsert({ details: o.details, category: o.category, attentionReason: null, now: o.details.createdAt as string });
    }
  });
  console.log(`built ${ORDERS} orders in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const KINDS = ['seen', 'status_changed', 'intent', 'step_started', 'step_succeeded', 'ticketed'] as const;
  for (let start = 0; start < EVENTS; start += 50_000) {
    transaction(store.db, () => {
      for (let i = start; i < Math.min(EVENTS, start + 50_000); i++) {
        const o = built[i % ORDERS] as OrderDetails;
        events.append(o.orderNo, pick(KINDS), 'ann', { orderStatus: o.orderStatus, method: 1 }, new Date(T0 + i * 2000).toISOString());
      }
    });
  }
  console.log(`built ${EVENTS} events in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  store.db.exec('PRAGMA optimize');

  const sample = () => built[Math.floor(rand() * built.length)] as OrderDetails;
  const surname = () => (sample().passengers[0]?.name ?? '').split('/')[0] as string;
  // Every committed write adds a segment to the trigram index, and a search reads each trigram once
  // per segment. As imported the index holds several; each sync run then merges a bounded step
  // (OrdersRepo.mergeSearchIndex) until one is left. Passenger search is measured in both states.
  const byPassengerUnmerged = measure(SAMPLES, () => orders.search(surname()));
  t = performance.now();
  let mergeSteps = 0;
  while (orders.mergeSearchIndex()) mergeSteps++;
  console.log(`merged the search index in ${mergeSteps} steps (sync runs) of 500 pages, ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const sqlite = {
    failed: measure(SAMPLES, () => orders.list('failed', { limit: 500 })),
    byOrderNo: measure(SAMPLES, () => orders.search(sample().orderNo)),
    byPnr: measure(SAMPLES, () => orders.search(sample().pnrCode as string)),
    byPassenger: measure(SAMPLES, () => orders.search(surname())),
    byPassengerUnmerged,
    // Two characters have no trigram: orders are walked newest first until 50 match.
    byShort: measure(SAMPLES, () => orders.search((sample().passengers[0]?.name ?? '').slice(0, 2))),
    // The worst of that walk: two characters no order has (every row is read).
    byShortNone: measure(SAMPLES, () => orders.search(`Q${Math.floor(rand() * 10)}`)),
    // Three letters of a surname match thousands of orders: all are ordered to answer the newest 50.
    byBroad: measure(SAMPLES, () => orders.search(surname().slice(0, 3))),
    update: measure(SAMPLES, () => {
      const d = sample();
      orders.upsert({ details: { ...d, orderStatus: 'cancelled', errorCode: '604' }, category: 'B', attentionReason: null, now: new Date().toISOString() });
    }),
    timeline: measure(SAMPLES, () => events.timeline(sample().orderNo)),
    history: measure(50, () => events.history({ limit: 1000 })),
    // The History screen's search box: the app's own use of passenger search.
    historyByPassenger: measure(SAMPLES, () => events.history({ search: surname(), limit: 1000 })),
    // Three letters of a surname: every matching order's latest event is ranked.
    historyBroad: measure(SAMPLES, () => events.history({ search: surname().slice(0, 3), limit: 1000 })),
  };
  const sqliteRss = resourceUsage().maxRSS * 1024;
  const failedRows = orders.list('failed', { limit: 500 }).length;
  const broadMatches = Array.from({ length: 5 }, () => orders.search(surname().slice(0, 3), ORDERS).length);
  store.close();

  // ---- conf (JSON file), smaller: every write rewrites the whole file ----
  const conf = new Conf<{ orders: Record<string, { details: OrderDetails; category: Category; updatedAt: string }> }>({
    cwd: join(dir, 'conf'),
    configName: 'orders',
    projectName: 'atlas-retry-desk-bench',
  });
  const confBuilt = built.slice(0, CONF_ORDERS);
  const all: Record<string, { details: OrderDetails; category: Category; updatedAt: string }> = {};
  seed = 42;
  for (let i = 0; i < CONF_ORDERS; i++) {
    const o = order(i);
    all[o.details.orderNo] = { details: o.details, category: o.category, updatedAt: 'x' };
  }
  conf.set('orders', all);
  const FAILED = new Set<Category>(['A', 'B', 'attention', 'ticketing']);
  const confSample = () => confBuilt[Math.floor(rand() * confBuilt.length)] as OrderDetails;
  const scan = (pred: (d: OrderDetails) => boolean) => Object.values(conf.get('orders')).filter((r) => pred(r.details)).slice(0, 50);
  const confRes = {
    failed: measure(CONF_SAMPLES, () =>
      Object.values(conf.get('orders'))
        .filter((r) => FAILED.has(r.category))
        .sort((a, b) => (a.details.tktLimitTime ?? '~').localeCompare(b.details.tktLimitTime ?? '~'))
        .slice(0, 500),
    ),
    byOrderNo: measure(CONF_SAMPLES, () => conf.get(`orders.${confSample().orderNo}`)),
    byPnr: measure(CONF_SAMPLES, () => {
      const p = confSample().pnrCode;
      return scan((d) => d.pnrCode === p);
    }),
    byPassenger: measure(CONF_SAMPLES, () => {
      const q = (confSample().passengers[0]?.name ?? '').split('/')[0] as string;
      return scan((d) => d.passengers.some((p) => p.name.includes(q)));
    }),
    update: measure(CONF_SAMPLES, () => {
      const d = confSample();
      conf.set(`orders.${d.orderNo}`, { details: { ...d, orderStatus: 'cancelled' }, category: 'B', updatedAt: new Date().toISOString() });
    }),
  };
  const peakRss = resourceUsage().maxRSS * 1024;

  console.log(`\nSQLite: ${ORDERS} orders, ${EVENTS} events; failed page = ${failedRows} rows by deadline; 3 letters of a surname match ${Math.min(...broadMatches)}–${Math.max(...broadMatches)} orders`);
  console.log(`conf:   ${CONF_ORDERS} orders (JSON file; larger sizes take minutes per write)\n`);
  const rows: [string, keyof typeof confRes | null, { p50: number; p95: number }][] = [
    ['failed orders (500)', 'failed', sqlite.failed],
    ['search order number', 'byOrderNo', sqlite.byOrderNo],
    ['search PNR', 'byPnr', sqlite.byPnr],
    ['search passenger', 'byPassenger', sqlite.byPassenger],
    ['search passenger, unmerged', null, sqlite.byPassengerUnmerged],
    ['search 2 characters', null, sqlite.byShort],
    ['search 2 characters, no match', null, sqlite.byShortNone],
    ['search 3 letters (thousands match)', null, sqlite.byBroad],
    ['status update', 'update', sqlite.update],
    ['timeline of one order', null, sqlite.timeline],
    ['history (1000 orders)', null, sqlite.history],
    ['history, passenger', null, sqlite.historyByPassenger],
    ['history, 3 letters', null, sqlite.historyBroad],
  ];
  for (const [name, key, s] of rows) {
    const c = key ? confRes[key] : null;
    const ratio = c ? `  conf ${fmt(c)}  conf/sqlite p95 ×${(c.p95 / s.p95).toFixed(1)}` : '';
    console.log(`${name.padEnd(36)} sqlite ${fmt(s)}${ratio}`);
  }
  console.log(`\npeak RSS after SQLite part: ${mb(sqliteRss)}; after conf part: ${mb(peakRss)}; heap now ${mb(process.memoryUsage().heapUsed)}`);
  const ok = sqlite.failed.p95 <= 20;
  console.log(`target failed-orders p95 ≤ 20 ms: ${ok ? 'met' : 'MISSED'} (${sqlite.failed.p95.toFixed(2)} ms)`);
  // Passenger search belongs in the order-number search's class: compare both from this run.
  // CPU time beside it: on a shared machine under load, wall time mostly measures the other processes.
  const paxOk = sqlite.byPassenger.p95 <= 2;
  const ratio = sqlite.byPassenger.p95 / sqlite.byOrderNo.p95;
  const cpu = (t: Timing) => `CPU p50 ${t.cpu.p50.toFixed(2)} ms p95 ${t.cpu.p95.toFixed(2)} ms`;
  console.log(`target passenger search p95 ≤ 2 ms: ${paxOk ? 'met' : 'MISSED'} (${sqlite.byPassenger.p95.toFixed(2)} ms; ×${ratio.toFixed(1)} the order-number search p95)`);
  console.log(`  CPU time: passenger ${cpu(sqlite.byPassenger)} (unmerged index: ${cpu(sqlite.byPassengerUnmerged)}); order number ${cpu(sqlite.byOrderNo)}; history, passenger ${cpu(sqlite.historyByPassenger)}`);
  console.log(`  load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
