// Money arithmetic without float drift: amounts are summed and compared as integers in the
// currency's minor unit (cents, or whole yen for JPY), then converted back once.
import type { Money } from './atlas.ts';

const digitsCache = new Map<string, number>();

/** Minor-unit digits of an ISO 4217 currency (USD 2, JPY 0, KWD 3). Unknown codes: 2. */
export function currencyDigits(currency: string): number {
  const code = currency.trim().toUpperCase();
  const cached = digitsCache.get(code);
  if (cached !== undefined) return cached;
  let digits = 2;
  try {
    // Intl carries the ISO 4217 table, so we do not keep our own copy.
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // Not an ISO 4217 code: keep the default.
  }
  digitsCache.set(code, digits);
  return digits;
}

/** Round half away from zero, so -0.5 cents and 0.5 cents are symmetric. */
function roundHalfAway(x: number): number {
  const r = Math.round(Math.abs(x));
  return x < 0 ? -r : r;
}

/** Amount → integer minor units, e.g. 12.34 USD → 1234, 1500 JPY → 1500. */
export function toMinor(amount: number, currency: string): number {
  return roundHalfAway(amount * 10 ** currencyDigits(currency));
}

/** Integer minor units → amount, e.g. 1234 USD → 12.34. */
export function fromMinor(minor: number, currency: string): number {
  const digits = currencyDigits(currency);
  // toFixed removes the binary tail that a plain division can leave (e.g. 0.30000000000000004).
  return Number((minor / 10 ** digits).toFixed(digits));
}

/** Sums amounts per currency; one entry per currency, in order of first appearance. */
export function sumMoney(items: readonly Money[]): Money[] {
  const totals = new Map<string, number>();
  for (const item of items) {
    const currency = item.currency.trim().toUpperCase();
    totals.set(currency, (totals.get(currency) ?? 0) + toMinor(item.amount, currency));
  }
  return [...totals].map(([currency, minor]) => ({ amount: fromMinor(minor, currency), currency }));
}

/** -1, 0 or 1 comparing a and b in the minor unit of `currency`. */
export function compareAmounts(a: number, b: number, currency: string): -1 | 0 | 1 {
  const d = toMinor(a, currency) - toMinor(b, currency);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** Localised amount with currency, e.g. ("en", 1234.5, "USD") → "$1,234.50". */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const code = currency.trim().toUpperCase();
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: code }).format(amount);
  } catch {
    // Unknown currency code or locale: still show something readable rather than crash the UI.
    return `${amount.toFixed(currencyDigits(code))} ${code}`;
  }
}
