// The Reports figures against a store seeded event by event, so every moment, currency and chain is
// known. Expected figures are worked out by hand in the comments (not by the code under test).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReportReader } from '../../electron/core/reports.ts';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import { JobsRepo } from '../../electron/store/jobs-repo.ts';
import { LinksRepo } from '../../electron/store/links-repo.ts';
import { OrdersRepo } from '../../electron/store/orders-repo.ts';
import type { OrderDetails } from '../../shared/atlas.ts';
import type { EventKind } from '../../shared/desk.ts';
import { channels } from '../../shared/ipc.ts';
import type { ReportSummary } from '../../shared/reports.ts';
import { order as orderDetails } from '../support/order-details.ts';
import { tempStore, type TempStore } from '../support/temp-store.ts';

let t: TempStore;
let orders: OrdersRepo;
let events: EventsRepo;
let jobs: JobsRepo;
let links: LinksRepo;
let reader: ReportReader;

beforeEach(() => {
  t = tempStore();
  orders = new OrdersRepo(t.store.db);
  events = new EventsRepo(t.store.db);
  jobs = new JobsRepo(t.store.db);
  links = new LinksRepo(t.store.db);
  reader = new ReportReader(t.store.db);
});
afterEach(() => t.cleanup());

const Z = (s: string) => new Date(`2026-${s}Z`).toISOString();

/** Stores the order as last seen (the orders row the report reads amounts and airlines from). */
function order(orderNo: string, o: { currency: string; total: number; airlines: string[]; status?: OrderDetails['orderStatus'] }): void {
  orders.upsert({
    details: orderDetails({ orderNo, currency: o.currency, totalPrice: o.total, airlines: o.airlines, orderStatus: o.status ?? 'unpaid' }),
    category: 'A',
    attentionReason: null,
    now: Z('11-01T00:00:00'),
  });
}

const ev = (orderNo: string, kind: EventKind, at: string, data: Record<string, unknown> = {}) => events.append(orderNo, kind, null, data, Z(at));
const seen = (orderNo: string, at: string, orderStatus: string, errorCode: string | null = null) => ev(orderNo, 'seen', at, { orderStatus, errorCode, source: 'sync' });
const changed = (orderNo: string, at: string, from: string, to: string, errorCode: string | null = null) =>
  ev(orderNo, 'status_changed', at, { from, fromErrorCode: null, to, errorCode });

let jobSeq = 0;
/** A desk job whose pay step on `orderNo` finished at `at`: succeeded, or settled by query as paid. */
function paid(orderNo: string, at: string, how: 'succeeded' | 'reconciled' = 'succeeded'): void {
  const id = `job-${++jobSeq}`;
  const approval = { dueFromDeposit: null, dueFromCard: null, at: Z(at), by: 'Ana', expiresAt: Z(at) };
  jobs.createOrMerge({ id, orderNo, method: 1, cardMask: null, actor: 'Ana', state: 'queued', now: Z(at), approval });
  const step = jobs.beginStep(id, orderNo, 'pay', { orderNo, paymentMethod: 1 }, Z(at));
  if (how === 'succeeded') jobs.finishStep(step, 'succeeded', { accepted: true }, Z(at));
  else jobs.finishStep(step, 'reconciled', { paid: true, orderStatus: 'ticketing' }, Z(at));
  jobs.update(id, { state: 'tracking' }, Z(at));
  ev(orderNo, how === 'succeeded' ? 'step_succeeded' : 'reconciled', at, { jobId: id, step: 'pay', paymentMethod: 1 });
}

function regenerated(original: string, into: string, at: string): void {
  links.link(original, into, Z(at));
  ev(original, 'regenerated', at, { newOrderNo: into });
  seen(into, at, 'unpaid');
  ev(into, 'marked_failed', at, { reason: 'regenerated_by_desk', from: original });
}

/**
 * Thirteen stories, reported for November 2026 in Singapore (UTC+8): a moment at 16:00Z or later
 * belongs to the next local day.
 */
function seedNovember(): void {
  // O1 → O1N: B 604 on 11-10, regenerated, paid, ticketed 02:30Z — 90 min after the failure.
  order('O1', { currency: 'USD', total: 120.1, airlines: ['NK'], status: 'cancelled' });
  seen('O1', '11-10T01:00:00', 'cancelled', '604');
  order('O1N', { currency: 'USD', total: 125.05, airlines: ['NK'], status: 'ticketed' });
  regenerated('O1', 'O1N', '11-10T01:30:00');
  paid('O1N', '11-10T02:00:00');
  changed('O1N', '11-10T02:30:00', 'unpaid', 'ticketed');

  // O2, O3: A on local day 11-11 (16:30Z is 00:30 SGT); USD 0.10 + 0.20 must be exactly 0.30.
  order('O2', { currency: 'USD', total: 0.1, airlines: ['5J'], status: 'ticketed' });
  seen('O2', '11-10T16:00:00', 'unpaid');
  ev('O2', 'marked_failed', '11-10T16:30:00');
  paid('O2', '11-10T16:40:00');
  ev('O2', 'ticketed', '11-10T16:55:00'); // 25 min
  order('O3', { currency: 'USD', total: 0.2, airlines: ['5J'], status: 'ticketed' });
  seen('O3', '11-11T01:00:00', 'unpaid');
  ev('O3', 'note', '11-11T01:00:00', { reason: 'payment_attempted' });
  paid('O3', '11-11T01:10:00', 'reconciled');
  changed('O3', '11-11T01:20:00', 'ticketing', 'ticketed'); // 20 min

  // O4 → O4N: JPY (no minor unit). Staff marking a cancelled order is not an A failure.
  order('O4', { currency: 'JPY', total: 15000, airlines: ['TR'], status: 'cancelled' });
  seen('O4', '11-12T00:00:00', 'cancelled', '613');
  ev('O4', 'marked_failed', '11-12T00:05:00');
  order('O4N', { currency: 'JPY', total: 15600, airlines: ['TR'], status: 'ticketed' });
  regenerated('O4', 'O4N', '11-12T00:10:00');
  paid('O4N', '11-12T04:00:00');
  changed('O4N', '11-12T05:00:00', 'ticketing', 'ticketed'); // 300 min

  // O5, O6: KWD (three decimals): 12.345 + 0.005 = 12.350 on 11-12; O6 waited 27 h.
  order('O5', { currency: 'KWD', total: 12.345, airlines: ['DY'], status: 'ticketed' });
  seen('O5', '11-12T02:00:00', 'unpaid');
  ev('O5', 'marked_failed', '11-12T02:00:00');
  paid('O5', '11-12T02:05:00');
  changed('O5', '11-12T02:10:00', 'ticketing', 'ticketed'); // 10 min
  order('O6', { currency: 'KWD', total: 0.005, airlines: ['DY'], status: 'ticketed' });
  seen('O6', '11-11T00:00:00', 'unpaid');
  ev('O6', 'marked_failed', '11-11T00:00:00');
  paid('O6', '11-12T02:50:00');
  changed('O6', '11-12T03:00:00', 'ticketing', 'ticketed'); // 27 h = 1620 min

  // O7 → O7N (paid, cancelled again 623) → O7NN: the chain's first failure counts: 120 min.
  order('O7', { currency: 'EUR', total: 95, airlines: ['NK'], status: 'cancelled' });
  seen('O7', '11-13T00:00:00', 'cancelled', '604');
  order('O7N', { currency: 'EUR', total: 98, airlines: ['NK'], status: 'cancelled' });
  regenerated('O7', 'O7N', '11-13T00:10:00');
  paid('O7N', '11-13T00:30:00');
  changed('O7N', '11-13T01:00:00', 'ticketing', 'cancelled', '623');
  order('O7NN', { currency: 'EUR', total: 99.99, airlines: ['NK'], status: 'ticketed' });
  regenerated('O7N', 'O7NN', '11-13T01:10:00');
  paid('O7NN', '11-13T01:30:00');
  ev('O7NN', 'ticketed', '11-13T02:00:00');

  // O8: paid, still ticketing: awaiting a ticket, not recovered.
  order('O8', { currency: 'CNY', total: 3088.5, airlines: ['AK'], status: 'ticketing' });
  seen('O8', '11-14T00:50:00', 'unpaid');
  ev('O8', 'marked_failed', '11-14T00:50:00');
  paid('O8', '11-14T01:00:00');

  // O9 → O9N: failed on 10-31 (23:30 SGT, outside), ticketed 16:20Z = 11-01 00:20 SGT (inside): 50 min.
  order('O9', { currency: 'USD', total: 75, airlines: ['NK'], status: 'cancelled' });
  seen('O9', '10-31T15:30:00', 'cancelled', '604');
  order('O9N', { currency: 'USD', total: 80, airlines: ['NK'], status: 'ticketed' });
  regenerated('O9', 'O9N', '10-31T15:40:00');
  paid('O9N', '10-31T16:10:00');
  changed('O9N', '10-31T16:20:00', 'ticketing', 'ticketed');

  // O10: A in October (outside), B in November: only B counts in November.
  order('O10', { currency: 'USD', total: 50, airlines: ['VJ'], status: 'cancelled' });
  seen('O10', '10-20T00:00:00', 'unpaid');
  ev('O10', 'marked_failed', '10-20T00:00:00');
  changed('O10', '11-15T00:00:00', 'ticketing', 'cancelled', '604');

  // O11: unpaid with no evidence: no failure.
  order('O11', { currency: 'USD', total: 60, airlines: ['QZ'] });
  seen('O11', '11-16T00:00:00', 'unpaid');

  // O12: two airlines; A, then ticketed by someone else (no desk payment): a failure, not a recovery.
  order('O12', { currency: 'USD', total: 70, airlines: ['QZ', 'AK'], status: 'ticketed' });
  seen('O12', '11-16T00:00:00', 'unpaid');
  ev('O12', 'marked_failed', '11-16T00:00:00');
  changed('O12', '11-16T01:00:00', 'unpaid', 'ticketed');
}

const NOVEMBER_SGT = { from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Singapore' };
const MIN = 60_000;

describe('reports:summary figures', () => {
  let report: ReportSummary;
  beforeEach(() => {
    seedNovember();
    report = reader.summary(NOVEMBER_SGT);
  });

  it('sums money recovered per local day and currency, exactly in minor units', () => {
    expect(report.recoveredByDay).toEqual([
      { currency: 'EUR', day: '2026-11-13', orders: 1, amount: 99.99 },
      { currency: 'JPY', day: '2026-11-12', orders: 1, amount: 15600 },
      { currency: 'KWD', day: '2026-11-12', orders: 2, amount: 12.35 },
      { currency: 'USD', day: '2026-11-01', orders: 1, amount: 80 },
      { currency: 'USD', day: '2026-11-10', orders: 1, amount: 125.05 },
      { currency: 'USD', day: '2026-11-11', orders: 2, amount: 0.3 },
    ]);
    // USD: 80 + 125.05 + 0.10 + 0.20 = 205.35 (never added to EUR, JPY or KWD).
    expect(report.recovered).toEqual([
      { currency: 'EUR', orders: 1, amount: 99.99 },
      { currency: 'JPY', orders: 1, amount: 15600 },
      { currency: 'KWD', orders: 2, amount: 12.35 },
      { currency: 'USD', orders: 4, amount: 205.35 },
    ]);
  });

  it('lists orders the desk paid that have no ticket yet apart from the recovered money', () => {
    // O8 only: O7N was paid too but was cancelled again.
    expect(report.awaitingTicket).toEqual([{ currency: 'CNY', orders: 1, amount: 3088.5 }]);
  });

  it('counts failures by airline and error code at the first moment the desk knew, once per scenario', () => {
    expect(report.failuresByAirline).toEqual([
      { airline: 'NK', a: 0, b: 3 }, // O1, O7, O7N (O9 failed in October)
      { airline: '5J', a: 2, b: 0 }, // O2, O3
      { airline: 'DY', a: 2, b: 0 }, // O5, O6
      { airline: 'AK', a: 1, b: 0 }, // O8
      { airline: 'AK+QZ', a: 1, b: 0 }, // O12
      { airline: 'TR', a: 0, b: 1 }, // O4 (its staff mark came while cancelled: not A)
      { airline: 'VJ', a: 0, b: 1 }, // O10 (its A was in October)
    ]);
    expect(report.failuresByCode).toEqual([
      { scenario: 'A', errorCode: null, orders: 6 },
      { scenario: 'B', errorCode: '604', orders: 3 },
      { scenario: 'B', errorCode: '613', orders: 1 },
      { scenario: 'B', errorCode: '623', orders: 1 },
    ]);
  });

  it('measures failure to ticket per recovered chain: nearest-rank median and p90, and buckets', () => {
    // Minutes, sorted: 10, 20, 25, 50, 90, 120, 300, 1620 → median = 4th = 50, p90 = 8th = 1620.
    expect(report.timeToTicket).toEqual({
      measured: 8,
      unmeasured: 0,
      medianMs: 50 * MIN,
      p90Ms: 1620 * MIN,
      //        <15 15-30 30-60 1-2h 2-4h 4-8h 8-24h ≥24h
      buckets: [1, 2, 1, 1, 1, 1, 0, 1],
    });
  });

  it('puts days in the requested time zone: in UTC the same store gives other days', () => {
    const utc = reader.summary({ ...NOVEMBER_SGT, timeZone: 'UTC' });
    // O2 ticketed 16:55Z on 11-10 (UTC); O9N's ticket (10-31 16:20Z) falls outside November.
    expect(utc.recoveredByDay.filter((r) => r.currency === 'USD')).toEqual([
      { currency: 'USD', day: '2026-11-10', orders: 2, amount: 125.15 },
      { currency: 'USD', day: '2026-11-11', orders: 1, amount: 0.2 },
    ]);
    expect(utc.timeToTicket.measured).toBe(7);
  });

  it('reports a recovery whose failure was never recorded as unmeasured, not as zero', () => {
    order('O13', { currency: 'USD', total: 10, airlines: ['NK'], status: 'ticketed' });
    seen('O13', '11-20T00:00:00', 'unpaid');
    paid('O13', '11-20T00:10:00');
    changed('O13', '11-20T00:20:00', 'ticketing', 'ticketed');
    const r = reader.summary(NOVEMBER_SGT);
    expect(r.timeToTicket).toMatchObject({ measured: 8, unmeasured: 1 });
    expect(r.recovered.find((c) => c.currency === 'USD')).toEqual({ currency: 'USD', orders: 5, amount: 215.35 });
  });

  it('is empty for a range with no activity', () => {
    expect(reader.summary({ from: '2026-09-01', to: '2026-09-30', timeZone: 'Asia/Singapore' })).toEqual({
      range: { from: '2026-09-01', to: '2026-09-30', timeZone: 'Asia/Singapore' },
      recoveredByDay: [],
      recovered: [],
      awaitingTicket: [],
      failuresByAirline: [],
      failuresByCode: [],
      timeToTicket: { measured: 0, unmeasured: 0, medianMs: null, p90Ms: null, buckets: [0, 0, 0, 0, 0, 0, 0, 0] },
    });
  });
});

describe('reports range validation (the contract)', () => {
  const parse = (range: unknown) => channels['reports:summary'].request.safeParse(range).success;
  it('accepts local days in a known time zone, up to 366 days', () => {
    expect(parse({ from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Jakarta' })).toBe(true);
    expect(parse({ from: '2028-01-01', to: '2028-12-31', timeZone: 'UTC' })).toBe(true);
  });
  it('refuses unknown zones, impossible dates, reversed or longer ranges and extra fields', () => {
    expect(parse({ from: '2026-11-01', to: '2026-11-30', timeZone: 'Mars/Olympus' })).toBe(false);
    expect(parse({ from: '2026-02-30', to: '2026-03-01', timeZone: 'UTC' })).toBe(false);
    expect(parse({ from: '2026-11-30', to: '2026-11-01', timeZone: 'UTC' })).toBe(false);
    expect(parse({ from: '2026-01-01', to: '2027-01-02', timeZone: 'UTC' })).toBe(false);
    expect(parse({ from: '2026-11-01', to: '2026-11-30', timeZone: 'UTC', limit: 5 })).toBe(false);
  });
});
