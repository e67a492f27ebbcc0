// The desk core as the shell, the CLI and the test bridge see it: every core channel exercised
// through `desk.handlers`, against the real simulator over HTTP and a real temp SQLite file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import type { CoreChannel } from '../../shared/ipc.ts';
import { CHANNEL_NAMES } from '../../electron/shell/channel-names.ts';
import { toIpcError } from '../../electron/shell/errors.ts';
import { allFileText, cardApproval, depositRequest, deskFor, markFailed, settled } from './desk-support.ts';
import { CARD, PAN } from '../support/cards.ts';
import { orderA, orderAttempted, orderB, orderTicketed, orderUnpaid, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
let desk: DeskCore;
const others: DeskCore[] = [];

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.control.setBalance('USD', 10_000);
  tmp = tempDir('desk-core-');
  desk = deskFor(sim, join(tmp.dir, 'desk.sqlite'), { exportPath: join(tmp.dir, 'history.csv') });
  await desk.start();
});

afterEach(async () => {
  await desk.stop({ timeoutMs: 2000 });
  for (const other of others.splice(0)) await other.stop({ timeoutMs: 2000 });
  await sim.stop();
  tmp.cleanup();
});

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code,
  );

describe('desk core channels', () => {
  it('implements a handler for every core channel of the IPC contract', () => {
    const core = CHANNEL_NAMES.filter((c) => !/^(env|settings|credentials|update):/.test(c)) as CoreChannel[];
    expect(Object.keys(desk.handlers).sort()).toEqual([...core].sort());
  });

  it('orders:sync stores what Atlas lists, pushes progress, and orders:list splits failed from unpaid', async () => {
    // A minute old: orderList filters creation time to the second, and a sync never looks ahead.
    const createdAt = sim.control.now() - 60_000;
    const a = sim.control.createOrder(orderAttempted({ createdAt })).orderNo;
    const b = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    const u = sim.control.createOrder(orderUnpaid({ createdAt })).orderNo;
    const syncPushes: boolean[] = [];
    const changed: string[] = [];
    desk.on('sync:changed', (s) => syncPushes.push(s.running));
    desk.on('orders:changed', (p) => changed.push(...p.orderNos));

    const status = await desk.handlers['orders:sync']({});

    expect(status).toMatchObject({ running: false, error: null, done: 3 });
    expect(await desk.handlers['sync:status']({})).toEqual(status);
    expect(syncPushes[0]).toBe(true);
    expect(syncPushes.at(-1)).toBe(false);
    expect(changed.sort()).toEqual([a, b, u].sort());
    const failed = await desk.handlers['orders:list']({ scope: 'failed' });
    expect(Object.fromEntries(failed.map((o) => [o.orderNo, o.category]))).toEqual({ [a]: 'A', [b]: 'B' });
    expect((await desk.handlers['orders:list']({ scope: 'unpaid' })).map((o) => o.orderNo)).toEqual([u]);
    expect(await desk.handlers['orders:list']({ scope: 'all' })).toHaveLength(3);
  });

  it('orders:add fetches orders by number, reports unknown and malformed ones, and --failed marks Scenario A', async () => {
    const u = sim.control.createOrder(orderUnpaid()).orderNo;
    const result = await desk.handlers['orders:add']({ orderNos: [u, 'TESTA99990101000000001', 'not an order'], markFailed: true });

    expect(result).toEqual({ added: [u], notFound: ['TESTA99990101000000001'], invalid: ['not an order'] });
    const { order, timeline } = await desk.handlers['orders:show']({ orderNo: u });
    expect(order).toMatchObject({ category: 'A', markedFailed: true, lastActor: 'Ana (test)' });
    expect(order.plan.action).toBe('pay_same_order');
    expect(timeline.map((e) => e.kind)).toEqual(['seen', 'marked_failed']);
  });

  it('orders:show refuses an order the desk has never seen with not_found', async () => {
    expect(await codeOf(desk.handlers['orders:show']({ orderNo: 'TESTA20260101000000001' }))).toBe('not_found');
  });

  it('recovery:plan re-reads the order and returns the plan with the deposit balance it checked', async () => {
    const a = sim.control.createOrder(orderA({ price: 200 })).orderNo;
    await markFailed(desk, [a]);
    sim.control.setBalance('USD', 50);
    const readsBefore = sim.control.requests('queryOrderDetails', a).length;
    const { plan, balances } = await desk.handlers['recovery:plan']({ orderNo: a });

    expect(plan.action).toBe('pay_same_order');
    expect(balances).toEqual([{ currency: 'USD', amount: 50 }]);
    expect(plan.warnings).toContain('deposit_below_due');
    expect(sim.control.requests('queryOrderDetails', a)).toHaveLength(readsBefore + 1);
    expect(await codeOf(desk.handlers['recovery:plan']({ orderNo: 'TESTA20260101000000001' }))).toBe('not_found');
  });

  it('recovery:previewDeposit totals what eligible orders need against the balance and says why others are out', async () => {
    const now = sim.control.now();
    const a1 = sim.control.createOrder(orderA({ price: 100, fee: 0 })).orderNo;
    const a2 = sim.control.createOrder(orderA({ price: 50, fee: 0 })).orderNo;
    const u = sim.control.createOrder(orderUnpaid()).orderNo;
    const t = sim.control.createOrder(orderTicketed(now)).orderNo;
    await markFailed(desk, [a1, a2]);

    const preview = await desk.handlers['recovery:previewDeposit']({ orderNos: [a1, a2, u, t] });

    expect(preview.eligible).toEqual([a1, a2]);
    expect(preview.ineligible).toEqual([
      { orderNo: u, reason: 'not_marked_failed' },
      { orderNo: t, reason: 'ticketed' },
    ]);
    expect(preview.totals).toEqual([{ currency: 'USD', due: 150, balance: 10_000, orders: 2, left: 9_850 }]);
    // Per order too: what staff approve when they confirm.
    expect(preview.dues).toEqual([
      { orderNo: a1, dueFromDeposit: { amount: 100, currency: 'USD' } },
      { orderNo: a2, dueFromDeposit: { amount: 50, currency: 'USD' } },
    ]);
  });

  it('recovery:previewDeposit keeps to the balance: the soonest deadline first, the rest left out and named', async () => {
    sim.control.setBalance('USD', 120);
    const later = sim.control.createOrder(orderA({ price: 50, fee: 0, holdMinutes: 50 })).orderNo;
    const big = sim.control.createOrder(orderA({ price: 100, fee: 0, holdMinutes: 10 })).orderNo;
    const soon = sim.control.createOrder(orderA({ price: 60, fee: 0, holdMinutes: 20 })).orderNo;
    await markFailed(desk, [later, big, soon]);

    const preview = await desk.handlers['recovery:previewDeposit']({ orderNos: [later, big, soon] });

    // big is due first and fits (100 of 120); soon (60) no longer does; later (50) does not either.
    expect(preview.eligible).toEqual([big]);
    expect(preview.beyondBalance.map((b) => b.orderNo)).toEqual([soon, later]);
    expect(preview.totals).toEqual([{ currency: 'USD', due: 100, balance: 120, orders: 1, left: 20 }]);
    expect(preview.dues).toEqual([{ orderNo: big, dueFromDeposit: { amount: 100, currency: 'USD' } }]);
  });

  it('recovery:deposit never queues an unpaid order that staff did not mark failed, and pays the Scenario A one once', async () => {
    const a = sim.control.createOrder(orderA()).orderNo;
    const u = sim.control.createOrder(orderUnpaid()).orderNo;
    await markFailed(desk, [a]);

    const { jobs, rejected } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [a, u]));

    expect(rejected).toEqual([{ orderNo: u, reason: 'not_marked_failed' }]);
    expect(jobs.map((j) => j.orderNo)).toEqual([a]);
    const [job] = await settled(desk, [jobs[0]!.id]);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: a, actor: 'Ana (test)' });
    expect(sim.control.paymentsFor(a)).toBe(1);
    expect(sim.control.paymentsFor(u)).toBe(0);
    expect(desk.paymentInFlight()).toBe(false);
    // Ticketed now: it has left the failed list.
    expect((await desk.handlers['orders:list']({ scope: 'failed' })).map((o) => o.orderNo)).not.toContain(a);
  });

  it('recovery:deposit of a staff-marked unpaid order is accepted', async () => {
    const u = sim.control.createOrder(orderUnpaid()).orderNo;
    await desk.handlers['orders:add']({ orderNos: [u], markFailed: true });
    const { jobs, rejected } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [u]));
    expect(rejected).toEqual([]);
    const [job] = await settled(desk, [jobs[0]!.id]);
    expect(job?.outcome).toBe('ticketed');
  });

  it('recovery:card regenerates a Scenario B order, pays the new one, and links them both ways', async () => {
    const b = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    await desk.handlers['orders:sync']({});

    const queued = await desk.handlers['recovery:card']({ orderNo: b, card: { ...CARD }, approved: await cardApproval(desk, b) });

    expect(queued.cardMask).toBe('411111******1111');
    const [job] = await settled(desk, [queued.id]);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed' });
    const newNo = job!.currentOrderNo;
    expect(newNo).not.toBe(b);
    const ledger = sim.control.ledger();
    expect(ledger.filter((e) => e.kind === 'regenerate')).toEqual([expect.objectContaining({ orderNo: newNo, originalOrderNo: b })]);
    expect(ledger.filter((e) => e.kind === 'pay')).toEqual([expect.objectContaining({ orderNo: newNo, paymentMethod: 3 })]);
    const original = (await desk.handlers['orders:show']({ orderNo: b })).order;
    expect(original.regeneratedInto).toEqual([newNo]);
    expect(original.category).toBe('done');
    expect((await desk.handlers['orders:show']({ orderNo: newNo })).order.regeneratedFrom).toBe(b);
    // The PAN reached Atlas and nothing else: not the database, its WAL, nor the timeline.
    await desk.stop();
    expect(allFileText(tmp.dir)).not.toContain(PAN);
  });

  it('an order the desk regenerated rejoins the failed list (Scenario A, linked) when its own payment cannot go ahead', async () => {
    // 500 + 2 fee before regeneration, 520 + 2 after (+4 %, within a 5 % price tolerance): the
    // deposit covers only the old fare, so the desk regenerates (a short deposit would stop it
    // before that) and then cannot pay.
    const tolerant = deskFor(sim, join(tmp.dir, 'tolerant.sqlite'), { priceTolerancePercent: 5 });
    others.push(tolerant);
    await tolerant.start();
    const b = sim.control.createOrder(orderB(sim.control.now(), { price: 500, fee: 2, regenerateFareDelta: 0.04 })).orderNo;
    sim.control.setBalance('USD', 510);

    const { jobs } = await tolerant.handlers['recovery:deposit'](await depositRequest(tolerant, [b]));

    const [job] = await settled(tolerant, [jobs[0]!.id]);
    expect(job).toMatchObject({ state: 'blocked', reason: 'deposit_below_due', outcome: 'not_recovered' });
    const newNo = job!.currentOrderNo;
    const failed = await tolerant.handlers['orders:list']({ scope: 'failed' });
    expect(failed.map((o) => [o.orderNo, o.category, o.regeneratedFrom])).toEqual([[newNo, 'A', b]]);
    expect(sim.control.paymentsFor(newNo)).toBe(0);
  });

  it('recovery:card refuses an unmarked unpaid order with not_marked_failed and queues nothing', async () => {
    const u = sim.control.createOrder(orderUnpaid()).orderNo;
    const approved = { dueFromDeposit: null, dueFromCard: { amount: 1, currency: 'MYR' } };
    const error = await desk.handlers['recovery:card']({ orderNo: u, card: { ...CARD }, approved }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'conflict', reason: 'not_marked_failed' });
    // What crosses IPC to the window: the code and the same reason the CLI prints.
    expect(toIpcError(error)).toEqual({ code: 'conflict', message: expect.stringContaining('not_marked_failed'), reason: 'not_marked_failed' });
    expect(await desk.handlers['queue:list']({})).toEqual([]);
  });

  it('recovery:card refuses a card Atlas or the airline must refuse, whoever the caller, and queues nothing', async () => {
    const a = sim.control.createOrder(orderA({ airline: '5J' })).orderNo;
    await desk.handlers['orders:add']({ orderNos: [a], markFailed: true });
    const approved = await cardApproval(desk, a);
    const badLuhn = await desk.handlers['recovery:card']({ orderNo: a, card: { ...CARD, cardNumber: '4111111111111112' }, approved }).catch((e: unknown) => e);
    expect(badLuhn).toMatchObject({ code: 'invalid_request', reason: 'card_invalid' });
    expect(String((badLuhn as Error).message)).toContain('cardNumber: luhn');
    expect(String((badLuhn as Error).message)).not.toContain('4111111111111112');
    // 5J needs every holder-address field (docs/atlas-api.md §3.1); the test card has no province.
    const noProvince = await desk.handlers['recovery:card']({ orderNo: a, card: { ...CARD }, approved }).catch((e: unknown) => e);
    expect(String((noProvince as Error).message)).toContain('cardHolderProvince: required');
    expect(await desk.handlers['queue:list']({})).toEqual([]);
    expect(sim.control.requests('pay', a)).toEqual([]);
  });

  it('queue:cancel cancels a job that has not started; unknown jobs are not_found', async () => {
    const idle = deskFor(sim, join(tmp.dir, 'idle.sqlite'), { options: { runQueue: false } });
    others.push(idle);
    await idle.start();
    const a = sim.control.createOrder(orderA()).orderNo;
    await markFailed(idle, [a]);
    const { jobs } = await idle.handlers['recovery:deposit'](await depositRequest(idle, [a]));

    const cancelled = await idle.handlers['queue:cancel']({ jobId: jobs[0]!.id });

    expect(cancelled).toMatchObject({ state: 'cancelled', reason: 'cancelled_by_staff' });
    expect((await idle.handlers['queue:list']({}))[0]?.state).toBe('cancelled');
    expect(await codeOf(idle.handlers['queue:cancel']({ jobId: 'no-such-job' }))).toBe('not_found');
    expect(sim.control.paymentsFor(a)).toBe(0);
  });

  it('queue:provideCard resumes a card job whose card was lost in a restart; a deposit job refuses a card', async () => {
    const path = join(tmp.dir, 'restart.sqlite');
    const first = deskFor(sim, path, { options: { runQueue: false } });
    await first.start();
    const a = sim.control.createOrder(orderA()).orderNo;
    const a2 = sim.control.createOrder(orderA()).orderNo;
    await markFailed(first, [a, a2]);
    const cardJob = await first.handlers['recovery:card']({ orderNo: a, card: { ...CARD }, approved: await cardApproval(first, a) });
    const { jobs } = await first.handlers['recovery:deposit'](await depositRequest(first, [a2]));
    await first.stop();

    const second = deskFor(sim, path);
    others.push(second);
    await second.start();
    const waiting = (await second.handlers['queue:list']({})).find((j) => j.id === cardJob.id);
    expect(waiting?.state).toBe('needs_card');
    expect(await codeOf(second.handlers['queue:provideCard']({ jobId: jobs[0]!.id, card: { ...CARD } }))).toBe('conflict');

    await second.handlers['queue:provideCard']({ jobId: cardJob.id, card: { ...CARD } });

    const [job] = await settled(second, [cardJob.id]);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.paymentsFor(a)).toBe(1);
  });

  it('balance:get returns the deposit balance of each currency asked', async () => {
    sim.control.setBalance('CNY', 321.5);
    expect(await desk.handlers['balance:get']({ currencies: ['USD', 'CNY'] })).toEqual([
      { amount: 10_000, currency: 'USD' },
      { amount: 321.5, currency: 'CNY' },
    ]);
  });

  it('history:query lists orders with activity in the window, newest first', async () => {
    const a = sim.control.createOrder(orderA()).orderNo;
    const u = sim.control.createOrder(orderUnpaid()).orderNo;
    await desk.handlers['orders:add']({ orderNos: [a], markFailed: false });
    await desk.handlers['orders:add']({ orderNos: [u], markFailed: true });

    const all = await desk.handlers['history:query']({});
    expect(all.map((e) => e.order.orderNo).sort()).toEqual([a, u].sort());
    expect(await desk.handlers['history:query']({ search: u })).toHaveLength(1);
    const future = new Date(sim.control.now() + 3_600_000).toISOString();
    expect(await desk.handlers['history:query']({ since: future })).toEqual([]);
  });

  it('records the OS account given in DeskDeps beside the staff name on every timeline event', async () => {
    const a = sim.control.createOrder(orderAttempted()).orderNo;
    await desk.handlers['orders:add']({ orderNos: [a], markFailed: true });
    const { timeline } = await desk.handlers['orders:show']({ orderNo: a });
    expect(timeline.map((e) => [e.kind, e.actor, e.osAccount])).toEqual([
      ['seen', 'Ana (test)', 'ana.os'],
      ['note', 'Ana (test)', 'ana.os'], // Atlas's paymentAttempted flag, noted as failure evidence
      ['marked_failed', 'Ana (test)', 'ana.os'],
    ]);
    expect((await desk.handlers['history:query']({ search: a }))[0]?.lastOsAccount).toBe('ana.os');
  });

  it('history:export writes the chosen file as CSV with a BOM, and does nothing when staff cancel', async () => {
    const a = sim.control.createOrder(orderA()).orderNo;
    await desk.handlers['orders:add']({ orderNos: [a], markFailed: false });

    const result = await desk.handlers['history:export']({});

    const path = join(tmp.dir, 'history.csv');
    expect(result).toEqual({ saved: true, path, rows: 1 });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain(a);
    expect(text).toMatch(/"last_activity_os_account"\r\n.*"ana\.os"\r\n$/s);

    const cancelled = deskFor(sim, join(tmp.dir, 'other.sqlite'), { exportPath: null });
    others.push(cancelled);
    await cancelled.start();
    expect(await cancelled.handlers['history:export']({})).toEqual({ saved: false, path: null, rows: 0 });
  });

  it('starts on a fresh database when the file is unreadable, and says where the old one was kept', async () => {
    const path = join(tmp.dir, 'garbage.sqlite');
    writeFileSync(path, 'not a database, just bytes that used to be one');
    const revived = deskFor(sim, path);
    others.push(revived);
    await revived.start();
    const kept = revived.databaseRecoveredFrom();
    expect(kept).not.toBeNull();
    expect(readFileSync(kept!, 'utf8')).toContain('not a database');
    expect(await revived.handlers['orders:list']({ scope: 'all' })).toEqual([]);
    expect(desk.databaseRecoveredFrom()).toBeNull();
  });

  it('refuses every channel before start() and after stop() with conflict, and closes the database', async () => {
    const path = join(tmp.dir, 'late.sqlite');
    const late = deskFor(sim, path);
    expect(await codeOf(late.handlers['queue:list']({}))).toBe('conflict');
    await late.start();
    expect(existsSync(path)).toBe(true);
    await late.stop();
    expect(await codeOf(late.handlers['orders:list']({ scope: 'all' }))).toBe('conflict');
    expect(late.paymentInFlight()).toBe(false);
  });
});
