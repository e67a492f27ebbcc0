// A webhook flood through the real receiver over HTTP, against the simulator: thousands of forged
// hints (unknown order numbers), repeated hints for known orders and junk, while a deposit job
// pays another order. The Atlas queries the hints cause stay within the hint gate's limits, the
// database grows only by what really changed, and the payment still gets its re-read and
// completes exactly once.
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { HintLimits } from '../../electron/core/hint-gate.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { deskFor, settled, depositRequest } from './desk-support.ts';
import { orderA, orderUnpaid, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

const LIMITS: HintLimits = { perOrderIntervalMs: 30_000, perMinute: 60, burst: 5, concurrency: 2, maxPending: 50 };
const HINTS = 3000;
const SENDERS = 4;

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
let desk: DeskCore | null = null;

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.control.setBalance('USD', 10_000);
  tmp = tempDir('desk-flood-');
});

afterEach(async () => {
  await desk?.stop({ timeoutMs: 2000 });
  desk = null;
  await sim.stop();
  tmp.cleanup();
});

describe('webhook flood', () => {
  it('keeps Atlas queries and database growth within the limits while a payment still completes once', async () => {
    const known = [orderA(), orderUnpaid(), orderUnpaid()].map((spec) => sim.control.createOrder(spec).orderNo);
    const paying = sim.control.createOrder(orderA()).orderNo;
    const changing = sim.control.createOrder(orderUnpaid()).orderNo;
    const path = join(tmp.dir, 'desk.sqlite');
    const started = performance.now();
    desk = deskFor(sim, path, { webhook: { enabled: true, host: '127.0.0.1', port: 0 }, deps: { hintLimits: LIMITS } });
    await desk.start();
    await desk.handlers['orders:add']({ orderNos: [...known, changing], markFailed: false });
    await desk.handlers['orders:add']({ orderNos: [paying], markFailed: true });
    const { url } = await desk.handlers['webhook:status']({});
    const db = new DatabaseSync(path, { readOnly: true });
    const eventsOf = (orderNo: string) => (db.prepare('SELECT COUNT(*) AS n FROM events WHERE order_no = ?').get(orderNo) as { n: number }).n;
    const ordersStored = () => (db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
    const eventsBefore = new Map([...known, changing].map((o) => [o, eventsOf(o)]));
    const ordersBefore = ordersStored();
    const firstSeq = sim.control.requests().length;

    const { jobs } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [paying]));
    const changed = new Promise<void>((resolve) => {
      const off = desk!.on('orders:changed', ({ orderNos }) => {
        if (orderNos.includes(changing)) {
          off();
          resolve();
        }
      });
    });

    // Another desk pays `changing` halfway through: a real change the flood must not drown.
    const other = createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret } });
    let next = 0;
    const send = async () => {
      for (let i = next++; i < HINTS; i = next++) {
        if (i === HINTS / 2) await other.pay({ orderNo: changing, paymentMethod: 1 });
        let target = url!;
        let body: string;
        if (i % 10 < 6) body = JSON.stringify({ type: 'order.cancelled', data: { orderNo: `TESTF${String(i).padStart(17, '0')}`, errorCode: '604' } });
        else if (i % 10 < 9) body = JSON.stringify({ type: 'order.ticketed', data: { orderNo: known[i % 3], orderStatus: 2 } });
        else if (i > HINTS / 2) body = JSON.stringify({ type: 'order.ticketed', data: { orderNo: changing, orderStatus: 2 } });
        else if (i % 20 === 9) body = '{"type": "order.cancelled", "data": ';
        else {
          target = `${new URL(url!).origin}/webhook/guessed-token`;
          body = '{}';
        }
        const res = await fetch(target, { method: 'POST', body });
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, send));
    const [job] = await settled(desk, [jobs[0]!.id]);
    await changed;
    await desk.stop({ timeoutMs: 5000 });
    desk = null;
    const elapsedMs = performance.now() - started;

    // Atlas queries caused by hints: every queryOrderDetails since the flood began, except the
    // payment job's own reads of its order (no hint named that order).
    const hintQueries = sim.control.requests('queryOrderDetails').filter((r) => r.seq > firstSeq && r.orderNo !== paying);
    const bound = LIMITS.burst + Math.ceil((LIMITS.perMinute * elapsedMs) / 60_000);
    console.log(`flood: ${HINTS} hints in ${Math.round(elapsedMs)} ms → ${hintQueries.length} Atlas queries (bound ${bound})`);
    expect(hintQueries.length).toBeLessThanOrEqual(bound);
    const perOrderBound = 1 + Math.floor(elapsedMs / LIMITS.perOrderIntervalMs);
    for (const orderNo of [...known, changing]) {
      expect(hintQueries.filter((r) => r.orderNo === orderNo).length, orderNo).toBeLessThanOrEqual(perOrderBound);
    }
    expect(hintQueries.filter((r) => r.orderNo === changing).length).toBeGreaterThanOrEqual(1);

    // The database: no row for a forged number, nothing for unchanged orders, the change recorded once.
    expect(ordersStored()).toBe(ordersBefore);
    for (const orderNo of known) expect(eventsOf(orderNo), orderNo).toBe(eventsBefore.get(orderNo));
    const kinds = (db.prepare('SELECT kind FROM events WHERE order_no = ? ORDER BY id').all(changing) as { kind: string }[]).map((r) => r.kind);
    expect(kinds.slice(eventsBefore.get(changing))).toEqual(['status_changed', 'webhook_hint']);
    db.close();

    // The payment: re-read before paying, paid exactly once, completed.
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed' });
    const payRequest = sim.control.requests('pay', paying)[0]!;
    expect(sim.control.requests('queryOrderDetails', paying).some((r) => r.seq > firstSeq && r.seq < payRequest.seq)).toBe(true);
    expect(sim.control.paymentsFor(paying)).toBe(1);
    expect(sim.control.ledger().filter((e) => e.kind === 'pay' && e.orderNo === paying)).toHaveLength(1);
  }, 120_000);
});
