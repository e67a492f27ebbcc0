import { describe, expect, it } from 'vitest';
import { CARD_PAYMENT_CODES, NOT_RECOVERABLE_CODES, TICKET_ERROR_MEANINGS, isCardPaymentCode, isDangerCode, isInventoryCode, ticketErrorGroup, ticketErrorMeaning } from '../../shared/ticket-errors.ts';

describe('ticket error codes (docs/atlas-api.md §2.5)', () => {
  it.each([
    ['604', 'card_payment'],
    ['613', 'card_payment'],
    ['616', 'card_payment'],
    ['623', 'card_payment'],
    ['633', 'card_payment'],
    ['608', 'duplicate_booking'],
    ['615', 'paid_pnr_pending'],
    ['617', 'deposit_low'],
    ['611', 'expired'],
    ['602', 'not_recoverable'],
    ['603', 'not_recoverable'],
    ['606', 'not_recoverable'],
    ['607', 'not_recoverable'],
    ['6051', 'not_recoverable'],
    ['629', 'unknown'],
    ['630', 'unknown'],
    ['698', 'unknown'],
    ['12345', 'unknown'],
    [null, 'none'],
    ['', 'none'],
    [' 604 ', 'card_payment'],
  ] as const)('groups %j as %s', (code, group) => {
    expect(ticketErrorGroup(code)).toBe(group);
  });

  it('puts every published code in exactly one group and gives it a meaning', () => {
    for (const code of Object.keys(TICKET_ERROR_MEANINGS)) {
      expect(ticketErrorMeaning(code)).toBeTruthy();
      const inCard = CARD_PAYMENT_CODES.includes(code);
      const inNotRecoverable = NOT_RECOVERABLE_CODES.includes(code);
      expect(inCard && inNotRecoverable).toBe(false);
    }
  });

  it('has no meaning for unlisted codes', () => {
    expect(ticketErrorMeaning('4242')).toBeNull();
    expect(ticketErrorMeaning(null)).toBeNull();
  });

  it('flags card, danger and inventory codes', () => {
    expect(CARD_PAYMENT_CODES.every(isCardPaymentCode)).toBe(true);
    expect(isCardPaymentCode('617')).toBe(false);
    expect(isDangerCode('608') && isDangerCode('615')).toBe(true);
    expect(isDangerCode('604')).toBe(false);
    expect(isInventoryCode('603')).toBe(true);
    expect(isInventoryCode('604')).toBe(false);
  });
});
