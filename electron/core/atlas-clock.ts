// Atlas's clock as the desk can know it (docs/money-safety.md rule 11: Atlas's clock decides
// deadlines, not the desk's). Every answer's HTTP `Date` header is Atlas's clock at the moment it
// answered, in whole seconds, stamped somewhere between our sending and our receipt. So from one
// answer, (Atlas − desk) lies in [date − receivedAt, date + 1 s − sentAt]; the last answer's
// bounds are kept and applied to the desk's clock. No answer with a Date yet: unknown.
// "Last" is the order answers arrive in, never the desk's clock: after the desk's clock is set
// back, its timestamps look older than the answers before, yet only the answers after the change
// measure the skew it has now. Between answers the desk's clock may be set too (NTP correcting a
// slow clock forward): with a monotonic clock (Clock.monotonic) the bounds also move by the time
// it saw pass, and the wider of the two readings is kept. A monotonic clock is never set; it may
// stop while the machine sleeps, which only makes the earliest earlier and the latest no later
// than the wall clock's: the side that judges an approval or a deadline as later, never sooner.
import type { AnswerMeta, AtlasApi, CallOptions } from '../atlas/api.ts';
import type { Clock } from './contract.ts';

/** The Date header counts whole seconds. */
const DATE_RESOLUTION_MS = 1000;

/** Atlas's clock now: the earliest and the latest it can be (epoch ms). */
export interface AtlasTime {
  earliest: number;
  latest: number;
}

export class AtlasClock {
  readonly #clock: Clock;
  #skew: { low: number; high: number } | null = null;
  /** Atlas's clock at the last answer's receipt, and the monotonic instant of that receipt. */
  #atReceipt: { earliest: number; latest: number; monotonic: number } | null = null;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** One answer, as it arrives: Atlas said `serverDate`; we sent at `sentAt` and received at `receivedAt` (desk clock). */
  observe(serverDate: number, sentAt: number, receivedAt: number): void {
    if (!Number.isFinite(serverDate)) return;
    this.#skew = { low: serverDate - receivedAt, high: serverDate + DATE_RESOLUTION_MS - sentAt };
    const monotonic = this.#clock.monotonic?.();
    this.#atReceipt =
      monotonic === undefined ? null : { earliest: serverDate, latest: serverDate + DATE_RESOLUTION_MS + (receivedAt - sentAt), monotonic };
  }

  now(): AtlasTime | null {
    const byWall = this.at(this.#clock.now());
    const monotonic = this.#clock.monotonic?.();
    if (!byWall || !this.#atReceipt || monotonic === undefined) return byWall;
    const elapsed = monotonic - this.#atReceipt.monotonic;
    return {
      earliest: Math.min(byWall.earliest, this.#atReceipt.earliest + elapsed),
      latest: Math.max(byWall.latest, this.#atReceipt.latest + elapsed),
    };
  }

  /** Atlas's clock at the desk's instant `deskMs`, by the last answer's bounds (the wall clock's reading). */
  at(deskMs: number): AtlasTime | null {
    if (!this.#skew) return null;
    return { earliest: deskMs + this.#skew.low, latest: deskMs + this.#skew.high };
  }

  /** Atlas's clock at its earliest, as ISO (what makes an order look least expired); null when unknown. */
  earliestIso(): string | null {
    const t = this.now();
    return t ? new Date(t.earliest).toISOString() : null;
  }

  /** `api` with every call timed on the desk's clock and every answer's Date observed. */
  wrap(api: AtlasApi): AtlasApi {
    const timed = (options?: CallOptions): CallOptions => {
      const sentAt = this.#clock.now();
      return {
        onAnswer: (meta: AnswerMeta) => {
          if (meta.serverDate !== null) this.observe(meta.serverDate, sentAt, this.#clock.now());
          options?.onAnswer?.(meta);
        },
      };
    };
    return {
      queryOrder: (orderNo, options) => api.queryOrder(orderNo, timed(options)),
      listOrders: (query, options) => api.listOrders(query, timed(options)),
      pay: (request, options) => api.pay(request, timed(options)),
      regenerate: (originalOrderNo, options) => api.regenerate(originalOrderNo, timed(options)),
      balance: (currency, options) => api.balance(currency, timed(options)),
    };
  }
}
