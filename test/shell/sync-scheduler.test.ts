import { describe, expect, it } from 'vitest';
import { createSyncScheduler, RETRY_CAP_MS } from '../../electron/shell/sync-scheduler.ts';
import type { SyncStatus } from '../../shared/desk.ts';
import { manualTimers } from '../support/manual-timers.ts';

const ok: SyncStatus = { running: false, lastSyncAt: '2026-11-26T10:00:00.000Z', done: 10, total: 10, error: null };
const unreachable: SyncStatus = { ...ok, error: 'network' };

describe('sync scheduler', () => {
  it('syncs at once when kicked, then every interval, re-reading the interval each time', async () => {
    const timers = manualTimers();
    let minutes = 5;
    let syncs = 0;
    const scheduler = createSyncScheduler({ intervalMinutes: () => minutes, sync: async () => (syncs++, ok), ...timers });
    scheduler.kick();
    expect(timers.pending()).toEqual([0]);
    await timers.fire();
    expect(syncs).toBe(1);
    expect(timers.pending()).toEqual([5 * 60_000]);
    minutes = 2;
    await timers.fire();
    expect(syncs).toBe(2);
    expect(timers.pending()).toEqual([2 * 60_000]);
  });

  it('with the interval at 0 does not sync periodically but notices when it is turned back on', async () => {
    const timers = manualTimers();
    let minutes = 0;
    let syncs = 0;
    const scheduler = createSyncScheduler({ intervalMinutes: () => minutes, sync: async () => (syncs++, ok), ...timers });
    scheduler.kick();
    await timers.fire();
    expect(syncs).toBe(1);
    await timers.fire(); // idle re-check: no sync
    expect(syncs).toBe(1);
    minutes = 1;
    await timers.fire(); // re-check sees the new interval and schedules a real sync
    expect(timers.pending()).toEqual([60_000]);
    await timers.fire();
    expect(syncs).toBe(2);
  });

  it('keeps going after a failed sync and stops for good when stopped', async () => {
    const timers = manualTimers();
    const logs: string[] = [];
    const scheduler = createSyncScheduler({
      intervalMinutes: () => 1,
      sync: async () => {
        throw new Error('core switching');
      },
      log: (l) => logs.push(l),
      ...timers,
    });
    scheduler.kick();
    await timers.fire();
    expect(logs[0]).toContain('core switching');
    expect(timers.pending()).toEqual([60_000]);
    scheduler.stop();
    expect(timers.pending()).toEqual([]);
    scheduler.kick();
    expect(timers.pending()).toEqual([]);
  });

  it('backs off with full jitter while Atlas is unreachable, capped, and returns to the interval after a success', async () => {
    const timers = manualTimers();
    const answers: SyncStatus[] = [unreachable, unreachable, unreachable, unreachable, unreachable, ok, ok];
    let draw = 0.5;
    const logs: string[] = [];
    const scheduler = createSyncScheduler({ intervalMinutes: () => 5, sync: async () => answers.shift()!, random: () => draw, log: (l) => logs.push(l), ...timers });
    const minutes = (n: number) => n * 60_000;
    scheduler.kick();
    await timers.fire(); // 1st failure: 5 min + uniform [0, 10 min]; the draw 0.5 → +5
    expect(timers.pending()).toEqual([minutes(10)]);
    expect(logs.at(-1)).toContain('network');
    await timers.fire(); // 2nd: + [0, 20 min] → +10
    expect(timers.pending()).toEqual([minutes(15)]);
    draw = 0.999;
    await timers.fire(); // 3rd: + [0, 40 min]
    expect(timers.pending()).toEqual([minutes(5) + Math.floor(0.999 * minutes(40))]);
    await timers.fire(); // 4th: 80 min would exceed the cap
    expect(timers.pending()).toEqual([minutes(5) + Math.floor(0.999 * RETRY_CAP_MS)]);
    draw = 0;
    await timers.fire(); // 5th: a zero draw still waits the whole interval, never less
    expect(timers.pending()).toEqual([minutes(5)]);
    await timers.fire(); // success: back to the plain interval
    expect(timers.pending()).toEqual([minutes(5)]);
    draw = 0.999;
    await timers.fire(); // and it stays there (no failure left to add for)
    expect(timers.pending()).toEqual([minutes(5)]);
  });

  it('treats a refused sync (core switching) as no news about Atlas: no failure counted, none forgotten', async () => {
    const timers = manualTimers();
    const results: (() => Promise<SyncStatus>)[] = [async () => unreachable, async () => Promise.reject(new Error('switching')), async () => unreachable];
    const scheduler = createSyncScheduler({ intervalMinutes: () => 5, sync: () => results.shift()!(), random: () => 0.5, ...timers });
    scheduler.kick();
    await timers.fire(); // failure 1 → 5 + 5 min
    expect(timers.pending()).toEqual([10 * 60_000]);
    await timers.fire(); // refused: still one failure → 5 + 5 min
    expect(timers.pending()).toEqual([10 * 60_000]);
    await timers.fire(); // failure 2 → 5 + 10 min
    expect(timers.pending()).toEqual([15 * 60_000]);
  });
});
