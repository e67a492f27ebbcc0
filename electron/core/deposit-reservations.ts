// Deposit money this desk has promised to payments that Atlas's balance may not show yet. Without
// it, bulk deposit jobs each read the whole balance, all pass the funds check and race into pay.do
// 411s. Per currency, in memory (one process works a database file's queue, docs/money-safety.md
// rule 10): a hold lives from the funds check until its pay.do is settled, and an accepted payment
// keeps holding until a balance read that began after Atlas accepted it (which then shows the debit).
import { fromMinor, toMinor } from '../../shared/money.ts';

interface Hold {
  currency: string;
  /** Minor units of `currency`. */
  minor: number;
  /** Sequence number when Atlas accepted the payment; null while it is not accepted (on the wire). */
  acceptedAt: number | null;
}

export class DepositReservations {
  #seq = 0;
  readonly #holds = new Map<string, Hold>();

  /** Call right before sending balance.do; pass the mark to available(). */
  mark(): number {
    return ++this.#seq;
  }

  /**
   * What a balance read that began at `mark` leaves for `jobId`: the balance less every other
   * job's hold that the read cannot contain yet (on the wire, or accepted after the read began).
   * Null when the balance is not exact in its currency: nothing can be compared with it.
   */
  available(jobId: string, currency: string, balance: number, mark: number): number | null {
    const code = currency.trim().toUpperCase();
    this.#forgetSeen(code, mark);
    const minor = toMinor(balance, code);
    if (minor === null) return null;
    let held = 0;
    for (const [id, hold] of this.#holds) if (id !== jobId && hold.currency === code) held += hold.minor;
    return fromMinor(minor - held, code);
  }

  /** Holds `amount` for `jobId` (replacing its previous hold). Call in the same synchronous step as available(). */
  hold(jobId: string, currency: string, amount: number): void {
    const code = currency.trim().toUpperCase();
    const minor = toMinor(amount, code);
    // The funds check compared this amount exactly before holding it; anything else is a bug.
    if (minor === null) throw new Error(`deposit hold: ${amount} ${code} is not an exact amount`);
    this.#holds.set(jobId, { currency: code, minor, acceptedAt: null });
  }

  /** Atlas accepted the job's payment: it holds until a later balance read shows the debit. */
  accepted(jobId: string): void {
    const hold = this.#holds.get(jobId);
    if (hold) hold.acceptedAt = ++this.#seq;
  }

  /** The job will not pay (any more): its hold ends, unless Atlas accepted it and no read shows that yet. */
  release(jobId: string): void {
    if (this.#holds.get(jobId)?.acceptedAt === null) this.#holds.delete(jobId);
  }

  /** A balance read that began after an acceptance already shows that debit. */
  #forgetSeen(currency: string, mark: number): void {
    for (const [id, hold] of this.#holds) {
      if (hold.currency === currency && hold.acceptedAt !== null && hold.acceptedAt < mark) this.#holds.delete(id);
    }
  }
}
