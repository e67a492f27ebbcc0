// Staff approve an amount, not a blank cheque (docs/money-safety.md rule 9). Pure: what an intent
// approves for a method, whether an approval fits the plan the core computed, whether an amount
// about to be charged is within it (exactly, in minor units), and how long an approval holds.
import type { Money } from './atlas.ts';
import type { ApprovedAmounts } from './desk.ts';
import { compareMoney, fromMinor, toMinor } from './money.ts';
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
 * The most `approved` lets through: it plus `tolerancePercent` of it, in the currency's minor
 * units, rounded down to a whole minor unit so it never lets more through than the percentage
 * says. Null when the approval cannot be held exactly in minor units (shared/money.ts).
 */
function ceiling(approved: Money, tolerancePercent: number): Money | null {
  const currency = approved.currency.trim().toUpperCase();
  const minor = toMinor(approved.amount, currency);
  if (minor === null) return null;
  const allowed = BigInt(minor) + (BigInt(minor) * toleranceBasisPoints(tolerancePercent)) / 10_000n;
  const amount = fromMinor(Number(allowed), currency);
  return amount === null ? null : { amount, currency };
}

/**
 * Every source of `due` above its approval plus the tolerance (empty when the approval covers all
 * of it). Null when a source cannot be compared exactly with its approval (another currency, an
 * amount finer than its currency's minor unit: compareMoney's "cannot decide") — callers fail
 * closed (`amount_not_exact`, docs/money-safety.md rule 13).
 */
export function overApproval(due: ApprovedAmounts, approved: ApprovedAmounts, tolerancePercent: number): OverApproval[] | null {
  const over: OverApproval[] = [];
  for (const { source, key } of SOURCES) {
    const owed = due[key];
    // Nothing charged from this source (absent, or Atlas lists it at zero).
    if (!owed || owed.amount <= 0) continue;
    const given = approved[key];
    if (!given) {
      over.push({ source, approved: null, due: owed });
      continue;
    }
    const limit = ceiling(given, tolerancePercent);
    const cmp = limit && compareMoney(owed, limit);
    if (cmp === null) return null;
    if (cmp > 0) over.push({ source, approved: given, due: owed });
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

/**
 * Whether an approval no longer holds, failing closed on either clock: `expiresAt` (stamped on
 * Atlas's clock when it was known, else the desk's) against Atlas's clock at its latest — the
 * desk's when unknown — and the hour from `at` (the desk's clock when staff approved) against the
 * desk's clock now. Only both clocks wrong the same way can stretch it; one answer's `Date` header
 * or one desk clock cannot. An unreadable stamp has aged out.
 */
export function approvalAgedOut(approval: { at: string; expiresAt: string }, deskNow: number, atlasLatest: number | null): boolean {
  const expires = Date.parse(approval.expiresAt);
  const given = Date.parse(approval.at);
  if (!Number.isFinite(expires) || !Number.isFinite(given)) return true;
  return (atlasLatest ?? deskNow) >= expires || deskNow >= given + APPROVAL_TTL_MS;
}
