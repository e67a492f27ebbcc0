// One process runs the queue of a database file (docs/money-safety.md rule 10): two desks on one
// file — in this process, and as real child processes — never both work the jobs. Without the
// lease each desk ran every unsettled job of the file and sent a second pay.do for most orders.
// The simulator's ledger and its request log are the judges.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RetryQueue, type QueueLeaseStatus } from '../../electron/core/queue.ts';
import type { TraceEvent } from '../../electron/core/trace.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { openDatabase } from '../../electron/store/db.ts';
import { startChild, type ChildLine, type DeskChild } from '../support/child-runner.ts';
import type { QueueLeaseStatus as LeasePush } from '../../shared/ipc.ts';
import { deskFor, settled, depositRequest, cardApproval } from './desk-support.ts';
import { openDesk, withSimulator, depositIntents, cardIntent } from './queue-harness.ts';
import { CARD } from '../support/cards.ts';
import { orderA, orderB } from '../support/scenarios.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await withSimulator(23);
  // Work takes real time, so two runners on one file would overlap on the same orders.
  sim.control.setFault('pay', { kind: 'latency', ms: 30 });
  sim.control.setFault('regenerateOrder', { kind: 'latency', ms: 30 });
});
afterAll(async () => {
  await sim.stop();
});

function chain(orderNo: string): string[] {
  return [orderNo, ...sim.control.orders().filter((o) => o.originalOrderNo === orderNo).map((o) => o.orderNo)];
}

/** Paid exactly once, by exactly one pay.do, with at most one regeneration. */
function expectPaidOnce(orderNo: string): void {
  const orders = chain(orderNo);
  expect(orders.reduce((n, o) => n + sim.control.paymentsFor(o), 0), `${orderNo} payments`).toBe(1);
  for (const o of orders) expect(sim.control.requests('pay', o).length, `${o} pay.do requests`).toBeLessThanOrEqual(1);
  expect(sim.control.requests('regenerateOrder', orderNo).length, `${orderNo} regenerations`).toBeLessThanOrEqual(1);
}

function makeOrders(tag: string, n: number): string[] {
  const now = sim.control.now();
  return Array.from({ length: n }, (_, i) =>
    sim.control.createOrder(i % 2 === 0 ? orderA({ passengers: [`${tag}/P${i}`] }) : orderB(now, { passengers: [`${tag}/P${i}`] })).orderNo,
  );
}

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 5));
    poll();
  });
}

describe('queue lease: two desks on one database file in one process', () => {
  it('only the holder runs jobs; the other follows, may enqueue deposit jobs, and takes over when the holder stops', async () => {
    const dir = tempDir('desk-lease-').dir;
    const traceB: TraceEvent[] = [];
    const a = openDesk(sim, { tickMs: 10, maxConcurrency: () => 4 }, dir);
    const b = openDesk(sim, { tickMs: 10, maxConcurrency: () => 4, trace: (e) => traceB.push(e) }, dir);
    try {
      const orders = makeOrders('LEASE1', 8);
      // A scheduled run and a person at the same time: both ask for every order.
      a.queue.enqueueDeposit(depositIntents(sim, orders), 'scheduler');
      b.queue.enqueueDeposit(depositIntents(sim, [...orders].reverse()), 'mei');
      const statusesB: QueueLeaseStatus[] = [];
      b.queue.onLeaseChange((s) => statusesB.push(s));
      let seenByB = 0;
      b.queue.onChange(() => seenByB++);
      await Promise.all([a.queue.start(), b.queue.start()]);
      expect(a.queue.leaseStatus()).toEqual({ runsHere: true, elsewhere: null });
      expect(b.queue.leaseStatus()).toMatchObject({ runsHere: false, elsewhere: { pid: process.pid } });

      // B may enqueue while A holds the lease: A picks the job up from the file and runs it.
      const late = makeOrders('LEASE1LATE', 1)[0] as string;
      b.queue.enqueueDeposit(depositIntents(sim, [late]), 'mei');
      // Card details never leave the process they were typed in: B cannot take them.
      expect(() => b.queue.enqueueCard(cardIntent(sim, makeOrders('LEASE1CARD', 1)[0] as string), CARD, 'mei')).toThrow(
        expect.objectContaining({ code: 'queue_held_elsewhere' }),
      );
      await until(() => a.queue.jobs.listUnsettled().length === 0);
      await a.queue.whenIdle();

      expect(traceB.filter((e) => e.point === 'advance')).toEqual([]);
      for (const o of [...orders, late]) expectPaidOnce(o);
      for (const job of a.queue.list()) expect(job).toMatchObject({ state: 'done', outcome: 'ticketed' });
      // B followed A's writes (its list and pushes stay current) and said who works the queue.
      await until(() => seenByB > 0);
      expect(statusesB.at(-1)).toMatchObject({ runsHere: false, elsewhere: { pid: process.pid } });

      // A stops (releases the lease): B takes over and runs new work itself.
      await a.close();
      await until(() => b.queue.leaseStatus().runsHere);
      expect(traceB.map((e) => e.point).slice(0, 2)).toEqual(['lease_taken', 'leftovers_reconciled']);
      const after = makeOrders('LEASE1AFTER', 1)[0] as string;
      b.queue.enqueueDeposit(depositIntents(sim, [after]), 'mei');
      await until(() => b.queue.jobs.listUnsettled().length === 0);
      await b.queue.whenIdle();
      expectPaidOnce(after);
    } finally {
      await a.close().catch(() => {});
      await b.close();
      removeDir(dir);
    }
  });
});

describe('queue lease: a holder that loses its lease while its call is on the wire', () => {
  it('records nothing of the answer; whoever holds the lease next settles the step by query, and the order is paid once', async () => {
    const dir = tempDir('desk-lease-answer-').dir;
    let stolen = false;
    const a = openDesk(
      sim,
      {
        tickMs: 10,
        maxConcurrency: () => 1,
        // Right after the pay.do is journaled, before it is sent, another process takes the lease
        // (as after a freeze past expiry). Its PID is alive, so the lease is not free.
        trace: (e) => {
          if (e.point !== 'pay_journaled' || stolen) return;
          stolen = true;
          const until = new Date(Date.now() + 60_000).toISOString();
          a.store.db
            .prepare("UPDATE queue_lease SET owner = 'other-desk', pid = ?, host = 'elsewhere', renewed_at = ?, expires_at = ? WHERE id = 1")
            .run(process.pid, new Date().toISOString(), until);
        },
      },
      dir,
    );
    try {
      const [orderNo] = makeOrders('LEASE4', 1) as [string];
      const [job] = a.queue.enqueueDeposit(depositIntents(sim, [orderNo]), 'mei').jobs;
      await a.queue.start();
      await until(() => stolen && a.queue.leaseStatus().runsHere === false);
      await until(() => sim.control.paymentsFor(orderNo) === 1);
      await a.queue.whenIdle();
      // Atlas took the payment, but this process no longer held the lease when the answer came:
      // the journal still says "sent, answer unknown", as the next holder must find it.
      expect(a.queue.jobs.steps(job!.id).map((s) => [s.kind, s.state])).toEqual([['pay', 'in_flight']]);
      expect(a.queue.jobs.mustGet(job!.id).state).toBe('running');

      // The other process goes away: this one takes the lease back, reconciles by query, tracks.
      a.store.db.prepare('DELETE FROM queue_lease').run();
      await until(() => a.queue.jobs.mustGet(job!.id).state === 'done');
      expect(a.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
      expect(a.queue.jobs.steps(job!.id).map((s) => [s.kind, s.state, s.result?.paid])).toEqual([['pay', 'reconciled', true]]);
      expectPaidOnce(orderNo);
    } finally {
      await a.close();
      removeDir(dir);
    }
  });
});

describe('queue lease: the wall clock set forward past the lease while a pay.do is on the wire', () => {
  it('the holder records nothing of the answer, takes its own lease back, settles the step by query: paid once', async () => {
    const dir = tempDir('desk-lease-jump-').dir;
    let jump = 0;
    const a = openDesk(
      sim,
      {
        tickMs: 10,
        maxConcurrency: () => 1,
        // No renewal falls due during the test: only the jump can make the lease look expired.
        lease: { timing: { leaseMs: 120_000, renewMs: 60_000 }, wallClock: () => Date.now() + jump },
        trace: (e) => {
          if (e.point === 'pay_journaled') jump = 10 * 60_000;
        },
      },
      dir,
    );
    try {
      const [orderNo] = makeOrders('LEASE5', 1) as [string];
      const [job] = a.queue.enqueueDeposit(depositIntents(sim, [orderNo]), 'mei').jobs;
      await a.queue.start();
      await until(() => a.queue.jobs.mustGet(job!.id).state === 'done');
      expect(a.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
      expect(a.queue.jobs.steps(job!.id).map((s) => [s.kind, s.state, s.result?.paid])).toEqual([['pay', 'reconciled', true]]);
      expectPaidOnce(orderNo);
    } finally {
      await a.close();
      removeDir(dir);
    }
  });
});

describe('queue lease: two desk cores on one database file', () => {
  it('the second desk says another desk process works the queue, refuses card details, and takes over on stop', async () => {
    const dir = tempDir('desk-lease-core-').dir;
    const dbPath = join(dir, 'desk.db');
    const a = deskFor(sim, dbPath, { staff: 'scheduler' });
    const b = deskFor(sim, dbPath, { staff: 'mei' });
    const pushed: LeasePush[] = [];
    b.on('queue:leaseChanged', (s) => pushed.push(s));
    try {
      await a.start();
      await b.start();
      expect(await a.handlers['queue:lease']({})).toEqual({ runsHere: true, elsewhere: null });
      expect(await b.handlers['queue:lease']({})).toMatchObject({ runsHere: false, elsewhere: { pid: process.pid } });

      // Cancelled after the airline declined the card: plainly failed, so the desk may recover it.
      const now = sim.control.now();
      const orderNo = sim.control.createOrder(orderB(now, { passengers: ['LEASECORE/P1'] })).orderNo;
      const cardOrder = sim.control.createOrder(orderB(now, { passengers: ['LEASECORE/P2'] })).orderNo;
      // B asks; A (the holder) runs it; B follows A's writes and sees it settle.
      const { jobs } = await b.handlers['recovery:deposit'](await depositRequest(b, [orderNo]));
      expect(jobs).toHaveLength(1);
      const [done] = await settled(b, jobs.map((j) => j.id));
      expect(done).toMatchObject({ state: 'done', outcome: 'ticketed' });
      expectPaidOnce(orderNo);
      await expect(b.handlers['recovery:card']({ orderNo: cardOrder, card: CARD, approved: await cardApproval(b, cardOrder) })).rejects.toEqual(
        expect.objectContaining({ code: 'conflict', reason: 'queue_held_elsewhere' }),
      );

      await a.stop();
      await until(() => pushed.at(-1)?.runsHere === true);
      expect(pushed.at(-1)).toEqual({ runsHere: true, elsewhere: null });
    } finally {
      await a.stop();
      await b.stop();
      removeDir(dir);
    }
  });
});

describe('queue lease: two desk processes on one database file', () => {
  /** Jobs written by "the desk" before any runner process starts. */
  function prepare(orders: string[]): string {
    const dir = tempDir('desk-lease-proc-').dir;
    const dbPath = join(dir, 'desk.db');
    const store = openDatabase(dbPath);
    new RetryQueue({ db: store.db, atlas: null as never, clock: { now: () => Date.now() } }).enqueueDeposit(depositIntents(sim, orders), 'mei');
    store.close();
    return dbPath;
  }

  function jobsOf(dbPath: string) {
    const store = openDatabase(dbPath);
    try {
      return new RetryQueue({ db: store.db, atlas: null as never, clock: { now: () => Date.now() } }).list();
    } finally {
      store.close();
    }
  }

  const isTrace = (point: string) => (l: ChildLine) => l.kind === 'trace' && l.point === point;
  /** Two Node processes boot and work here: many seconds on a busy 2-core machine. They wait on lines, not on time. */
  const PROCESS_TEST_MS = 120_000;

  // A held child waits for its kill or its release file: a failed test must not leave it frozen.
  const children: DeskChild[] = [];
  const start = (dbPath: string, env: Record<string, string>) => {
    const child = startChild(sim, dbPath, { env });
    children.push(child);
    return child;
  };
  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
  });

  it('the second process waits while the first holds the lease, takes over after the first is SIGKILLed, and reconciles its step first', async () => {
    const orders = makeOrders('LEASE2', 6);
    const dbPath = prepare(orders);
    // A is killed after its second pay.do answered but before it recorded the answer. It runs one
    // job at a time, so that step is the only one it leaves: with more at once, another job's step
    // could be journaled and not yet sent at the kill, and B rightly stops that job for staff
    // (docs/money-safety.md rule 2; test/core/crash.test.ts proves that case).
    const a = start(dbPath, { QUEUE_MAX_CONCURRENCY: '1', CRASH_HOLD: JSON.stringify({ point: 'pay_answered', nth: 2 }) });
    await a.waitFor((l) => l.raw === 'lease true -');
    const b = start(dbPath, { QUEUE_TICK_MS: '20' });
    await b.waitFor((l) => l.raw === `lease false ${a.pid}`);
    const held = await a.waitFor((l) => l.kind === 'hold');
    expect(b.lines.filter((l) => l.kind === 'trace')).toEqual([]);
    const count = (suffix: string) => a.lines.filter((l) => l.kind === 'trace' && l.point.endsWith(suffix)).length;
    expect(count('_answered'), 'every call A journaled was answered').toBe(count('_journaled'));
    a.kill();
    expect(await a.ended).toBe('killed');
    expect(await b.ended).toBe('drained');

    const points = b.lines.filter((l) => l.kind === 'trace');
    expect(points[0]?.point).toBe('lease_taken');
    const reconciled = points.findIndex((l) => l.point === 'reconcile_read' && l.orderNo === held.orderNo);
    const firstNewWork = points.findIndex((l) => l.point === 'pay_ready' || l.point === 'regenerate_ready');
    const ready = points.findIndex((l) => l.point === 'leftovers_reconciled');
    expect(reconciled).toBeGreaterThan(0);
    expect(reconciled).toBeLessThan(ready);
    expect(ready).toBeLessThan(firstNewWork);
    for (const o of orders) expectPaidOnce(o);
    for (const job of jobsOf(dbPath)) expect(job).toMatchObject({ state: 'done', outcome: 'ticketed' });
    removeDir(join(dbPath, '..'));
  }, PROCESS_TEST_MS);

  it('a holder frozen past its lease loses it to the other process and sends nothing more', async () => {
    const orders = makeOrders('LEASE3', 4);
    const dbPath = prepare(orders);
    const release = join(dbPath, '..', 'release-a');
    // Short enough for a quick take-over, long enough that a holder merely slowed down by a busy
    // machine keeps its lease (a 600 ms lease changed hands back and forth under load).
    const timing = { LEASE_MS: '3000', LEASE_RENEW_MS: '100', QUEUE_TICK_MS: '20' };
    // A freezes right after re-reading and planning its first pay, before the lease check, like a
    // suspended VM: no renewal, and its process is alive, so only expiry frees the lease. One job
    // at a time: nothing else of A's is on the wire meanwhile. It stays frozen until B holds the
    // lease, however long the machine takes to get there.
    const a = start(dbPath, { ...timing, QUEUE_MAX_CONCURRENCY: '1', CRASH_HOLD: JSON.stringify({ point: 'pay_ready', nth: 1, until: release }) });
    const held = await a.waitFor((l) => l.kind === 'hold');
    const b = start(dbPath, timing);
    await b.waitFor((l) => l.raw === `lease false ${a.pid}`);
    await b.waitFor(isTrace('lease_taken'));
    writeFileSync(release, '');
    await a.waitFor(isTrace('lease_lost'));
    expect(await b.ended).toBe('drained');
    expect(await a.ended).toBe('drained');

    // A's journal write found the lease gone (its next point, before any tick could renew), and A
    // journaled nothing more until it held the lease again (B lets it go once the file is settled);
    // it never journaled a pay; B paid the order A was about to pay, once.
    const afterHold = a.lines.slice(a.lines.indexOf(held) + 1).filter((l) => l.kind === 'trace');
    const retaken = afterHold.findIndex((l) => l.point === 'lease_taken');
    const withoutLease = retaken < 0 ? afterHold : afterHold.slice(0, retaken);
    expect(withoutLease[0]?.point).toBe('lease_lost');
    expect(withoutLease.filter((l) => l.point.endsWith('_journaled'))).toEqual([]);
    expect(a.lines.filter((l) => l.kind === 'trace' && l.point === 'pay_journaled')).toEqual([]);
    expect(b.lines.some((l) => l.kind === 'trace' && l.point === 'pay_journaled' && l.orderNo === held.orderNo)).toBe(true);
    for (const o of orders) expectPaidOnce(o);
    for (const job of jobsOf(dbPath)) expect(job).toMatchObject({ state: 'done', outcome: 'ticketed' });
    removeDir(join(dbPath, '..'));
  }, PROCESS_TEST_MS);
});
