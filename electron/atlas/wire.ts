// Wire → domain. Atlas's JSON is loosely typed (docs/atlas-api.md §1.3: statuses are strings in one
// endpoint and integers in the next, numbers arrive as strings, nulls everywhere), so the schemas
// accept every documented spelling, ignore extra fields, and output the canonical types of
// shared/atlas.ts. A body that still does not fit yields a WireMismatch, never an exception.
import { z } from 'zod';
import {
  ORDER_STATUS_FROM_WIRE,
  ORDER_STATUS_TO_WIRE,
  type Balance,
  type OrderDetails,
  type OrderListPage,
  type OrderListQuery,
  type OrderStatus,
  type OrderSummary,
  type PayAccepted,
  type PaymentMethod,
  type PaymentOption,
  type PaymentOptionPart,
  type PayRequest,
  type RegeneratedOrder,
} from '../../shared/atlas.ts';
import { sgtToInstant } from '../../shared/sgt.ts';

// ---- Lenient leaves ----

const numericText = z.string().trim().regex(/^-?\d+(\.\d+)?$/);
const integerText = z.string().trim().regex(/^-?\d+$/);

const num = z.union([z.number().finite(), numericText.transform(Number)]);
const int = z.union([z.number().int(), integerText.transform(Number)]);
const str = z.union([z.string(), z.number().transform(String)]);
/** Absent, null and "" all mean "no value". */
const optStr = str.nullish().transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v));
const optNum = z.union([num, z.literal('')]).nullish().transform((v) => (typeof v === 'number' ? v : null));
const strList = z
  .array(str.nullable())
  .nullish()
  .transform((v) => (v ?? []).filter((s): s is string => s !== null && s !== ''));

const bool = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
  z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1),
]);

const KNOWN_METHODS: readonly number[] = [1, 3, 4, 5];
const isMethod = (n: number): n is PaymentMethod => KNOWN_METHODS.includes(n);

const paymentMethod = int.refine(isMethod, 'unknown paymentMethod').transform((n) => n as PaymentMethod);

const orderStatus = z.union([z.string(), z.number()]).transform((v, ctx): OrderStatus => {
  const status = ORDER_STATUS_FROM_WIRE[String(v).trim()];
  if (!status) {
    ctx.addIssue({ code: 'custom', message: 'unknown orderStatus' });
    return z.NEVER;
  }
  return status;
});

/** SGT wall time (`yyyy-MM-dd HH:mm:ss`, the documented form) or an explicit-offset ISO string. */
const sgtTime = z
  .string()
  .nullish()
  .transform((v, ctx): string | null => {
    if (v === undefined || v === null || v.trim() === '') return null;
    const instant = sgtToInstant(v) ?? isoWithZone(v);
    if (!instant) {
      ctx.addIssue({ code: 'custom', message: 'unreadable SGT time' });
      return z.NEVER;
    }
    return instant;
  });

/** orderList timestamps are UTC; a zone-less wall time is read as UTC, epoch numbers as ms. */
const utcTime = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v): string | null => {
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'number') return Number.isFinite(v) ? new Date(v).toISOString() : null;
    const wall = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v.trim());
    return isoWithZone(wall ? `${v.trim().replace(' ', 'T')}Z` : v);
  });

function isoWithZone(text: string): string | null {
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** `yyyyMMdd`, `yyyy-MM-dd` or a longer timestamp → `yyyy-MM-dd`; anything else → null. */
const depDate = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v): string | null => {
    if (v === undefined || v === null) return null;
    const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(String(v).trim());
    return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
  });

// ---- Composite pieces ----

const optionPart = z
  .object({
    amount: num,
    currency: z.string(),
    deductFrom: z
      .string()
      .transform((s) => s.toUpperCase())
      .pipe(z.enum(['DEPOSIT', 'CARD'])),
  })
  .nullish()
  .transform((p): PaymentOptionPart | null => p ?? null);

const paymentOptionWire = z.object({
  paymentMethod: int,
  ticketFare: optionPart,
  serviceFee: optionPart,
  paymentFee: optionPart,
});

/** Options for methods this app does not know are dropped rather than failing the whole order. */
const paymentOptions = z
  .array(paymentOptionWire)
  .nullish()
  .transform((list): PaymentOption[] | null =>
    list == null
      ? null
      : list.flatMap((o) =>
          isMethod(o.paymentMethod)
            ? [{ paymentMethod: o.paymentMethod, ticketFare: o.ticketFare, serviceFee: o.serviceFee, paymentFee: o.paymentFee }]
            : [],
        ),
  );

const methodList = z
  .array(int)
  .nullish()
  .transform((v) => (v ?? []).filter(isMethod));

const passengerType = int.refine((n) => n === 0 || n === 1 || n === 2).transform((n) => n as 0 | 1 | 2);

const paxTicketInfo = z.object({
  name: str,
  passengerType: passengerType.nullish().transform((v) => v ?? 0),
  ticketNos: strList,
  airlinePNRs: strList,
});

const segment = z.object({
  depCity: optStr,
  arrCity: optStr,
  depAirport: optStr,
  arrAirport: optStr,
  depTime: depDate,
});

const routing = z
  .object({ fromSegments: z.array(segment).nullish() })
  .nullish()
  .catch(null);

/** The envelope every response shares; `status` is read leniently, 429's `code` body too. */
export const envelopeSchema = z.object({
  status: int.optional(),
  code: int.optional(),
  // An odd retryAfter ("soon") must not make a limiter's or an acceptance's body unreadable.
  retryAfter: num.nullish().catch(undefined),
  duplicateOrders: strList.optional(),
});

// ---- queryOrderDetails.do ----

const orderDetailsWire = z.object({
  orderNo: str,
  pnrCode: optStr,
  orderStatus,
  ticketStatus: z.union([z.string(), z.number()]).nullish(),
  tktLimitTime: sgtTime,
  errorCode: optStr,
  errorMessage: optStr,
  airlineMessage: optStr,
  paymentMethod: paymentMethod.nullish().transform((v) => v ?? null),
  paymentAttempted: bool.nullish().transform((v) => v ?? null),
  paymentOptions,
  supportPaymentMethods: methodList,
  /** Deprecated single value: 1 deposit only, 3 card and deposit. Used only as a fallback. */
  supportPaymentMethod: int.nullish().catch(null),
  totalPrice: num,
  currency: z.string(),
  totalTransactionFee: optNum,
  vendorTotalPrice: optNum,
  vendorCurrency: optStr,
  airlines: strList.optional(),
  airlineBookings: z.array(z.object({ airlineCode: optStr })).nullish().catch(null),
  orderCreateTimestamp: utcTime.catch(null),
  paymentTimestamp: utcTime.catch(null),
  fromCity: optStr,
  toCity: optStr,
  depDate: depDate.catch(null),
  routing,
  paxTicketInfos: z.array(paxTicketInfo).nullish(),
});

function toOrderDetails(w: z.output<typeof orderDetailsWire>): OrderDetails {
  const segments = w.routing?.fromSegments ?? [];
  const first = segments[0];
  const last = segments[segments.length - 1];
  const supported =
    w.supportPaymentMethods.length > 0
      ? w.supportPaymentMethods
      : w.supportPaymentMethod === 3
        ? [1, 3]
        : w.supportPaymentMethod === 1
          ? [1]
          : [];
  const airlines =
    w.airlines && w.airlines.length > 0
      ? w.airlines
      : [...new Set((w.airlineBookings ?? []).map((b) => b.airlineCode).filter((c): c is string => c !== null))];
  return {
    orderNo: w.orderNo,
    pnrCode: w.pnrCode,
    orderStatus: w.orderStatus,
    // A ticket number on any traveller is a ticket, whatever the status fields say: an order
    // that has one is never "unpaid" enough to pay.
    ticketIssued: String(w.ticketStatus ?? '').trim() === '1' || (w.paxTicketInfos ?? []).some((p) => p.ticketNos.length > 0),
    tktLimitTime: w.tktLimitTime,
    errorCode: w.errorCode,
    errorMessage: w.errorMessage,
    airlineMessage: w.airlineMessage,
    paymentMethod: w.paymentMethod,
    paymentAttempted: w.paymentAttempted,
    paymentOptions: w.paymentOptions,
    supportPaymentMethods: supported as PaymentMethod[],
    totalPrice: w.totalPrice,
    currency: w.currency,
    totalTransactionFee: w.totalTransactionFee ?? 0,
    vendorTotalPrice: w.vendorTotalPrice,
    vendorCurrency: w.vendorCurrency,
    airlines,
    // Only what Atlas states: the SGT stamp inside an order number is an inference, not a creation
    // time (the 24 h regeneration window is never judged on a guess, docs/money-safety.md rule 3).
    createdAt: w.orderCreateTimestamp,
    paymentTimestamp: w.paymentTimestamp,
    // City codes and airport codes are different things (docs/atlas-api.md §3.6): never one for the other.
    fromCity: w.fromCity ?? first?.depCity ?? null,
    toCity: w.toCity ?? last?.arrCity ?? null,
    fromAirport: first?.depAirport ?? null,
    toAirport: last?.arrAirport ?? null,
    depDate: w.depDate ?? first?.depTime ?? null,
    passengers: (w.paxTicketInfos ?? []).map((p) => ({
      name: p.name,
      passengerType: p.passengerType,
      ticketNos: p.ticketNos,
      airlinePNRs: p.airlinePNRs,
    })),
  };
}

// ---- orderList.do ----

const orderSummaryWire = z.object({
  orderNo: str,
  pnrCode: optStr,
  airlinePNRs: strList,
  orderStatus,
  depDate: depDate.catch(null),
  airlines: strList,
  orderCreateTimestamp: utcTime.catch(null),
  paymentTimestamp: utcTime.catch(null),
  paxNames: strList,
  contactEmail: optStr,
  fromCity: optStr,
  toCity: optStr,
  errorCode: optStr,
  errorMessage: optStr,
});

const orderListWire = z.object({
  page: int.nullish(),
  pageSize: int.nullish(),
  totalRecords: int.nullish(),
  orders: z.array(orderSummaryWire).nullish(),
});

function toOrderSummary(w: z.output<typeof orderSummaryWire>): OrderSummary {
  return {
    orderNo: w.orderNo,
    pnrCode: w.pnrCode,
    // Round trips may come back as "X|Y" in one element.
    airlinePNRs: w.airlinePNRs.flatMap((p) => p.split('|')).map((p) => p.trim()).filter(Boolean),
    orderStatus: w.orderStatus,
    depDate: w.depDate,
    airlines: w.airlines,
    createdAt: w.orderCreateTimestamp,
    paymentTimestamp: w.paymentTimestamp,
    paxNames: w.paxNames,
    contactEmail: w.contactEmail,
    fromCity: w.fromCity,
    toCity: w.toCity,
    errorCode: w.errorCode,
    errorMessage: w.errorMessage,
  };
}

// ---- pay.do / regenerateOrder.do / balance.do ----

const payWire = z.object({
  paymentMethod: paymentMethod.nullish().catch(null),
  pnrCode: optStr.catch(null),
});

/**
 * Only the new order number is essential: the desk re-reads the new order before paying it. A
 * status-0 answer whose other fields do not parse still names the order Atlas made, and dropping
 * it would leave that order unknown.
 */
const regenerateWire = z.object({
  originalOrderNo: optStr.catch(null),
  orderNo: str.refine((s) => s.trim() !== '', 'empty orderNo'),
  pnrCode: optStr.catch(null),
  tktLimitTime: sgtTime.catch(null),
  totalPrice: num.nullish().catch(null),
  currency: z.string().nullish().catch(null),
  paymentOptions: paymentOptions.catch(null),
});

const balanceWire = z.object({
  accountBalance: z.object({ amount: num, currency: z.string().nullish() }),
});

// ---- Public: normalisers ----

/** Where a body failed to fit; the path is field names only, never values. */
export interface WireMismatch {
  ok: false;
  where: string;
}
export type Normalised<T> = { ok: true; value: T } | WireMismatch;

function fit<S extends z.ZodType, T>(schema: S, body: unknown, map: (w: z.output<S>) => T): Normalised<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, where: issue && issue.path.length > 0 ? issue.path.join('.') : '(body)' };
  }
  return { ok: true, value: map(parsed.data) };
}

export const normaliseOrderDetails = (body: unknown): Normalised<OrderDetails> =>
  fit(orderDetailsWire, body, toOrderDetails);

export const normaliseOrderList = (body: unknown, query: OrderListQuery): Normalised<OrderListPage> =>
  fit(orderListWire, body, (w) => {
    const orders = (w.orders ?? []).map(toOrderSummary);
    return {
      page: w.page ?? query.page ?? 1,
      pageSize: w.pageSize ?? query.pageSize ?? orders.length,
      totalRecords: w.totalRecords ?? orders.length,
      orders,
    };
  });

/**
 * pay.do status 0 is the definitive fact; the echo fields are decoration. So a status-0 body with
 * odd echoes still counts as accepted, completed from the request (never thrown as "unknown").
 */
export function normalisePayAccepted(body: unknown, request: PayRequest): PayAccepted {
  const parsed = payWire.safeParse(body);
  const w = parsed.success ? parsed.data : { paymentMethod: null, pnrCode: null };
  return { orderNo: request.orderNo, paymentMethod: w.paymentMethod ?? request.paymentMethod, pnrCode: w.pnrCode };
}

export const normaliseRegenerated = (body: unknown, originalOrderNo: string): Normalised<RegeneratedOrder> =>
  fit(regenerateWire, body, (w) => ({
    originalOrderNo: w.originalOrderNo ?? originalOrderNo,
    orderNo: w.orderNo.trim(),
    pnrCode: w.pnrCode,
    tktLimitTime: w.tktLimitTime,
    totalPrice: w.totalPrice ?? null,
    currency: w.currency ?? null,
    paymentOptions: w.paymentOptions,
  }));

/** The currency is Atlas's own, never filled in from the request: callers check it is the one asked for. */
export const normaliseBalance = (body: unknown): Normalised<Balance> =>
  fit(balanceWire, body, (w) => ({ amount: w.accountBalance.amount, currency: w.accountBalance.currency?.trim() || null }));

// ---- Public: request bodies ----

/** ISO instant → the `yyyy-MM-dd'T'HH:mm:ss'Z'` form orderList.do filters take. */
function toListTime(instant: string): string {
  return new Date(Date.parse(instant)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function orderListBody(query: OrderListQuery): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (query.orderStatus) body.orderStatus = query.orderStatus.map((s) => ORDER_STATUS_TO_WIRE[s]);
  if (query.createdFrom) body.createTimeRangeFrom = toListTime(query.createdFrom);
  if (query.createdTo) body.createTimeRangeTo = toListTime(query.createdTo);
  if (query.orderNo) body.orderNo = query.orderNo;
  if (query.airlines) body.airlines = query.airlines;
  if (query.paxName) body.paxName = query.paxName;
  if (query.fromCity) body.fromCity = query.fromCity;
  if (query.toCity) body.toCity = query.toCity;
  if (query.depDate) body.depDate = query.depDate.replace(/-/g, '');
  body.page = query.page ?? 1;
  if (query.pageSize !== undefined) body.pageSize = query.pageSize;
  return body;
}

/** pay.do body: `creditCard` only for card payments (null for deposit, as Atlas documents). */
export function payBody(request: PayRequest): Record<string, unknown> {
  return request.paymentMethod === 3
    ? { orderNo: request.orderNo, paymentMethod: 3, creditCard: request.creditCard }
    : { orderNo: request.orderNo, paymentMethod: request.paymentMethod, creditCard: null };
}
