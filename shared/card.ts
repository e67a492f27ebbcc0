// Card checks for the VCC pass-through form (pay.do creditCard, docs/atlas-api.md §3.1). Pure
// helpers: the UI validates before submit, main validates again; error values are codes the UI
// translates.
import type { CardDetails, Money, OrderDetails } from './atlas.ts';
import { CARD } from './atlas.ts';
import type { Environment } from './ipc.ts';
import { currencyDigits, fromMinor, toMinor } from './money.ts';
import type { Plan } from './plan.ts';

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'unionpay' | 'diners';

/** Spelling of order.do `payment.cardType`, for display and for any call that wants it. */
export const CARD_BRAND_LABEL: Readonly<Record<CardBrand, string>> = {
  visa: 'Visa',
  mastercard: 'MasterCard',
  amex: 'Amex',
  discover: 'Discover',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  diners: 'DinersClub',
};

const PAN_LENGTHS: Readonly<Record<CardBrand, readonly number[]>> = {
  visa: [13, 16, 19],
  mastercard: [16],
  amex: [15],
  discover: [16, 17, 18, 19],
  jcb: [16, 17, 18, 19],
  unionpay: [16, 17, 18, 19],
  diners: [14, 15, 16, 17, 18, 19],
};

/** Removes the spaces and dashes people type; the wire wants digits only. */
export function normalizePan(pan: string): string {
  return pan.replace(/[\s-]/g, '');
}

function prefixIn(pan: string, digits: number, from: number, to: number): boolean {
  if (pan.length < digits) return false;
  const p = Number(pan.slice(0, digits));
  return p >= from && p <= to;
}

/** Brand from the IIN prefix, or null. Order matters where ranges overlap (622126–622925: Discover). */
export function detectBrand(panInput: string): CardBrand | null {
  const pan = normalizePan(panInput);
  if (!/^\d+$/.test(pan)) return null;
  if (/^3[47]/.test(pan)) return 'amex';
  if (/^4/.test(pan)) return 'visa';
  if (prefixIn(pan, 2, 51, 55) || prefixIn(pan, 4, 2221, 2720)) return 'mastercard';
  if (/^(6011|65|64[4-9])/.test(pan) || prefixIn(pan, 6, 622126, 622925)) return 'discover';
  if (/^62/.test(pan)) return 'unionpay';
  if (prefixIn(pan, 4, 3528, 3589)) return 'jcb';
  if (/^(30[0-5]|3095|36|3[89])/.test(pan)) return 'diners';
  return null;
}

/**
 * Has the shape of a card number: a known brand's IIN prefix and one of that brand's lengths. No
 * Luhn check, so a mistyped PAN still has the shape; epoch milliseconds (13 digits from "1"),
 * amounts and counts do not.
 */
export function hasCardShape(digits: string): boolean {
  const brand = /^\d+$/.test(digits) ? detectBrand(digits) : null;
  return brand !== null && PAN_LENGTHS[brand].includes(digits.length);
}

/** Luhn checksum. pay.do requires it for every card (docs/atlas-api.md §3.1), UnionPay included. */
export function luhnValid(panInput: string): boolean {
  const pan = normalizePan(panInput);
  if (!/^\d{2,}$/.test(pan)) return false;
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let d = pan.charCodeAt(pan.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A card number where an order number was expected: 12–19 digits (spaces or dashes allowed)
 * passing Luhn. Atlas order numbers carry letters (TESTA…), so such a value is neither looked up in
 * Atlas nor echoed back (docs/money-safety.md rule 6).
 */
export function looksLikeCardNumber(value: string): boolean {
  const digits = normalizePan(value);
  return /^\d{12,19}$/.test(digits) && luhnValid(digits);
}

export function cvvLength(brand: CardBrand | null): number {
  return brand === 'amex' ? 4 : 3;
}

/** First 6 / last 4 at most (docs/money-safety.md rule 6); short inputs reveal less, never more. */
export function maskPan(panInput: string): string {
  const pan = normalizePan(panInput);
  if (pan.length >= 13) return pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4);
  if (pan.length > 4) return '*'.repeat(pan.length - 4) + pan.slice(-4);
  return '*'.repeat(pan.length);
}

/** Full 4-digit year from the 2- or 4-digit form pay.do accepts, or null when malformed. */
export function expiryYear(year: string): number | null {
  const y = year.trim();
  if (/^\d{2}$/.test(y)) return 2000 + Number(y);
  if (/^\d{4}$/.test(y)) return Number(y);
  return null;
}

/** A card is valid through the last day of its expiry month (compared in UTC). */
export function isExpired(month: string, year: string, now: string): boolean {
  const m = Number(month);
  const y = expiryYear(year);
  const at = new Date(now);
  if (y === null || !Number.isInteger(m) || m < 1 || m > 12 || Number.isNaN(at.getTime())) return true;
  return y * 12 + m < at.getUTCFullYear() * 12 + at.getUTCMonth() + 1;
}

// ---- Card-holder address fields per airline (docs/atlas-api.md §3.1 matrix, July 2026) ----

export type HolderField = 'country' | 'province' | 'city' | 'postCode' | 'address';
export const HOLDER_FIELDS: readonly HolderField[] = ['country', 'province', 'city', 'postCode', 'address'];

export const HOLDER_FIELD_KEY: Readonly<Record<HolderField, keyof CardDetails>> = {
  country: 'cardHolderCountry',
  province: 'cardHolderProvince',
  city: 'cardHolderCity',
  postCode: 'cardHolderPostCode',
  address: 'cardHolderAddress',
};

/** Y/– flags in matrix column order country/province/city/postcode/address. */
function flags(pattern: string): HolderField[] {
  return HOLDER_FIELDS.filter((_, i) => pattern[i] === 'Y');
}

const ALL = 'YYYYY';
const MATRIX: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ['4N', '5J', 'A3', 'AN', 'BV', 'DG', 'DM', 'E6', 'EI', 'EW', 'FA', 'G4', 'GE', 'GQ', 'NK', 'OA', 'OG', 'P6', 'PB', 'SY'].map(
      (c) => [c, ALL],
    ),
  ),
  '8P': 'YY-YY', '9M': 'YY-YY',
  AS: '-YYYY', DY: '-YYYY',
  BT: 'Y-YYY', D8: 'Y-YYY', TR: 'Y-YYY', VY: 'Y-YYY',
  DE: '--Y--', DI: '--Y--',
  H4: 'Y----', H7: 'Y----',
  JV: 'YYY--',
  KM: 'Y-Y-Y',
  LJ: 'YY-YY',
  MM: '--YYY',
  MO: '----Y', RW: '----Y',
};
/** F9 asks for the address only when it is a US address. */
const F9_US = 'Y-YYY';

/** Holder fields one airline requires. Airlines not in the matrix require none. */
export function requiredHolderFields(airlineCode: string, opts?: { usAddress?: boolean }): HolderField[] {
  const code = airlineCode.trim().toUpperCase();
  if (code === 'F9') return opts?.usAddress ? flags(F9_US) : [];
  const pattern = MATRIX[code];
  return pattern ? flags(pattern) : [];
}

/** Union over every airline of an order (a card pays the whole order). */
export function requiredHolderFieldsFor(airlineCodes: readonly string[], opts?: { usAddress?: boolean }): HolderField[] {
  const needed = new Set(airlineCodes.flatMap((c) => requiredHolderFields(c, opts)));
  return HOLDER_FIELDS.filter((f) => needed.has(f));
}

/** Margin (percent) above the vendor amount when the amount is the order's own, firm figure. */
export const PAYMENT_LIMIT_MARGIN_PERCENT = 3;
/**
 * Margin (percent) when the order will be regenerated first. regenerateOrder.do re-prices at the
 * CURRENT fare (docs/atlas-api.md §3.4, §10.16), so the amount the card form shows is the old
 * order's, not what the airline will charge. A limit set 3 % above the old fare is often below the
 * new one: the airline declines (623) and Atlas cancels the NEW order, which burns it. 10 % covers
 * a usual fare move plus the FX drift the 3 % was for, and still caps what a wrong charge could
 * take. (The desk also refuses to send pay.do when the limit is below the new order's amount due by
 * card: the job waits in needs_card / card_limit_below_due instead.)
 */
export const REGENERATE_PAYMENT_LIMIT_MARGIN_PERCENT = 10;

/**
 * paymentLimit suggestion in the vendor currency: `marginPercent` (default 3 %) above the amount,
 * rounded UP to the currency's minor unit. Why 3 %: Atlas's VCC guide (docs/atlas-api.md §3.1,
 * H-VCC-ZH) recommends about 3 % so a small fare or FX move at the airline does not decline the
 * card, while capping what a wrong charge could take (the default with no limit is ≥ 5 %). For an
 * order that will be regenerated first, use suggestPaymentLimitFor(plan). Null for a non-positive
 * amount, an amount not exact in the currency's ISO 4217 minor unit (or an unknown currency: no
 * guess), or a margin that is not a non-negative integer.
 */
export function suggestPaymentLimit(
  vendorAmount: number,
  vendorCurrency: string,
  marginPercent: number = PAYMENT_LIMIT_MARGIN_PERCENT,
): number | null {
  if (!Number.isInteger(marginPercent) || marginPercent < 0) return null;
  const minor = toMinor(vendorAmount, vendorCurrency);
  if (minor === null || minor <= 0) return null;
  // Integer minor units, then integer percent math, so 100.00 gives exactly 103.00.
  return fromMinor(Math.ceil((minor * (100 + marginPercent)) / 100), vendorCurrency);
}

/**
 * paymentLimit suggestion for paying by card under `plan`: the plan's card offer (`dueFromCard`,
 * vendor currency) plus 3 %, or plus 10 % when the plan regenerates first (`regenerate_then_pay`,
 * warning `price_may_change`): see REGENERATE_PAYMENT_LIMIT_MARGIN_PERCENT for why. Null when the
 * plan has no card offer with a vendor amount (then suggest nothing rather than guess).
 */
export function suggestPaymentLimitFor(plan: Plan): Money | null {
  const due = plan.methods.find((m) => m.paymentMethod === CARD)?.dueFromCard;
  if (!due) return null;
  const repriced = plan.action === 'regenerate_then_pay' || plan.warnings.includes('price_may_change');
  const margin = repriced ? REGENERATE_PAYMENT_LIMIT_MARGIN_PERCENT : PAYMENT_LIMIT_MARGIN_PERCENT;
  const amount = suggestPaymentLimit(due.amount, due.currency, margin);
  return amount === null ? null : { amount, currency: due.currency };
}

/**
 * Currency of pay.do's paymentLimit for an order: its vendor currency (docs/atlas-api.md §3.1),
 * which is also what its card offer charges. Null when neither is known, or when the two disagree
 * (then no limit can be checked against the amount due, so none is accepted).
 */
export function paymentLimitCurrency(details: Pick<OrderDetails, 'vendorCurrency'>, plan: Pick<Plan, 'methods'>): string | null {
  const offered = plan.methods.find((m) => m.paymentMethod === CARD)?.dueFromCard?.currency ?? null;
  const vendor = details.vendorCurrency;
  if (vendor && offered) return vendor.trim().toUpperCase() === offered.trim().toUpperCase() ? vendor : null;
  return vendor || offered;
}

// ---- Whole-form validation ----

export type CardField = keyof CardDetails;
export type CardErrorCode =
  | 'required'
  | 'digits' // not made of digits
  | 'unsupported_brand'
  | 'length' // wrong number length for the brand
  | 'luhn'
  | 'invalid_month'
  | 'invalid_year'
  | 'expired'
  | 'cvv_length'
  | 'too_long'
  | 'invalid_country'
  | 'invalid_amount'
  | 'too_precise' // paymentLimit has more decimals than its currency's ISO 4217 minor unit
  | 'currency_unknown'; // paymentLimit given, but its currency is unknown: it cannot be checked

export interface CardValidationContext {
  /** ISO instant used for the expiry check. */
  now: string;
  /**
   * Where the card goes. Training and Sandbox accept Atlas's documented test cards as listed, even
   * the four whose check digit is wrong; Production checks every number in full.
   */
  environment: Environment;
  /**
   * Currency of `paymentLimit`: the order's vendor currency (docs/atlas-api.md §3.1). The limit
   * must be exact in its ISO 4217 minor unit; it is refused, never rounded. null: the order has no
   * known card currency, so a limit cannot be checked and is refused. Omitted: the order is not
   * known yet (the CLI reads the card before it reads any order); check again once it is.
   */
  limitCurrency?: string | null;
  /** Airlines of the order; drives the holder-address fields. */
  airlines?: readonly string[];
  /** Brands the desk accepts; all brands when omitted. */
  acceptedBrands?: readonly CardBrand[];
}

export type CardValidation = { ok: true } | { ok: false; errors: Partial<Record<CardField, CardErrorCode>> };

const blank = (v: string | null | undefined): boolean => v === null || v === undefined || v.trim() === '';

/**
 * Atlas's documented sandbox test cards (docs/atlas-api.md §5) whose check digit is wrong. pay.do
 * requires Luhn (§3.1), yet the sandbox lists these, so Training and Sandbox accept them as
 * listed. Every other card of docs/atlas-api.md §5 passes Luhn and needs no exemption, so none is
 * named here; in Production nothing is exempt.
 */
const SANDBOX_CARDS_FAILING_LUHN: ReadonlySet<string> = new Set(['4916931584764308', '5223456789012346', '375987654321001', '6011987612345678']);

function panError(rawPan: string, ctx: CardValidationContext): CardErrorCode | null {
  const pan = normalizePan(rawPan);
  if (pan === '') return 'required';
  if (!/^\d+$/.test(pan)) return 'digits';
  const brand = detectBrand(pan);
  if (brand === null || (ctx.acceptedBrands && !ctx.acceptedBrands.includes(brand))) return 'unsupported_brand';
  if (!PAN_LENGTHS[brand].includes(pan.length)) return 'length';
  if (luhnValid(pan)) return null;
  return ctx.environment !== 'production' && SANDBOX_CARDS_FAILING_LUHN.has(pan) ? null : 'luhn';
}

/** paymentLimit: positive, and exact in its currency's minor unit (100.005 USD and 1.5 JPY are refused). */
function limitError(limit: number, currency: string | null | undefined): CardErrorCode | null {
  if (!Number.isFinite(limit) || limit <= 0) return 'invalid_amount';
  if (currency === undefined) return null;
  if (currency === null || currencyDigits(currency) === null) return 'currency_unknown';
  return toMinor(limit, currency) === null ? 'too_precise' : null;
}

/** Validates a card form; PAN may contain spaces/dashes (send normalizePan(pan) on the wire). */
export function validateCard(input: CardDetails, ctx: CardValidationContext): CardValidation {
  const errors: Partial<Record<CardField, CardErrorCode>> = {};
  const pan = panError(input.cardNumber ?? '', ctx);
  if (pan) errors.cardNumber = pan;

  const brand = detectBrand(input.cardNumber ?? '');
  const cvv = (input.cardCVV ?? '').trim();
  if (cvv === '') errors.cardCVV = 'required';
  else if (!/^\d+$/.test(cvv)) errors.cardCVV = 'digits';
  else if (cvv.length !== cvvLength(brand)) errors.cardCVV = 'cvv_length';

  const month = (input.cardExpireMonth ?? '').trim();
  const year = (input.cardExpireYear ?? '').trim();
  const nowYear = new Date(ctx.now).getUTCFullYear();
  const y = expiryYear(year);
  if (month === '') errors.cardExpireMonth = 'required';
  else if (!/^(0[1-9]|1[0-2])$/.test(month)) errors.cardExpireMonth = 'invalid_month';
  if (year === '') errors.cardExpireYear = 'required';
  // More than 20 years ahead is a typo, not a card.
  else if (y === null || y > nowYear + 20) errors.cardExpireYear = 'invalid_year';
  if (!errors.cardExpireMonth && !errors.cardExpireYear && isExpired(month, year, ctx.now)) {
    errors.cardExpireYear = 'expired';
  }

  for (const key of ['cardHolderFirstName', 'cardHolderLastName'] as const) {
    if (blank(input[key])) errors[key] = 'required';
    else if (input[key].trim().length > 60) errors[key] = 'too_long';
  }

  const country = input.cardHolderCountry?.trim() ?? '';
  if (country !== '' && !/^[A-Z]{2}$/.test(country)) errors.cardHolderCountry = 'invalid_country';
  const required = requiredHolderFieldsFor(ctx.airlines ?? [], { usAddress: country === 'US' });
  for (const field of required) {
    const key = HOLDER_FIELD_KEY[field];
    if (blank(input[key] as string | null | undefined)) errors[key] = 'required';
  }

  if (input.paymentLimit !== null && input.paymentLimit !== undefined) {
    const limit = limitError(input.paymentLimit, ctx.limitCurrency);
    if (limit) errors.paymentLimit = limit;
  }

  return Object.keys(errors).length === 0 ? { ok: true } : { ok: false, errors };
}
