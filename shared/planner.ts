// The recovery planner: (order as Atlas shows it now, local facts) → the one safe next step. Pure
// and total: it never throws, never reads a clock, and every branch is a money-safety rule of
// docs/money-safety.md or a row of docs/atlas-api.md §8. Checks run from "most dangerous to act on"
// downwards, so a later branch can assume every earlier stop condition is false.
import { CARD, DEPOSIT, type Money, type OrderDetails, type PaymentOption } from './atlas.ts';
import { compareAmounts, sumMoney, toMinor } from './money.ts';
import type { MethodOffer, Plan, PlanAction, PlanContext, PlanReason, PlanWarning } from './plan.ts';
import { isInventoryCode, ticketErrorGroup } from './ticket-errors.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Atlas regenerates only within 24 h of the original order's creation (docs/atlas-api.md §3.4). */
export const REGENERATION_WINDOW_MS = 24 * HOUR;
export const WINDOW_CLOSING_MS = 2 * HOUR;
export const DEADLINE_CLOSE_MS = 5 * MINUTE;
/**
 * docs/money-safety.md rule 11: the desk regenerates an unpaid order on its own only once Atlas's
 * clock — the earliest it can be — is this far past the deadline. The estimate itself is good to
 * about a second plus the round trip; the margin covers what it cannot see (other Atlas servers'
 * clocks, the airline hold behind tktLimitTime). Erring wide costs one pay.do that Atlas refuses
 * with 401 (nothing charged); erring narrow could leave two payable orders.
 */
export const EXPIRY_MARGIN_MS = 5 * MINUTE;

/** An ISO time as epoch ms; null when absent or unreadable. */
export function instant(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

/**
 * docs/money-safety.md §1: an unpaid order is recovered only on evidence that a payment of it
 * failed.
 */
export function hasFailureEvidence(order: OrderDetails, ctx: Pick<PlanContext, 'paymentFailureKnown'>): boolean {
  return ctx.paymentFailureKnown || order.paymentAttempted === true;
}

/**
 * Atlas started a card charge at the airline and the order is still unpaid (docs/atlas-api.md
 * §3.2): whether money was taken is unknown until staff check (docs/money-safety.md rule 12).
 */
export function cardChargeStarted(order: OrderDetails): boolean {
  return order.orderStatus === 'unpaid' && order.paymentAttempted === true;
}

/**
 * End of Atlas's regeneration window (ISO), or null when the creation time is unknown. In a chain
 * it is counted from the chain's first order: docs/atlas-api.md §3.4 says "within 24 hours of the
 * original order's creation" without saying which original, so the earliest — the stricter — is used.
 */
export function regenerationWindowEnd(order: OrderDetails, ctx: Pick<PlanContext, 'chainRootCreatedAt'> = {}): string | null {
  const created = instant(ctx.chainRootCreatedAt !== undefined ? ctx.chainRootCreatedAt : order.createdAt);
  return created === null ? null : new Date(created + REGENERATION_WINDOW_MS).toISOString();
}

/**
 * Atlas itself says the unpaid order's time limit passed: its 401, or its clock well past the
 * deadline — and the desk's clock too. One clock alone never regenerates a payable order: an answer
 * whose `Date` is hours off (a proxy, a cache, a server with a wrong clock) would be enough to make
 * two payable orders, so when the clocks disagree pay.do asks Atlas, whose 401 is the judge.
 */
function expiredOnAtlas(ctx: PlanContext, deadline: number, deskNow: number): boolean {
  if (ctx.payRefusedAsExpired === true) return true;
  const atlasNow = instant(ctx.atlasNow);
  return atlasNow !== null && Math.min(atlasNow, deskNow) >= deadline + EXPIRY_MARGIN_MS;
}

function stop(action: PlanAction, reason: PlanReason, extra: Partial<Plan> = {}): Plan {
  return { action, methods: [], deadline: null, payOrderNo: null, reasons: [reason], warnings: [], ...extra };
}

export function planRecovery(order: OrderDetails, ctx: PlanContext): Plan {
  // Rule 2/5: an unknown outcome is settled by query before anything else.
  if (ctx.unreconciled) return stop('reconcile_first', 'outcome_unknown');
  if (order.orderStatus === 'ticketed' || order.ticketIssued) return stop('no_action', 'ticketed');
  const group = ticketErrorGroup(order.errorCode);
  // 615/608 outrank the status: money may be committed elsewhere, a human decides.
  if (group === 'paid_pnr_pending') return stop('no_action', 'paid_pnr_pending');
  if (group === 'duplicate_booking') return stop('blocked', 'duplicate_booking');
  if (order.orderStatus === 'ticketing') return stop('wait_ticketing', 'ticketing_in_progress');
  // Pay the new order, never the original; Atlas would happily regenerate it a second time.
  if (ctx.regeneratedInto.length > 0) return stop('no_action', 'already_regenerated');
  const now = instant(ctx.now);

  if (order.orderStatus === 'unpaid') {
    // Status still "0" but a payment is recorded: Atlas is mid-way (pay.do 404/406 territory).
    if (order.paymentMethod !== null || order.paymentTimestamp !== null) {
      return stop('wait_ticketing', 'ticketing_in_progress');
    }
    if (!hasFailureEvidence(order, ctx)) return stop('blocked', 'not_marked_failed');
    const deadline = instant(order.tktLimitTime);
    // Without a deadline we can prove neither "payable" nor "expired": re-query.
    if (deadline === null || now === null) return stop('blocked', 'deadline_unknown');
    // Rule 11: never regenerate an order Atlas might still accept payment for (two payable orders).
    if (expiredOnAtlas(ctx, deadline, now)) return regeneratePlan(order, ctx, now, 'unpaid_expired');
    return payPlan(order, ctx, instant(ctx.atlasNow) ?? now, deadline);
  }

  // Cancelled (-3).
  switch (group) {
    case 'card_payment':
      return regeneratePlan(order, ctx, now, 'airline_payment_rejected');
    case 'deposit_low':
      return regeneratePlan(order, ctx, now, 'deposit_low_at_ticketing');
    case 'none':
    case 'expired':
      // A never-paid order that expired looks like -3 with no code or 611 (docs/atlas-api.md §8).
      if (order.paymentMethod === null && order.paymentTimestamp === null) {
        return hasFailureEvidence(order, ctx)
          ? regeneratePlan(order, ctx, now, 'unpaid_expired')
          : stop('no_action', 'not_marked_failed');
      }
      return notRecoverable(order);
    case 'not_recoverable':
    case 'unknown':
      return notRecoverable(order);
    default: {
      // paid_pnr_pending / duplicate_booking returned above; a new group fails to compile here.
      const _unhandled: never = group;
      return notRecoverable(order);
    }
  }
}

function notRecoverable(order: OrderDetails): Plan {
  return stop('blocked', 'cancelled_not_recoverable', {
    warnings: isInventoryCode(order.errorCode) ? ['regenerate_may_fail'] : [],
  });
}

/** `now` is Atlas's clock when it is known, the desk's otherwise. */
function payPlan(order: OrderDetails, ctx: PlanContext, now: number, deadline: number): Plan {
  const deadlineIso = new Date(deadline).toISOString();
  // Rule 8: only what the order still offers in paymentOptions is payable now.
  const { methods, inexact } = methodOffers(order, ctx, true);
  if (methods.length === 0) return stop('blocked', inexact ? 'amount_not_exact' : 'no_supported_method', { deadline: deadlineIso });
  const warnings = commonWarnings(order, ctx, methods);
  if (deadline - now < DEADLINE_CLOSE_MS) warnings.unshift('deadline_close');
  return {
    action: 'pay_same_order',
    methods,
    deadline: deadlineIso,
    payOrderNo: order.orderNo,
    // Past the deadline on some clock but not proven on Atlas's: pay.do asks Atlas (401 if it passed).
    reasons: [now < deadline ? 'unpaid_payable' : 'deadline_passed_unconfirmed'],
    warnings,
  };
}

function regeneratePlan(order: OrderDetails, ctx: PlanContext, deskNow: number | null, reason: PlanReason): Plan {
  const end = instant(regenerationWindowEnd(order, ctx));
  // Rule 3: the window must be known to be open; a creation time Atlas never stated is a question for staff.
  if (end === null) return stop('blocked', 'created_at_unknown');
  const deadline = new Date(end).toISOString();
  // Judged on whichever clock is later, the desk's or Atlas's: the stricter reading.
  const atlasNow = instant(ctx.atlasNow);
  const now = deskNow === null ? atlasNow : atlasNow === null ? deskNow : Math.max(deskNow, atlasNow);
  if (now === null || now >= end) return stop('blocked', 'regeneration_window_closed', { deadline });
  const { methods, inexact } = methodOffers(order, ctx, false);
  // Regenerating without a way to pay would only create another order to expire.
  if (methods.length === 0) return stop('blocked', inexact ? 'amount_not_exact' : 'no_supported_method', { deadline });
  const warnings = commonWarnings(order, ctx, methods);
  if (end - now < WINDOW_CLOSING_MS) warnings.unshift('regeneration_window_closing');
  warnings.push('price_may_change');
  return { action: 'regenerate_then_pay', methods, deadline, payOrderNo: null, reasons: [reason], warnings };
}

function commonWarnings(order: OrderDetails, ctx: PlanContext, methods: MethodOffer[]): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (order.paymentAttempted === true) warnings.push('payment_attempted');
  if (!methods.some((m) => m.paymentMethod === CARD)) warnings.push('card_not_supported');
  if (!methods.some((m) => m.paymentMethod === DEPOSIT)) warnings.push('deposit_not_supported');
  if (methods.some((m) => depositShort(m, ctx.depositBalances))) warnings.push('deposit_below_due');
  return warnings;
}

/** A balance that cannot be compared exactly with the amount due counts as short (fail closed). */
function depositShort(offer: MethodOffer, balances: Record<string, number> | undefined): boolean {
  const due = offer.dueFromDeposit;
  if (!due || !balances) return false;
  const balance = balances[due.currency] ?? balances[due.currency.toUpperCase()];
  if (balance === undefined) return false;
  const cmp = compareAmounts(balance, due.amount, due.currency);
  return cmp === null || cmp < 0;
}

/** Exact in its currency's ISO 4217 minor unit (docs/money-safety.md rule 13). */
const exact = (m: Money | null): boolean => m === null || toMinor(m.amount, m.currency) !== null;

/**
 * Methods 1 and 3 that the order supports (and ctx allows), with amounts due. A method whose
 * amounts cannot be held exactly (unknown currency, more decimals than the currency has) is not
 * offered, and `inexact` says so: the desk never pays an amount it cannot compare.
 */
function methodOffers(order: OrderDetails, ctx: PlanContext, requireOption: boolean): { methods: MethodOffer[]; inexact: boolean } {
  const methods: MethodOffer[] = [];
  let inexact = false;
  for (const method of [DEPOSIT, CARD] as const) {
    if (!order.supportPaymentMethods.includes(method)) continue;
    if (ctx.allowedMethods && !ctx.allowedMethods.includes(method)) continue;
    const option = order.paymentOptions?.find((o) => o.paymentMethod === method);
    // For a regeneration the new order is re-priced anyway: the current figures are an estimate.
    const offer = option ? offerFromOption(method, option) : null;
    const chosen = offer === null && !requireOption ? estimateOffer(order, method) : offer;
    if (chosen === 'inexact') inexact = true;
    else if (chosen) methods.push(chosen);
  }
  return { methods, inexact };
}

/** Sums the option's parts by where they are deducted; null when the option is malformed. */
function offerFromOption(method: 1 | 3, option: PaymentOption): MethodOffer | 'inexact' | null {
  const parts = [option.ticketFare, option.serviceFee, option.paymentFee].filter((p) => p !== null);
  if (parts.length === 0) return null;
  const deposit = sumMoney(parts.filter((p) => p.deductFrom === 'DEPOSIT'));
  const card = sumMoney(parts.filter((p) => p.deductFrom === 'CARD'));
  if (!deposit || !card) return 'inexact';
  // One currency per source; a deposit payment never charges a card.
  if (deposit.length > 1 || card.length > 1 || (method === DEPOSIT && card.length > 0)) return null;
  return { paymentMethod: method, dueFromDeposit: deposit[0] ?? null, dueFromCard: card[0] ?? null };
}

function estimateOffer(order: OrderDetails, method: 1 | 3): MethodOffer | 'inexact' {
  if (method === DEPOSIT) {
    const total = sumMoney([
      { amount: order.totalPrice, currency: order.currency },
      { amount: order.totalTransactionFee, currency: order.currency },
    ]);
    return total?.[0] ? { paymentMethod: DEPOSIT, dueFromDeposit: total[0], dueFromCard: null } : 'inexact';
  }
  // VCC: the airline charges the vendor amount; Atlas still takes its fee from the deposit.
  const card =
    order.vendorTotalPrice !== null && order.vendorCurrency
      ? { amount: order.vendorTotalPrice, currency: order.vendorCurrency }
      : null;
  const fee = order.totalTransactionFee > 0 ? { amount: order.totalTransactionFee, currency: order.currency } : null;
  return exact(card) && exact(fee) ? { paymentMethod: CARD, dueFromDeposit: fee, dueFromCard: card } : 'inexact';
}
