// The Atlas domain as the desk sees it, after the client has normalised the wire format
// (see docs/atlas-api.md for the wire format itself). Everything here is plain data: it
// crosses IPC, is stored in SQLite and is what the planner reasons about.

/** `orderStatus` as one enum: the wire sends strings in queryOrderDetails and integers elsewhere. */
export type OrderStatus = 'unpaid' | 'ticketing' | 'ticketed' | 'cancelled';

export const ORDER_STATUS_FROM_WIRE: Record<string, OrderStatus> = {
  '0': 'unpaid',
  '1': 'ticketing',
  '2': 'ticketed',
  '-3': 'cancelled',
};

export const ORDER_STATUS_TO_WIRE: Record<OrderStatus, number> = {
  unpaid: 0,
  ticketing: 1,
  ticketed: 2,
  cancelled: -3,
};

/** 1 deposit, 3 VCC pass-through, 4 BYOA, 5 MoR. The desk pays with 1 and 3 only. */
export type PaymentMethod = 1 | 3 | 4 | 5;
export const DEPOSIT = 1 as const;
export const CARD = 3 as const;

export interface Money {
  amount: number;
  currency: string;
}

/** balance.do's answer: `currency` as Atlas named it, null when it named none. */
export interface Balance {
  amount: number;
  currency: string | null;
}

export interface PaymentOptionPart extends Money {
  deductFrom: 'DEPOSIT' | 'CARD';
}

export interface PaymentOption {
  paymentMethod: PaymentMethod;
  ticketFare: PaymentOptionPart | null;
  serviceFee: PaymentOptionPart | null;
  paymentFee: PaymentOptionPart | null;
}

export interface Passenger {
  /** `LAST/FIRST` as Atlas spells it. */
  name: string;
  passengerType: 0 | 1 | 2;
  ticketNos: string[];
  airlinePNRs: string[];
}

/** queryOrderDetails.do, normalised. The source of truth for an order's state. */
export interface OrderDetails {
  orderNo: string;
  pnrCode: string | null;
  orderStatus: OrderStatus;
  /** `ticketStatus "1"`, or a ticket number on any passenger (a ticket exists, whatever the status says). */
  ticketIssued: boolean;
  /** Payment deadline as an ISO-8601 UTC instant (Atlas sends SGT wall time). */
  tktLimitTime: string | null;
  /** Ticket error code (a string on the wire, e.g. "604"); only on cancelled orders. */
  errorCode: string | null;
  errorMessage: string | null;
  airlineMessage: string | null;
  /** Method actually used; null while unpaid. */
  paymentMethod: PaymentMethod | null;
  /** VCC only: Atlas already initiated a charge at the airline with the card. */
  paymentAttempted: boolean | null;
  /** Payable options; null once paid. */
  paymentOptions: PaymentOption[] | null;
  supportPaymentMethods: PaymentMethod[];
  totalPrice: number;
  currency: string;
  totalTransactionFee: number;
  vendorTotalPrice: number | null;
  vendorCurrency: string | null;
  airlines: string[];
  /**
   * Order creation instant (ISO UTC) as Atlas states it: orderList's `orderCreateTimestamp`, kept
   * from the order's own list row. Null when Atlas has not told us (never guessed from the number).
   */
  createdAt: string | null;
  paymentTimestamp: string | null;
  /** CITY codes, as orderList lists and filters them (kept from the order's own list row). */
  fromCity: string | null;
  toCity: string | null;
  /** AIRPORT codes of the first/last segment (queryOrderDetails); may differ from the city (DMK/BKK). */
  fromAirport: string | null;
  toAirport: string | null;
  /** Departure date `yyyy-MM-dd`. */
  depDate: string | null;
  passengers: Passenger[];
}

/** One row of orderList.do, normalised. */
export interface OrderSummary {
  orderNo: string;
  pnrCode: string | null;
  airlinePNRs: string[];
  orderStatus: OrderStatus;
  depDate: string | null;
  airlines: string[];
  createdAt: string | null;
  paymentTimestamp: string | null;
  paxNames: string[];
  contactEmail: string | null;
  fromCity: string | null;
  toCity: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface OrderListQuery {
  orderStatus?: OrderStatus[];
  /** ISO UTC instants. */
  createdFrom?: string;
  createdTo?: string;
  orderNo?: string;
  airlines?: string[];
  /** LAST/FIRST; Atlas matches orders with a passenger whose name contains it. */
  paxName?: string;
  fromCity?: string;
  toCity?: string;
  /** `yyyy-MM-dd`. */
  depDate?: string;
  page?: number;
  pageSize?: number;
}

export interface OrderListPage {
  page: number;
  pageSize: number;
  totalRecords: number;
  orders: OrderSummary[];
}

/**
 * The `creditCard` object of pay.do. Lives in main-process memory only
 * (docs/money-safety.md rule 6).
 */
export interface CardDetails {
  cardNumber: string;
  cardCVV: string;
  cardExpireMonth: string;
  cardExpireYear: string;
  cardHolderFirstName: string;
  cardHolderLastName: string;
  cardHolderCountry?: string | null;
  cardHolderProvince?: string | null;
  cardHolderCity?: string | null;
  cardHolderPostCode?: string | null;
  cardHolderAddress?: string | null;
  reusable?: boolean | null;
  /** Maximum the airline may charge, in the vendor currency. */
  paymentLimit?: number | null;
}

export type PayRequest =
  | { orderNo: string; paymentMethod: typeof DEPOSIT }
  | { orderNo: string; paymentMethod: typeof CARD; creditCard: CardDetails };

/** pay.do answered status 0: Atlas accepted the payment. Not ticketed yet. */
export interface PayAccepted {
  orderNo: string;
  paymentMethod: PaymentMethod;
  pnrCode: string | null;
}

/** regenerateOrder.do answered status 0: a new, unpaid order. Only `orderNo` is sure to be read. */
export interface RegeneratedOrder {
  originalOrderNo: string;
  orderNo: string;
  pnrCode: string | null;
  tktLimitTime: string | null;
  totalPrice: number | null;
  currency: string | null;
  paymentOptions: PaymentOption[] | null;
}

// ---- Errors: classified once, in the client ----
// docs/conventions.md "Errors are classified once".

export type AtlasEndpoint = 'queryOrderDetails' | 'orderList' | 'pay' | 'regenerateOrder' | 'balance';

/** Every kind of classified Atlas failure; a map keyed by kind (`Record<AtlasErrorKind, …>`) must name each. */
export const ATLAS_ERROR_KINDS = [
  'network',
  'timeout',
  'unauthorized',
  'rate_limited',
  'server',
  'business',
  'unknown_outcome',
  'invalid_response',
] as const;

export type AtlasErrorKind = (typeof ATLAS_ERROR_KINDS)[number];

/** Serializable description of a classified Atlas failure. Never contains secrets or card data. */
export interface AtlasFailure {
  kind: AtlasErrorKind;
  endpoint: AtlasEndpoint;
  /** Business status code (e.g. 401 on pay.do), when Atlas sent one. */
  code?: number;
  /** Short English meaning from docs/atlas-api.md §2, for logs; the UI translates from `code`. */
  meaning?: string;
  /** Seconds to wait, for `rate_limited`. */
  retryAfter?: number;
  /** `duplicateOrders` of a 318. */
  duplicateOrders?: string[];
  /** HTTP status, when the failure was at HTTP level. */
  httpStatus?: number;
}
