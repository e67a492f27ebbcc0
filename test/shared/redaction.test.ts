import { describe, expect, it } from 'vitest';
import { CARD_DATA_KEYS, maskCardNumbers, scrubCardData } from '../../shared/redaction.ts';

const PAN = '4532015112830366'; // sandbox test card, Luhn-valid
const TICKET = '7842401234567'; // a 13-digit ticket number that fails Luhn

describe('card data redaction', () => {
  it('for disk, masks every standalone 12–19 digit run, grouped or not, to first 6 / last 4', () => {
    expect(maskCardNumbers(`card ${PAN} ok`, 'any_card_length')).toBe('card 453201******0366 ok');
    expect(maskCardNumbers('4532 0151 1283 0366', 'any_card_length')).toBe('453201******0366');
    expect(maskCardNumbers(`ticket ${TICKET}`, 'any_card_length')).toBe('ticket 784240***4567');
    expect(maskCardNumbers('12345678901234567890', 'any_card_length')).toBe('12345678901234567890');
  });

  it('for the window, masks only Luhn-valid card numbers so ticket numbers stay readable', () => {
    expect(maskCardNumbers(`ticket ${TICKET}`, 'luhn_valid')).toBe(`ticket ${TICKET}`);
    expect(maskCardNumbers(`card ${PAN}`, 'luhn_valid')).toBe('card 453201******0366');
    // A card hidden inside a longer run is still found.
    expect(maskCardNumbers(`1 ${PAN.slice(0, 4)} ${PAN.slice(4)}`, 'luhn_valid')).not.toContain(PAN.slice(6, 12));
  });

  it('never touches order numbers, whose digits follow letters', () => {
    for (const policy of ['any_card_length', 'luhn_valid'] as const) {
      expect(maskCardNumbers('TESTA20250816160804096', policy)).toBe('TESTA20250816160804096');
    }
  });

  it('drops card keys at any depth, masks strings and long integers, and drops what JSON cannot hold', () => {
    const scrubbed = scrubCardData(
      { creditCard: { cardNumber: PAN }, nested: [{ CardCVV: '123', note: `pan ${PAN}` }], asNumber: Number(PAN), fn: () => 1 },
      { maskText: (t) => maskCardNumbers(t, 'any_card_length'), dropKeys: CARD_DATA_KEYS },
    );
    expect(scrubbed).toEqual({ nested: [{ note: 'pan 453201******0366' }], asNumber: '453201******0366' });
    expect(JSON.stringify(scrubbed)).not.toContain('123');
  });
});
