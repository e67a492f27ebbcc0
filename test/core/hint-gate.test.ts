// The hint gate on a fake clock: which webhook hints become Atlas queries, and when.
import { describe, expect, it } from 'vitest';
import { HintGate, type HintLimits } from '../../electron/core/hint-gate.ts';

/** A clock and timers that move only when the test says so. */
function fakeTime() {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 0;
  return {
    now: () => now,
    timers: {
      set: (fn: () => void, ms: number) => {
        timers.set(++next, { at: now + ms, fn });
        return next;
      },
      clear: (handle: unknown) => void timers.delete(handle as number),
    },
    /** Moves the clock, firing due timers in order. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}

const settle = () => new Promise((r) => setImmediate(r));

function gate(limits: Partial<HintLimits>, known: (o: string) => boolean = () => true) {
  const time = fakeTime();
  const started: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const release: (() => void)[] = [];
  const g = new HintGate({
    limits,
    known,
    now: time.now,
    timers: time.timers,
    run: (orderNo) => {
      started.push(orderNo);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<void>((resolve) =>
        release.push(() => {
          inFlight--;
          resolve();
        }),
      );
    },
  });
  const finishAll = async () => {
    while (release.length > 0) release.shift()!();
    await settle();
  };
  return { g, time, started, finishAll, maxInFlight: () => maxInFlight };
}

describe('HintGate', () => {
  it('coalesces hints for an order that waits or runs into one query plus one follow-up', async () => {
    const { g, time, started, finishAll } = gate({ perOrderIntervalMs: 1000 });
    expect(g.offer('A1').decision).toBe('queued');
    await settle();
    expect(started).toEqual(['A1']);
    expect(g.offer('A1').decision).toBe('queued'); // arrived while running: one follow-up
    for (let i = 0; i < 100; i++) expect(g.offer('A1').decision).toBe('coalesced');
    await finishAll();
    expect(started).toEqual(['A1']); // the follow-up waits for its turn
    await time.advance(1000);
    expect(started).toEqual(['A1', 'A1']);
    await finishAll();
    await time.advance(60_000);
    expect(started).toEqual(['A1', 'A1']);
  });

  it('queries one order at most once per interval, however often it is hinted', async () => {
    const { g, time, started, finishAll } = gate({ perOrderIntervalMs: 30_000, perMinute: 6000, burst: 100 });
    for (let t = 0; t < 120_000; t += 500) {
      g.offer('A1');
      await finishAll();
      await time.advance(500);
    }
    // 120 s at one query per 30 s: the first, then one per interval.
    expect(started.length).toBeLessThanOrEqual(1 + 120_000 / 30_000);
    expect(started.length).toBeGreaterThanOrEqual(120_000 / 30_000);
  });

  it('starts at most burst + perMinute × elapsed queries across many orders', async () => {
    const limits = { perMinute: 60, burst: 5, concurrency: 50, maxPending: 10_000 };
    const { g, time, started, finishAll } = gate(limits);
    for (let i = 0; i < 1000; i++) g.offer(`F${i}`);
    await settle();
    expect(started).toHaveLength(limits.burst);
    for (const seconds of [1, 10, 30]) {
      await time.advance(seconds * 1000);
      await finishAll();
    }
    const elapsedMs = 41_000;
    expect(started.length).toBeLessThanOrEqual(limits.burst + (limits.perMinute * elapsedMs) / 60_000);
    expect(started.length).toBeGreaterThanOrEqual((limits.perMinute * elapsedMs) / 60_000);
  });

  it('never runs more than `concurrency` queries at once', async () => {
    const { g, time, finishAll, maxInFlight, started } = gate({ concurrency: 2, burst: 100, perMinute: 6000 });
    for (let i = 0; i < 20; i++) g.offer(`C${i}`);
    await settle();
    expect(started).toHaveLength(2);
    while (started.length < 20) {
      await finishAll();
      await time.advance(10);
    }
    expect(maxInFlight()).toBe(2);
  });

  it('keeps at most maxPending orders waiting, and a known order displaces an unknown one', async () => {
    const known = (o: string) => o.startsWith('K');
    const { g, started, finishAll, time } = gate({ maxPending: 3, concurrency: 1, burst: 1, perMinute: 60 }, known);
    g.offer('U0'); // runs at once (the only token)
    await settle();
    expect(['U1', 'U2', 'U3', 'U4'].map((o) => g.offer(o).decision)).toEqual(['queued', 'queued', 'queued', 'dropped']);
    expect(g.offer('K1').decision).toBe('queued'); // evicts the newest unknown
    expect(g.stats()).toMatchObject({ waiting: 3, dropped: 2 });
    await finishAll();
    await time.advance(1000);
    expect(started).toEqual(['U0', 'K1']); // known orders go first
  });

  it('stops: nothing more starts, and waiting hints resolve', async () => {
    const { g, time, started } = gate({ burst: 1, perMinute: 60 });
    g.offer('A1');
    const waiting = g.offer('A2').done;
    g.stop();
    await waiting;
    await time.advance(60_000);
    expect(started).toEqual(['A1']);
    expect(g.offer('A3').decision).toBe('dropped');
  });
});
