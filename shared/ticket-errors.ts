// Ticket error codes (`errorCode` on cancelled orders, docs/atlas-api.md §2.5) and how the desk
// groups them. The planner decides from the group, never from errorMessage/airlineMessage (free
// text).

/** Short English meaning of each published code, for logs; the UI translates from the code. */
export const TICKET_ERROR_MEANINGS: Readonly<Record<string, string>> = {
  '601': 'fare changed',
  '602': 'flight not found',
  '603': 'flight sold out after payment',
  '604': 'pass-through (VCC) card payment declined by airline',
  '605': 'incorrect passenger info',
  '6051': 'passenger on a government blacklist',
  '606': 'flight info updated (schedule change)',
  '607': 'seat sold out',
  '608': 'duplicate booking found at ticketing',
  '609': 'contact email blocked by airline',
  '611': 'PNR cancelled or expired (time limit exceeded)',
  '613': 'airline risk control rejected the payment',
  '614': 'wrong (child) age',
  '615': 'paid but no PNR obtained yet; Atlas handles it manually',
  '616': 'card needs 3DS (not supported)',
  '617': 'deposit balance too low at ticketing',
  '618': 'baggage weight mismatch',
  '619': 'missing or incorrect payment info in pay.do',
  '620': 'abnormal return fare type',
  '621': 'infant not supported',
  '623': 'VCC balance or limit insufficient',
  '624': 'round trip temporarily unsupported',
  '625': 'frequent-flyer booking needs manual issuance',
  '626': 'unpaid services on the PNR',
  '627': 'post-ticketing ancillary not allowed',
  '628': 'post-ticketing ancillary flight mismatch',
  '629': 'no meaning published',
  '630': 'no meaning published',
  '631': 'baggage fare changed at fulfilment',
  '632': 'ticketing failed by airline risk control (title and description conflict)',
  '633': 'payment declined by airline risk control',
  '634': 'airline system issue',
  '698': 'no meaning published',
  '699': 'system issue',
};

/** Scenario B: the airline rejected the card after pay.do was accepted. Regenerate, then pay again. */
export const CARD_PAYMENT_CODES: readonly string[] = ['604', '613', '616', '623', '633'];
export const DUPLICATE_BOOKING_CODE = '608';
export const PAID_PNR_PENDING_CODE = '615';
/**
 * Danger: money may already be committed elsewhere; a human looks first
 * (docs/money-safety.md rule 3).
 */
export const DANGER_CODES: readonly string[] = [DUPLICATE_BOOKING_CODE, PAID_PNR_PENDING_CODE];
export const DEPOSIT_LOW_CODE = '617';
/**
 * PNR expired: on a never-paid order this is how an expired unpaid order may look
 * (docs/atlas-api.md §8).
 */
export const EXPIRED_CODE = '611';
/** Inventory codes: a regenerate would most likely fail; a new search is the real fix. */
export const INVENTORY_CODES: readonly string[] = ['602', '603', '606', '607', EXPIRED_CODE];
/** Codes the desk cannot fix by regenerate + pay: inventory, passenger/data and platform problems. */
export const NOT_RECOVERABLE_CODES: readonly string[] = [
  '601', '602', '603', '605', '6051', '606', '607', '609', '614', '618', '619', '620', '621',
  '624', '625', '626', '627', '628', '631', '632', '634', '699',
];

export type TicketErrorGroup =
  | 'none' // no errorCode
  | 'card_payment'
  | 'duplicate_booking'
  | 'paid_pnr_pending'
  | 'deposit_low'
  | 'expired'
  | 'not_recoverable'
  | 'unknown'; // 629, 630, 698 (in the enum, no published meaning) and any unlisted code

/** Atlas sends the code as a string but lenient parsing may leave spaces; never trust more than that. */
function normalise(code: string | null | undefined): string | null {
  const c = code?.trim();
  return c ? c : null;
}

export function ticketErrorGroup(code: string | null | undefined): TicketErrorGroup {
  const c = normalise(code);
  if (c === null) return 'none';
  if (CARD_PAYMENT_CODES.includes(c)) return 'card_payment';
  if (c === DUPLICATE_BOOKING_CODE) return 'duplicate_booking';
  if (c === PAID_PNR_PENDING_CODE) return 'paid_pnr_pending';
  if (c === DEPOSIT_LOW_CODE) return 'deposit_low';
  if (c === EXPIRED_CODE) return 'expired';
  if (NOT_RECOVERABLE_CODES.includes(c)) return 'not_recoverable';
  return 'unknown';
}

export function ticketErrorMeaning(code: string | null | undefined): string | null {
  const c = normalise(code);
  return c === null ? null : (TICKET_ERROR_MEANINGS[c] ?? null);
}

export function isCardPaymentCode(code: string | null | undefined): boolean {
  return ticketErrorGroup(code) === 'card_payment';
}

export function isDangerCode(code: string | null | undefined): boolean {
  const c = normalise(code);
  return c !== null && DANGER_CODES.includes(c);
}

export function isInventoryCode(code: string | null | undefined): boolean {
  const c = normalise(code);
  return c !== null && INVENTORY_CODES.includes(c);
}
