// Atlas business `status` codes per endpoint (docs/atlas-api.md §2.1–2.4, §2.7), with short English
// meanings for logs, and the code sets that money-safety rules depend on. Pure data: the client
// classifies with it, the planner and UI read the same sets. Ticket error codes (`errorCode`,
// 601…699) are NOT here: they live in shared/ticket-errors.ts.
import type { AtlasEndpoint } from './atlas.ts';

type CodeTable = Readonly<Record<number, string>>;

/**
 * docs/atlas-api.md §2.1: codes any endpoint may return. 429 arrives as `code`, not `status`
 * (special body).
 */
export const GENERAL_CODES: CodeTable = {
  0: 'success',
  [-1]: 'common or unclassified error',
  2: 'system error (legacy)',
  100: 'missing required request data',
  429: 'request limit reached',
  900: 'unauthorised: wrong credentials, account status or permission',
  901: 'illegal request data',
  902: 'access denied',
  905: 'submission too frequent',
  9999: 'system error',
};

/**
 * docs/atlas-api.md §2.2: pay.do. 615 is not in Atlas's pay.do enum but is documented as a pay
 * outcome.
 */
export const PAY_CODES: CodeTable = {
  0: 'payment request accepted (not ticketed yet)',
  400: 'illegal request parameter',
  401: 'past the payment deadline',
  402: 'order state does not allow payment',
  403: 'payment method not supported for this order',
  404: 'order already paid',
  406: 'a previous payment is still in progress',
  407: 'mandatory passenger element missing or wrong',
  408: 'child cannot travel alone',
  409: 'extra baggage does not match the segment',
  410: 'contact phone or format wrong',
  411: 'payment gateway or account error (e.g. insufficient balance)',
  412: 'no payment method available for the order',
  413: 'card brand not supported',
  414: 'card brand differs from the one given at booking',
  415: 'order not confirmed by the user (orderCommit.do first)',
  615: 'payment done but airline PNR not obtained yet',
};

/** docs/atlas-api.md §2.3: order.do / regenerateOrder.do. */
export const ORDER_CODES: CodeTable = {
  0: 'success',
  300: 'invalid session info',
  301: 'sessionId missing or expired',
  302: 'flight no longer available',
  303: 'airline closed',
  304: 'verify failed (transient)',
  305: 'invalid routing',
  306: 'cabin changed',
  307: 'illegal booking parameters',
  308: 'price changed',
  309: 'ancillary not found',
  310: 'infant not allowed',
  311: 'seat strong-verify failed',
  312: 'too many seats booked',
  313: 'fare family sold out',
  314: 'regenerate impossible: original order is ticketing or ticketed',
  315: 'not enough seats',
  316: 'airline timeout',
  317: 'airline booking failure',
  318: 'possible duplicate booking',
  319: 'flight information changed',
  320: 'requested seats not found or occupied',
  321: 'booking cancelled: contact email blocked by airline',
  322: 'seat price changed',
  323: 'bad email format',
  324: 'airline system issue',
  325: 'passenger unserviceable',
  326: 'BYOA airline-side balance insufficient',
  327: 'passenger info fails requirements',
  328: 'selected seat taken',
  329: 'no payment method available',
  330: 'operation in progress',
  407: 'mandatory passenger element missing or wrong',
  408: 'child cannot travel alone',
  409: 'extra baggage does not match the segment',
  410: 'contact phone or format wrong',
  6051: 'passenger on a government credit blacklist',
};

/** docs/atlas-api.md §2.4: queryOrderDetails.do. */
export const QUERY_CODES: CodeTable = {
  0: 'success',
  701: 'several orders match',
  702: 'airlinePNR and carrier required',
  703: 'no order found',
  704: 'parameters do not match each other',
  705: 'timeout (retry)',
  800: 'order does not exist',
};

/** pay.do codes after which the payment may or may not have happened: resolve by query only. */
export const PAY_UNKNOWN_OUTCOME_CODES: ReadonlySet<number> = new Set([406, 411, 615, -1, 2, 9999]);

/**
 * Never pay this order again without a human decision (docs/atlas-api.md §2.7, plus 406 until
 * resolved).
 */
export const NEVER_PAY_AGAIN_CODES: ReadonlySet<number> = new Set([318, 402, 404, 615, 406]);

/** regenerateOrder.do codes after which a new order may or may not exist. */
export const REGENERATE_UNKNOWN_OUTCOME_CODES: ReadonlySet<number> = new Set([330, -1, 2, 9999]);

/**
 * Codes that say the request was rejected before any side effect (bad input, auth, throttling).
 * On a mutating call only these, plus the endpoint's own definitive codes, count as "did not happen".
 */
const REJECTED_BEFORE_ACTION: ReadonlySet<number> = new Set([100, 900, 901, 902, 905]);

/**
 * True when a non-zero pay.do status leaves the outcome unknown: 406/411/615, system errors, and
 * ANY code not in the pay.do table (Atlas's own CLI rule: unknown code → never pay again, query).
 */
export function isPayOutcomeUnknown(code: number): boolean {
  if (code === 0) return false;
  if (PAY_UNKNOWN_OUTCOME_CODES.has(code)) return true;
  return !(code in PAY_CODES) && !REJECTED_BEFORE_ACTION.has(code);
}

/** Same rule for regenerateOrder.do: 330, system errors and unlisted codes are unknown outcomes. */
export function isRegenerateOutcomeUnknown(code: number): boolean {
  if (code === 0) return false;
  if (REGENERATE_UNKNOWN_OUTCOME_CODES.has(code)) return true;
  return !(code in ORDER_CODES) && !REJECTED_BEFORE_ACTION.has(code);
}

const ENDPOINT_TABLES: Record<AtlasEndpoint, CodeTable> = {
  pay: PAY_CODES,
  regenerateOrder: ORDER_CODES,
  queryOrderDetails: QUERY_CODES,
  orderList: {},
  balance: {},
};

/** Short English meaning of `code` on `endpoint`, or undefined when Atlas documents none. */
export function describeStatus(endpoint: AtlasEndpoint, code: number): string | undefined {
  return ENDPOINT_TABLES[endpoint][code] ?? GENERAL_CODES[code];
}
