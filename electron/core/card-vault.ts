// Card details for queued card payments, in main-process memory only (DESIGN.md §2.6). Nothing
// here is ever serialised: no toJSON, no logging, and entries are overwritten before deletion so a
// heap snapshot taken later is less likely to still hold the PAN.
import type { CardDetails } from '../../shared/atlas.ts';
import type { Clock } from './contract.ts';

export const DEFAULT_CARD_TTL_MS = 15 * 60 * 1000;

interface Entry {
  card: CardDetails;
  expiresAt: number;
}

export class CardVault {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: Clock;
  readonly #ttlMs: number;

  constructor(clock: Clock, ttlMs = DEFAULT_CARD_TTL_MS) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** Keeps a private copy, so the caller's object can be dropped (or wiped) independently. */
  put(jobId: string, card: CardDetails): void {
    this.wipe(jobId);
    this.#entries.set(jobId, { card: { ...card }, expiresAt: this.#clock.now() + this.#ttlMs });
  }

  /** The card for a job, or null when none was given, it was wiped, or it expired (then wiped). */
  get(jobId: string): CardDetails | null {
    const entry = this.#entries.get(jobId);
    if (!entry) return null;
    if (this.#clock.now() >= entry.expiresAt) {
      this.wipe(jobId);
      return null;
    }
    return entry.card;
  }

  has(jobId: string): boolean {
    return this.get(jobId) !== null;
  }

  /** Overwrites every field, then forgets the entry. Safe to call when there is none. */
  wipe(jobId: string): void {
    const entry = this.#entries.get(jobId);
    if (!entry) return;
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
}
