// queue:pace / queue:paceChanged: the desk core tells the window how many jobs may run at once, and
// every Atlas call the desk makes teaches the limit — sync's reads as well as the queue's.
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import type { QueuePace } from '../../shared/ipc.ts';
import { deskFor } from './desk-support.ts';
import { orderA, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator | null = null;
let desk: DeskCore | null = null;
let cleanup = () => {};
afterEach(async () => {
  await desk?.stop();
  await sim?.stop();
  cleanup();
  desk = null;
  sim = null;
});

async function open(max: () => number): Promise<{ desk: DeskCore; sim: RunningSimulator }> {
  sim = await startTestSimulator();
  const tmp = tempDir('desk-pace-');
  cleanup = tmp.cleanup;
  desk = deskFor(sim, `${tmp.dir}/desk.sqlite`, { deps: { maxConcurrency: max } });
  await desk.start();
  return { desk, sim };
}

describe('queue:pace', () => {
  it('starts at 4 under the cap from settings, and a lowered cap applies at once', async () => {
    let max = 16;
    const { desk } = await open(() => max);
    expect(await desk.handlers['queue:pace']({})).toEqual({ limit: 4, max: 16 });
    max = 2;
    expect(await desk.handlers['queue:pace']({})).toEqual({ limit: 2, max: 2 });
  });

  it("grows while sync's reads are answered, pushes each change, and halves on a 429", async () => {
    const { desk, sim } = await open(() => 16);
    for (let i = 0; i < 6; i++) sim.control.createOrder(orderA({ passengers: [`SYNC/P${i}`] }));
    const pushed: QueuePace[] = [];
    desk.on('queue:paceChanged', (pace) => pushed.push(pace));
    await desk.handlers['orders:sync']({});
    const grown = (await desk.handlers['queue:pace']({})).limit;
    expect(grown).toBeGreaterThan(4);
    expect(pushed.at(-1)).toEqual({ limit: grown, max: 16 });
    sim.control.setFault('orderList', { kind: 'rate_limit', retryAfter: 1, httpStatus: 429 }, { times: 1 });
    await desk.handlers['orders:sync']({});
    expect(pushed).toContainEqual({ limit: Math.floor(grown / 2), max: 16 });
  });
});
