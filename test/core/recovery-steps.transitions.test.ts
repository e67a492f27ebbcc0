// Every job transition is one transaction, and the journal is parsed when read back
// (docs/money-safety.md rule 10): a crash or a failed write never separates a decision from its
// record, and a record this build cannot read is parked for staff, never guessed at and re-run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import { RECORD_UNREADABLE } from '../../electron/store/jobs-repo.ts';
import { openDesk, withSimulator, type Desk, depositIntents } from './queue-harness.ts';
import { orderA } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let desk: Desk;

beforeEach(async () => {
  sim = await withSimulator();
  desk = openDesk(sim);
});

afterEach(async () => {
  await desk.close();
  await sim.stop();
  removeDir(desk.dir);
});

/** A pay.do whose answer is lost and that did not take effect: the job must end in attention. */
function lostPayment(): { orderNo: string; jobId: string } {
  const order = sim.control.createOrder(orderA());
  sim.control.setFault('pay', { kind: 'reset' }, { times: 1 });
  const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
  return { orderNo: order.orderNo, jobId: job!.id };
}

describe('a job transition commits whole or not at all', () => {
  it('a reconciliation whose timeline write fails leaves the step unknown and the job parked, never paid again', async () => {
    const { orderNo, jobId } = lostPayment();
    // The timeline write of the reconciliation fails once (a full disk, a killed process…).
    let failed = 0;
    const append = EventsRepo.prototype.append;
    EventsRepo.prototype.append = function (this: EventsRepo, ...args: Parameters<EventsRepo['append']>) {
      if (args[1] === 'reconciled' && failed++ === 0) throw new Error('disk I/O error');
      return append.apply(this, args);
    };
    try {
      await desk.queue.start();
      await desk.queue.whenIdle();
    } finally {
      EventsRepo.prototype.append = append;
    }
    expect(failed).toBe(1);
    // Without one transaction the step said "reconciled: unpaid" while the job was left to run on.
    expect(desk.queue.jobs.steps(jobId).map((s) => s.state)).toEqual(['unknown']);
    expect(desk.queue.jobs.mustGet(jobId)).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
    expect(sim.control.requests('pay', orderNo)).toHaveLength(1);
    expect(sim.control.paymentsFor(orderNo)).toBe(0);
  });

  it('a job whose journal shows a reconciliation found no payment never pays again, whatever its row says', async () => {
    const { orderNo, jobId } = lostPayment();
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(jobId)).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
    // The row as a crash before the settle (or an older build) left it: reconciled, but not settled.
    desk.store.db.prepare("UPDATE jobs SET state = 'reconciling' WHERE id = ?").run(jobId);
    await desk.queue.stop();
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(sim.control.requests('pay', orderNo)).toHaveLength(1);
    expect(sim.control.paymentsFor(orderNo)).toBe(0);
    expect(desk.queue.jobs.mustGet(jobId)).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
  });

  it('staff intent and its job are one record: a failed intent write leaves no job behind', () => {
    const order = sim.control.createOrder(orderA());
    const append = EventsRepo.prototype.append;
    EventsRepo.prototype.append = () => {
      throw new Error('disk I/O error');
    };
    try {
      expect(() => desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei')).toThrow(/disk I\/O/);
    } finally {
      EventsRepo.prototype.append = append;
    }
    expect(desk.queue.list()).toEqual([]);
  });
});

describe('records are parsed when read back', () => {
  it('a job row this build cannot read is parked in attention, kept, and never run', async () => {
    const order = sim.control.createOrder(orderA());
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    desk.store.db.prepare("UPDATE jobs SET state = 'paying_v9' WHERE id = ?").run(job!.id);
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(sim.control.requests('pay', order.orderNo)).toHaveLength(0);
    expect(desk.queue.list()).toEqual([expect.objectContaining({ id: job!.id, state: 'attention', reason: RECORD_UNREADABLE })]);
    const row = desk.store.db.prepare('SELECT state, reason FROM jobs WHERE id = ?').get(job!.id);
    expect(row).toEqual({ state: 'attention', reason: RECORD_UNREADABLE });
  });

  it('a job whose reason this build has no words for is parked like any unreadable row, and never run', async () => {
    const order = sim.control.createOrder(orderA());
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    desk.store.db.prepare("UPDATE jobs SET reason = 'waiting_for_v9' WHERE id = ?").run(job!.id);
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(sim.control.requests('pay', order.orderNo)).toHaveLength(0);
    expect(desk.queue.list()).toEqual([expect.objectContaining({ id: job!.id, state: 'attention', reason: RECORD_UNREADABLE })]);
  });

  it('a reason that carries an Atlas code reads back as written', () => {
    const order = sim.control.createOrder(orderA());
    const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order.orderNo]), 'mei').jobs;
    desk.store.db.prepare("UPDATE jobs SET state = 'failed', reason = 'pay_rejected_411' WHERE id = ?").run(job!.id);
    expect(desk.queue.jobs.mustGet(job!.id)).toMatchObject({ state: 'failed', reason: 'pay_rejected_411' });
  });

  it('a journal step that does not parse parks its job; the step is kept and nothing is sent', async () => {
    const { orderNo, jobId } = lostPayment();
    await desk.queue.start();
    await desk.queue.whenIdle();
    await desk.queue.stop();
    // An in-flight step whose journal entry is damaged: what was sent cannot be known from it.
    desk.store.db
      .prepare("UPDATE steps SET state = 'in_flight', request_json = '{\"orderNo\": ' WHERE job_id = ?")
      .run(jobId);
    desk.store.db.prepare("UPDATE jobs SET state = 'reconciling' WHERE id = ?").run(jobId);
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(sim.control.requests('pay', orderNo)).toHaveLength(1);
    expect(desk.queue.jobs.mustGet(jobId)).toMatchObject({ state: 'attention', reason: RECORD_UNREADABLE });
    const kept = desk.store.db.prepare('SELECT COUNT(*) AS n FROM steps WHERE job_id = ?').get(jobId);
    expect(kept).toEqual({ n: 1 });
  });
});
