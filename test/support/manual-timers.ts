// Timers that fire only when the test says so, so nothing depends on wall time: the card vault's
// (`set`/`clear`, VaultTimers) and the shell's schedulers' (`setTimer`/`clearTimer`).
export function manualTimers() {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const set = (fn: () => void, ms: number) => {
    timers.set(++next, { fn, ms });
    return next;
  };
  const clear = (handle: unknown) => void timers.delete(handle as number);
  return {
    set,
    clear,
    setTimer: set,
    clearTimer: clear,
    /** The delays of the timers waiting, oldest first. */
    pending: () => [...timers.values()].map((t) => t.ms),
    /** Fires the oldest timer, then lets what it started run a turn. */
    async fire() {
      const [key, timer] = [...timers.entries()][0]!;
      timers.delete(key);
      timer.fn();
      await new Promise((r) => setImmediate(r));
    },
    fireAll() {
      for (const [key, timer] of [...timers]) {
        timers.delete(key);
        timer.fn();
      }
    },
  };
}
