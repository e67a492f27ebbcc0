// Card data never reaches disk (DESIGN.md §2.6). Everything the store persists as free-form data
// (event details) and everything exported (CSV) passes through here.

// 12–19 digits, optionally grouped by single spaces or dashes, not glued to letters or digits.
// The "not glued" part keeps order numbers such as TESTA20250816160804096 intact: their digit run
// follows letters, and a PAN typed or logged by a human never does.
const PAN_LIKE = /(?<![A-Za-z0-9])\d(?:[ -]?\d){11,18}(?![A-Za-z0-9])/g;

/** Card-bearing keys removed wherever they appear, whatever their value. */
const CARD_KEYS = new Set(['cardnumber', 'cardcvv', 'cvv', 'cvc', 'cvv2', 'pan', 'creditcard', 'securitycode']);

/** Shows first 6 / last 4 of a digit run, the most PCI DSS allows to be displayed. */
export function maskDigits(run: string): string {
  const digits = run.replace(/[ -]/g, '');
  return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

/** Masks every PAN-looking digit run in `text` to first6/last4. */
export function maskPans(text: string): string {
  return text.replace(PAN_LIKE, maskDigits);
}

export function looksLikePan(text: string): boolean {
  PAN_LIKE.lastIndex = 0;
  const found = PAN_LIKE.test(text);
  PAN_LIKE.lastIndex = 0;
  return found;
}

/**
 * Deep copy of `value` safe to persist: card keys dropped, PAN-looking digit runs masked (numbers
 * too: a PAN sent as a JSON number is still a PAN). Non-JSON values (functions, symbols) are dropped.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[too deep]';
  if (typeof value === 'string') return maskPans(value);
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) >= 1e11 ? maskPans(String(value)) : value;
  }
  if (typeof value === 'bigint') return maskPans(value.toString());
  if (value === null || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (CARD_KEYS.has(k.toLowerCase())) continue;
      const r = redact(v, depth + 1);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return undefined;
}
