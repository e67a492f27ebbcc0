// An ambiguous pay.do that reconciliation finds unpaid is not a failure to retry in bulk
// (docs/money-safety.md rule 2): the order stays in `attention` until staff say they checked it.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { depositRequest, deskFor, markFailed, settled } from './desk-support.ts';
import { orderA, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
let desk: DeskCore;

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.control.setBalance('USD', 10_000);
  tmp = tempDir('desk-ack-');
  desk = deskFor(sim, join(tmp.dir, 'desk.sqlite'));
  await desk.start();
});

afterEach(async () => {
  await desk.stop({ timeoutMs: 2000 });
  await sim.stop();
  tmp.cleanup();
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code,
  );

describe('an unknown payment outcome waits for staff', () => {
  it('keeps the order out of bulk recovery until acknowledged, then pays it once', async () => {
    const orderNo = sim.control.createOrder(orderA()).orderNo;
    await markFailed(desk, [orderNo]);
    // The connection drops after pay.do was sent: nothing was charged, but the desk cannot know.
    sim.control.setFault('pay', { kind: 'reset' }, { times: 1, orderNo });
    const first = await desk.handlers['recovery:deposit'](await depositRequest(desk, [orderNo]));
    const [job] = await settled(desk, first.jobs.map((j) => j.id));
    expect(job).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });

    const { order } = await desk.handlers['orders:show']({ orderNo });
    expect(order).toMatchObject({ category: 'attention', attentionReason: 'outcome_unknown' });
    expect(order.plan.action).toBe('reconcile_first');
    const bulk = await desk.handlers['recovery:deposit'](await depositRequest(desk, [orderNo]));
    expect(bulk.jobs).toEqual([]);
    expect(bulk.rejected).toHaveLength(1);
    expect(sim.control.requests('pay', orderNo)).toHaveLength(1);

    const checked = await desk.handlers['orders:acknowledge']({ orderNo });
    expect(checked.category).toBe('A');
    const { timeline } = await desk.handlers['orders:show']({ orderNo });
    expect(timeline.at(-1)).toMatchObject({ kind: 'reconciled', actor: 'Ana (test)', data: { by: 'staff' } });

    const again = await desk.handlers['recovery:deposit'](await depositRequest(desk, [orderNo]));
    const [paid] = await settled(desk, again.jobs.map((j) => j.id));
    expect(paid).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.paymentsFor(orderNo)).toBe(1);
  });

  it('keeps an order whose job record could not be read in attention until staff acknowledge it', async () => {
    const orderNo = sim.control.createOrder(orderA()).orderNo;
    await desk.stop();
    // A job row written by a newer build (or damaged): this build cannot read its state.
    desk = deskFor(sim, join(tmp.dir, 'desk.sqlite'), { options: { runQueue: false } });
    await desk.start();
    await markFailed(desk, [orderNo]);
    const { jobs } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [orderNo]));
    await desk.stop();
    const { DatabaseSync } = await import('node:sqlite');
    const raw = new DatabaseSync(join(tmp.dir, 'desk.sqlite'));
    raw.prepare("UPDATE jobs SET state = 'paying_v9' WHERE id = ?").run(jobs[0]!.id);
    raw.close();
    desk = deskFor(sim, join(tmp.dir, 'desk.sqlite'));
    await desk.start();
    const { order } = await desk.handlers['orders:show']({ orderNo });
    expect(order).toMatchObject({ category: 'attention' });
    expect(sim.control.requests('pay', orderNo)).toHaveLength(0);
    const checked = await desk.handlers['orders:acknowledge']({ orderNo });
    expect(checked.category).toBe('A');
  });

  it('refuses to acknowledge an order that has nothing waiting to be checked', async () => {
    const orderNo = sim.control.createOrder(orderA()).orderNo;
    await desk.handlers['orders:add']({ orderNos: [orderNo], markFailed: true });
    expect(await codeOf(desk.handlers['orders:acknowledge']({ orderNo }))).toBe('conflict');
  });
});
