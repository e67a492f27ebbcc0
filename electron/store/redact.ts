// Card data never reaches disk (docs/money-safety.md rule 6). Everything the store persists as
// free-form data (event details, step journal) and everything exported (CSV) passes through here,
// with the strictest policy for text: every standalone 12–19 digit run is masked to first 6 /
// last 4. Numbers are masked when shaped like a card number (shared/redaction.ts).
import { CARD_DATA_KEYS, maskCardNumbers, scrubCardData } from '../../shared/redaction.ts';

/** Masks every card-number-length digit run in `text` to first6/last4. */
export function maskPans(text: string): string {
  return maskCardNumbers(text, 'any_card_length');
}

/** Deep copy of `value` safe to persist: card keys dropped, card-length digit runs masked. */
export function redact(value: unknown): unknown {
  return scrubCardData(value, { maskText: maskPans, dropKeys: CARD_DATA_KEYS });
}
