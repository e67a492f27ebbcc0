import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareAmounts, currencyDigits, formatMoney, fromMinor, sumMoney, toMinor } from '../../shared/money.ts';

describe('money arithmetic in minor units', () => {
  it('knows minor-unit digits per currency', () => {
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('jpy')).toBe(0);
    expect(currencyDigits('KWD')).toBe(3);
    expect(currencyDigits('not-a-code')).toBe(2);
  });

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

  it('rounds JPY to whole yen', () => {
    expect(toMinor(1500.4, 'JPY')).toBe(1500);
    expect(fromMinor(1500, 'JPY')).toBe(1500);
  });

  it('sums any list of cent amounts exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10_000_000, max: 10_000_000 }), { maxLength: 50 }), (cents) => {
        const [total] = sumMoney(cents.map((c) => ({ amount: c / 100, currency: 'USD' })));
        const expected = cents.reduce((a, b) => a + b, 0);
        expect(total ? toMinor(total.amount, 'USD') : 0).toBe(expected);
      }),
    );
  });

  it('compares amounts in the minor unit', () => {
    expect(compareAmounts(0.1 + 0.2, 0.3, 'USD')).toBe(0);
    expect(compareAmounts(102.29, 102.3, 'USD')).toBe(-1);
    expect(compareAmounts(1001, 1000, 'JPY')).toBe(1);
  });
});

describe('formatMoney', () => {
  it('formats for English and Chinese staff', () => {
    expect(formatMoney(1234.5, 'USD', 'en')).toBe('$1,234.50');
    expect(formatMoney(1234.5, 'USD', 'zh-CN')).toBe('US$1,234.50');
    expect(formatMoney(1234.5, 'CNY', 'zh-CN')).toBe('¥1,234.50');
    expect(formatMoney(1500, 'JPY', 'en')).toBe('¥1,500');
  });

  it('falls back to plain text instead of throwing on a malformed currency', () => {
    expect(formatMoney(12.3, 'US', 'en')).toBe('12.30 US');
  });
});
