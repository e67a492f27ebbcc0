// reports:summary and reports:export through the desk core, after real recoveries against the
// simulator: deposit (USD, JPY) and card (a KWD order regenerated then paid; one card the airline
// declines again). Expected figures come from the simulator's orders and the public timelines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { OrderSpec, RunningSimulator } from '../../electron/simulator/index.ts';
import type { TimelineEvent } from '../../shared/desk.ts';
import { addDays, durationBucket, localDay, nearestRank, type ReportRange } from '../../shared/reports.ts';
import { deskFor, settled, depositRequest, cardApproval } from './desk-support.ts';
import { CARD } from '../support/cards.ts';
import { orderAttempted, orderB, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
let desk: DeskCore;
const exportPath = () => join(tmp.dir, 'report.csv');

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.control.setBalance('USD', 10_000);
  sim.control.setBalance('JPY', 1_000_000);
  sim.control.setBalance('KWD', 1_000);
  tmp = tempDir('desk-reports-');
  desk = deskFor(sim, join(tmp.dir, 'desk.sqlite'), { exportPath: exportPath() });
  await desk.start();
});

afterEach(async () => {
  await desk.stop({ timeoutMs: 2000 });
  await sim.stop();
  tmp.cleanup();
});

/** Yesterday to tomorrow around the simulator's clock, in UTC: the whole test falls inside. */
const around = (): ReportRange => {
  const today = localDay(sim.control.now(), 'UTC');
  return { from: addDays(today, -1), to: addDays(today, 1), timeZone: 'UTC' };
};

/**
 * Scenario A as Atlas shows it (a card charge started: the failure evidence the reports date), with
 * staff's check that the charge took no money, so the desk may pay it (docs/money-safety.md rule 12).
 */
async function checkedA(spec: OrderSpec): Promise<string> {
  const orderNo = sim.control.createOrder(orderAttempted(spec)).orderNo;
  await desk.handlers['orders:add']({ orderNos: [orderNo], markFailed: false });
  await desk.handlers['orders:confirmNotCharged']({ orderNo });
  return orderNo;
}

const first = (timeline: TimelineEvent[], match: (e: TimelineEvent) => boolean) => timeline.find(match)?.at ?? null;

describe('reports after real recoveries', () => {
  it('counts what was paid and ticketed, per currency, with the failures and the time to ticket', async () => {
    const now = sim.control.now();
    const usd = await checkedA({ airline: 'NK', currency: 'USD', price: 120.1 });
    const jpy = await checkedA({ airline: 'TR', currency: 'JPY', price: 15000 });
    const kwd = sim.control.createOrder(orderB(now, { airline: 'AK', currency: 'KWD', price: 12.345 })).orderNo;
    const declined = sim.control.createOrder(orderB(now, { airline: 'VJ', currency: 'USD', price: 99 })).orderNo;

    const deposit = await desk.handlers['recovery:deposit'](await depositRequest(desk, [usd, jpy]));
    const byCard = await desk.handlers['recovery:card']({ orderNo: kwd, card: CARD, approved: await cardApproval(desk, kwd) });
    const rejected = await desk.handlers['recovery:card']({ orderNo: declined, card: { ...CARD, cardHolderFirstName: 'Reject' }, approved: await cardApproval(desk, declined) });
    const jobs = await settled(desk, [...deposit.jobs.map((j) => j.id), byCard.id, rejected.id]);
    expect(jobs.map((j) => [j.orderNo, j.outcome])).toEqual([[usd, 'ticketed'], [jpy, 'ticketed'], [kwd, 'ticketed'], [declined, 'cancelled_again']]);
    const kwdNew = jobs[2]!.currentOrderNo;
    const declinedNew = jobs[3]!.currentOrderNo;
    // Money: each paid order paid exactly once, by the simulator's own ledger.
    for (const orderNo of [usd, jpy, kwdNew, declinedNew]) expect(sim.control.paymentsFor(orderNo), orderNo).toBe(1);

    const report = await desk.handlers['reports:summary'](around());
    const kwdPrice = sim.control.order(kwdNew)!.totalPrice; // the regenerated fare, not the original's
    expect(report.recovered).toEqual([
      { currency: 'JPY', orders: 1, amount: 15000 },
      { currency: 'KWD', orders: 1, amount: kwdPrice },
      { currency: 'USD', orders: 1, amount: 120.1 },
    ]);
    expect(report.awaitingTicket).toEqual([]);
    // A: the two deposit orders (Atlas's paymentAttempted); B: both card orders, and the declined one's new order.
    expect(report.failuresByCode).toEqual([
      { scenario: 'A', errorCode: null, orders: 2 },
      { scenario: 'B', errorCode: '604', orders: 3 },
    ]);
    expect(report.failuresByAirline).toEqual([
      { airline: 'VJ', a: 0, b: 2 },
      { airline: 'AK', a: 0, b: 1 },
      { airline: 'NK', a: 1, b: 0 },
      { airline: 'TR', a: 1, b: 0 },
    ]);

    // Time to ticket, from the timelines: first failure evidence of the chain → first ticketed event.
    const timeline = async (orderNo: string) => (await desk.handlers['orders:show']({ orderNo })).timeline;
    const failedAt = (t: TimelineEvent[]) => first(t, (e) => (e.kind === 'note' && e.data.reason === 'payment_attempted') || (e.kind === 'seen' && e.data.errorCode === '604'));
    // The first read that showed the ticket (sync's status_changed), or the runner's own `ticketed`.
    const ticketedAt = (t: TimelineEvent[]) => first(t, (e) => e.kind === 'ticketed' || (e.kind === 'status_changed' && e.data.to === 'ticketed'));
    const durations: number[] = [];
    const days: Record<string, string> = {};
    for (const [failed, ticketed, currency] of [[usd, usd, 'USD'], [jpy, jpy, 'JPY'], [kwd, kwdNew, 'KWD']] as const) {
      const from = failedAt(await timeline(failed));
      const to = ticketedAt(await timeline(ticketed));
      expect(from && to, `${failed} has both moments`).toBeTruthy();
      durations.push(Date.parse(to!) - Date.parse(from!));
      days[currency] = localDay(Date.parse(to!), 'UTC');
    }
    expect(report.recoveredByDay).toEqual([
      { currency: 'JPY', day: days.JPY, orders: 1, amount: 15000 },
      { currency: 'KWD', day: days.KWD, orders: 1, amount: kwdPrice },
      { currency: 'USD', day: days.USD, orders: 1, amount: 120.1 },
    ]);
    durations.sort((a, b) => a - b);
    const buckets = [0, 0, 0, 0, 0, 0, 0, 0];
    for (const d of durations) buckets[durationBucket(d)]! += 1;
    expect(report.timeToTicket).toEqual({ measured: 3, unmeasured: 0, medianMs: nearestRank(durations, 50), p90Ms: nearestRank(durations, 90), buckets });
  });

  it('exports the figures as CSV through the save path, and saves nothing when staff cancel', async () => {
    const usd = await checkedA({ airline: 'NK', currency: 'USD', price: 0.1 });
    const usd2 = await checkedA({ airline: 'NK', currency: 'USD', price: 0.2 });
    const jpy = await checkedA({ airline: 'TR', currency: 'JPY', price: 15000 });
    const { jobs } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [usd, usd2, jpy]));
    await settled(desk, jobs.map((j) => j.id));

    const range = around();
    const result = await desk.handlers['reports:export'](range);
    expect(result).toMatchObject({ saved: true, path: exportPath() });
    const csv = readFileSync(exportPath(), 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    // Every cell is quoted (the history export's safe writer); none of these values holds a quote.
    const quoted = csv.slice(1).trimEnd().split('\r\n');
    for (const line of quoted) expect(line).toMatch(/^"[^"]*"(,"[^"]*")*$/);
    const lines = quoted.map((line) => line.replaceAll('"', ''));
    expect(lines[0]).toBe('figure,day,time_zone,currency,airline,scenario,error_code,duration_bucket,orders,amount,seconds');
    expect(lines).toHaveLength(result.rows + 1);
    expect(lines).toContain(`range,${range.from}/${range.to},UTC,,,,,,,,`);
    // 0.1 + 0.2 USD is 0.30, written with the currency's two decimals; JPY has none.
    expect(lines).toContain('recovered_total,,,USD,,,,,2,0.30,');
    expect(lines).toContain('recovered_total,,,JPY,,,,,1,15000,');
    expect(lines).toContain('failures_by_airline,,,,NK,A,,,2,,');
    expect(lines).toContain('failures_by_error_code,,,,,A,,,3,,');
    expect(lines.filter((l) => l.startsWith('time_to_ticket,'))).toHaveLength(8);

    const cancelled = deskFor(sim, join(tmp.dir, 'desk.sqlite'), { exportPath: null });
    await desk.stop({ timeoutMs: 2000 });
    await cancelled.start();
    desk = cancelled;
    expect(await cancelled.handlers['reports:export'](range)).toEqual({ saved: false, path: null, rows: 0 });
  });

  it('dates the evidence of an Atlas-attempted payment once, when a read first shows it', async () => {
    const orderNo = sim.control.createOrder(orderAttempted({ airline: 'NK' })).orderNo;
    await desk.handlers['orders:add']({ orderNos: [orderNo], markFailed: false });
    await desk.handlers['recovery:plan']({ orderNo }); // a second read of the same order
    const { timeline } = await desk.handlers['orders:show']({ orderNo });
    expect(timeline.filter((e) => e.kind === 'note').map((e) => e.data)).toEqual([{ reason: 'payment_attempted' }]);
  });
});
