// The one rule for which orders staff may recover, with which method, and why not.
import { describe, expect, it } from 'vitest';
import { CARD, DEPOSIT, type PaymentMethod } from '../../shared/atlas.ts';
import type { DeskOrder } from '../../shared/desk.ts';
import { REFUSAL_REASONS } from '../../shared/reasons.ts';
import { cardChargeUnconfirmed, recoveryIneligibility } from '../../shared/recovery-eligibility.ts';
import { at, cancelledAfterPayment, CREATED, deskOrder, MIN, NOW, order as details } from '../support/order-details.ts';

interface Seed {
  status?: 'unpaid' | 'ticketing' | 'ticketed' | 'cancelled';
  errorCode?: string;
  markedFailed?: boolean;
  methods?: PaymentMethod[];
  paymentAttempted?: boolean;
}

/** The desk's view of an order (the real planner's plan) as Atlas shows it in each situation. */
function order({ status = 'unpaid', errorCode, markedFailed = false, methods, paymentAttempted }: Seed): DeskOrder {
  const paid = { paymentMethod: 3, paymentAttempted: true, paymentOptions: null, paymentTimestamp: at(CREATED, 5 * MIN) } as const;
  const base =
    status === 'cancelled'
      ? cancelledAfterPayment(errorCode ?? null)
      : status === 'unpaid'
        ? details(paymentAttempted !== undefined ? { paymentAttempted } : {})
        : details({ orderStatus: status, ticketIssued: status === 'ticketed', ...paid });
  const only = methods ? { supportPaymentMethods: methods, paymentOptions: base.paymentOptions?.filter((o) => methods.includes(o.paymentMethod)) ?? null } : {};
  return deskOrder({ ...base, ...only }, { now: NOW, markedFailed });
}
const verdicts = (o: DeskOrder | null) => ({ any: recoveryIneligibility(o), deposit: recoveryIneligibility(o, DEPOSIT), card: recoveryIneligibility(o, CARD) });

describe('recoveryIneligibility', () => {
  it('lets a failed payable order be recovered with either method it offers', () => {
    const failed = order({ markedFailed: true });
    expect(failed.plan.action).toBe('pay_same_order');
    expect(verdicts(failed)).toEqual({ any: null, deposit: null, card: null });
  });

  it('lets a card-declined cancelled order be recovered (it is regenerated first)', () => {
    const declined = order({ status: 'cancelled', errorCode: '604' });
    expect(declined.plan.action).toBe('regenerate_then_pay');
    expect(verdicts(declined)).toEqual({ any: null, deposit: null, card: null });
  });

  it('names the method an order does not offer', () => {
    expect(verdicts(order({ markedFailed: true, methods: [DEPOSIT] }))).toEqual({ any: null, deposit: null, card: 'card_not_supported' });
    expect(verdicts(order({ markedFailed: true, methods: [CARD] }))).toEqual({ any: null, deposit: 'deposit_not_supported', card: null });
  });

  it('refuses an unpaid order nobody said failed, also when its category is stale', () => {
    const unmarked = order({ markedFailed: false });
    expect(verdicts(unmarked)).toEqual({ any: 'not_marked_failed', deposit: 'not_marked_failed', card: 'not_marked_failed' });
    // A category left from before (A) must not let it through while the plan says not_marked_failed.
    expect(recoveryIneligibility({ ...unmarked, category: 'A' }, DEPOSIT)).toBe('not_marked_failed');
  });

  it("refuses an order whose plan does not pay, with the plan's reason", () => {
    expect(verdicts(order({ status: 'ticketed' }))).toEqual({ any: 'ticketed', deposit: 'ticketed', card: 'ticketed' });
    expect(recoveryIneligibility(order({ status: 'ticketing' }), CARD)).toBe('ticketing_in_progress');
    expect(recoveryIneligibility(order({ status: 'cancelled', errorCode: '608' }))).toBe('duplicate_booking');
  });

  it('refuses an order another desk of the team holds, and one the desk does not know', () => {
    const held = { ...order({ markedFailed: true }), claimedBy: { deskId: 'd2', staff: 'Lin Mei', kind: 'claim' as const, since: '2026-11-26T05:59:00Z' } };
    expect(verdicts(held)).toEqual({ any: 'claimed_by_other_desk', deposit: 'claimed_by_other_desk', card: 'claimed_by_other_desk' });
    expect(verdicts(null)).toEqual({ any: 'not_found', deposit: 'not_found', card: 'not_found' });
  });

  it('refuses another payment of an order whose card charge Atlas started, until staff confirm it took no money', () => {
    const started = order({ markedFailed: true, paymentAttempted: true });
    expect(started.plan.action).toBe('pay_same_order');
    expect(verdicts(started)).toEqual({ any: 'card_charge_unconfirmed', deposit: 'card_charge_unconfirmed', card: 'card_charge_unconfirmed' });
    expect(cardChargeUnconfirmed(started)).toBe(true);
    const checked = { ...started, notChargedCheck: { at: '2026-11-26T05:50:00.000Z', by: 'Mei Lin' } };
    expect(verdicts(checked)).toEqual({ any: null, deposit: null, card: null });
    expect(cardChargeUnconfirmed(checked)).toBe(false);
  });

  it('refuses a paying plan without any method', () => {
    const failed = order({ markedFailed: true });
    const none = { ...failed, plan: { ...failed.plan, methods: [] } };
    expect(verdicts(none)).toEqual({ any: 'no_supported_method', deposit: 'deposit_not_supported', card: 'card_not_supported' });
  });

  it('answers only with refusal reasons', () => {
    const seen = [order({ markedFailed: false }), order({ markedFailed: true }), order({ status: 'ticketed' }), order({ status: 'cancelled', errorCode: '611' }), null].flatMap((o) =>
      Object.values(verdicts(o)),
    );
    for (const reason of seen) if (reason !== null) expect(REFUSAL_REASONS).toContain(reason);
  });
});
