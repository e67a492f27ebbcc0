// How many recovery jobs may talk to Atlas at once. pay.do, regenerateOrder.do and
// queryOrderDetails.do are not rate-governed by Atlas (docs/atlas-api.md §1.4), so the bound is
// politeness and Atlas's own pushback: AIMD, as TCP paces a connection. The limit grows by one
// after a run of answers without a sign of overload — a run of one until Atlas first pushes back
// (a slow start: a bulk reaches the cap within a few rounds of calls), then a run as long as the
// limit (one more per round) — and halves on a 429, a 5xx or a timeout. It never goes below 1 or
// above the cap from settings. A 429's retryAfter holds growth until it has passed (the job itself
// waits it out in the runner: recovery-steps.ts). Calls already on the wire when the limit was cut,
// and overloads answered while a retryAfter still holds (other jobs' calls meet the same closed
// door), belong to the same burst and do not cut it again: one cut per episode, as TCP NewReno
// halves once per loss episode.
import { AtlasError, type AtlasApi } from '../atlas/api.ts';
import { signalsOverload } from '../atlas/errors.ts';

export interface AdaptiveLimitOptions {
  /** The cap (settings), read on every decision so a change applies at once. */
  max: () => number;
  /** The limit before anything was learnt (never above the cap). Default 4, the queue's old fixed size. */
  initial?: number;
  /** Monotonic milliseconds (tests inject a fake). Default performance.now. */
  now?: () => number;
}

export const DEFAULT_INITIAL_LIMIT = 4;

export class AdaptiveLimit {
  readonly #max: () => number;
  readonly #now: () => number;
  #limit: number;
  /** Answers without overload since the last change. */
  #run = 0;
  /** No growth before this instant (a 429's retryAfter). */
  #holdUntil = Number.NEGATIVE_INFINITY;
  /** Bumped at every cut: a call sent before the latest cut belongs to a burst already answered. */
  #cuts = 0;
  /** Atlas has pushed back at least once: growth is one per round from then on. */
  #pushedBack = false;
  readonly #listeners = new Set<(limit: number) => void>();

  constructor(options: AdaptiveLimitOptions) {
    this.#max = options.max;
    this.#now = options.now ?? (() => performance.now());
    this.#limit = this.#clamp(options.initial ?? DEFAULT_INITIAL_LIMIT);
  }

  /** How many jobs may run now. A lowered cap applies at once and is not undone by raising it again. */
  current(): number {
    this.#limit = this.#clamp(this.#limit);
    return this.#limit;
  }

  /** The cap, as settings give it (at least 1). */
  max(): number {
    return Math.max(1, Math.floor(this.#max()));
  }

  /** Marks a call leaving; pass the result to `answered`. */
  sent(): number {
    return this.#cuts;
  }

  /**
   * One call's outcome. `overload`: a 429 (with its retryAfter in seconds, if any), a 5xx or a
   * timeout. Otherwise Atlas answered normally — a business refusal is still an answer.
   */
  answered(sentAt: number, outcome: { overload: false } | { overload: true; retryAfterS?: number }): void {
    if (!outcome.overload) return this.#succeeded();
    // Atlas already said when to come back: a refusal before then is that same answer again.
    const held = this.#now() < this.#holdUntil;
    if (outcome.retryAfterS !== undefined) this.#holdUntil = Math.max(this.#holdUntil, this.#now() + outcome.retryAfterS * 1000);
    this.#run = 0;
    this.#pushedBack = true;
    if (sentAt < this.#cuts || held) return; // sent before the latest cut, or refused while held: the same burst
    this.#cuts++;
    this.#set(Math.floor(this.current() / 2));
  }

  #succeeded(): void {
    const limit = this.current();
    if (this.#now() < this.#holdUntil || limit >= this.max()) {
      this.#run = 0;
      return;
    }
    // One more per answer until the first pushback; then one more per round of calls at this limit.
    if (++this.#run < (this.#pushedBack ? limit : 1)) return;
    this.#set(limit + 1);
  }

  #set(limit: number): void {
    const next = this.#clamp(limit);
    this.#run = 0;
    if (next === this.#limit) return;
    this.#limit = next;
    for (const listener of this.#listeners) listener(next);
  }

  #clamp(limit: number): number {
    return Math.min(this.max(), Math.max(1, Math.floor(limit)));
  }

  /** Told of every change of the limit (the queue starts jobs when it grows). */
  onChange(listener: (limit: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** `api` with every call's outcome observed. A failure that is not an Atlas answer (the network) teaches nothing. */
  wrap(api: AtlasApi): AtlasApi {
    const observed = <T>(call: () => Promise<T>): Promise<T> => {
      const sentAt = this.sent();
      return call().then(
        (value) => {
          this.answered(sentAt, { overload: false });
          return value;
        },
        (error: unknown) => {
          if (error instanceof AtlasError) {
            const failure = error.failure;
            if (signalsOverload(failure)) {
              this.answered(sentAt, failure.retryAfter === undefined ? { overload: true } : { overload: true, retryAfterS: failure.retryAfter });
            } else if (failure.kind !== 'network' && !(failure.kind === 'unknown_outcome' && failure.code === undefined)) {
              // Atlas answered (a business refusal, even an ambiguous status): not a sign of overload.
              this.answered(sentAt, { overload: false });
            }
          }
          throw error;
        },
      );
    };
    return {
      queryOrder: (orderNo, options) => observed(() => api.queryOrder(orderNo, options)),
      listOrders: (query, options) => observed(() => api.listOrders(query, options)),
      pay: (request, options) => observed(() => api.pay(request, options)),
      regenerate: (originalOrderNo, options) => observed(() => api.regenerate(originalOrderNo, options)),
      balance: (currency, options) => observed(() => api.balance(currency, options)),
    };
  }
}
