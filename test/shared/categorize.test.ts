import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderDetails } from '../../shared/atlas.ts';
import { categorize, type CategoryContext } from '../../shared/categorize.ts';
import type { Category } from '../../shared/desk.ts';
import { planRecovery } from '../../shared/planner.ts';
import { ctxArb, mixedOrderArb } from './order-arbitrary.ts';
import { CREATED, DEADLINE, HOUR, MIN, NOW, at, cancelledAfterPayment, order } from '../support/order-details.ts';

const cctx = (over: Partial<CategoryContext> = {}): CategoryContext => ({
  now: NOW,
  regeneratedInto: [],
  paymentFailureKnown: false,
  unreconciled: false,
  ...over,
});

describe('categorize puts each order in the list of docs/money-safety.md §1', () => {
  const rows: [string, OrderDetails, Partial<CategoryContext>, Category, string | null][] = [
    ['B: cancelled with a card code, window open', cancelledAfterPayment('604'), {}, 'B', null],
    ['B: cancelled with 617 (deposit low at ticketing)', cancelledAfterPayment('617', { paymentMethod: 1 }), {}, 'B', null],
    ['A: unpaid and marked failed', order(), { paymentFailureKnown: true }, 'A', null],
    ['A: unpaid with paymentAttempted true', order({ paymentAttempted: true }), {}, 'A', null],
    ['A: marked failed and past the deadline (regenerate)', order(), { paymentFailureKnown: true, now: at(DEADLINE, MIN) }, 'A', null],
    ['unpaid: unpaid with no evidence', order(), {}, 'unpaid', null],
    ['unpaid: no evidence even past the deadline', order(), { now: at(DEADLINE, MIN) }, 'unpaid', null],
    ['ticketing: status ticketing', order({ orderStatus: 'ticketing', paymentMethod: 1, paymentOptions: null }), {}, 'ticketing', null],
    ['done: ticketed', order({ orderStatus: 'ticketed', ticketIssued: true, paymentMethod: 1 }), {}, 'done', null],
    ['done: cancelled and already regenerated', cancelledAfterPayment('604'), { regeneratedInto: ['TESTA20260301110000001'] }, 'done', null],
    ['done: expired unpaid order nobody marked failed', order({ orderStatus: 'cancelled' }), { now: at(DEADLINE, HOUR) }, 'done', null],
    ['attention: 608 duplicate', cancelledAfterPayment('608'), {}, 'attention', 'duplicate_booking'],
    ['attention: 615 paid, PNR pending (cancelled)', cancelledAfterPayment('615'), {}, 'attention', 'paid_pnr_pending'],
    ['attention: 615 while ticketing', order({ orderStatus: 'ticketing', errorCode: '615', paymentMethod: 3 }), {}, 'attention', 'paid_pnr_pending'],
    ['attention: unreconciled step', order(), { unreconciled: true, paymentFailureKnown: true }, 'attention', 'outcome_unknown'],
    ['attention: card code but the 24 h window closed', cancelledAfterPayment('613'), { now: at(CREATED, 24 * HOUR + 1) }, 'attention', 'regeneration_window_closed'],
    ['attention: inventory code', cancelledAfterPayment('603'), {}, 'attention', 'cancelled_not_recoverable'],
    ['attention: unknown code', cancelledAfterPayment('698'), {}, 'attention', 'cancelled_not_recoverable'],
    ['attention: card code but only MoR supported', cancelledAfterPayment('604', { supportPaymentMethods: [5] }), {}, 'attention', 'no_supported_method'],
  ];
  it.each(rows)('%s', (_name, o, c, category, reason) => {
    expect(categorize(o, cctx(c))).toEqual({ category, attentionReason: reason });
  });
});

describe('categorize agrees with planRecovery for arbitrary orders', () => {
  it('A/B pay or regenerate; unpaid is blocked not_marked_failed; done/ticketing never pay; attention has a reason', () => {
    fc.assert(
      fc.property(mixedOrderArb, ctxArb, (o, full) => {
        const c: CategoryContext = {
          now: full.now,
          regeneratedInto: full.regeneratedInto,
          paymentFailureKnown: full.paymentFailureKnown,
          unreconciled: full.unreconciled,
        };
        const { category, attentionReason } = categorize(o, c);
        const plan = planRecovery(o, c);
        const pays = plan.action === 'pay_same_order' || plan.action === 'regenerate_then_pay';
        if (category === 'A' || category === 'B') expect(pays).toBe(true);
        if (category === 'B') expect(plan.action).toBe('regenerate_then_pay');
        if (category === 'unpaid') expect(plan).toMatchObject({ action: 'blocked', reasons: ['not_marked_failed'] });
        if (category === 'done' || category === 'ticketing' || category === 'attention') expect(pays).toBe(false);
        expect(attentionReason !== null).toBe(category === 'attention');
        // B is Scenario B only: cancelled, never an unpaid order.
        if (category === 'B') expect(o.orderStatus).toBe('cancelled');
        if (category === 'unpaid') expect(o.orderStatus).toBe('unpaid');
      }),
      { numRuns: 3000 },
    );
  });
});
