import { describe, expect, it } from 'vitest';
import { APPROVAL_TTL_MS, approvalExpiresAt, approvalProblem, overApproval } from '../../shared/approval.ts';

const m = (amount: number, currency = 'USD') => ({ amount, currency });
const deposit = (amount: number, currency = 'USD') => ({ dueFromDeposit: m(amount, currency), dueFromCard: null });

describe('overApproval: the amount about to be charged against what staff approved', () => {
  it('is within at the approved amount and below it, over by one minor unit', () => {
    expect(overApproval(deposit(152), deposit(152), 0)).toEqual([]);
    expect(overApproval(deposit(137), deposit(152), 0)).toEqual([]);
    expect(overApproval(deposit(152.01), deposit(152), 0)).toEqual([{ source: 'deposit', approved: m(152), due: m(152.01) }]);
  });

  it('adds the tolerance as a percentage of the approval, rounded down to a whole minor unit', () => {
    // 2 % of 100.00 USD is 2.00: 102.00 passes, 102.01 does not.
    expect(overApproval(deposit(102), deposit(100), 2)).toEqual([]);
    expect(overApproval(deposit(102.01), deposit(100), 2)).toHaveLength(1);
    // 1 % of 0.99 USD is 0.0099: no whole cent, so nothing above the approval passes.
    expect(overApproval(deposit(1), deposit(0.99), 1)).toHaveLength(1);
    // JPY has no minor unit: 1 % of 1,050 JPY is 10.5 → 10.
    expect(overApproval(deposit(1060, 'JPY'), deposit(1050, 'JPY'), 1)).toEqual([]);
    expect(overApproval(deposit(1061, 'JPY'), deposit(1050, 'JPY'), 1)).toHaveLength(1);
  });

  it('ignores a tolerance that is not a sane percentage (negative, NaN) and caps it at the setting maximum', () => {
    expect(overApproval(deposit(100.01), deposit(100), -5)).toHaveLength(1);
    expect(overApproval(deposit(100.01), deposit(100), Number.NaN)).toHaveLength(1);
    expect(overApproval(deposit(111), deposit(100), 50)).toHaveLength(1);
  });

  it('cannot decide (null: the runner stops, amount_not_exact) on another currency or an amount finer than its minor unit', () => {
    expect(overApproval(deposit(10, 'EUR'), deposit(100, 'USD'), 10)).toBeNull();
    expect(overApproval(deposit(100.005), deposit(100), 0)).toBeNull();
    expect(overApproval(deposit(100), deposit(100.005), 0)).toBeNull();
    expect(overApproval(deposit(1500.5, 'JPY'), deposit(2000, 'JPY'), 0)).toBeNull();
  });

  it('fails closed on a source that charges without an approval', () => {
    const card = { dueFromCard: m(400, 'MYR'), dueFromDeposit: m(2) };
    expect(overApproval(card, { dueFromCard: m(400, 'MYR'), dueFromDeposit: null }, 0)).toEqual([{ source: 'deposit', approved: null, due: m(2) }]);
    // A source Atlas lists at zero charges nothing.
    expect(overApproval({ dueFromCard: m(400, 'MYR'), dueFromDeposit: m(0) }, { dueFromCard: m(400, 'MYR'), dueFromDeposit: null }, 0)).toEqual([]);
  });

  it('checks each source of a card payment on its own', () => {
    const approved = { dueFromCard: m(400, 'MYR'), dueFromDeposit: m(2) };
    expect(overApproval({ dueFromCard: m(440, 'MYR'), dueFromDeposit: m(2) }, approved, 0)).toEqual([
      { source: 'card', approved: m(400, 'MYR'), due: m(440, 'MYR') },
    ]);
  });
});

describe('approvalProblem: what the core refuses in an intent', () => {
  it('wants every charged source approved, in its currency; a lower amount is staff’s to approve', () => {
    expect(approvalProblem(deposit(152), deposit(152))).toBeNull();
    expect(approvalProblem(deposit(152), deposit(100))).toBeNull();
    expect(approvalProblem(deposit(152), undefined)).toBe('approval_missing');
    expect(approvalProblem(deposit(152), { dueFromDeposit: null, dueFromCard: null })).toBe('approval_missing');
    expect(approvalProblem(deposit(152), deposit(152, 'EUR'))).toBe('approval_currency');
    expect(approvalProblem({ dueFromCard: m(400, 'MYR'), dueFromDeposit: m(2) }, { dueFromCard: m(400, 'USD'), dueFromDeposit: m(2) })).toBe('approval_currency');
  });
});

describe('approvalExpiresAt', () => {
  it('is one hour after approval, or the end of the regeneration window when that comes first', () => {
    expect(approvalExpiresAt(1_000, null)).toBe(1_000 + APPROVAL_TTL_MS);
    expect(approvalExpiresAt(1_000, 1_000 + 60_000)).toBe(61_000);
    expect(approvalExpiresAt(1_000, 1_000 + 2 * APPROVAL_TTL_MS)).toBe(1_000 + APPROVAL_TTL_MS);
  });
});
