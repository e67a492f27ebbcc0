import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CardDetails } from '../../shared/atlas.ts';
import { SANDBOX_TEST_CARDS } from '../../electron/simulator/cards.ts';
import { cvvLength, detectBrand, isExpired, luhnValid, maskPan, paymentLimitCurrency, requiredHolderFields, requiredHolderFieldsFor, PAYMENT_LIMIT_MARGIN_PERCENT, REGENERATE_PAYMENT_LIMIT_MARGIN_PERCENT, suggestPaymentLimit, suggestPaymentLimitFor, validateCard } from '../../shared/card.ts';
import type { Plan } from '../../shared/plan.ts';
import { planRecovery } from '../../shared/planner.ts';
import { cancelledAfterPayment, ctx, order } from '../support/order-details.ts';

/** Appends the Luhn check digit, so tests can build valid numbers for any prefix. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

// docs/atlas-api.md §5 sandbox cards.
const SANDBOX_LUHN_VALID: [string, string][] = [
  ['4532015112830366', 'visa'], ['4485275742308327', 'visa'], ['4556737586899855', 'visa'], ['4532644189324563', 'visa'],
  ['5555555555554444', 'mastercard'], ['5105105105105100', 'mastercard'], ['5301250070000191', 'mastercard'], ['5454545454545454', 'mastercard'],
  ['378282246310005', 'amex'], ['371449635398431', 'amex'], ['340000000000009', 'amex'], ['370000000000002', 'amex'],
  ['6011111111111117', 'discover'], ['6011000990139424', 'discover'],
  ['3566002020360505', 'jcb'],
  ['4054695723100768', 'visa'], ['5162774114974622', 'mastercard'],
];
// Listed in docs/atlas-api.md §5 but their check digit is wrong: accepted in Training and Sandbox only.
const SANDBOX_LUHN_INVALID = ['4916931584764308', '5223456789012346', '375987654321001', '6011987612345678'];

describe('Luhn and brand detection', () => {
  it.each(SANDBOX_LUHN_VALID)('accepts sandbox card %s as %s', (pan, brand) => {
    expect(luhnValid(pan)).toBe(true);
    expect(detectBrand(pan)).toBe(brand);
  });

  it.each(SANDBOX_LUHN_INVALID)('rejects %s, a documented sandbox number with a bad check digit', (pan) => {
    expect(luhnValid(pan)).toBe(false);
  });

  it('rejects a single-digit change of a valid number', () => {
    expect(luhnValid('4532015112830367')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4532a15112830366')).toBe(false);
  });

  it.each([
    ['2221000000000000', 'mastercard'],
    ['2720990000000000', 'mastercard'],
    ['2721000000000000', null],
    ['6200000000000000', 'unionpay'],
    ['6221260000000000', 'discover'],
    ['6500000000000000', 'discover'],
    ['6440000000000000', 'discover'],
    ['3528000000000000', 'jcb'],
    ['3589000000000000', 'jcb'],
    ['30000000000000', 'diners'],
    ['36000000000000', 'diners'],
    ['38000000000000', 'diners'],
    ['4111 1111 1111 1111', 'visa'],
    ['9999999999999999', null],
  ])('detects %s as %s', (pan, brand) => {
    expect(detectBrand(pan)).toBe(brand);
  });

  it('wants a 4-digit CVV for Amex only', () => {
    expect(cvvLength('amex')).toBe(4);
    expect(cvvLength('visa')).toBe(3);
    expect(cvvLength(null)).toBe(3);
  });
});

describe('maskPan', () => {
  it('shows first 6 and last 4', () => {
    expect(maskPan('4532015112830366')).toBe('453201******0366');
    expect(maskPan('3782 8224 6310 005')).toBe('378282*****0005');
  });

  it('never reveals more than 6 + 4 digits, and less for short input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 25 }), (pan) => {
        const masked = maskPan(pan);
        const shown = masked.replace(/\*/g, '').length;
        expect(shown).toBeLessThanOrEqual(10);
        expect(masked.length).toBe(pan.length);
        if (pan.length < 13) expect(shown).toBeLessThanOrEqual(4);
        if (pan.length > 0 && pan.length <= 4) expect(shown).toBe(0);
      }),
    );
  });
});

describe('expiry', () => {
  const now = '2026-03-15T12:00:00.000Z';
  it('is valid through the end of the expiry month, with 2- or 4-digit years', () => {
    expect(isExpired('03', '2026', now)).toBe(false);
    expect(isExpired('03', '26', now)).toBe(false);
    expect(isExpired('02', '26', now)).toBe(true);
    expect(isExpired('12', '2025', now)).toBe(true);
    expect(isExpired('01', '27', now)).toBe(false);
  });

  it('treats malformed expiry as expired', () => {
    expect(isExpired('13', '2027', now)).toBe(true);
    expect(isExpired('01', '202', now)).toBe(true);
  });
});

describe('holder-address fields per airline (docs/atlas-api.md §3.1 matrix)', () => {
  it.each([
    ['5J', {}, ['country', 'province', 'city', 'postCode', 'address']],
    ['nk', {}, ['country', 'province', 'city', 'postCode', 'address']],
    ['DE', {}, ['city']],
    ['F9', { usAddress: true }, ['country', 'city', 'postCode', 'address']],
    ['F9', { usAddress: false }, []],
    ['F9', {}, []],
    ['8P', {}, ['country', 'province', 'postCode', 'address']],
    ['AS', {}, ['province', 'city', 'postCode', 'address']],
    ['VY', {}, ['country', 'city', 'postCode', 'address']],
    ['H7', {}, ['country']],
    ['JV', {}, ['country', 'province', 'city']],
    ['KM', {}, ['country', 'city', 'address']],
    ['LJ', {}, ['country', 'province', 'postCode', 'address']],
    ['MM', {}, ['city', 'postCode', 'address']],
    ['RW', {}, ['address']],
    ['SQ', {}, []],
  ] as const)('%s %j → %j', (airline, opts, fields) => {
    expect(requiredHolderFields(airline, opts)).toEqual(fields);
  });

  it('takes the union over all airlines of an order', () => {
    expect(requiredHolderFieldsFor(['DE', 'H4'])).toEqual(['country', 'city']);
    expect(requiredHolderFieldsFor([])).toEqual([]);
  });
});

describe('suggestPaymentLimit', () => {
  it('is 3 % above the vendor amount, rounded up to the minor unit', () => {
    expect(suggestPaymentLimit(100, 'USD')).toBe(103);
    expect(suggestPaymentLimit(95.8, 'EUR')).toBe(98.68); // 98.674 → up
    expect(suggestPaymentLimit(0.01, 'USD')).toBe(0.02);
    expect(suggestPaymentLimit(12345, 'JPY')).toBe(12716); // 12715.35 → up
  });

  it('is never below 3 % above the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), (cents) => {
        const limit = suggestPaymentLimit(cents / 100, 'USD')!;
        expect(Math.round(limit * 100)).toBeGreaterThanOrEqual(cents * 1.03);
        expect(Math.round(limit * 100)).toBeLessThan(cents * 1.03 + 1);
      }),
    );
  });

  it('has no suggestion for a non-positive amount', () => {
    expect(suggestPaymentLimit(0, 'USD')).toBeNull();
    expect(suggestPaymentLimit(Number.NaN, 'USD')).toBeNull();
  });
});

describe('suggestPaymentLimit with a margin', () => {
  it('applies the given whole-percent margin, rounded up to the minor unit', () => {
    expect(suggestPaymentLimit(100, 'USD', 10)).toBe(110);
    expect(suggestPaymentLimit(95.8, 'EUR', 10)).toBe(105.38);
    expect(suggestPaymentLimit(12345, 'JPY', 10)).toBe(13580); // 13579.5 → up
    expect(suggestPaymentLimit(100, 'USD', 0)).toBe(100);
  });

  it('has no suggestion for a negative or fractional margin', () => {
    expect(suggestPaymentLimit(100, 'USD', -1)).toBeNull();
    expect(suggestPaymentLimit(100, 'USD', 2.5)).toBeNull();
  });
});

describe('suggestPaymentLimitFor(plan)', () => {
  const plan = (over: Partial<Plan>): Plan => ({
    action: 'pay_same_order',
    methods: [],
    deadline: null,
    payOrderNo: null,
    reasons: [],
    warnings: [],
    ...over,
  });

  it('suggests 3 % above the card amount for a payable order (the same order is paid, at its own fare)', () => {
    const p = planRecovery(order(), ctx());
    expect(p.action).toBe('pay_same_order');
    // Card offer: fare 95.50 + payment fee 0.30 EUR, both charged to the card.
    expect(suggestPaymentLimitFor(p)).toEqual({ amount: 98.68, currency: 'EUR' });
  });

  it('suggests 10 % above the current vendor fare when the order is regenerated first (re-priced)', () => {
    const p = planRecovery(cancelledAfterPayment('604'), ctx());
    expect(p.action).toBe('regenerate_then_pay');
    expect(suggestPaymentLimitFor(p)).toEqual({ amount: 105.38, currency: 'EUR' });
  });

  it('covers the simulator default re-price (+4 %) for a regenerate plan, which 3 % does not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 10_000_000 }), (cents) => {
        const amount = cents / 100;
        const p = plan({
          action: 'regenerate_then_pay',
          warnings: ['price_may_change'],
          methods: [{ paymentMethod: 3, dueFromDeposit: null, dueFromCard: { amount, currency: 'USD' } }],
        });
        const newFare = Math.round(cents * 1.04) / 100;
        expect(suggestPaymentLimitFor(p)!.amount).toBeGreaterThanOrEqual(newFare);
      }),
    );
    expect(suggestPaymentLimit(100, 'USD')).toBeLessThan(104);
    expect(REGENERATE_PAYMENT_LIMIT_MARGIN_PERCENT).toBeGreaterThan(PAYMENT_LIMIT_MARGIN_PERCENT);
  });

  it('uses the regenerate margin whenever the plan warns price_may_change', () => {
    const p = plan({
      warnings: ['price_may_change'],
      methods: [{ paymentMethod: 3, dueFromDeposit: null, dueFromCard: { amount: 200, currency: 'MYR' } }],
    });
    expect(suggestPaymentLimitFor(p)).toEqual({ amount: 220, currency: 'MYR' });
  });

  it('suggests nothing without a card offer or a card amount', () => {
    expect(suggestPaymentLimitFor(plan({ methods: [{ paymentMethod: 1, dueFromDeposit: { amount: 10, currency: 'USD' }, dueFromCard: null }] }))).toBeNull();
    expect(suggestPaymentLimitFor(plan({ methods: [{ paymentMethod: 3, dueFromDeposit: null, dueFromCard: null }] }))).toBeNull();
    expect(suggestPaymentLimitFor(plan({ action: 'blocked' }))).toBeNull();
  });
});

describe('validateCard', () => {
  const now = '2026-03-15T12:00:00.000Z';
  const valid: CardDetails = {
    cardNumber: '4532015112830366',
    cardCVV: '123',
    cardExpireMonth: '12',
    cardExpireYear: '2028',
    cardHolderFirstName: 'Jane',
    cardHolderLastName: 'Doe',
  };
  const errorsOf = (over: Partial<CardDetails>, airlines: string[] = []) => {
    const r = validateCard({ ...valid, ...over }, { now, environment: 'production', airlines });
    return r.ok ? {} : r.errors;
  };

  it('accepts a complete valid card', () => {
    expect(validateCard(valid, { now, environment: 'production' })).toEqual({ ok: true });
    expect(validateCard({ ...valid, cardNumber: '4532 0151 1283 0366', cardExpireYear: '28' }, { now, environment: 'production' })).toEqual({ ok: true });
  });

  it.each([
    [{ cardNumber: '' }, 'cardNumber', 'required'],
    [{ cardNumber: '4532015112830367' }, 'cardNumber', 'luhn'],
    [{ cardNumber: withCheckDigit('999999999999999') }, 'cardNumber', 'unsupported_brand'],
    [{ cardNumber: withCheckDigit('45320151128') }, 'cardNumber', 'length'],
    [{ cardNumber: '4532-0151-1283-036x' }, 'cardNumber', 'digits'],
    [{ cardCVV: '12' }, 'cardCVV', 'cvv_length'],
    [{ cardCVV: '1234' }, 'cardCVV', 'cvv_length'],
    [{ cardNumber: '378282246310005', cardCVV: '123' }, 'cardCVV', 'cvv_length'],
    [{ cardCVV: '' }, 'cardCVV', 'required'],
    [{ cardExpireMonth: '13' }, 'cardExpireMonth', 'invalid_month'],
    [{ cardExpireMonth: '02', cardExpireYear: '2026' }, 'cardExpireYear', 'expired'],
    [{ cardExpireYear: '2099' }, 'cardExpireYear', 'invalid_year'],
    [{ cardHolderFirstName: '  ' }, 'cardHolderFirstName', 'required'],
    [{ cardHolderLastName: 'x'.repeat(61) }, 'cardHolderLastName', 'too_long'],
    [{ cardHolderCountry: 'usa' }, 'cardHolderCountry', 'invalid_country'],
    [{ paymentLimit: 0 }, 'paymentLimit', 'invalid_amount'],
  ] as const)('reports %j as %s: %s', (over, field, code) => {
    expect(errorsOf(over)[field]).toBe(code);
  });

  it('accepts an Amex with a 4-digit CVV', () => {
    expect(validateCard({ ...valid, cardNumber: '378282246310005', cardCVV: '1234' }, { now, environment: 'production' })).toEqual({ ok: true });
  });

  it('rejects brands the desk does not accept', () => {
    const r = validateCard({ ...valid, cardNumber: '3566002020360505' }, { now, environment: 'production', acceptedBrands: ['visa', 'mastercard'] });
    expect(r).toEqual({ ok: false, errors: { cardNumber: 'unsupported_brand' } });
  });

  it('requires the holder-address fields of the order airlines', () => {
    expect(errorsOf({}, ['5J'])).toEqual({
      cardHolderCountry: 'required',
      cardHolderProvince: 'required',
      cardHolderCity: 'required',
      cardHolderPostCode: 'required',
      cardHolderAddress: 'required',
    });
    expect(errorsOf({}, ['DE'])).toEqual({ cardHolderCity: 'required' });
    expect(errorsOf({ cardHolderCity: 'Berlin' }, ['DE'])).toEqual({});
  });

  it('asks F9 holders for the address only when the country is US', () => {
    expect(errorsOf({ cardHolderCountry: 'GB' }, ['F9'])).toEqual({});
    expect(Object.keys(errorsOf({ cardHolderCountry: 'US' }, ['F9'])).sort()).toEqual(
      ['cardHolderAddress', 'cardHolderCity', 'cardHolderPostCode'],
    );
  });
});

describe('Atlas sandbox test cards (docs/atlas-api.md §5)', () => {
  const now = '2026-03-15T12:00:00.000Z';
  const cardFor = (pan: string): CardDetails => ({
    cardNumber: pan,
    cardCVV: detectBrand(pan) === 'amex' ? '1234' : '123',
    cardExpireMonth: '12',
    cardExpireYear: '2028',
    cardHolderFirstName: 'Jane',
    cardHolderLastName: 'Doe',
  });
  const ALL = [...SANDBOX_LUHN_VALID.map(([pan]) => pan), ...SANDBOX_LUHN_INVALID];

  it('lists all 21 documented cards, as the simulator accepts them', () => {
    expect(ALL).toHaveLength(21);
    expect([...ALL].sort()).toEqual([...SANDBOX_TEST_CARDS].sort());
  });

  it.each(['training', 'sandbox'] as const)('accepts every documented test card as listed in %s', (environment) => {
    for (const pan of ALL) expect(validateCard(cardFor(pan), { now, environment }), pan).toEqual({ ok: true });
  });

  it('gives them no exemption in Production: the four with a wrong check digit fail Luhn there', () => {
    for (const pan of SANDBOX_LUHN_INVALID) {
      expect(validateCard(cardFor(pan), { now, environment: 'production' }), pan).toEqual({ ok: false, errors: { cardNumber: 'luhn' } });
    }
  });

  it('exempts only those exact numbers, not their neighbours', () => {
    for (const pan of ['4916931584764309', '5223456789012347', '375987654321002', '6011987612345679']) {
      expect(luhnValid(pan), pan).toBe(false);
      expect(validateCard(cardFor(pan), { now, environment: 'sandbox' }), pan).toEqual({ ok: false, errors: { cardNumber: 'luhn' } });
    }
  });
});

describe('paymentLimit is exact in the order card currency', () => {
  const now = '2026-03-15T12:00:00.000Z';
  const card: CardDetails = {
    cardNumber: '4532015112830366',
    cardCVV: '123',
    cardExpireMonth: '12',
    cardExpireYear: '2028',
    cardHolderFirstName: 'Jane',
    cardHolderLastName: 'Doe',
  };
  const limitError = (paymentLimit: number, limitCurrency: string | null | undefined) => {
    const r = validateCard({ ...card, paymentLimit }, { now, environment: 'production', ...(limitCurrency === undefined ? {} : { limitCurrency }) });
    return r.ok ? null : r.errors.paymentLimit;
  };

  it('refuses a limit with more decimals than the currency has, never rounding it into a pass', () => {
    expect(limitError(100.005, 'USD')).toBe('too_precise');
    expect(limitError(1.5, 'JPY')).toBe('too_precise');
    expect(limitError(1.2345, 'KWD')).toBe('too_precise');
    expect(limitError(0.1 + 0.2, 'USD')).toBe('too_precise');
  });

  it('accepts a limit exact in the ISO minor unit, including IDR cents that Intl would not show', () => {
    expect(limitError(100.01, 'USD')).toBeNull();
    expect(limitError(1500, 'JPY')).toBeNull();
    expect(limitError(6928000.5, 'IDR')).toBeNull();
    expect(limitError(1.234, 'IQD')).toBeNull();
  });

  it('refuses a limit whose currency is unknown: it could not be compared with the amount due', () => {
    expect(limitError(100, null)).toBe('currency_unknown');
    expect(limitError(100, 'ABC')).toBe('currency_unknown');
  });

  it('checks only the sign before the order (and so its currency) is known', () => {
    expect(limitError(100.005, undefined)).toBeNull();
    expect(limitError(-1, undefined)).toBe('invalid_amount');
  });

  it("takes the order's vendor currency, and none when it disagrees with the card offer", () => {
    const plan = (currency: string | null) => ({
      methods: currency ? [{ paymentMethod: 3 as const, dueFromDeposit: null, dueFromCard: { amount: 10, currency } }] : [],
    });
    expect(paymentLimitCurrency({ vendorCurrency: 'MYR' }, plan('MYR'))).toBe('MYR');
    expect(paymentLimitCurrency({ vendorCurrency: 'MYR' }, plan(null))).toBe('MYR');
    expect(paymentLimitCurrency({ vendorCurrency: null }, plan('IDR'))).toBe('IDR');
    expect(paymentLimitCurrency({ vendorCurrency: 'MYR' }, plan('USD'))).toBeNull();
    expect(paymentLimitCurrency({ vendorCurrency: null }, plan(null))).toBeNull();
  });
});
