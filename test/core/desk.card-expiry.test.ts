// The card vault's time limit as the desk applies it: the card is dropped by a timer, not on the
// next read, and the job that held it waits for staff (needs_card) instead of sitting in the queue.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import type { Job } from '../../shared/desk.ts';
import { cardApproval, deskFor, markFailed, settled } from './desk-support.ts';
import { manualTimers } from '../support/manual-timers.ts';
import { CARD } from '../support/cards.ts';
import { orderA, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
const desks: DeskCore[] = [];

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.control.setBalance('USD', 10_000); // a card payment's transaction fee comes from the deposit
  tmp = tempDir('desk-card-expiry-');
});

afterEach(async () => {
  for (const desk of desks.splice(0)) await desk.stop({ timeoutMs: 2000 });
  await sim.stop();
  tmp.cleanup();
});

function jobState(desk: DeskCore, id: string, state: Job['state']): Promise<Job> {
  return new Promise((resolve) => {
    const check = (jobs: Job[]) => {
      const job = jobs.find((j) => j.id === id);
      if (job?.state === state) {
        off();
        resolve(job);
      }
    };
    const off = desk.on('queue:changed', check);
    void desk.handlers['queue:list']({}).then(check);
  });
}

describe('card time limit in the desk', () => {
  it('parks a queued card job in needs_card when its timer fires; a new card then pays it exactly once', async () => {
    const timers = manualTimers();
    const path = join(tmp.dir, 'desk.sqlite');
    const idle = deskFor(sim, path, { options: { runQueue: false }, deps: { cardTimers: timers } });
    desks.push(idle);
    await idle.start();
    const a = sim.control.createOrder(orderA()).orderNo;
    await markFailed(idle, [a]);
    const job = await idle.handlers['recovery:card']({ orderNo: a, card: { ...CARD }, approved: await cardApproval(idle, a) });
    expect(job.state).toBe('queued');
    expect(timers.pending()).toEqual([15 * 60 * 1000]);

    const parked = jobState(idle, job.id, 'needs_card');
    timers.fireAll();
    expect(await parked).toMatchObject({ state: 'needs_card', reason: 'card_missing' });
    const { timeline } = await idle.handlers['orders:show']({ orderNo: a });
    expect(timeline.at(-1)).toMatchObject({ kind: 'note', data: { reason: 'card_missing' } });
    await idle.stop();
    desks.splice(0);

    const running = deskFor(sim, path);
    desks.push(running);
    await running.start();
    expect((await running.handlers['queue:list']({})).find((j) => j.id === job.id)?.state).toBe('needs_card');
    expect(sim.control.requests('pay')).toHaveLength(0);
    await running.handlers['queue:provideCard']({ jobId: job.id, card: { ...CARD } });
    const [done] = await settled(running, [job.id]);
    expect(done).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.paymentsFor(a)).toBe(1);
  });

  it('parks a card job waiting for the network, so nothing pays with it when Atlas is back', async () => {
    const timers = manualTimers();
    const desk = deskFor(sim, join(tmp.dir, 'desk.sqlite'), { deps: { cardTimers: timers } });
    desks.push(desk);
    await desk.start();
    const a = sim.control.createOrder(orderA()).orderNo;
    await markFailed(desk, [a]);
    sim.control.setFault('queryOrderDetails', { kind: 'reset' });
    const offline = new Promise<Job>((resolve) => {
      const off = desk.on('queue:changed', (jobs) => {
        const job = jobs.find((j) => j.orderNo === a);
        if (job?.state === 'waiting_network') {
          off();
          resolve(job);
        }
      });
    });
    const job = await desk.handlers['recovery:card']({ orderNo: a, card: { ...CARD }, approved: await cardApproval(desk, a) });
    await offline;

    const parked = jobState(desk, job.id, 'needs_card');
    timers.fireAll();
    await parked;
    sim.control.clearFaults();
    // Back online, the prober resumes waiting_network jobs only: this one keeps waiting for staff.
    await desk.handlers['orders:sync']({});
    expect((await desk.handlers['queue:list']({})).find((j) => j.id === job.id)).toMatchObject({ state: 'needs_card', reason: 'card_missing' });
    expect(sim.control.requests('pay')).toHaveLength(0);
  });
});
