// Building SimOrder values: from a test's OrderSpec, and the identifiers Atlas would hand out.
import { instantToSgt } from '../../shared/sgt.ts';
import type { Rng } from './rng.ts';
import { airlineInfo, round2, roundMinor, SETTLEMENT_USD_RATE, TICKET_ERROR_MESSAGES } from './reference.ts';
import type { OrderSpec, SimOrder, SimPassenger, TicketingOutcome } from './types.ts';

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CARD_ERROR_CODES = ['604', '613', '616', '623', '633'];

/**
 * `TESTA` + yyyyMMddHHmmss (SGT) + 3 digits, e.g. TESTA20261126160804096 (docs/atlas-api.md §1.6).
 */
export function makeOrderNo(createdAt: number, taken: (orderNo: string) => boolean, rng: Rng): string {
  const stamp = instantToSgt(createdAt).replace(/[- :]/g, '');
  const n = rng.int(0, 999);
  for (let i = 0; i < 1000; i++) {
    const candidate = `TESTA${stamp}${String((n + i) % 1000).padStart(3, '0')}`;
    if (!taken(candidate)) return candidate;
  }
  throw new Error('no free order number in this second');
}

export function makeCode(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += rng.pick([...ALNUM]);
  return s;
}

/**
 * The traveller of an order made without names: one of its own (given name spelled from a hash of
 * the order number), because two bookings of the same traveller and flight are look-alikes, which
 * the desk rightly refuses to regenerate without a human.
 */
function travellerOf(orderNo: string): string {
  let h = 0x811c9dc5; // FNV-1a
  for (const c of orderNo) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  let given = '';
  for (let i = 0; i < 6; i++, h = Math.floor(h / 26)) given += String.fromCharCode(65 + (h % 26));
  return `TAN/${given}`;
}

export function makePassenger(name: string, index: number, rng: Rng): SimPassenger {
  return {
    name,
    passengerType: 0,
    birthday: `19${rng.int(60, 99)}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}`,
    gender: index % 2 === 0 ? 'M' : 'F',
    cardNum: `E${rng.int(1000000, 9999999)}`,
    nationality: 'SG',
    ticketNos: [],
    airlinePNRs: [],
  };
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A complete SimOrder from a partial spec; defaults describe a plain unpaid 30-minute hold. */
export function orderFromSpec(spec: OrderSpec, now: number, rng: Rng, taken: (orderNo: string) => boolean): SimOrder {
  const airline = spec.airline ?? 'AK';
  const info = airlineInfo(airline);
  const currency = spec.currency ?? 'USD';
  const price = spec.price ?? 100;
  const createdAt = spec.createdAt ?? now;
  const status = spec.orderStatus ?? 0;
  const methods = spec.supportPaymentMethods ?? [1, 3];
  const vendorCurrency = spec.vendorCurrency !== undefined ? spec.vendorCurrency : methods.includes(3) ? info.vendorCurrency : null;
  const usd = price / (SETTLEMENT_USD_RATE[currency] ?? 1);
  const vendorPrice =
    spec.vendorPrice !== undefined ? spec.vendorPrice : vendorCurrency === null ? null : roundMinor(usd * info.usdRate, vendorCurrency);
  const paid = status !== 0 && (spec.paymentMethod !== null || spec.paymentTimestamp != null);
  const paymentMethod = spec.paymentMethod !== undefined ? spec.paymentMethod : paid ? (methods.includes(3) ? 3 : 1) : null;
  const errorCode = spec.errorCode !== undefined ? spec.errorCode : null;
  const defaultAttempted = paymentMethod === 3 ? true : methods.includes(3) ? false : null;
  const orderNo = spec.orderNo ?? makeOrderNo(createdAt, taken, rng);
  const names = spec.passengers ?? [travellerOf(orderNo)];
  const order: SimOrder = {
    orderNo,
    pnrCode: makeCode(rng, 6),
    originalOrderNo: spec.originalOrderNo ?? null,
    airline,
    fromCity: spec.fromCity ?? info.from,
    toCity: spec.toCity ?? info.to,
    depDate: spec.depDate ?? dateOnly(createdAt + 14 * 86_400_000),
    orderStatus: status,
    ticketStatus: 0,
    createdAt,
    tktLimitTime: spec.tktLimitTime ?? createdAt + (spec.holdMinutes ?? 30) * 60_000,
    currency,
    totalPrice: price,
    totalTransactionFee: spec.fee ?? round2(2 * (SETTLEMENT_USD_RATE[currency] ?? 1) * names.length),
    vendorCurrency,
    vendorTotalPrice: vendorPrice,
    supportPaymentMethods: methods,
    paymentMethod,
    paymentAttempted: spec.paymentAttempted !== undefined ? spec.paymentAttempted : defaultAttempted,
    paymentTimestamp: spec.paymentTimestamp !== undefined ? spec.paymentTimestamp : paymentMethod !== null ? createdAt + 60_000 : null,
    cardTail: paymentMethod === 3 ? '0366' : null,
    errorCode,
    errorMessage: spec.errorMessage !== undefined ? spec.errorMessage : errorCode ? (TICKET_ERROR_MESSAGES[errorCode] ?? 'Ticketing failed') : null,
    airlineMessage: null,
    expired: false,
    ticketingOutcome: spec.ticketingOutcome ?? 'ticketed',
    ticketingDueAt: null,
    regenerateFareDelta: spec.regenerateFareDelta ?? null,
    passengers: names.map((n, i) => makePassenger(n, i, rng)),
    contactEmail: spec.contactEmail ?? `agent+${names[0]?.split('/')[0]?.toLowerCase() ?? 'x'}@example.com`,
  };
  if (status === 2) issueTickets(order, rng);
  return order;
}

/** Fill ticket numbers and airline PNRs: the order is now ticketed. */
export function issueTickets(order: SimOrder, rng: Rng): void {
  const pnr = makeCode(rng, 6);
  const prefix = airlineInfo(order.airline).ticketPrefix;
  order.orderStatus = 2;
  order.ticketStatus = 1;
  order.errorCode = null;
  order.errorMessage = null;
  for (const p of order.passengers) {
    p.ticketNos = [`${prefix}-${rng.int(1_000_000_000, 9_999_999_999)}`];
    p.airlinePNRs = [pnr];
  }
}

/** Cancel with a ticket error code (docs/atlas-api.md §2.5). */
export function cancelOrder(order: SimOrder, errorCode: string | null): void {
  order.orderStatus = -3;
  order.ticketStatus = 0;
  order.errorCode = errorCode;
  order.errorMessage = errorCode ? (TICKET_ERROR_MESSAGES[errorCode] ?? 'Ticketing failed') : null;
}

export function isTicketingOutcome(value: unknown): value is TicketingOutcome {
  return value === 'ticketed' || (typeof value === 'string' && /^-?\d+$/.test(value));
}
