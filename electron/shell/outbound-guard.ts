// Last line of defence for DESIGN.md §2.6–2.7 on the way OUT of main: every IPC response and push
// passes through here, so a bug elsewhere (a handler that echoes a request, an error message that
// quotes a card) cannot hand the renderer a full card number, a CVV or the client secret.

/** Keys whose values are card data or secrets, dropped wherever they appear. */
const FORBIDDEN_KEYS = new Set([
  'cardnumber',
  'cardcvv',
  'cvv',
  'cvc',
  'cvv2',
  'pan',
  'creditcard',
  'securitycode',
  'clientsecret',
  'secret',
  'password',
]);

// 13–19 digits, optionally grouped by single spaces or dashes, not glued to letters or digits
// (so order numbers such as TESTA20250816160804096 and UUID groups stay intact).
// Runs longer than 19 digits are scanned for a card-length window too ("1 4111…" hides a PAN).
const PAN_LIKE = /(?<![A-Za-z0-9])\d(?:[ -]?\d){12,}(?![A-Za-z0-9])/g;

/** Luhn check: keeps false positives (long reference numbers) from being masked needlessly. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Any 13–19 digit window passing Luhn. */
function containsCardNumber(digits: string): boolean {
  for (let len = 13; len <= Math.min(19, digits.length); len++) {
    for (let start = 0; start + len <= digits.length; start++) if (luhnValid(digits.slice(start, start + len))) return true;
  }
  return false;
}

export function maskCardNumbers(text: string): string {
  return text.replace(PAN_LIKE, (run) => {
    const digits = run.replace(/[ -]/g, '');
    if (!containsCardNumber(digits)) return run;
    return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
  });
}

/**
 * Deep copy of `value` safe to send to the renderer. `secrets` are exact strings (the client
 * secret) replaced wherever they occur inside a string.
 */
export function scrubOutbound(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (depth > 40) return null;
  if (typeof value === 'string') {
    let text = maskCardNumbers(value);
    for (const secret of secrets) if (secret.length > 0 && text.includes(secret)) text = text.split(secret).join('[redacted]');
    return text;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubOutbound(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (FORBIDDEN_KEYS.has(key.toLowerCase())) continue;
    out[key] = scrubOutbound(v, secrets, depth + 1);
  }
  return out;
}
