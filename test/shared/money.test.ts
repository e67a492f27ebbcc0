import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareAmounts, compareMoney, currencyDigits, displayDigits, formatMoney, fromMinor, sumMoney, toMinor } from '../../shared/money.ts';

describe('ISO 4217 minor units', () => {
  it('knows minor-unit digits per currency', () => {
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('jpy')).toBe(0);
    expect(currencyDigits(' KWD ')).toBe(3);
    expect(currencyDigits('CLF')).toBe(4);
    expect(currencyDigits('XCG')).toBe(2);
  });

  it.each([
    ['IDR', 2],
    ['HUF', 2],
    ['COP', 2],
    ['PKR', 2],
    ['IQD', 3],
    ['LBP', 2],
  ])('uses ISO digits, not the Intl display digits, for %s (%i)', (code, digits) => {
    expect(currencyDigits(code)).toBe(digits);
    // The reason for our own table: Intl shows these with fewer digits than ISO 4217 has.
    expect(new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits).toBeLessThan(digits);
  });

  it('knows no code outside the active list, nor codes without a minor unit', () => {
    for (const code of ['not-a-code', '', 'US', 'ABC', 'XAU', 'XDR', 'XXX', 'HRK']) expect(currencyDigits(code), code).toBeNull();
  });
});

describe('exact minor units', () => {
  it('converts amounts that fit the minor unit exactly', () => {
    expect(toMinor(12.34, 'USD')).toBe(1234);
    expect(toMinor(1500, 'JPY')).toBe(1500);
    expect(toMinor(1.234, 'KWD')).toBe(1234);
    expect(toMinor(6928000.5, 'IDR')).toBe(692800050);
    expect(toMinor(-12.3, 'USD')).toBe(-1230);
    expect(Object.is(toMinor(-0, 'USD'), 0)).toBe(true);
    expect(toMinor(1e13, 'USD')).toBe(1e15);
    expect(toMinor(9999999999999.99, 'USD')).toBe(999999999999999);
  });

  it('refuses what cannot be held exactly: over-precise, unknown currency, not finite, beyond 2^53', () => {
    expect(toMinor(100.005, 'USD')).toBeNull();
    expect(toMinor(1.5, 'JPY')).toBeNull();
    expect(toMinor(1500.4, 'JPY')).toBeNull();
    expect(toMinor(0.1 + 0.2, 'USD')).toBeNull(); // 0.30000000000000004 is not a cent amount
    expect(toMinor(1e-7, 'USD')).toBeNull();
    expect(toMinor(5e-324, 'KWD')).toBeNull();
    expect(toMinor(1e21, 'USD')).toBeNull();
    expect(toMinor(1e14, 'USD')).toBeNull(); // 1e16 cents > 2^53
    expect(toMinor(900719925474099.3, 'USD')).toBeNull(); // beyond 2^53 cents
    expect(toMinor(Number.NaN, 'USD')).toBeNull();
    expect(toMinor(Number.POSITIVE_INFINITY, 'USD')).toBeNull();
    expect(toMinor(10, 'ABC')).toBeNull();
  });

  it('round-trips every minor amount of up to 15 digits exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }), fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'), (minor, code) => {
        const amount = fromMinor(minor, code);
        expect(amount).not.toBeNull();
        expect(toMinor(amount as number, code)).toBe(minor);
      }),
    );
  });

  it('has no amount for an unknown currency, nor one no double holds exactly', () => {
    expect(fromMinor(1234, 'USD')).toBe(12.34);
    expect(fromMinor(1234, 'ABC')).toBeNull();
    expect(fromMinor(7248291605808735, 'USD')).toBeNull(); // 72482916058087.35 reads back as …34
  });
});

describe('sumMoney', () => {
  it('sums 0.1 + 0.2 to exactly 0.3', () => {
    expect(sumMoney([{ amount: 0.1, currency: 'USD' }, { amount: 0.2, currency: 'USD' }])).toEqual([{ amount: 0.3, currency: 'USD' }]);
  });

  it('keeps one total per currency, in order of first appearance', () => {
    const total = sumMoney([
      { amount: 100.1, currency: 'USD' },
      { amount: 1500, currency: 'JPY' },
      { amount: 2.2, currency: 'usd' },
      { amount: 250, currency: 'JPY' },
    ]);
    expect(total).toEqual([
      { amount: 102.3, currency: 'USD' },
      { amount: 1750, currency: 'JPY' },
    ]);
  });

  it('gives no sum at all when one amount cannot be held exactly', () => {
    expect(sumMoney([{ amount: 100, currency: 'USD' }, { amount: 0.005, currency: 'USD' }])).toBeNull();
    expect(sumMoney([{ amount: 100, currency: 'USD' }, { amount: 1.5, currency: 'JPY' }])).toBeNull();
    expect(sumMoney([{ amount: 100, currency: 'ABC' }])).toBeNull();
    expect(sumMoney([{ amount: 9e13, currency: 'USD' }, { amount: 9e13, currency: 'USD' }])).toBeNull();
  });

  it('sums any list of cent amounts exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10_000_000, max: 10_000_000 }), { maxLength: 50 }), (cents) => {
        const [total] = sumMoney(cents.map((c) => ({ amount: c / 100, currency: 'USD' }))) ?? [];
        const expected = cents.reduce((a, b) => a + b, 0);
        expect(total ? toMinor(total.amount, 'USD') : 0).toBe(expected);
      }),
    );
  });
});

describe('compareAmounts', () => {
  it('compares amounts exactly in the minor unit', () => {
    expect(compareAmounts(0.3, 0.1 + 0.2, 'USD')).toBeNull();
    expect(compareAmounts(102.29, 102.3, 'USD')).toBe(-1);
    expect(compareAmounts(1001, 1000, 'JPY')).toBe(1);
    expect(compareAmounts(-0, 0, 'USD')).toBe(0);
    expect(compareAmounts(6928000, 6928000.01, 'IDR')).toBe(-1);
    expect(compareAmounts(1.001, 1.002, 'IQD')).toBe(-1);
  });

  it('cannot decide for an unknown currency or an amount finer than the minor unit', () => {
    // With Intl's display digits IDR had 0 decimals: 6,928,000.40 and 6,928,000 compared equal.
    expect(compareAmounts(6928000, 6928000.4, 'IDR')).toBe(-1);
    expect(compareAmounts(100, 100.005, 'USD')).toBeNull();
    expect(compareAmounts(100.005, 100, 'USD')).toBeNull();
    expect(compareAmounts(1000, 999.5, 'JPY')).toBeNull();
    expect(compareAmounts(100, 50, 'ABC')).toBeNull();
    expect(compareAmounts(1e21, 1, 'USD')).toBeNull();
    expect(compareAmounts(Number.NaN, 1, 'USD')).toBeNull();
  });

  it('compares Money only within one currency', () => {
    expect(compareMoney({ amount: 10, currency: 'usd' }, { amount: 9.99, currency: 'USD' })).toBe(1);
    expect(compareMoney({ amount: 10, currency: 'EUR' }, { amount: 9.99, currency: 'USD' })).toBeNull();
  });
});

describe('formatMoney', () => {
  it('shows the currency code and its ISO digits, for English and Chinese staff', () => {
    const plain = (s: string) => s.replace(/\u00a0/g, ' ');
    expect(plain(formatMoney(1234.5, 'USD', 'en'))).toBe('USD 1,234.50');
    expect(plain(formatMoney(1234.5, 'CNY', 'zh-CN'))).toBe('CNY 1,234.50');
    expect(plain(formatMoney(1500, 'JPY', 'en'))).toBe('JPY 1,500');
    expect(plain(formatMoney(6928000, 'IDR', 'en'))).toBe('IDR 6,928,000.00');
    expect(plain(formatMoney(1.5, 'KWD', 'en'))).toBe('KWD 1.500');
  });

  it('never rounds an amount finer than the minor unit away', () => {
    expect(displayDigits(100.005, 'USD')).toBe(3);
    expect(formatMoney(100.005, 'USD', 'en')).toContain('100.005');
    expect(formatMoney(1.5, 'JPY', 'en')).toContain('1.5');
  });

  it('falls back to plain text instead of throwing on a malformed currency', () => {
    expect(formatMoney(12.3, 'US', 'en')).toBe('12.3 US');
  });
});
