// lib/card-fields.ts: the card form's strings become pay.do's creditCard exactly: digits only,
// a one-digit month padded, address fields only those the airline asks for.
import { describe, expect, it } from 'vitest';
import { blankCardFields, toCardDetails } from '../../renderer/src/lib/card-fields.ts';

const typed = {
  ...blankCardFields(null),
  cardNumber: '4111 1111-1111 1111',
  cardCVV: ' 123 ',
  cardExpireMonth: '9',
  cardExpireYear: '2028',
  cardHolderFirstName: ' Wei Ming ',
  cardHolderLastName: 'Tan',
  cardHolderCountry: 'us',
  cardHolderCity: 'Denver',
  cardHolderAddress: '   ',
  paymentLimit: '205.5',
};

describe('toCardDetails', () => {
  it('keeps digits of the number, pads the month, trims names and reads the limit as a number', () => {
    expect(toCardDetails(typed, [])).toEqual({
      cardNumber: '4111111111111111', cardCVV: '123', cardExpireMonth: '09', cardExpireYear: '2028',
      cardHolderFirstName: 'Wei Ming', cardHolderLastName: 'Tan', reusable: false, paymentLimit: 205.5,
    });
  });

  it('sends only the holder fields asked for: the country in capitals, a blank one as null', () => {
    const card = toCardDetails(typed, ['country', 'city', 'address']);
    expect(card).toMatchObject({ cardHolderCountry: 'US', cardHolderCity: 'Denver', cardHolderAddress: null });
    expect(card).not.toHaveProperty('cardHolderProvince');
  });

  it('leaves an empty month and limit empty, so the form says "Required" and the core picks no limit', () => {
    const card = toCardDetails({ ...typed, cardExpireMonth: ' ', paymentLimit: '' }, []);
    expect(card.cardExpireMonth).toBe('');
    expect(card.paymentLimit).toBeNull();
  });

  it('pre-fills the suggested limit in an empty form', () => {
    expect(blankCardFields(212.75).paymentLimit).toBe('212.75');
    expect(blankCardFields(null).paymentLimit).toBe('');
  });
});
