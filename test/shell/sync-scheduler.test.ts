import { describe, expect, it } from 'vitest';
import { createSyncScheduler } from '../../electron/shell/sync-scheduler.ts';

/** A manual timer queue: tests fire timers explicitly, so nothing depends on wall time. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let id = 0;
  return {
    setTimer: (fn: () => void, ms: number) => {
      pending.set(++id, { fn, ms });
      return id;
    },
    clearTimer: (handle: unknown) => void pending.delete(handle as number),
    pending: () => [...pending.values()].map((t) => t.ms),
    async fire() {
      const [key, timer] = [...pending.entries()][0]!;
      pending.delete(key);
      timer.fn();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('sync scheduler', () => {
  it('syncs at once when kicked, then every interval, re-reading the interval each time', async () => {
    const timers = manualTimers();
    let minutes = 5;
    let syncs = 0;
    const scheduler = createSyncScheduler({ intervalMinutes: () => minutes, sync: async () => void syncs++, ...timers });
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
    const scheduler = createSyncScheduler({ intervalMinutes: () => minutes, sync: async () => void syncs++, ...timers });
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
});
