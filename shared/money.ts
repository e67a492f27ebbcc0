// Money as integers in the currency's ISO 4217 minor unit (docs/money-safety.md rule 13): cents
// for USD, whole yen for JPY, fils for KWD. An amount is taken at its shortest decimal form (what
// JSON gave us: 100.005 is 100.005, never 100.00499…), and converted only when that is exact:
// an unknown currency, or more decimals than the currency has, gives null, never a rounded guess.
// Comparisons that cannot be made exactly answer null ("cannot decide"): callers stop for staff.
import type { Money } from './atlas.ts';

/**
 * ISO 4217 List One (active codes, list published 2024-06-25, plus XCG, the Caribbean guilder
 * in use since 2025-03-31), by minor-unit digits. Our own copy on purpose: Intl's digits are
 * display conventions (IDR, HUF, COP, PKR show 0; IQD shows 0 but has 3), not the minor unit.
 * Codes with no minor unit ("N.A.": precious metals, XDR, test and fund codes) are left out: they
 * are not money the desk pays with, so they are unknown here like any other code.
 */
const ISO_4217_BY_DIGITS: Readonly<Record<number, string>> = {
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  2:
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
    'GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD ' +
    'LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN ' +
    'PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB ' +
    'TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG',
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF UYW',
};

const MINOR_DIGITS: ReadonlyMap<string, number> = new Map(
  Object.entries(ISO_4217_BY_DIGITS).flatMap(([digits, codes]) => codes.split(' ').map((code) => [code, Number(digits)] as const)),
);

/** Minor-unit digits of an ISO 4217 currency (USD 2, JPY 0, KWD 3, IDR 2), or null for an unknown code. */
export function currencyDigits(currency: string): number | null {
  return MINOR_DIGITS.get(currency.trim().toUpperCase()) ?? null;
}

/** Shortest decimal form of a finite number: sign, digits and the power of ten they are scaled by. */
function decimal(amount: number): { negative: boolean; digits: string; exponent: number } | null {
  // String() is the shortest form that reads back as the same double ("0.3", "1e+21", "1.5e-7");
  // it prints -0 as "0" and NaN / Infinity as words, which the pattern refuses.
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(amount));
  if (!m) return null;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  return { negative: sign === '-', digits: int + frac, exponent: Number(exp) - frac.length };
}

/**
 * Amount → exact integer minor units (12.34 USD → 1234, 1500 JPY → 1500), or null when that is not
 * exact: unknown currency, not finite, more decimals than the currency has (1.5 JPY, 100.005 USD),
 * or beyond 2^53 (1e21 USD).
 */
export function toMinor(amount: number, currency: string): number | null {
  const digits = currencyDigits(currency);
  const d = decimal(amount);
  if (digits === null || d === null) return null;
  const shift = d.exponent + digits;
  let text = d.digits;
  if (shift >= 0) text += '0'.repeat(shift);
  else {
    // Digits below the minor unit must all be zero; a shortest form never ends in zeros, so any
    // digit dropped here is a real fraction of the minor unit.
    const kept = text.length + shift;
    if (!/^0*$/.test(kept > 0 ? text.slice(kept) : text)) return null;
    text = kept > 0 ? text.slice(0, kept) : '0';
  }
  const minor = Number(text);
  if (!Number.isSafeInteger(minor)) return null;
  return d.negative && minor !== 0 ? -minor : minor;
}

/**
 * Integer minor units → amount (1234 USD → 12.34); null for an unknown currency, or when no double
 * reads back as exactly that decimal (more than about 15 significant digits).
 */
export function fromMinor(minor: number, currency: string): number | null {
  const digits = currencyDigits(currency);
  if (digits === null || !Number.isSafeInteger(minor)) return null;
  // One correctly rounded division gives the double nearest to the decimal; check it reads back.
  const amount = minor / 10 ** digits;
  return toMinor(amount, currency) === minor ? amount : null;
}

/**
 * Sums amounts per currency; one entry per currency (upper case), in order of first appearance.
 * Null when any amount cannot be held exactly (see toMinor): an inexact sum is no sum.
 */
export function sumMoney(items: readonly Money[]): Money[] | null {
  const totals = new Map<string, number>();
  for (const item of items) {
    const currency = item.currency.trim().toUpperCase();
    const minor = toMinor(item.amount, currency);
    if (minor === null) return null;
    totals.set(currency, (totals.get(currency) ?? 0) + minor);
  }
  const out: Money[] = [];
  for (const [currency, minor] of totals) {
    const amount = fromMinor(minor, currency);
    if (amount === null) return null;
    out.push({ amount, currency });
  }
  return out;
}

/** a − b in `currency`, exactly; null when either is not exact in it. */
export function subtractAmounts(a: number, b: number, currency: string): number | null {
  const x = toMinor(a, currency);
  const y = toMinor(b, currency);
  return x === null || y === null ? null : fromMinor(x - y, currency);
}

/**
 * -1, 0 or 1 comparing a and b exactly in the minor unit of `currency`; null when either cannot be
 * held exactly there (unknown currency, over-precise or non-finite amount). Null means "cannot
 * decide": a guard that gets it stops for staff.
 */
export function compareAmounts(a: number, b: number, currency: string): -1 | 0 | 1 | null {
  const x = toMinor(a, currency);
  const y = toMinor(b, currency);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** compareAmounts for two Money values; null also when their currencies differ. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 | null {
  const currency = a.currency.trim().toUpperCase();
  return currency === b.currency.trim().toUpperCase() ? compareAmounts(a.amount, b.amount, currency) : null;
}

/**
 * Fraction digits to show: the currency's ISO minor unit (IDR 6,928,000.00; JPY 1,500), or more
 * when the amount itself has more, so that display never rounds what the desk compares.
 */
export function displayDigits(amount: number, currency: string): number {
  const d = decimal(amount);
  const own = d ? Math.max(0, -d.exponent) : 0;
  return Math.min(20, Math.max(currencyDigits(currency) ?? 0, own));
}

/**
 * Localised amount with the currency code, e.g. ("en", 1234.5, "USD") → "USD 1,234.50"; the code,
 * not a symbol two currencies share. Digits as displayDigits; an unusable code or locale still
 * gives "1234.5 XYZ" rather than a crash.
 */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const code = currency.trim().toUpperCase();
  const digits = displayDigits(amount, code);
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: code,
      currencyDisplay: 'code',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${code}`;
  }
}
