// lib/recover-options.ts: an order is offered for recovery only when its plan pays it and no other
// desk holds it; a method that is off says why.
import { describe, expect, it } from 'vitest';
import { canRecover, cardBlockReason, depositBlockReason } from '../../renderer/src/lib/recover-options.ts';
import { makeOrder } from '../support/fake-desk.ts';

const NOW = Date.parse('2026-11-26T06:00:00Z');

describe('canRecover', () => {
  it('offers an order whose plan pays it, and not one that is ticketing or unpaid without evidence', () => {
    expect(canRecover(makeOrder({ orderNo: 'TA2611260001', status: 'cancelled', errorCode: '604' }, NOW))).toBe(true);
    expect(canRecover(makeOrder({ orderNo: 'TA2611260003', status: 'unpaid', markedFailed: true, deadlineInHours: 2 }, NOW))).toBe(true);
    expect(canRecover(makeOrder({ orderNo: 'TA2611260006', status: 'ticketing' }, NOW))).toBe(false);
    expect(canRecover(makeOrder({ orderNo: 'TA2611260007', status: 'unpaid', deadlineInHours: 6 }, NOW))).toBe(false);
  });

  it('never offers an order another desk of the team holds', () => {
    const order = makeOrder({ orderNo: 'TA2611260001', status: 'cancelled', errorCode: '604' }, NOW);
    expect(canRecover({ ...order, claimedBy: { deskId: 'desk-2', staff: 'Lin Mei', kind: 'claim', since: '2026-11-26T05:00:00Z' } })).toBe(false);
  });
});

describe('method block reasons', () => {
  it('says the card is off when the airline takes no card, and deposit when only card is offered', () => {
    const depositOnly = makeOrder({ orderNo: 'TA2611260004', status: 'unpaid', markedFailed: true, deadlineInHours: 2, methods: [1] }, NOW).plan;
    expect(cardBlockReason(depositOnly)).not.toBeNull();
    expect(depositBlockReason(depositOnly)).toBeNull();
    const cardOnly = makeOrder({ orderNo: 'TA2611260009', status: 'cancelled', errorCode: '616', methods: [3] }, NOW).plan;
    expect(depositBlockReason(cardOnly)).not.toBeNull();
    expect(cardBlockReason(cardOnly)).toBeNull();
  });
});
