// The card form's fields as typed, and the pay.do `creditCard` they become. Plain data in, plain
// data out: the card itself only ever lives in CardForm's state.
import type { CardDetails } from '../../../shared/atlas.ts';
import { HOLDER_FIELD_KEY, normalizePan, type HolderField } from '../../../shared/card.ts';

/** The card form's fields as typed (strings; `reusable` is the checkbox). */
export interface CardFields {
  cardNumber: string;
  cardCVV: string;
  cardExpireMonth: string;
  cardExpireYear: string;
  cardHolderFirstName: string;
  cardHolderLastName: string;
  cardHolderCountry: string;
  cardHolderProvince: string;
  cardHolderCity: string;
  cardHolderPostCode: string;
  cardHolderAddress: string;
  paymentLimit: string;
  reusable: boolean;
}

/** An empty form; the payment limit pre-filled when one is suggested. */
export const blankCardFields = (limit: number | null): CardFields => ({
  cardNumber: '', cardCVV: '', cardExpireMonth: '', cardExpireYear: '',
  cardHolderFirstName: '', cardHolderLastName: '',
  cardHolderCountry: '', cardHolderProvince: '', cardHolderCity: '', cardHolderPostCode: '', cardHolderAddress: '',
  paymentLimit: limit === null ? '' : String(limit), reusable: false,
});

function padMonth(raw: string): string {
  const m = raw.trim();
  return m === '' ? '' : m.padStart(2, '0');
}

/** Form strings → the pay.do creditCard shape (digits only, address fields only when given). */
export function toCardDetails(f: CardFields, holderFields: readonly HolderField[]): CardDetails {
  const opt = (v: string) => (v.trim() === '' ? null : v.trim());
  const card: CardDetails = {
    cardNumber: normalizePan(f.cardNumber),
    cardCVV: f.cardCVV.trim(),
    // "9" means September; an empty month stays empty so it reads as "Required", not "00".
    cardExpireMonth: padMonth(f.cardExpireMonth),
    cardExpireYear: f.cardExpireYear.trim(),
    cardHolderFirstName: f.cardHolderFirstName.trim(),
    cardHolderLastName: f.cardHolderLastName.trim(),
    reusable: f.reusable,
    paymentLimit: f.paymentLimit.trim() === '' ? null : Number(f.paymentLimit),
  };
  for (const field of holderFields) {
    const key = HOLDER_FIELD_KEY[field];
    const value = opt(f[key as keyof CardFields] as string);
    (card as unknown as Record<string, string | null>)[key] = field === 'country' ? (value?.toUpperCase() ?? null) : value;
  }
  return card;
}
