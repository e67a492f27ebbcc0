// Reports benchmark: reports:summary over 7, 30 and 90 days of a busy desk's store (100,000 orders
// over 90 days, ~5 events each, a fifth of them failures the desk recovers with real journal
// rows), against a floor measured in the same run: reading every event of the window once.
// Run: node bench/reports.bench.ts [orders] [days]   (not part of the test run)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import { ReportReader } from '../electron/core/reports.ts';
import { openDatabase, transaction } from '../electron/store/db.ts';
import { EventsRepo } from '../electron/store/events-repo.ts';
import { JobsRepo } from '../electron/store/jobs-repo.ts';
import { LinksRepo } from '../electron/store/links-repo.ts';
import { OrdersRepo } from '../electron/store/orders-repo.ts';
import type { OrderDetails } from '../shared/atlas.ts';
import type { EventKind } from '../shared/desk.ts';
import { addDays, localDay } from '../shared/reports.ts';

const ORDERS = Number(process.argv[2] ?? 100_000);
const DAYS = Number(process.argv[3] ?? 90);
const SAMPLES = 7;
const MIN = 60_000;
const T0 = Date.parse('2026-08-01T00:00:00Z');
const ZONE = 'Asia/Singapore';
const AIRLINES = ['TR', '5J', 'AK', 'VJ', 'NK', 'DY', 'QZ'];
const CURRENCIES = ['USD', 'USD', 'CNY', 'EUR', 'JPY', 'KWD'];
const CODES = ['604', '613', '616', '623', '633', '617'];

// mulberry32: deterministic.
let seed = 7;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const iso = (ms: number) => new Date(ms).toISOString();

function details(orderNo: string, status: OrderDetails['orderStatus'], created: number): OrderDetails {
  return {
    orderNo, pnrCode: orderNo.slice(-6), orderStatus: status, ticketIssued: status === 'ticketed', tktLimitTime: iso(created + 30 * MIN),
    errorCode: null, errorMessage: null, airlineMessage: null, paymentMethod: null, paymentAttempted: null, paymentOptions: null,
    supportPaymentMethods: [1, 3], totalPrice: Math.round(rand() * 90_000) / 100 + 50, currency: pick(CURRENCIES), totalTransactionFee: 1,
    vendorTotalPrice: null, vendorCurrency: null, airlines: [pick(AIRLINES)], createdAt: iso(created), paymentTimestamp: null,
    fromCity: 'SIN', toCity: 'BKK', fromAirport: 'SIN', toAirport: 'BKK', depDate: '2026-12-01', passengers: [{ name: 'TAN/MEI', passengerType: 0, ticketNos: [], airlinePNRs: [] }],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'desk-reports-bench-'));
try {
  const store = openDatabase(join(dir, 'desk.sqlite'));
  const orders = new OrdersRepo(store.db);
  const events = new EventsRepo(store.db);
  const jobs = new JobsRepo(store.db);
  const links = new LinksRepo(store.db);
  let eventCount = 0;
  let recovered = 0;
  const ev = (orderNo: string, kind: EventKind, at: number, data: Record<string, unknown> = {}) => {
    events.append(orderNo, kind, null, data, iso(at));
    eventCount += 1;
  };
  const put = (d: OrderDetails, at: number) => orders.upsert({ details: d, category: 'done', attentionReason: null, now: iso(at) });
  const payAndTicket = (orderNo: string, at: number, job: string) => {
    const approval = { dueFromDeposit: null, dueFromCard: null, at: iso(at), by: 'Ana', expiresAt: iso(at) };
    jobs.createOrMerge({ id: job, orderNo, method: 1, cardMask: null, actor: 'Ana', state: 'queued', now: iso(at), approval });
    ev(orderNo, 'intent', at, { jobId: job, paymentMethod: 1 });
    const step = jobs.beginStep(job, orderNo, 'pay', { orderNo, paymentMethod: 1 }, iso(at));
    ev(orderNo, 'step_started', at, { jobId: job, step: 'pay', paymentMethod: 1 });
    jobs.finishStep(step, 'succeeded', { accepted: true }, iso(at + 2000));
    ev(orderNo, 'step_succeeded', at + 2000, { jobId: job, step: 'pay', paymentMethod: 1 });
    const ticketed = at + (5 + rand() * 600) * MIN;
    ev(orderNo, 'status_changed', ticketed, { from: 'unpaid', to: 'ticketed', errorCode: null });
    ev(orderNo, 'ticketed', ticketed, { jobId: job });
    jobs.update(job, { state: 'done', outcome: 'ticketed' }, iso(ticketed));
    recovered += 1;
  };

  let t = performance.now();
  const span = DAYS * 24 * 60 * MIN;
  for (let start = 0; start < ORDERS; start += 10_000) {
    transaction(store.db, () => {
      for (let i = start; i < Math.min(ORDERS, start + 10_000); i++) {
        const created = T0 + Math.floor((i / ORDERS) * span);
        const orderNo = `TESTA${String(i).padStart(12, '0')}`;
        const r = rand();
        if (r < 0.6) {
          // Paid and ticketed by the agency's own system: the desk only watched.
          put(details(orderNo, 'ticketed', created), created);
          ev(orderNo, 'seen', created, { orderStatus: 'unpaid', errorCode: null, source: 'sync' });
          ev(orderNo, 'status_changed', created + 5 * MIN, { from: 'unpaid', to: 'ticketing', errorCode: null });
          ev(orderNo, 'status_changed', created + 15 * MIN, { from: 'ticketing', to: 'ticketed', errorCode: null });
        } else if (r < 0.8) {
          put(details(orderNo, 'unpaid', created), created);
          ev(orderNo, 'seen', created, { orderStatus: 'unpaid', errorCode: null, source: 'sync' });
        } else if (r < 0.9) {
          // Scenario B, regenerated and paid by the desk.
          const d = { ...details(orderNo, 'cancelled', created), errorCode: pick(CODES) };
          put(d, created);
          ev(orderNo, 'seen', created, { orderStatus: 'cancelled', errorCode: d.errorCode, source: 'sync' });
          const again = created + (2 + rand() * 60) * MIN;
          const newNo = `TESTB${String(i).padStart(12, '0')}`;
          links.link(orderNo, newNo, iso(again));
          ev(orderNo, 'regenerated', again, { newOrderNo: newNo });
          put({ ...details(newNo, 'ticketed', again), currency: d.currency }, again);
          ev(newNo, 'seen', again, { orderStatus: 'unpaid', errorCode: null, source: 'query' });
          ev(newNo, 'marked_failed', again, { reason: 'regenerated_by_desk', from: orderNo });
          payAndTicket(newNo, again + MIN, `job-${i}`);
        } else {
          // Scenario A: Atlas says a card charge was attempted; the desk pays by deposit.
          put(details(orderNo, 'ticketed', created), created);
          ev(orderNo, 'seen', created, { orderStatus: 'unpaid', errorCode: null, source: 'sync' });
          ev(orderNo, 'note', created, { reason: 'payment_attempted' });
          payAndTicket(orderNo, created + (1 + rand() * 20) * MIN, `job-${i}`);
        }
      }
    });
  }
  store.db.exec('PRAGMA optimize');
  console.log(`built ${ORDERS} orders, ${eventCount} events, ${recovered} desk recoveries over ${DAYS} days in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const reader = new ReportReader(store.db);
  const floor = store.db.prepare('SELECT order_no, kind, data_json FROM events WHERE at >= ? AND at < ?');
  const lastDay = localDay(T0 + span - 1, ZONE);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  for (const days of [7, 30, DAYS]) {
    const range = { from: addDays(lastDay, -(days - 1)), to: lastDay, timeZone: ZONE };
    const since = iso(Date.parse(`${range.from}T00:00:00+08:00`));
    const until = iso(Date.parse(`${addDays(range.to, 1)}T00:00:00+08:00`));
    const floorMs: number[] = [];
    const reportMs: number[] = [];
    let inWindow = 0;
    let summary = reader.summary(range);
    for (let s = 0; s < SAMPLES; s++) {
      t = performance.now();
      inWindow = 0;
      for (const row of floor.iterate(since, until) as Iterable<{ data_json: string }>) inWindow += row.data_json.length > 0 ? 1 : 0;
      floorMs.push(performance.now() - t);
      t = performance.now();
      summary = reader.summary(range);
      reportMs.push(performance.now() - t);
    }
    const f = median(floorMs);
    const r = median(reportMs);
    const n = summary.recovered.reduce((a, c) => a + c.orders, 0);
    console.log(
      `${String(days).padStart(3)} days (${inWindow} events): report median ${r.toFixed(0)} ms, floor (read the window once) ${f.toFixed(0)} ms, ×${(r / f).toFixed(1)}; ${n} recoveries, median to ticket ${((summary.timeToTicket.medianMs ?? 0) / MIN).toFixed(0)} min`,
    );
  }
  console.log(`peak RSS ${(resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
