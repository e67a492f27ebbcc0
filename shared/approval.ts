// Staff approve an amount, not a blank cheque (docs/money-safety.md rule 9). Pure: what an intent
// approves for a method, whether an approval fits the plan the core computed, whether an amount
// about to be charged is within it (exactly, in minor units), and how long an approval holds.
import type { Money } from './atlas.ts';
import type { ApprovedAmounts } from './desk.ts';
import { toMinor } from './money.ts';
import type { MethodOffer } from './plan.ts';

/**
 * An approval holds for one hour at most: twice Atlas's standard 30-minute hold
 * (docs/atlas-api.md §3.3), so an approval given while staff looked at an order outlives that
 * order's own held price, yet a job queued through a long outage or overnight is not paid without
 * a person looking again. It never outlives the chain's regeneration window (see expiresAt).
 */
export const APPROVAL_TTL_MS = 60 * 60 * 1000;

/** Upper bound of the price tolerance setting, in percent. */
export const MAX_PRICE_TOLERANCE_PERCENT = 10;

export type Source = 'deposit' | 'card';

const SOURCES: readonly { source: Source; key: keyof ApprovedAmounts }[] = [
  { source: 'deposit', key: 'dueFromDeposit' },
  { source: 'card', key: 'dueFromCard' },
];

/** What staff approve when they confirm `offer` as shown: its amounts, per source. */
export function approvedFromOffer(offer: MethodOffer): ApprovedAmounts {
  return { dueFromDeposit: offer.dueFromDeposit, dueFromCard: offer.dueFromCard };
}

const sameCurrency = (a: Money, b: Money) => a.currency.trim().toUpperCase() === b.currency.trim().toUpperCase();

/**
 * Why an intent's approval cannot stand for `due` (the amounts the core's own plan says the method
 * charges), or null when it can: every source that charges must be approved, in its currency. An
 * amount lower than due is accepted as what staff approved; the job then stops before paying.
 */
export function approvalProblem(due: ApprovedAmounts, approved: ApprovedAmounts | null | undefined): 'approval_missing' | 'approval_currency' | null {
  if (!approved) return 'approval_missing';
  for (const { key } of SOURCES) {
    const owed = due[key];
    const given = approved[key];
    if (!owed || owed.amount <= 0) continue;
    if (!given) return 'approval_missing';
    if (!sameCurrency(owed, given)) return 'approval_currency';
  }
  return null;
}

/** A source whose amount due is not covered by the approval. */
export interface OverApproval {
  source: Source;
  approved: Money | null;
  due: Money;
}

/** The tolerance in basis points (hundredths of a percent), clamped to the setting's range. */
function toleranceBasisPoints(percent: number): bigint {
  if (!Number.isFinite(percent) || percent <= 0) return 0n;
  return BigInt(Math.round(Math.min(percent, MAX_PRICE_TOLERANCE_PERCENT) * 100));
}

/**
 * Whether `due` is within `approved` plus `tolerancePercent` of it, compared exactly in the
 * currency's minor units. The tolerance is rounded down to a whole minor unit, so it never lets
 * more through than the percentage says. Fails closed: another currency, or an amount that cannot
 * be held exactly in minor units, is not within.
 */
function within(due: Money, approved: Money, tolerancePercent: number): boolean {
  if (!sameCurrency(due, approved)) return false;
  const currency = due.currency.trim().toUpperCase();
  // Typed as nullable on purpose: an amount the money module cannot hold exactly is "not within".
  const dueMinor: number | null = toMinor(due.amount, currency);
  const approvedMinor: number | null = toMinor(approved.amount, currency);
  if (dueMinor === null || approvedMinor === null) return false;
  const allowed = BigInt(approvedMinor) + (BigInt(approvedMinor) * toleranceBasisPoints(tolerancePercent)) / 10_000n;
  return BigInt(dueMinor) <= allowed;
}

/** Every source of `due` above its approval (empty when the approval covers all of it). */
export function overApproval(due: ApprovedAmounts, approved: ApprovedAmounts, tolerancePercent: number): OverApproval[] {
  const over: OverApproval[] = [];
  for (const { source, key } of SOURCES) {
    const owed = due[key];
    // Nothing charged from this source (absent, or Atlas lists it at zero).
    if (!owed || owed.amount <= 0) continue;
    const given = approved[key];
    if (!given || !within(owed, given, tolerancePercent)) over.push({ source, approved: given, due: owed });
  }
  return over;
}

/**
 * When an approval given at `approvedAt` stops holding: APPROVAL_TTL_MS later, and never after the
 * end of the regeneration window of the order chain it is for (null when that end is unknown).
 */
export function approvalExpiresAt(approvedAt: number, windowEnd: number | null): number {
  const ttl = approvedAt + APPROVAL_TTL_MS;
  return windowEnd === null ? ttl : Math.min(ttl, windowEnd);
}
