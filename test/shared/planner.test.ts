import { describe, expect, it } from 'vitest';
import type { OrderDetails } from '../../shared/atlas.ts';
import type { PlanAction, PlanContext, PlanReason } from '../../shared/plan.ts';
import { EXPIRY_MARGIN_MS, planRecovery, regenerationWindowEnd } from '../../shared/planner.ts';
import { CARD_PAYMENT_CODES } from '../../shared/ticket-errors.ts';
import { CREATED, DEADLINE, HOUR, MIN, NOW, at, cancelledAfterPayment, ctx, order } from '../support/order-details.ts';

const PAST_DEADLINE = at(DEADLINE, 10 * MIN);
/** Atlas's clock agrees with the desk's: the deadline passed by more than the margin on both. */
const EXPIRED = { now: PAST_DEADLINE, atlasNow: PAST_DEADLINE };

interface Row {
  name: string;
  order: OrderDetails;
  ctx?: Partial<PlanContext>;
  action: PlanAction;
  reason: PlanReason;
}

// docs/atlas-api.md §8 "Recovery decisions", one or more rows per line of that table.
const section8: Row[] = [
  { name: '"0", before tktLimitTime, paymentMethod null, failure known → re-pay the same order', order: order(), action: 'pay_same_order', reason: 'unpaid_payable' },
  { name: '"0" past tktLimitTime on Atlas\'s clock (failure known) → regenerate, then pay the new order', order: order(), ctx: EXPIRED, action: 'regenerate_then_pay', reason: 'unpaid_expired' },
  { name: '"0" exactly the margin past tktLimitTime on Atlas\'s clock and the desk\'s counts as expired', order: order(), ctx: { now: at(DEADLINE, EXPIRY_MARGIN_MS), atlasNow: at(DEADLINE, EXPIRY_MARGIN_MS) }, action: 'regenerate_then_pay', reason: 'unpaid_expired' },
  { name: 'pay.do returned 401 → regenerate, then pay the new order', order: order(), ctx: { payRefusedAsExpired: true }, action: 'regenerate_then_pay', reason: 'unpaid_expired' },
  { name: '"1" → wait and poll, never re-pay', order: order({ orderStatus: 'ticketing', paymentMethod: 1, paymentOptions: null }), action: 'wait_ticketing', reason: 'ticketing_in_progress' },
  ...CARD_PAYMENT_CODES.map((code): Row => ({
    name: `"-3" with card code ${code} → regenerate, then pay with deposit or another card`,
    order: cancelledAfterPayment(code),
    action: 'regenerate_then_pay',
    reason: 'airline_payment_rejected',
  })),
  { name: '"-3" with 608 → blocked: check for the existing booking first', order: cancelledAfterPayment('608'), action: 'blocked', reason: 'duplicate_booking' },
  { name: '"-3" with 615 → nothing: paid, PNR pending', order: cancelledAfterPayment('615'), action: 'no_action', reason: 'paid_pnr_pending' },
  { name: '"1" with 615 → nothing: paid, PNR pending', order: order({ orderStatus: 'ticketing', errorCode: '615', paymentMethod: 3, paymentOptions: null }), action: 'no_action', reason: 'paid_pnr_pending' },
  ...['602', '603', '606', '607', '611'].map((code): Row => ({
    name: `"-3" after payment with inventory code ${code} → blocked, not recoverable by regenerate`,
    order: cancelledAfterPayment(code),
    action: 'blocked',
    reason: 'cancelled_not_recoverable',
  })),
  { name: '"2" → done', order: order({ orderStatus: 'ticketed', ticketIssued: true, paymentMethod: 1, paymentOptions: null }), action: 'no_action', reason: 'ticketed' },
];

describe('planRecovery follows the docs/atlas-api.md §8 decision table', () => {
  it.each(section8)('$name', (row) => {
    const plan = planRecovery(row.order, ctx(row.ctx));
    expect(plan.action).toBe(row.action);
    expect(plan.reasons).toEqual([row.reason]);
  });

  it('warns that a regenerate may fail for inventory codes', () => {
    expect(planRecovery(cancelledAfterPayment('603'), ctx()).warnings).toContain('regenerate_may_fail');
    expect(planRecovery(cancelledAfterPayment('6051'), ctx()).warnings).not.toContain('regenerate_may_fail');
  });
});

describe('planRecovery: unpaid orders need evidence of a failed payment (docs/money-safety.md §1)', () => {
  it('blocks an unpaid order nobody marked failed, before and after the deadline', () => {
    for (const now of [NOW, PAST_DEADLINE]) {
      const plan = planRecovery(order(), ctx({ now, paymentFailureKnown: false }));
      expect(plan).toMatchObject({ action: 'blocked', reasons: ['not_marked_failed'], methods: [] });
    }
  });

  it('pays once staff mark the single order failed', () => {
    expect(planRecovery(order(), ctx({ paymentFailureKnown: true })).action).toBe('pay_same_order');
  });

  it('treats paymentAttempted true as evidence but warns to reconcile the card', () => {
    const plan = planRecovery(order({ paymentAttempted: true }), ctx({ paymentFailureKnown: false }));
    expect(plan.action).toBe('pay_same_order');
    expect(plan.warnings).toContain('payment_attempted');
  });

  it('regenerates a never-paid order that Atlas already moved to -3 (no code or 611) when failure is known', () => {
    for (const code of [null, '611']) {
      const expired = order({ orderStatus: 'cancelled', errorCode: code });
      expect(planRecovery(expired, ctx({ now: PAST_DEADLINE })).action).toBe('regenerate_then_pay');
      expect(planRecovery(expired, ctx({ now: PAST_DEADLINE, paymentFailureKnown: false }))).toMatchObject({
        action: 'no_action',
        reasons: ['not_marked_failed'],
      });
    }
  });

  it('blocks an unpaid order whose deadline is unknown instead of guessing payable or expired', () => {
    expect(planRecovery(order({ tktLimitTime: null }), ctx()).reasons).toEqual(['deadline_unknown']);
    expect(planRecovery(order(), ctx({ now: 'not a date' })).reasons).toEqual(['deadline_unknown']);
  });
});

describe('planRecovery never pays where docs/money-safety.md rule 3 forbids it', () => {
  const forbidden: [string, OrderDetails][] = [
    ['ticketing ("1", pay.do 402)', order({ orderStatus: 'ticketing', paymentMethod: 3, paymentOptions: null })],
    ['ticketed ("2", pay.do 404)', order({ orderStatus: 'ticketed', ticketIssued: true, paymentMethod: 1, paymentOptions: null })],
    ['ticketIssued although status still says unpaid', order({ ticketIssued: true })],
    ['cancelled ("-3") with a card code', cancelledAfterPayment('604')],
    ['unpaid but a payment is recorded (pay.do 404/406 state)', order({ paymentMethod: 1 })],
    ['unpaid with a payment timestamp (pay.do 406 state)', order({ paymentTimestamp: at(CREATED, MIN) })],
    ['615 on an unpaid-looking order', order({ errorCode: '615' })],
    ['608 on an unpaid-looking order', order({ errorCode: '608' })],
  ];
  it.each(forbidden)('%s', (_name, o) => {
    expect(planRecovery(o, ctx()).action).not.toBe('pay_same_order');
  });

  it('reconciles an unknown outcome before anything else', () => {
    for (const o of [order(), cancelledAfterPayment('604')]) {
      expect(planRecovery(o, ctx({ unreconciled: true }))).toMatchObject({ action: 'reconcile_first', reasons: ['outcome_unknown'] });
    }
  });
});

describe('planRecovery never regenerates where docs/money-safety.md rule 3 forbids it', () => {
  it('does not regenerate an order that is still payable', () => {
    expect(planRecovery(order(), ctx()).action).toBe('pay_same_order');
    expect(planRecovery(order({ paymentOptions: null }), ctx()).action).toBe('blocked');
  });

  it('does not regenerate ticketing or ticketed orders, even with a card code', () => {
    for (const status of ['ticketing', 'ticketed'] as const) {
      const plan = planRecovery(cancelledAfterPayment('604', { orderStatus: status }), ctx());
      expect(plan.action).not.toBe('regenerate_then_pay');
    }
  });

  it('does not regenerate past the 24-hour window', () => {
    const plan = planRecovery(cancelledAfterPayment('604'), ctx({ now: at(CREATED, 24 * HOUR) }));
    expect(plan).toMatchObject({ action: 'blocked', reasons: ['regeneration_window_closed'], deadline: regenerationWindowEnd(cancelledAfterPayment('604')) });
    expect(planRecovery(order(), ctx({ now: at(CREATED, 25 * HOUR), payRefusedAsExpired: true })).reasons).toEqual(['regeneration_window_closed']);
  });

  it('does not regenerate twice: the new order is handled on its own row', () => {
    for (const o of [cancelledAfterPayment('604'), order(), order({ orderStatus: 'unpaid' })]) {
      const plan = planRecovery(o, ctx({ now: PAST_DEADLINE, regeneratedInto: ['TESTA20260301103000001'] }));
      expect(plan).toMatchObject({ action: 'no_action', reasons: ['already_regenerated'], payOrderNo: null });
    }
  });

  it('does not regenerate a 608 duplicate', () => {
    expect(planRecovery(cancelledAfterPayment('608'), ctx()).action).toBe('blocked');
  });
});

describe('planRecovery deadlines and warnings', () => {
  it('sets payOrderNo and the deadline for a same-order payment', () => {
    const plan = planRecovery(order(), ctx());
    expect(plan.payOrderNo).toBe('TESTA20260301100000123');
    expect(plan.deadline).toBe(DEADLINE);
  });

  it('warns deadline_close under 5 minutes before tktLimitTime only', () => {
    expect(planRecovery(order(), ctx({ now: at(DEADLINE, -4 * MIN) })).warnings).toContain('deadline_close');
    expect(planRecovery(order(), ctx({ now: at(DEADLINE, -6 * MIN) })).warnings).not.toContain('deadline_close');
  });

  it('uses the window end as deadline and warns when under 2 hours remain', () => {
    const late = planRecovery(cancelledAfterPayment('616'), ctx({ now: at(CREATED, 23 * HOUR) }));
    expect(late.deadline).toBe(at(CREATED, 24 * HOUR));
    expect(late.warnings).toContain('regeneration_window_closing');
    const early = planRecovery(cancelledAfterPayment('616'), ctx({ now: at(CREATED, 20 * HOUR) }));
    expect(early.warnings).not.toContain('regeneration_window_closing');
  });

  it('asks staff when Atlas never stated the creation time: the window is not assumed open', () => {
    for (const o of [cancelledAfterPayment('604', { createdAt: null }), order({ createdAt: null })]) {
      expect(planRecovery(o, ctx({ ...EXPIRED, payRefusedAsExpired: true }))).toMatchObject({ action: 'blocked', reasons: ['created_at_unknown'], methods: [] });
    }
  });

  it('marks regenerate amounts as estimates and pays nothing to a known order yet', () => {
    const plan = planRecovery(cancelledAfterPayment('604'), ctx());
    expect(plan.payOrderNo).toBeNull();
    expect(plan.warnings).toContain('price_may_change');
  });

  it('regenerates a 617 (deposit too low at ticketing) order', () => {
    const plan = planRecovery(cancelledAfterPayment('617', { paymentMethod: 1 }), ctx());
    expect(plan).toMatchObject({ action: 'regenerate_then_pay', reasons: ['deposit_low_at_ticketing'] });
  });

  it('blocks a paid order cancelled with an unpublished or unknown code', () => {
    for (const code of ['629', '630', '698', '999', null]) {
      expect(planRecovery(cancelledAfterPayment(code), ctx()).reasons).toEqual(['cancelled_not_recoverable']);
    }
  });
});

describe('planRecovery payment methods and amounts', () => {
  it('sums option parts by deduction source without float drift', () => {
    const plan = planRecovery(order(), ctx());
    expect(plan.methods).toEqual([
      { paymentMethod: 1, dueFromDeposit: { amount: 102.3, currency: 'USD' }, dueFromCard: null },
      { paymentMethod: 3, dueFromDeposit: { amount: 2.2, currency: 'USD' }, dueFromCard: { amount: 95.8, currency: 'EUR' } },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('offers only methods in both supportPaymentMethods and paymentOptions for a same-order payment', () => {
    const noCardOption = order({ paymentOptions: order().paymentOptions!.filter((o) => o.paymentMethod === 1) });
    const plan = planRecovery(noCardOption, ctx());
    expect(plan.methods.map((m) => m.paymentMethod)).toEqual([1]);
    expect(plan.warnings).toContain('card_not_supported');
  });

  it('warns deposit_not_supported / card_not_supported from supportPaymentMethods', () => {
    expect(planRecovery(order({ supportPaymentMethods: [3] }), ctx()).warnings).toContain('deposit_not_supported');
    expect(planRecovery(order({ supportPaymentMethods: [1, 5] }), ctx()).warnings).toContain('card_not_supported');
  });

  it('blocks with no_supported_method when only BYOA/MoR are supported', () => {
    for (const o of [order({ supportPaymentMethods: [4, 5] }), cancelledAfterPayment('604', { supportPaymentMethods: [5] })]) {
      expect(planRecovery(o, ctx())).toMatchObject({ action: 'blocked', reasons: ['no_supported_method'], methods: [] });
    }
  });

  it('honours ctx.allowedMethods', () => {
    expect(planRecovery(order(), ctx({ allowedMethods: [3, 5] })).methods.map((m) => m.paymentMethod)).toEqual([3]);
  });

  it('skips a deposit option that would charge a card (malformed)', () => {
    const bad = order({
      paymentOptions: [{ paymentMethod: 1, ticketFare: { amount: 1, currency: 'EUR', deductFrom: 'CARD' }, serviceFee: null, paymentFee: null }],
      supportPaymentMethods: [1],
    });
    expect(planRecovery(bad, ctx()).reasons).toEqual(['no_supported_method']);
  });

  it('estimates regenerate amounts from the order totals when paymentOptions is null', () => {
    const plan = planRecovery(cancelledAfterPayment('604'), ctx());
    expect(plan.methods).toEqual([
      { paymentMethod: 1, dueFromDeposit: { amount: 102.3, currency: 'USD' }, dueFromCard: null },
      { paymentMethod: 3, dueFromDeposit: { amount: 2.2, currency: 'USD' }, dueFromCard: { amount: 95.8, currency: 'EUR' } },
    ]);
  });

  it('warns deposit_below_due only when the balance in that currency is known and short', () => {
    const warn = (balances?: Record<string, number>) => planRecovery(order(), ctx({ depositBalances: balances })).warnings;
    expect(warn({ USD: 102.29 })).toContain('deposit_below_due');
    expect(warn({ USD: 102.3 })).not.toContain('deposit_below_due');
    expect(warn({ EUR: 0 })).not.toContain('deposit_below_due');
    expect(warn(undefined)).not.toContain('deposit_below_due');
  });
});

describe('amounts the planner cannot hold exactly (docs/money-safety.md rule 13)', () => {
  const option = (paymentMethod: 1 | 3, amount: number, currency: string) => ({
    paymentMethod,
    ticketFare: { amount, currency, deductFrom: paymentMethod === 1 ? ('DEPOSIT' as const) : ('CARD' as const) },
    serviceFee: null,
    paymentFee: null,
  });

  it('offers only the methods whose amounts are exact, and says why when none is left', () => {
    const deposit = option(1, 100.005, 'USD');
    const card = option(3, 95.5, 'EUR');
    const onlyCard = planRecovery(order({ paymentOptions: [deposit, card] }), ctx());
    expect(onlyCard.methods.map((m) => m.paymentMethod)).toEqual([3]);
    const none = planRecovery(order({ paymentOptions: [deposit, option(3, 1500.5, 'JPY')] }), ctx());
    expect(none).toMatchObject({ action: 'blocked', reasons: ['amount_not_exact'], methods: [] });
    expect(planRecovery(order({ paymentOptions: [option(1, 100, 'ABC')], supportPaymentMethods: [1] }), ctx()).reasons).toEqual(['amount_not_exact']);
  });

  it('does not estimate a regeneration from totals it cannot hold exactly', () => {
    const plan = planRecovery(cancelledAfterPayment('604', { totalPrice: 100.001, vendorTotalPrice: 95.001 }), ctx());
    expect(plan).toMatchObject({ action: 'blocked', reasons: ['amount_not_exact'] });
    const vendorOnly = planRecovery(cancelledAfterPayment('604', { vendorTotalPrice: 12345.5, vendorCurrency: 'VND' }), ctx());
    expect(vendorOnly.methods.map((m) => m.paymentMethod)).toEqual([1]);
  });

  it('warns deposit_below_due when the balance cannot be compared exactly', () => {
    expect(planRecovery(order(), ctx({ depositBalances: { USD: 1000.001 } })).warnings).toContain('deposit_below_due');
  });
});

describe('rule 11: Atlas\'s clock decides whether an unpaid order expired, with a margin', () => {
  it('pays (never regenerates) when the deadline passed on the desk\'s clock but Atlas\'s clock is unknown', () => {
    const plan = planRecovery(order(), ctx({ now: at(DEADLINE, 2 * HOUR) }));
    expect(plan).toMatchObject({ action: 'pay_same_order', reasons: ['deadline_passed_unconfirmed'], payOrderNo: order().orderNo });
    expect(plan.warnings).toContain('deadline_close');
  });

  it('pays when the desk\'s clock is fast and Atlas\'s still shows the order payable', () => {
    const plan = planRecovery(order(), ctx({ now: at(DEADLINE, 3 * MIN), atlasNow: at(DEADLINE, -2 * MIN) }));
    expect(plan).toMatchObject({ action: 'pay_same_order', reasons: ['unpaid_payable'] });
  });

  it('pays when Atlas\'s clock is hours past the deadline but the desk\'s still shows the order payable: one clock alone never regenerates', () => {
    const plan = planRecovery(order(), ctx({ now: at(DEADLINE, -10 * MIN), atlasNow: at(DEADLINE, 3 * HOUR) }));
    expect(plan).toMatchObject({ action: 'pay_same_order', payOrderNo: order().orderNo });
  });

  it('pays while Atlas\'s clock is past the deadline by less than the margin', () => {
    const plan = planRecovery(order(), ctx({ now: PAST_DEADLINE, atlasNow: at(DEADLINE, EXPIRY_MARGIN_MS - 1) }));
    expect(plan).toMatchObject({ action: 'pay_same_order', reasons: ['deadline_passed_unconfirmed'] });
  });

  it('counts the 24-hour window from the chain\'s first order, on the later of the two clocks', () => {
    const newer = cancelledAfterPayment('604', { createdAt: at(CREATED, 20 * HOUR) });
    const fromRoot = ctx({ now: at(CREATED, 23 * HOUR), chainRootCreatedAt: CREATED });
    expect(planRecovery(newer, fromRoot).action).toBe('regenerate_then_pay');
    expect(planRecovery(newer, { ...fromRoot, atlasNow: at(CREATED, 24 * HOUR) }).reasons).toEqual(['regeneration_window_closed']);
    expect(planRecovery(newer, { ...fromRoot, chainRootCreatedAt: null }).reasons).toEqual(['created_at_unknown']);
  });
});
