// lib/recover-options.ts: an order is offered for recovery only when its plan pays it, no other
// desk holds it and no card charge Atlas started is unchecked; a method that is off says why.
import { describe, expect, it } from 'vitest';
import { canRecover, cardBlockReason, chargeUnchecked, depositBlockReason } from '../../renderer/src/lib/recover-options.ts';
import { cancelledAfterPayment, deskOrder, NOW, order } from '../support/order-details.ts';

const b604 = () => deskOrder(cancelledAfterPayment('604'), { now: NOW });

describe('canRecover', () => {
  it('offers an order whose plan pays it, and not one that is ticketing or unpaid without evidence', () => {
    expect(canRecover(b604())).toBe(true);
    expect(canRecover(deskOrder(order(), { now: NOW, markedFailed: true }))).toBe(true);
    expect(canRecover(deskOrder(order({ orderStatus: 'ticketing', paymentMethod: 1, paymentOptions: null }), { now: NOW }))).toBe(false);
    expect(canRecover(deskOrder(order(), { now: NOW }))).toBe(false);
  });

  it('never offers an order another desk of the team holds', () => {
    expect(canRecover({ ...b604(), claimedBy: { deskId: 'desk-2', staff: 'Lin Mei', kind: 'claim', since: '2026-11-26T05:00:00Z' } })).toBe(false);
  });

  it('waits for staff to say a card charge Atlas started took no money, then offers the order', () => {
    const attempted = deskOrder(order({ paymentAttempted: true }), { now: NOW, markedFailed: true });
    expect(chargeUnchecked(attempted)).toBe(true);
    expect(canRecover(attempted)).toBe(false);
    const checked = { ...attempted, notChargedCheck: { at: NOW, by: 'Mei Lin' } };
    expect(chargeUnchecked(checked)).toBe(false);
    expect(canRecover(checked)).toBe(true);
  });
});

describe('method block reasons', () => {
  it('says the card is off when the airline takes no card, and deposit when only card is offered', () => {
    const depositOnly = deskOrder(order({ supportPaymentMethods: [1], paymentOptions: order().paymentOptions!.filter((o) => o.paymentMethod === 1) }), { now: NOW, markedFailed: true }).plan;
    expect(cardBlockReason(depositOnly)).not.toBeNull();
    expect(depositBlockReason(depositOnly)).toBeNull();
    const cardOnly = deskOrder(cancelledAfterPayment('616', { supportPaymentMethods: [3] }), { now: NOW }).plan;
    expect(depositBlockReason(cardOnly)).not.toBeNull();
    expect(cardBlockReason(cardOnly)).toBeNull();
  });
});
