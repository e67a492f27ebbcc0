// Audit through the desk core's own channels (real simulator, real SQLite file):
// docs/money-safety.md §1 (an unpaid order is not a failed one — not for sync, not for a webhook,
// not for a bulk deposit), rule 6 (card data never on disk) and staff cancel racing a step on the
// wire.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import type { CardDetails } from '../../shared/atlas.ts';
import { allFileText, cardApproval, depositRequest, deskFor, markFailed, settled } from './desk-support.ts';
import { CARD, PAN } from '../support/cards.ts';
import { orderA, orderAttempted, orderB, orderTicketed, orderUnpaid, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
const desks: DeskCore[] = [];

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.control.setBalance('USD', 100_000);
  tmp = tempDir('desk-audit-');
});

afterEach(async () => {
  for (const d of desks.splice(0)) await d.stop({ timeoutMs: 2000 });
  await sim.stop();
  tmp.cleanup();
});

async function open(extra: Parameters<typeof deskFor>[2] = {}, name = 'desk.sqlite'): Promise<DeskCore> {
  const d = deskFor(sim, join(tmp.dir, name), extra);
  desks.push(d);
  await d.start();
  return d;
}

async function stop(d: DeskCore): Promise<void> {
  await d.stop({ timeoutMs: 2000 });
  desks.splice(desks.indexOf(d), 1);
}

describe('docs/money-safety.md §1: an unpaid order is not a failed order', () => {
  it('"recover all" over every synced order queues only orders with evidence of a failed payment, checked by staff', async () => {
    const now = sim.control.now();
    const earlier = now - 5 * 60_000;
    const a = sim.control.createOrder(orderA({ createdAt: earlier })).orderNo;
    // Atlas started a card charge: evidence, but whether it took money is for staff to check first (rule 12).
    const attempted = sim.control.createOrder(orderAttempted({ createdAt: earlier })).orderNo;
    const b = sim.control.createOrder(orderB(now)).orderNo;
    const unpaid = sim.control.createOrder(orderUnpaid({ createdAt: earlier })).orderNo;
    const ticketing = sim.control.createOrder({ orderStatus: 1, paymentMethod: 1, createdAt: earlier, paymentTimestamp: now, currency: 'USD' }).orderNo;
    const ticketed = sim.control.createOrder(orderTicketed(now)).orderNo;
    const desk = await open();
    await desk.handlers['orders:sync']({});
    await markFailed(desk, [a]);
    const listed = (await desk.handlers['orders:list']({ scope: 'all' })).map((o) => o.orderNo);
    expect(listed).toEqual(expect.arrayContaining([a, attempted, b, unpaid]));
    const unpaidRow = (await desk.handlers['orders:show']({ orderNo: unpaid })).order;
    expect(unpaidRow).toMatchObject({ category: 'unpaid', markedFailed: false });

    const { jobs, rejected } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [...listed, ticketing, ticketed]));

    expect(jobs.map((j) => j.orderNo).sort()).toEqual([a, b].sort());
    const reasons = new Map(rejected.map((r) => [r.orderNo, r.reason]));
    expect(reasons.size).toBe(4);
    expect(reasons.get(unpaid)).toBe('not_marked_failed');
    expect(reasons.get(attempted)).toBe('card_charge_unconfirmed');
    // Its ticketing may have resolved by now (100 ms): either way it is not payable.
    expect(['ticketing_in_progress', 'ticketed']).toContain(reasons.get(ticketing));
    expect(reasons.get(ticketed)).toBe('ticketed');
    await settled(desk, jobs.map((j) => j.id));
    expect(sim.control.requests('pay', unpaid)).toHaveLength(0);
    expect(sim.control.requests('pay', attempted)).toHaveLength(0);
    expect(sim.control.requests('pay', ticketing)).toHaveLength(0);
  });

  it('a webhook saying an unpaid order failed only prompts a re-query: the order stays unpaid and is refused for recovery', async () => {
    const desk = await open({ webhook: { enabled: true, host: '127.0.0.1', port: 0 } });
    const unpaid = sim.control.createOrder(orderUnpaid()).orderNo;
    const { url } = await desk.handlers['webhook:status']({});
    const hinted = new Promise<void>((resolve) => {
      const off = desk.on('orders:changed', ({ orderNos }) => {
        if (orderNos.includes(unpaid)) {
          off();
          resolve();
        }
      });
    });
    const res = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'order.cancelled', data: { orderNo: unpaid, orderStatus: -3, errorCode: '604' } }),
    });
    expect(res.status).toBe(200);
    await hinted;
    const { order, timeline } = await desk.handlers['orders:show']({ orderNo: unpaid });
    expect(order).toMatchObject({ category: 'unpaid', markedFailed: false });
    expect(timeline.map((e) => e.kind)).toContain('webhook_hint');
    expect(timeline.map((e) => e.kind)).not.toContain('marked_failed');
    const { jobs, rejected } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [unpaid]));
    expect(jobs).toEqual([]);
    expect(rejected).toEqual([{ orderNo: unpaid, reason: 'not_marked_failed' }]);
    const approved = await cardApproval(desk, unpaid);
    const refused = await desk.handlers['recovery:card']({ orderNo: unpaid, card: { ...CARD }, approved }).catch((e: { reason?: string }) => e.reason);
    expect(refused).toBe('not_marked_failed');
    expect(sim.control.requests('pay')).toHaveLength(0);
  });
});

describe('rule 6: card data never reaches the disk', () => {
  const CVV = '918'; // distinctive, and the right length for Visa and Mastercard
  const OTHER_PAN = '5555555555554444';
  const card = (extra: Partial<CardDetails> = {}): CardDetails => ({ ...CARD, cardCVV: CVV, ...extra });

  it('across a declined card payment, a regenerated retry, a needs_card restart and a CSV export', async () => {
    const exportPath = join(tmp.dir, 'history.csv');
    const path = 'cards.sqlite';
    const now = sim.control.now();
    const b = sim.control.createOrder(orderB(now)).orderNo;
    const a = sim.control.createOrder(orderA()).orderNo;
    let desk = await open({ exportPath }, path);
    // 1. Declined by the airline after pay.do 0 ("Reject" → 604): the new order is cancelled again.
    const declined = await desk.handlers['recovery:card']({ orderNo: b, card: card({ cardHolderFirstName: 'Reject' }), approved: await cardApproval(desk, b) });
    const [afterDecline] = await settled(desk, [declined.id]);
    expect(afterDecline).toMatchObject({ state: 'failed', outcome: 'cancelled_again' });
    // 2. Recovered again with another card: the cancelled new order is regenerated and paid.
    const again = afterDecline!.currentOrderNo;
    const retry = await desk.handlers['recovery:card']({ orderNo: again, card: card({ cardNumber: OTHER_PAN }), approved: await cardApproval(desk, again) });
    const [afterRetry] = await settled(desk, [retry.id]);
    expect(afterRetry).toMatchObject({ state: 'done', outcome: 'ticketed' });
    // 3. A card job queued but not run before the desk stops: after a restart it needs the card again.
    await stop(desk);
    const idle = await open({ exportPath, options: { runQueue: false } }, path);
    await markFailed(idle, [a]);
    const waiting = await idle.handlers['recovery:card']({ orderNo: a, card: card(), approved: await cardApproval(idle, a) });
    await stop(idle);
    desk = await open({ exportPath }, path);
    const [needsCard] = await settled(desk, [waiting.id]);
    expect(needsCard).toMatchObject({ state: 'needs_card' });
    // 4. History export.
    expect((await desk.handlers['history:export']({})).saved).toBe(true);
    await stop(desk);

    const bytes = allFileText(tmp.dir);
    expect(bytes).toContain('555555******4444'); // the masks are there: the scan reads the real files
    expect(readFileSync(exportPath, 'utf8')).toContain(b);
    for (const secret of [PAN, OTHER_PAN, `"${CVV}"`, 'cardCVV', 'cardNumber']) expect(bytes, secret).not.toContain(secret);
    expect(sim.control.paymentsFor(a)).toBe(0);
  });
});

describe('staff cancel racing a running job', () => {
  it('refuses to cancel while the job’s pay.do is on the wire, and the order is paid exactly once', async () => {
    const desk = await open();
    const a = sim.control.createOrder(orderA()).orderNo;
    sim.control.setFault('pay', { kind: 'latency', ms: 300 });
    const onWire = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (desk.paymentInFlight()) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    await markFailed(desk, [a]);
    const { jobs } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [a]));
    await onWire;
    const error = await desk.handlers['queue:cancel']({ jobId: jobs[0]!.id }).catch((e: { code?: string }) => e.code);
    expect(error).toBe('conflict');
    const [job] = await settled(desk, [jobs[0]!.id]);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.requests('pay', a)).toHaveLength(1);
  });
});
