// docs/money-safety.md rule 12: an unpaid order with `paymentAttempted: true` had a card charge
// started at the airline (docs/atlas-api.md §3.2, §7). Paying it again — with deposit or another
// card — waits for staff to confirm that charge did not take money. A confirmation holds for the
// attempt it was made about: a card pay.do this desk sends for the order afterwards voids it.
import type { StaffCheck } from '../../shared/desk.ts';
import type { EventsRepo } from '../store/events-repo.ts';
import type { JobsRepo } from '../store/jobs-repo.ts';

export class ChargeChecks {
  readonly #events: EventsRepo;
  readonly #jobs: JobsRepo;

  constructor(events: EventsRepo, jobs: JobsRepo) {
    this.#events = events;
    this.#jobs = jobs;
  }

  /** Staff's latest "the card was not charged" for `orderNo`, while no card payment was sent since. */
  check(orderNo: string): StaffCheck | null {
    const confirmed = this.#events.latest(orderNo, 'card_not_charged');
    if (!confirmed) return null;
    const lastCardPay = this.#jobs.lastCardPayAt(orderNo);
    // Same instant or later: the confirmation may not have seen that attempt (fail closed).
    if (lastCardPay !== null && lastCardPay >= confirmed.at) return null;
    return { at: confirmed.at, by: confirmed.actor };
  }
}
