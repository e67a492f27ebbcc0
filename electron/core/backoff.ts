// Delays for the queue: ticketing polls (the [CLI]'s schedule, docs/atlas-api.md §9) and network
// probes (exponential with FULL jitter, so many desks coming back online do not probe in
// lock-step).

/** Seconds between ticketing polls after pay.do accepted; then we stop (about 2 minutes in all). */
export const TRACKING_SCHEDULE_S: readonly number[] = [1, 2, 3, 5, 8, 13, 21, 30, 30, 30];

/** Delay before tracking poll number `poll` (0-based), or null once the schedule is used up. */
export function trackingDelayMs(poll: number): number | null {
  const s = TRACKING_SCHEDULE_S[poll];
  return s === undefined ? null : s * 1000;
}

export interface JitterOptions {
  baseMs?: number;
  capMs?: number;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/** Full jitter: uniform in [0, min(cap, base·2^attempt)]. */
export function fullJitterMs(attempt: number, options: JitterOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const cap = options.capMs ?? 60_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.floor(random() * ceiling);
}

/** Plain exponential back-off (no jitter) for bounded read retries of one job. */
export function readRetryDelayMs(attempt: number, baseMs = 1000, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 20));
}

/** Sleep that an AbortSignal can cut short (stop(), or an online event waking the prober). */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
