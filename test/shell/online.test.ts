// The online signal: re-checked on resume and unlock; listeners hear changes only.
import { describe, expect, it } from 'vitest';
import { createOnlineSignal } from '../../electron/shell/online.ts';

describe('online signal', () => {
  it('re-checks on resume and tells listeners about changes only', () => {
    let up = true;
    const power: Record<string, () => void> = {};
    const signal = createOnlineSignal({ isOnline: () => up, powerMonitor: { on: (e, fn) => (power[e] = fn) }, pollMs: 60_000 });
    const seen: boolean[] = [];
    signal.onChange((v) => seen.push(v));
    power.resume!();
    up = false;
    power.resume!();
    power['unlock-screen']!();
    expect(seen).toEqual([false]);
    expect(signal.isOnline()).toBe(false);
    signal.stop();
  });
});
