// One definition of "card data" for everything that leaves main-process memory
// (docs/money-safety.md rule 6): what the store persists and exports (electron/store/redact.ts) and
// what IPC sends to the window (electron/shell/outbound-guard.ts). Pure: strings in, strings out.
import { hasCardShape, luhnValid } from './card.ts';

/** Keys whose values are card data, dropped wherever they appear, whatever their value. */
export const CARD_DATA_KEYS: ReadonlySet<string> = new Set([
  'cardnumber',
  'cardcvv',
  'cvv',
  'cvc',
  'cvv2',
  'pan',
  'creditcard',
  'securitycode',
]);

// 12 or more digits, optionally grouped by single spaces or dashes, not glued to letters or digits.
// "Not glued" keeps order numbers such as TESTA20250816160804096 intact: their digit run follows
// letters, and a card number typed or logged by a human never does.
const DIGIT_RUN = /(?<![A-Za-z0-9])\d(?:[ -]?\d){11,}(?![A-Za-z0-9])/g;

/**
 * - `any_card_length`: every standalone run of 12–19 digits (for disk: a false positive costs
 *   nothing there, a missed card number costs a PCI incident).
 * - `luhn_valid`: only runs holding a Luhn-valid 13–19 digit window (for the window: ticket and
 *   reference numbers stay readable; a longer run such as "1 4111…" is scanned window by window).
 */
export type PanPolicy = 'any_card_length' | 'luhn_valid';

/** First 6 / last 4 digits, the most PCI DSS allows to be displayed. */
export function maskDigits(run: string): string {
  const digits = run.replace(/[ -]/g, '');
  return `${digits.slice(0, 6)}${'*'.repeat(Math.max(0, digits.length - 10))}${digits.slice(-4)}`;
}

function holdsLuhnCardNumber(digits: string): boolean {
  for (let length = 13; length <= Math.min(19, digits.length); length++) {
    for (let start = 0; start + length <= digits.length; start++) {
      if (luhnValid(digits.slice(start, start + length))) return true;
    }
  }
  return false;
}

export function maskCardNumbers(text: string, policy: PanPolicy): string {
  return text.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/[ -]/g, '');
    const isCard = policy === 'luhn_valid' ? holdsLuhnCardNumber(digits) : digits.length <= 19;
    return isCard ? maskDigits(digits) : run;
  });
}

/**
 * A number is card data only when it has a card number's shape (a brand's prefix and length): a
 * PAN sent as a JSON number is still a PAN, but the numbers the desk itself writes (epoch
 * milliseconds such as a regeneration's `createdFrom`, amounts, counts, codes) are not, and must
 * come back from disk as the numbers they were. Text keeps its own, stricter, policy.
 */
const isCardShapedNumber = (value: number | bigint): boolean =>
  (typeof value === 'bigint' || Number.isInteger(value)) && hasCardShape((value < 0 ? -value : value).toString());

/**
 * Deep copy of `value` without card data: `dropKeys` removed (compared lower-case), every string
 * passed through `maskText`, and numbers shaped like a card number treated as text. Functions and
 * symbols are dropped.
 */
export function scrubCardData(
  value: unknown,
  options: { maskText: (text: string) => string; dropKeys: ReadonlySet<string> },
  depth = 0,
): unknown {
  if (depth > 40) return '[too deep]';
  if (typeof value === 'string') return options.maskText(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (isCardShapedNumber(value)) return options.maskText(value.toString());
    // JSON has no bigint: keep its digits as text.
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (value === null || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => scrubCardData(item, options, depth + 1));
  if (typeof value !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (options.dropKeys.has(key.toLowerCase())) continue;
    const scrubbed = scrubCardData(item, options, depth + 1);
    if (scrubbed !== undefined) out[key] = scrubbed;
  }
  return out;
}
