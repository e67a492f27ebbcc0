// Static reference data: airlines of the training scenario and the ticket error texts of
// docs/atlas-api.md §2.5 (errorMessage is display text only; clients must switch on errorCode).
import { currencyDigits } from '../../shared/money.ts';

export interface AirlineInfo {
  name: string;
  vendorCurrency: string;
  /** Vendor-currency units per 1 USD. */
  usdRate: number;
  from: string;
  to: string;
  ticketPrefix: string;
}

export const AIRLINES: Record<string, AirlineInfo> = {
  '5J': { name: 'Cebu Pacific', vendorCurrency: 'PHP', usdRate: 58, from: 'MNL', to: 'CEB', ticketPrefix: '203' },
  AK: { name: 'AirAsia', vendorCurrency: 'MYR', usdRate: 4.4, from: 'KUL', to: 'BKI', ticketPrefix: '807' },
  VJ: { name: 'VietJet Air', vendorCurrency: 'VND', usdRate: 25000, from: 'SGN', to: 'HAN', ticketPrefix: '978' },
  TR: { name: 'Scoot', vendorCurrency: 'SGD', usdRate: 1.3, from: 'SIN', to: 'BKK', ticketPrefix: '668' },
  FD: { name: 'Thai AirAsia', vendorCurrency: 'THB', usdRate: 34, from: 'DMK', to: 'CNX', ticketPrefix: '900' },
  QZ: { name: 'Indonesia AirAsia', vendorCurrency: 'IDR', usdRate: 16000, from: 'CGK', to: 'DPS', ticketPrefix: '975' },
  JT: { name: 'Lion Air', vendorCurrency: 'IDR', usdRate: 16000, from: 'CGK', to: 'DPS', ticketPrefix: '990' },
};

export const FALLBACK_AIRLINE: AirlineInfo = { name: 'Test Air', vendorCurrency: 'USD', usdRate: 1, from: 'AAA', to: 'BBB', ticketPrefix: '999' };

/** Settlement-currency units per 1 USD. */
export const SETTLEMENT_USD_RATE: Record<string, number> = { USD: 1, CNY: 7.1, EUR: 0.92 };

export const TICKET_ERROR_MESSAGES: Record<string, string> = {
  '601': 'Fare changed',
  '602': 'Flight not found',
  '603': 'Flight sold out after payment',
  '604': 'Card payment declined by airline',
  '605': 'Incorrect passenger information',
  '606': 'Flight information updated',
  '607': 'Seat sold out',
  '608': 'Duplicate booking found at ticketing',
  '611': 'PNR cancelled or expired',
  '613': 'Airline risk control rejected',
  '615': 'Paid, airline PNR not obtained yet; handled manually',
  '616': 'Card requires 3DS, not supported',
  '617': 'Deposit balance too low at ticketing',
  '623': 'VCC balance or limit insufficient',
  '633': 'Payment declined by airline risk control',
  '634': 'Airline system issue',
  '699': 'System issue',
};

export function airlineInfo(code: string): AirlineInfo {
  return AIRLINES[code] ?? FALLBACK_AIRLINE;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Rounds to the currency's ISO 4217 minor unit (VND and JPY whole units), like a real price list. */
export function roundMinor(n: number, currency: string): number {
  const scale = 10 ** (currencyDigits(currency) ?? 2);
  return Math.round(n * scale) / scale;
}
