// The adaptive limit on its own: a fake clock and a fake Atlas whose calls the test settles one by
// one, so every answer's order (and what was on the wire when the limit was cut) is chosen here.
import { describe, expect, it } from 'vitest';
import { AtlasError, type AtlasApi } from '../../electron/atlas/api.ts';
import { AdaptiveLimit } from '../../electron/core/adaptive-limit.ts';
import type { AtlasFailure, OrderDetails } from '../../shared/atlas.ts';

interface Pending {
  answer(): void;
  fail(failure: Omit<AtlasFailure, 'endpoint'>): void;
}

/** An Atlas whose queryOrder calls wait until the test answers or fails them. */
function heldAtlas(): { api: AtlasApi; call(): Pending; settled(): Promise<void> } {
  const waiting: Pending[] = [];
  const api = {
    queryOrder: () =>
      new Promise<OrderDetails>((resolve, reject) => {
        waiting.push({
          answer: () => resolve({} as OrderDetails),
          fail: (failure) => reject(new AtlasError({ endpoint: 'queryOrderDetails', ...failure })),
        });
      }),
  } as unknown as AtlasApi;
  return {
    api,
    call(): Pending {
      return waiting.shift() as Pending;
    },
    settled: () => new Promise((resolve) => setTimeout(resolve, 0)),
  };
}

function limitWith(options: { max?: number; initial?: number } = {}) {
  let now = 0;
  const limit = new AdaptiveLimit({ max: () => options.max ?? 16, initial: options.initial ?? 4, now: () => now });
  const atlas = heldAtlas();
  const wrapped = limit.wrap(atlas.api);
  const changes: number[] = [];
  limit.onChange((l) => changes.push(l));
  /** Sends `n` calls and returns them, in the order sent. */
  const send = (n: number): Pending[] =>
    Array.from({ length: n }, () => {
      void wrapped.queryOrder('X').catch(() => undefined);
      return atlas.call();
    });
  return { limit, send, settled: atlas.settled, changes, advance: (ms: number) => (now += ms) };
}

const RATE_LIMITED = { kind: 'rate_limited', code: 429, retryAfter: 3 } as const;

describe('AdaptiveLimit', () => {
  it('starts at its initial value, never above the cap', () => {
    expect(limitWith({ initial: 4 }).limit.current()).toBe(4);
    expect(limitWith({ initial: 4, max: 2 }).limit.current()).toBe(2);
  });

  it('grows by one per answer until Atlas first pushes back, then by one per round of answers at the limit', async () => {
    const t = limitWith({ initial: 4 });
    for (const call of t.send(3)) call.answer();
    await t.settled();
    expect(t.limit.current()).toBe(7);
    // A pushback: 7 → 3, and from now on one more only after 3 answers in a row.
    t.send(1)[0]!.fail(RATE_LIMITED);
    await t.settled();
    t.advance(3000);
    const calls = t.send(5);
    for (const call of calls.slice(0, 2)) call.answer();
    await t.settled();
    expect(t.limit.current()).toBe(3);
    calls[2]!.answer();
    await t.settled();
    expect(t.limit.current()).toBe(4);
    calls[3]!.answer();
    calls[4]!.answer();
    await t.settled();
    expect(t.limit.current()).toBe(4);
    expect(t.changes).toEqual([5, 6, 7, 3, 4]);
  });

  it('halves on a 429, a 5xx and a timeout, also when a pay or regenerate had to be classed unknown_outcome', async () => {
    const overloads: Omit<AtlasFailure, 'endpoint'>[] = [
      { kind: 'rate_limited', code: 429 },
      { kind: 'server', httpStatus: 502 },
      { kind: 'timeout', meaning: 'no answer before the timeout' },
      { kind: 'unknown_outcome', httpStatus: 503, meaning: 'server error after the request was sent' },
      { kind: 'unknown_outcome', meaning: 'no answer before the timeout' },
    ];
    for (const failure of overloads) {
      const t = limitWith({ initial: 12 });
      t.send(1)[0]!.fail(failure);
      await t.settled();
      expect(t.limit.current(), failure.kind).toBe(6);
    }
  });

  it('cuts once per burst: answers to calls already on the wire at the cut do not cut again', async () => {
    const t = limitWith({ initial: 16 });
    const burst = t.send(8);
    for (const call of burst) call.fail({ kind: 'server', httpStatus: 503 });
    await t.settled();
    expect(t.limit.current()).toBe(8);
    // A call sent after the cut that fails too (no retryAfter to wait for): Atlas still struggles, cut again.
    t.send(1)[0]!.fail({ kind: 'server', httpStatus: 503 });
    await t.settled();
    expect(t.limit.current()).toBe(4);
  });

  it("does not cut again for a 429 answered while an earlier retryAfter still holds; after it has passed, it does", async () => {
    const t = limitWith({ initial: 16 });
    t.send(1)[0]!.fail(RATE_LIMITED); // retryAfter 3 s
    await t.settled();
    expect(t.limit.current()).toBe(8);
    // Sent after the cut, refused within the 3 s Atlas asked for: the same closed door.
    t.advance(2999);
    for (const call of t.send(2)) call.fail(RATE_LIMITED);
    await t.settled();
    expect(t.limit.current()).toBe(8);
    // Those refusals asked for 3 s more; once that has passed, a refusal is a new burst.
    t.advance(3001);
    t.send(1)[0]!.fail(RATE_LIMITED);
    await t.settled();
    expect(t.limit.current()).toBe(4);
    expect(t.changes).toEqual([8, 4]);
  });

  it("does not grow before a 429's retryAfter has passed, and grows again after it", async () => {
    const t = limitWith({ initial: 8 });
    t.send(1)[0]!.fail({ kind: 'rate_limited', code: 429, retryAfter: 5 });
    await t.settled();
    expect(t.limit.current()).toBe(4);
    t.advance(4999);
    for (const call of t.send(10)) call.answer();
    await t.settled();
    expect(t.limit.current()).toBe(4);
    t.advance(1);
    for (const call of t.send(4)) call.answer();
    await t.settled();
    expect(t.limit.current()).toBe(5);
  });

  it('never goes above the cap, and a lowered cap applies at once', async () => {
    let max = 6;
    const limit = new AdaptiveLimit({ max: () => max, initial: 4, now: () => 0 });
    for (let i = 0; i < 20; i++) limit.answered(limit.sent(), { overload: false });
    expect(limit.current()).toBe(6);
    max = 2;
    expect(limit.current()).toBe(2);
    max = 6;
    expect(limit.current()).toBe(2);
  });

  it('never goes below 1', async () => {
    const t = limitWith({ initial: 4 });
    for (let i = 0; i < 5; i++) {
      t.send(1)[0]!.fail({ kind: 'server', httpStatus: 500 });
      await t.settled();
    }
    expect(t.limit.current()).toBe(1);
    expect(t.changes).toEqual([2, 1]);
  });

  it('learns nothing from a request that never reached Atlas, and counts a business refusal as an answer', async () => {
    const t = limitWith({ initial: 4 });
    t.send(1)[0]!.fail({ kind: 'network', meaning: 'connection refused' });
    t.send(1)[0]!.fail({ kind: 'unknown_outcome', meaning: 'connection failed; the request may have been sent' });
    await t.settled();
    expect(t.limit.current()).toBe(4);
    t.send(1)[0]!.fail({ kind: 'business', code: 800 });
    await t.settled();
    expect(t.limit.current()).toBe(5);
  });
});
