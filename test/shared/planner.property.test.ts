import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderDetails } from '../../shared/atlas.ts';
import type { Plan, PlanAction, PlanContext } from '../../shared/plan.ts';
import { EXPIRY_MARGIN_MS, planRecovery, REGENERATION_WINDOW_MS } from '../../shared/planner.ts';
import { ctxArb, mixedOrderArb } from './order-arbitrary.ts';

const RUNS = { numRuns: 3000 };
const t = (iso: string | null): number => (iso ? Date.parse(iso) : Number.NaN);
const pays = (p: Plan): boolean => p.action === 'pay_same_order' || p.action === 'regenerate_then_pay';
/** docs/money-safety.md rule 11: Atlas's own 401, or Atlas's clock and the desk's both past the deadline by the margin. */
const expiredOnAtlas = (o: OrderDetails, c: PlanContext): boolean =>
  c.payRefusedAsExpired === true || Math.min(t(c.atlasNow ?? null), t(c.now)) >= t(o.tktLimitTime) + EXPIRY_MARGIN_MS;

function forAllPlans(check: (o: OrderDetails, c: PlanContext, p: Plan) => void): void {
  fc.assert(
    fc.property(mixedOrderArb, ctxArb, (o, c) => {
      check(o, c, planRecovery(o, c));
    }),
    RUNS,
  );
}

describe('planRecovery invariants over arbitrary orders and contexts', () => {
  it('never throws and always gives exactly one reason', () => {
    forAllPlans((_o, _c, p) => expect(p.reasons).toHaveLength(1));
  });

  it('pay_same_order ⇒ unpaid, not proven expired on Atlas, failure evidenced, reconciled, never paid or regenerated', () => {
    forAllPlans((o, c, p) => {
      if (p.action !== 'pay_same_order') return;
      expect(o.orderStatus).toBe('unpaid');
      expect(o.ticketIssued).toBe(false);
      expect(expiredOnAtlas(o, c)).toBe(false);
      // Past the deadline on the clock it judges by, it says so: Atlas answers pay.do 401 if it passed.
      const judgedNow = t(c.atlasNow ?? null) || t(c.now);
      expect(p.reasons).toEqual([judgedNow < t(o.tktLimitTime) ? 'unpaid_payable' : 'deadline_passed_unconfirmed']);
      expect(c.paymentFailureKnown || o.paymentAttempted === true).toBe(true);
      expect(c.unreconciled).toBe(false);
      expect(c.regeneratedInto).toEqual([]);
      expect(o.paymentMethod).toBeNull();
      expect(['608', '615']).not.toContain(o.errorCode?.trim());
      expect(p.payOrderNo).toBe(o.orderNo);
      // Every offered method is still in paymentOptions (docs/money-safety.md rule 8).
      for (const m of p.methods) expect(o.paymentOptions?.some((x) => x.paymentMethod === m.paymentMethod)).toBe(true);
    });
  });

  it('regenerate_then_pay ⇒ (cancelled or unpaid expired on Atlas), never regenerated before, within a known 24 h window', () => {
    forAllPlans((o, c, p) => {
      if (p.action !== 'regenerate_then_pay') return;
      expect(o.orderStatus === 'cancelled' || (o.orderStatus === 'unpaid' && expiredOnAtlas(o, c))).toBe(true);
      expect(o.ticketIssued).toBe(false);
      expect(c.regeneratedInto).toEqual([]);
      expect(c.unreconciled).toBe(false);
      expect(['608', '615']).not.toContain(o.errorCode?.trim());
      // The window is counted from the chain's first order when there is one, and must be known.
      const created = t(c.chainRootCreatedAt !== undefined ? c.chainRootCreatedAt : o.createdAt);
      expect(Number.isFinite(created)).toBe(true);
      expect(Math.max(t(c.now), t(c.atlasNow ?? null) || 0)).toBeLessThan(created + REGENERATION_WINDOW_MS);
      expect(p.payOrderNo).toBeNull();
    });
  });

  it('offers only methods in supportPaymentMethods ∩ {1, 3} (∩ allowedMethods), and only when it pays', () => {
    forAllPlans((o, c, p) => {
      if (!pays(p)) expect(p.methods).toEqual([]);
      else expect(p.methods.length).toBeGreaterThan(0);
      for (const m of p.methods) {
        expect([1, 3]).toContain(m.paymentMethod);
        expect(o.supportPaymentMethods).toContain(m.paymentMethod);
        if (c.allowedMethods) expect(c.allowedMethods).toContain(m.paymentMethod);
      }
      expect(new Set(p.methods.map((m) => m.paymentMethod)).size).toBe(p.methods.length);
    });
  });

  it('never pays or regenerates ticketing, ticketed, 608/615 or unreconciled orders', () => {
    forAllPlans((o, c, p) => {
      const untouchable =
        o.orderStatus === 'ticketing' || o.orderStatus === 'ticketed' || o.ticketIssued || c.unreconciled || ['608', '615'].includes(o.errorCode ?? '');
      if (untouchable) expect(pays(p)).toBe(false);
    });
  });

  it('lists each warning at most once', () => {
    forAllPlans((_o, _c, p) => expect(new Set(p.warnings).size).toBe(p.warnings.length));
  });

  it('reaches every action, so the invariants above are not vacuous', () => {
    const seen = new Set<PlanAction>();
    fc.assert(
      fc.property(mixedOrderArb, ctxArb, (o, c) => {
        seen.add(planRecovery(o, c).action);
      }),
      RUNS,
    );
    expect([...seen].sort()).toEqual(['blocked', 'no_action', 'pay_same_order', 'reconcile_first', 'regenerate_then_pay', 'wait_ticketing']);
  });
});
