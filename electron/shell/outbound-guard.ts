// Last line of defence for docs/money-safety.md rules 6 and 7 on the way OUT of main: every IPC
// response and push passes through here, so a bug elsewhere (a handler that echoes a request, an
// error message that quotes a card) cannot hand the renderer a full card number, a CVV or the
// client secret.
import { CARD_DATA_KEYS, maskCardNumbers as maskAnyCardNumbers, scrubCardData } from '../../shared/redaction.ts';

/** Card keys plus the names a secret could travel under, dropped wherever they appear. */
const OUTBOUND_DROP_KEYS: ReadonlySet<string> = new Set([...CARD_DATA_KEYS, 'clientsecret', 'secret', 'password']);

/** Masks Luhn-valid card numbers only: ticket and reference numbers stay readable in the window. */
export function maskCardNumbers(text: string): string {
  return maskAnyCardNumbers(text, 'luhn_valid');
}

/**
 * Deep copy of `value` safe to send to the renderer. `secrets` are exact strings (the client
 * secret) replaced wherever they occur inside a string.
 */
export function scrubOutbound(value: unknown, secrets: readonly string[] = []): unknown {
  const maskText = (text: string) => {
    let safe = maskCardNumbers(text);
    for (const secret of secrets) if (secret.length > 0 && safe.includes(secret)) safe = safe.split(secret).join('[redacted]');
    return safe;
  };
  return scrubCardData(value, { maskText, dropKeys: OUTBOUND_DROP_KEYS });
}
