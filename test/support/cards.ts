// The test cards, in one place: Luhn-valid test numbers only, never anybody's real card.
import type { CardDetails } from '../../shared/atlas.ts';

/** A Luhn-valid Visa test number; masked it reads 411111******1111. */
export const PAN = '4111111111111111';

/** Atlas's documented sandbox Visa (docs/atlas-api.md §5), Luhn-valid too; masked 453201******0366. */
export const SANDBOX_VISA = '4532015112830366';

/** An expiry year that stays in the future whatever year the tests run in. */
const EXPIRY_YEAR = String(new Date().getUTCFullYear() + 5);

/** A card with the holder address most airlines ask for; no province (5J asks for one: tests say so). */
export const CARD: CardDetails = {
  cardNumber: PAN,
  cardCVV: '737',
  cardExpireMonth: '12',
  cardExpireYear: EXPIRY_YEAR,
  cardHolderFirstName: 'Mei',
  cardHolderLastName: 'Tan',
  cardHolderCountry: 'SG',
  cardHolderCity: 'Singapore',
  cardHolderPostCode: '018956',
  cardHolderAddress: '1 Marina Blvd',
};

/** The sandbox Visa with only the fields every pay.do needs, as a simulator test sends it. */
export const SANDBOX_CARD: CardDetails = {
  cardNumber: SANDBOX_VISA,
  cardCVV: '123',
  cardExpireMonth: '12',
  cardExpireYear: EXPIRY_YEAR,
  cardHolderFirstName: 'Ana',
  cardHolderLastName: 'Lim',
};

/** `CARD` as staff type it into the card form (strings, the number in groups of four), with a province for the airlines that ask. */
export const TYPED_CARD = {
  cardNumber: '4111 1111 1111 1111',
  cardExpireMonth: CARD.cardExpireMonth,
  cardExpireYear: EXPIRY_YEAR,
  cardCVV: CARD.cardCVV,
  cardHolderFirstName: CARD.cardHolderFirstName,
  cardHolderLastName: CARD.cardHolderLastName,
  cardHolderCountry: 'SG',
  cardHolderProvince: 'Singapore',
  cardHolderCity: 'Singapore',
  cardHolderPostCode: '018956',
  cardHolderAddress: '1 Marina Blvd',
} as const;
