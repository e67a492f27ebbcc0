// pay.do `creditCard` validation (docs/atlas-api.md §3.1) and the sandbox card rules of §5.
// Luhn is documented as required, yet four of the documented sandbox test cards fail it; and the
// holder-name triggers ("Reject", "Three DS") are documented to work with any card number. So:
// a documented test card or a trigger name is accepted without the Luhn check; everything else must pass it.

/** The VCC and MoR sandbox test cards of docs/atlas-api.md §5, exactly as listed (CARDS). */
export const SANDBOX_TEST_CARDS: readonly string[] = [
  '4532015112830366', '4916931584764308', '4485275742308327', '4556737586899855', '4532644189324563',
  '5555555555554444', '5105105105105100', '5223456789012346', '5301250070000191', '5454545454545454',
  '378282246310005', '371449635398431', '340000000000009', '370000000000002', '375987654321001',
  '6011111111111117', '6011000990139424', '6011987612345678',
  '3566002020360505',
  '4054695723100768', '5162774114974622',
];

/**
 * Sandbox failure triggers keyed on the card holder's first name (docs/atlas-api.md §5) → ticket
 * error code.
 */
export const SANDBOX_HOLDER_TRIGGERS: Readonly<Record<string, '604' | '616'>> = { Reject: '604', 'Three DS': '616' };

export function luhnOk(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

export type CardCheck =
  | { ok: true; number: string; firstName: string; trigger: '604' | '616' | null; paymentLimit: number | null }
  | { ok: false; msg: string };

/**
 * Validates the creditCard object of a VCC (3) or MoR (5) pay.do. `now` is the simulated clock: a card
 * is valid through the last day of its expiry month (UTC). `msg` names the field, as Atlas's 400 does.
 */
export function checkCard(card: unknown, method: 3 | 5, now: number): CardCheck {
  if (card === null || typeof card !== 'object' || Array.isArray(card)) return { ok: false, msg: 'creditCard is required' };
  const c = card as Record<string, unknown>;
  const number = text(c.cardNumber)?.replace(/\s+/g, '') ?? '';
  const firstName = text(c.cardHolderFirstName);
  const trigger = firstName !== null ? (SANDBOX_HOLDER_TRIGGERS[firstName] ?? null) : null;
  if (!/^\d{12,19}$/.test(number)) return { ok: false, msg: 'creditCard.cardNumber is invalid' };
  if (trigger === null && !SANDBOX_TEST_CARDS.includes(number) && !luhnOk(number)) return { ok: false, msg: 'creditCard.cardNumber is invalid' };
  // CVV: required for VCC; for MoR it may be null after the card's first use (we do not track first use).
  if (method === 3 && text(c.cardCVV) === null) return { ok: false, msg: 'creditCard.cardCVV is required' };
  const cvv = text(c.cardCVV);
  if (cvv !== null && !/^\d{3,4}$/.test(cvv)) return { ok: false, msg: 'creditCard.cardCVV is invalid' };
  const monthText = String(c.cardExpireMonth ?? '');
  const month = Number(monthText);
  if (!/^\d{2}$/.test(monthText) || month < 1 || month > 12) return { ok: false, msg: 'creditCard.cardExpireMonth is invalid' };
  const yearText = String(c.cardExpireYear ?? '');
  // [C] two digits in the schema text, four in every example: both are accepted.
  if (!/^(\d{2}|\d{4})$/.test(yearText)) return { ok: false, msg: 'creditCard.cardExpireYear is invalid' };
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const today = new Date(now);
  if (year * 12 + month < today.getUTCFullYear() * 12 + today.getUTCMonth() + 1) return { ok: false, msg: 'creditCard is expired' };
  if (!firstName || !text(c.cardHolderLastName)) return { ok: false, msg: 'creditCard.cardHolderName is required' };
  const limit = c.paymentLimit;
  // Typed "integer" but the examples send 100.00; a numeric string is read as well.
  const paymentLimit = typeof limit === 'number' ? limit : typeof limit === 'string' && /^\d+(\.\d+)?$/.test(limit.trim()) ? Number(limit) : null;
  return { ok: true, number, firstName, trigger, paymentLimit };
}
