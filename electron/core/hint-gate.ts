// Webhook hints are unauthenticated prompts (docs/atlas-api.md §4.1): anyone who learns the URL, or
// Atlas itself repeating an event, can send thousands. This gate decides which hints become an
// Atlas query, so a flood costs a bounded number of queries and never crowds out the queue's own
// reads before a payment:
// - coalescing: one entry per order, however many hints name it while it waits or runs;
// - per order: at most one query per `perOrderIntervalMs` (a later hint waits for its turn);
// - overall: a token bucket of `burst` queries refilled at `perMinute`;
// - concurrency: at most `concurrency` queries at once;
// - memory: at most `maxPending` orders waiting; orders the desk already knows go first, and a
//   known order may displace an unknown one (forged numbers cannot push real ones out).
// Time here is real time (Date.now), never a simulated desk clock: it bounds real traffic.

export interface HintLimits {
  perOrderIntervalMs: number;
  perMinute: number;
  burst: number;
  concurrency: number;
  maxPending: number;
}

export const DEFAULT_HINT_LIMITS: Readonly<HintLimits> = Object.freeze({
  perOrderIntervalMs: 30_000,
  perMinute: 60,
  burst: 10,
  concurrency: 2,
  maxPending: 200,
});

export interface GateTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: GateTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface HintGateDeps {
  /** The re-query; its failures are the caller's to log. */
  run: (orderNo: string) => Promise<void>;
  /** True when the desk already stores the order. */
  known: (orderNo: string) => boolean;
  limits?: Partial<HintLimits>;
  now?: () => number;
  timers?: GateTimers;
}

export type HintDecision = 'queued' | 'coalesced' | 'dropped';

interface Waiting {
  notBefore: number;
  known: boolean;
  done: { promise: Promise<void>; resolve: () => void };
}

function deferred(): Waiting['done'] {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class HintGate {
  readonly limits: Readonly<HintLimits>;
  readonly #d: HintGateDeps;
  readonly #now: () => number;
  readonly #timers: GateTimers;
  readonly #waiting = new Map<string, Waiting>();
  /** Running orders → the hint that arrived meanwhile (one follow-up), if any. */
  readonly #running = new Map<string, Waiting | null>();
  /** When each order's last query started; pruned past the per-order interval, so it stays small. */
  readonly #lastStart = new Map<string, number>();
  #tokens: number;
  #refilledAt: number;
  #timer: unknown = null;
  #stopped = false;
  #started = 0;
  #dropped = 0;

  constructor(deps: HintGateDeps) {
    this.#d = deps;
    this.limits = Object.freeze({ ...DEFAULT_HINT_LIMITS, ...deps.limits });
    this.#now = deps.now ?? Date.now;
    this.#timers = deps.timers ?? REAL_TIMERS;
    this.#tokens = this.limits.burst;
    this.#refilledAt = this.#now();
  }

  /** Queries started so far and hints dropped because too many orders were waiting. */
  stats(): { started: number; dropped: number; waiting: number; running: number } {
    return { started: this.#started, dropped: this.#dropped, waiting: this.#waiting.size, running: this.#running.size };
  }

  /**
   * Takes a hint for `orderNo` (already validated). `done` resolves when the query it led to has
   * finished, at once when the hint was dropped.
   */
  offer(orderNo: string): { decision: HintDecision; done: Promise<void> } {
    if (this.#stopped) return { decision: 'dropped', done: Promise.resolve() };
    const waiting = this.#waiting.get(orderNo);
    if (waiting) return { decision: 'coalesced', done: waiting.done.promise };
    if (this.#running.has(orderNo)) {
      // The running query may have been answered before this news: one follow-up, in its turn.
      let next = this.#running.get(orderNo) ?? null;
      if (next) return { decision: 'coalesced', done: next.done.promise };
      next = { notBefore: 0, known: true, done: deferred() };
      this.#running.set(orderNo, next);
      return { decision: 'queued', done: next.done.promise };
    }
    const known = this.#d.known(orderNo);
    if (this.#waiting.size >= this.limits.maxPending && !(known && this.#evictUnknown())) {
      this.#dropped++;
      return { decision: 'dropped', done: Promise.resolve() };
    }
    const entry: Waiting = { notBefore: this.#earliestFor(orderNo), known, done: deferred() };
    this.#waiting.set(orderNo, entry);
    this.#pump();
    return { decision: 'queued', done: entry.done.promise };
  }

  /** Drops what waits and stops timers; running queries finish on their own. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
    for (const entry of this.#waiting.values()) entry.done.resolve();
    this.#waiting.clear();
    for (const [orderNo, next] of this.#running) {
      next?.done.resolve();
      this.#running.set(orderNo, null);
    }
  }

  #earliestFor(orderNo: string): number {
    const last = this.#lastStart.get(orderNo);
    return last === undefined ? 0 : last + this.limits.perOrderIntervalMs;
  }

  #evictUnknown(): boolean {
    for (const [orderNo, entry] of [...this.#waiting].reverse()) {
      if (entry.known) continue;
      this.#waiting.delete(orderNo);
      entry.done.resolve();
      this.#dropped++;
      return true;
    }
    return false;
  }

  #refill(now: number): void {
    const perMs = this.limits.perMinute / 60_000;
    this.#tokens = Math.min(this.limits.burst, this.#tokens + (now - this.#refilledAt) * perMs);
    this.#refilledAt = now;
  }

  /** The waiting order to run next at `now`: known orders first, then the oldest hint. */
  #pick(now: number): string | null {
    let best: string | null = null;
    for (const [orderNo, entry] of this.#waiting) {
      if (entry.notBefore > now) continue;
      if (entry.known) return orderNo;
      best ??= orderNo;
    }
    return best;
  }

  #pump(): void {
    if (this.#stopped) return;
    if (this.#timer !== null) {
      this.#timers.clear(this.#timer);
      this.#timer = null;
    }
    const now = this.#now();
    this.#refill(now);
    for (const [orderNo, at] of this.#lastStart) if (at + this.limits.perOrderIntervalMs <= now) this.#lastStart.delete(orderNo);
    while (this.#running.size < this.limits.concurrency && this.#tokens >= 1) {
      const orderNo = this.#pick(now);
      if (orderNo === null) break;
      this.#tokens -= 1;
      this.#start(orderNo, now);
    }
    this.#wakeLater(now);
  }

  /** One timer for whatever can run next: a token coming back, or an order's turn. */
  #wakeLater(now: number): void {
    if (this.#waiting.size === 0 || this.#running.size >= this.limits.concurrency) return;
    const tokenIn = this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / (this.limits.perMinute / 60_000));
    let turnIn = Number.POSITIVE_INFINITY;
    for (const entry of this.#waiting.values()) turnIn = Math.min(turnIn, Math.max(0, entry.notBefore - now));
    const wait = Math.max(tokenIn, turnIn);
    if (Number.isFinite(wait)) this.#timer = this.#timers.set(() => this.#pump(), Math.max(1, wait));
  }

  #start(orderNo: string, now: number): void {
    const entry = this.#waiting.get(orderNo) as Waiting;
    this.#waiting.delete(orderNo);
    this.#running.set(orderNo, null);
    this.#lastStart.set(orderNo, now);
    this.#started++;
    void Promise.resolve()
      .then(() => this.#d.run(orderNo))
      .catch(() => {})
      .finally(() => {
        const next = this.#running.get(orderNo) ?? null;
        this.#running.delete(orderNo);
        entry.done.resolve();
        if (next && !this.#stopped) {
          next.notBefore = this.#earliestFor(orderNo);
          this.#waiting.set(orderNo, next);
        } else next?.done.resolve();
        this.#pump();
      });
  }
}
