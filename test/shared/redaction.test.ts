import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARD_DATA_KEYS, maskCardNumbers, scrubCardData } from '../../shared/redaction.ts';
import { SANDBOX_VISA as PAN } from '../support/cards.ts';

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

describe('numbers that are not card numbers survive; card-shaped ones do not', () => {
  const disk = { maskText: (t: string) => maskCardNumbers(t, 'any_card_length'), dropKeys: CARD_DATA_KEYS };
  const window = { maskText: (t: string) => maskCardNumbers(t, 'luhn_valid'), dropKeys: CARD_DATA_KEYS };

  it("keeps a regeneration journal's createdFrom (epoch ms) and other desk numbers as they are", () => {
    const journal = { originalOrderNo: 'TESTA20251130081500123', createdFrom: 1764489600000, preexisting: ['TESTA20251130090000456'] };
    const numbers = { amount: 6928000.5, cents: 692800050, bigAmount: 450000000000, count: 5, code: 604, negative: -1764489600000 };
    for (const options of [disk, window]) {
      expect(scrubCardData(journal, options)).toEqual(journal);
      expect(scrubCardData(numbers, options)).toEqual(numbers);
    }
  });

  it('keeps every epoch millisecond from 2001 to 2095 (13 digits from "1" to "3": no card brand has that shape)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2001-09-09T01:46:40Z'), max: Date.parse('2095-12-31T00:00:00Z') }), (ms) => {
        expect(scrubCardData({ at: ms }, disk)).toEqual({ at: ms });
      }),
    );
  });

  it('masks a card number sent as a JSON number, also a mistyped one, also one too long for a double', () => {
    expect(scrubCardData({ a: Number(PAN) }, disk)).toEqual({ a: '453201******0366' });
    expect(scrubCardData({ a: 4532015112830367 }, disk)).toEqual({ a: '453201******0367' });
    expect(scrubCardData({ a: 378282246310005 }, disk)).toEqual({ a: '378282*****0005' });
    expect(scrubCardData({ a: 4111111111111111111 }, disk)).toEqual({ a: expect.stringMatching(/^411111\*{9}\d{4}$/) });
    expect(scrubCardData({ a: 4532015112830366n, b: 1764489600000n }, disk)).toEqual({ a: '453201******0366', b: '1764489600000' });
    expect(scrubCardData({ a: Number(PAN), b: 1764489600000 }, window)).toEqual({ a: '453201******0366', b: 1764489600000 });
  });

  it('still masks card-length digit runs in text on disk, whatever their shape', () => {
    expect(scrubCardData({ note: 'createdFrom 1764489600000' }, disk)).toEqual({ note: 'createdFrom 176448***0000' });
  });
});
