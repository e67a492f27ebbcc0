// SimOrder → the documented wire shapes, quirks included: string statuses in queryOrderDetails,
// integers in orderList and webhooks, SGT tktLimitTime, UTC list timestamps
// (docs/atlas-api.md §1.3, §3).
import { instantToSgt } from '../../shared/sgt.ts';
import { airlineInfo } from './reference.ts';
import type { SimOrder } from './types.ts';

export function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function part(amount: number, currency: string, deductFrom: 'DEPOSIT' | 'CARD') {
  return { amount, currency, deductFrom, displayAmount: null, displayCurrency: null };
}

/** One PaymentOption per supported method we model: 1 all from deposit; 3 fare on the card, fee from deposit. */
export function paymentOptionFor(order: SimOrder, method: number) {
  if (method === 3 && order.vendorCurrency !== null && order.vendorTotalPrice !== null) {
    return {
      paymentMethod: 3,
      ticketFare: part(order.vendorTotalPrice, order.vendorCurrency, 'CARD'),
      serviceFee: part(order.totalTransactionFee, order.currency, 'DEPOSIT'),
      paymentFee: null,
      cardType: null,
    };
  }
  return {
    paymentMethod: method,
    ticketFare: part(order.totalPrice, order.currency, 'DEPOSIT'),
    serviceFee: part(order.totalTransactionFee, order.currency, 'DEPOSIT'),
    paymentFee: null,
    cardType: null,
  };
}

export function paymentOptions(order: SimOrder) {
  return order.supportPaymentMethods.filter((m) => m === 1 || m === 3).map((m) => paymentOptionFor(order, m));
}

export function paxTicketInfos(order: SimOrder) {
  return order.passengers.map((p) => ({
    name: p.name,
    passengerType: p.passengerType,
    birthday: p.birthday,
    gender: p.gender,
    cardNum: p.cardNum,
    cardType: 'PP',
    cardIssuePlace: p.nationality,
    cardExpired: '20300101',
    nationality: p.nationality,
    ticketNos: [...p.ticketNos],
    airlinePNRs: [...p.airlinePNRs],
    ancillaries: [],
    contactEmails: [order.contactEmail],
    contactPhones: ['65-81234567'],
  }));
}

/** Airport → city codes (switch `cityOfAirport`); a mapped airport's segment carries no city code. */
export type CityOfAirport = Readonly<Record<string, string>>;

function routing(order: SimOrder, cityOfAirport: CityOfAirport) {
  const mapped = order.fromCity in cityOfAirport || order.toCity in cityOfAirport;
  return {
    routingIdentifier: null,
    supportCreditTransPayment: order.supportPaymentMethods.includes(3) ? '1' : '0',
    supportPaymentMethods: [...order.supportPaymentMethods],
    fromSegments: [
      {
        carrier: order.airline,
        depAirport: order.fromCity,
        arrAirport: order.toCity,
        ...(mapped ? {} : { depCity: order.fromCity, arrCity: order.toCity }),
        depTime: `${order.depDate.replace(/-/g, '')}0900`,
      },
    ],
    retSegments: [],
  };
}

function supportsVendorCurrency(order: SimOrder): boolean {
  return order.supportPaymentMethods.includes(3) || order.supportPaymentMethods.includes(4);
}

function unpaid(order: SimOrder): boolean {
  return order.paymentMethod === null;
}

/** queryOrderDetails.do body (status 0). */
export function queryOrderBody(order: SimOrder, cityOfAirport: CityOfAirport = {}) {
  const info = airlineInfo(order.airline);
  return {
    status: 0,
    msg: 'success',
    orderNo: order.orderNo,
    pnrCode: order.pnrCode,
    orderStatus: String(order.orderStatus),
    ticketStatus: String(order.ticketStatus),
    tktLimitTime: instantToSgt(order.tktLimitTime),
    // errorCode is a string present only when ticketing failed (and on a 615-pending order):
    // docs/atlas-api.md §3.2.
    ...(order.errorCode !== null ? { errorCode: order.errorCode, errorMessage: order.errorMessage, airlineMessage: order.airlineMessage } : {}),
    paymentMethod: order.paymentMethod,
    paymentAttempted: order.paymentAttempted,
    paymentOptions: unpaid(order) ? paymentOptions(order) : null,
    payment: order.paymentMethod !== null ? paymentOptionFor(order, order.paymentMethod) : null,
    supportPaymentMethods: [...order.supportPaymentMethods],
    supportPaymentMethod: order.supportPaymentMethods.includes(3) ? 3 : 1,
    totalPrice: order.totalPrice,
    currency: order.currency,
    totalTransactionFee: order.totalTransactionFee,
    adultTotalFare: order.totalPrice,
    childTotalFare: 0,
    infantTotalFare: 0,
    totalAncillaryPrice: 0,
    // Airline-currency amounts only when the order supports VCC (3) or BYOA (4):
    // docs/atlas-api.md §3.2.
    ...(supportsVendorCurrency(order)
      ? {
          vendorTotalPrice: order.vendorTotalPrice,
          vendorCost: order.orderStatus === 2 && order.paymentMethod === 3 ? order.vendorTotalPrice : null,
          vendorTotalAncillaryPrice: order.vendorCurrency === null ? null : 0,
          vendorCurrency: order.vendorCurrency,
        }
      : {}),
    paxTicketInfos: paxTicketInfos(order),
    airlineBookings: [
      {
        airlineCode: order.airline,
        airlineName: info.name,
        airlinePnr: order.passengers[0]?.airlinePNRs[0] ?? null,
        airlineWebSiteAddress: null,
        mmbEmail: null,
        tailDigitsOfPaymentCard: order.cardTail,
      },
    ],
    routing: routing(order, cityOfAirport),
    contact: { name: order.passengers[0]?.name ?? null, address: null, postcode: null, email: order.contactEmail, mobile: '65-81234567' },
    itineraryDownload: null,
  };
}

/** One element of orderList.do `orders[]`: integer status, UTC timestamps, error fields only when cancelled. */
export function listOrderItem(order: SimOrder, cityOf: (airport: string) => string = (a) => a) {
  const pnrs = [...new Set(order.passengers.flatMap((p) => p.airlinePNRs))];
  return {
    orderNo: order.orderNo,
    pnrCode: order.pnrCode,
    airlinePNRs: pnrs,
    orderStatus: order.orderStatus,
    depDate: order.depDate,
    airlines: [order.airline],
    orderCreateTimestamp: utcStamp(order.createdAt),
    paymentTimestamp: order.paymentTimestamp === null ? null : utcStamp(order.paymentTimestamp),
    paxNames: order.passengers.map((p) => p.name),
    contactEmail: order.contactEmail,
    fromCity: cityOf(order.fromCity),
    toCity: cityOf(order.toCity),
    ...(order.orderStatus === -3 ? { errorCode: order.errorCode, errorMessage: order.errorMessage } : {}),
  };
}

/** regenerateOrder.do body: the order.do response shape plus originalOrderNo. */
export function regenerateBody(order: SimOrder, requestId: string, cityOfAirport: CityOfAirport = {}) {
  return {
    status: 0,
    msg: 'success',
    requestId,
    clientRequestId: null,
    sessionId: null,
    offerId: null,
    originalOrderNo: order.originalOrderNo,
    orderNo: order.orderNo,
    ticketOrderNo: null,
    pnrCode: order.pnrCode,
    totalPrice: order.totalPrice,
    totalTransactionFee: order.totalTransactionFee,
    currency: order.currency,
    vendorTotalPrice: order.vendorTotalPrice,
    vendorCurrency: order.vendorCurrency,
    tktLimitTime: instantToSgt(order.tktLimitTime),
    includeExtraBaggage: 0,
    paxTicketInfos: paxTicketInfos(order),
    routing: routing(order, cityOfAirport),
    duplicateOrders: null,
    paymentOptions: paymentOptions(order),
  };
}

/** Webhook bodies (docs/atlas-api.md §4). */
export function ticketedWebhook(cid: string, order: SimOrder) {
  return { cid, type: 'order.ticketed', status: -1, data: { orderNo: order.orderNo, orderStatus: 2, paxTicketInfos: paxTicketInfos(order) } };
}

export function cancelledWebhook(cid: string, order: SimOrder, shape: 'order.cancelled' | 'order.ticketed') {
  if (shape === 'order.cancelled') {
    return { cid, type: 'order.cancelled', status: -1, data: { orderNo: order.orderNo, errorCode: order.errorCode, errorMessage: order.errorMessage } };
  }
  return {
    cid,
    type: 'order.ticketed',
    status: -1,
    data: { orderNo: order.orderNo, orderStatus: -3, errorCode: order.errorCode, errorMessage: order.errorMessage, paxTicketInfos: paxTicketInfos(order) },
  };
}
