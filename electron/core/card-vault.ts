// Card details for queued card payments, in main-process memory only (docs/money-safety.md rule 6).
// Nothing here is ever serialised: no toJSON, no logging, and entries are overwritten before
// deletion so a heap snapshot taken later is less likely to still hold the PAN.
import type { CardDetails } from '../../shared/atlas.ts';
import type { Clock } from './contract.ts';

export const DEFAULT_CARD_TTL_MS = 15 * 60 * 1000;

/** setTimeout/clearTimeout, injectable so tests need no real 15-minute waits. */
export interface VaultTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: VaultTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(), // never keeps the process (or the CLI) alive
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CardVaultOptions {
  timers?: VaultTimers;
  /** Called after a card was wiped because its time ran out (not on other wipes). */
  onExpire?: (jobId: string) => void;
}

interface Entry {
  card: CardDetails;
  expiresAt: number;
  timer: unknown;
}

export class CardVault {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #timers: VaultTimers;
  readonly #onExpire: (jobId: string) => void;

  constructor(clock: Clock, ttlMs = DEFAULT_CARD_TTL_MS, options: CardVaultOptions = {}) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
    this.#timers = options.timers ?? REAL_TIMERS;
    this.#onExpire = options.onExpire ?? (() => {});
  }

  /**
   * Keeps a private copy, so the caller's object can be dropped (or wiped) independently. A timer
   * wipes it when the time limit runs out, whether or not anyone reads it again.
   */
  put(jobId: string, card: CardDetails): void {
    this.wipe(jobId);
    const timer = this.#timers.set(() => this.#expire(jobId), this.#ttlMs);
    this.#entries.set(jobId, { card: { ...card }, expiresAt: this.#clock.now() + this.#ttlMs, timer });
  }

  /** The card for a job, or null when none was given, it was wiped, or it expired (then wiped). */
  get(jobId: string): CardDetails | null {
    const entry = this.#entries.get(jobId);
    if (!entry) return null;
    // The clock may run ahead of the timer (a simulated clock, a machine that slept): it wins too.
    if (this.#clock.now() >= entry.expiresAt) {
      this.#expire(jobId);
      return null;
    }
    return entry.card;
  }

  has(jobId: string): boolean {
    return this.get(jobId) !== null;
  }

  /** Overwrites every field, then forgets the entry and its timer. Safe to call when there is none. */
  wipe(jobId: string): void {
    const entry = this.#entries.get(jobId);
    if (!entry) return;
    this.#timers.clear(entry.timer);
    const card = entry.card as unknown as Record<string, unknown>;
    for (const key of Object.keys(card)) {
      card[key] = typeof card[key] === 'string' ? '0'.repeat((card[key] as string).length) : null;
    }
    this.#entries.delete(jobId);
  }

  wipeAll(): void {
    for (const jobId of [...this.#entries.keys()]) this.wipe(jobId);
  }

  get size(): number {
    return this.#entries.size;
  }

  #expire(jobId: string): void {
    if (!this.#entries.has(jobId)) return;
    this.wipe(jobId);
    this.#onExpire(jobId);
  }
}
