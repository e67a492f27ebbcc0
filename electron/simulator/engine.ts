// The simulated Atlas back office: orders, deposits, ledger and the business rules of pay.do,
// regenerateOrder.do, queryOrderDetails.do, orderList.do and balance.do
// (docs/atlas-api.md §2, §3, §8). Pure state + rules; HTTP, faults and webhook transport live
// elsewhere.
import { checkCard } from './cards.ts';
import type { SimClock } from './clock.ts';
import { cancelOrder, CARD_ERROR_CODES, issueTickets, makeCode, makeOrderNo, orderFromSpec } from './orders.ts';
import { round2, roundMinor } from './reference.ts';
import type { Rng } from './rng.ts';
import type { LedgerEntry, OrderSpec, SimOrder, SimSwitches, TicketingOutcome } from './types.ts';
import { cancelledWebhook, listOrderItem, queryOrderBody, regenerateBody, ticketedWebhook } from './wire.ts';

export type Body = Record<string, unknown>;
export type Answer = { status: number; msg: string | null } & Body;

/** regenerateOrder.do past 24 h after the original's creation. Atlas's code is undocumented; we chose 317. */
export const REGEN_WINDOW_CLOSED_STATUS = 317;
/** regenerateOrder.do on a still-payable order when switches.regenerateRefusesPayable is on. */
export const REGEN_PAYABLE_REFUSED_STATUS = -1;
const DAY_MS = 24 * 60 * 60 * 1000;

export function defaultSwitches(ticketingDelayMs: number): SimSwitches {
  return {
    cardDeclineSurfacesOn: 'order',
    cancellationWebhookShape: 'order.cancelled',
    ticketingDelayMs,
    regenerateRefusesPayable: false,
    expiredOrderErrorCode: null,
    ticketingOutcomeByAirline: {},
    ticketingOutcomeByOrder: {},
    holdMinutes: 30,
    regenerateFareDelta: 0,
    regeneratedTicketingOutcome: null,
    cityOfAirport: {},
    atlasClockOffsetMs: 0,
    latencyMs: {},
  };
}

function fail(status: number, msg: string, extra: Body = {}): Answer {
  return { status, msg, ...extra };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** orderList.do createTimeRangeFrom/To: absent → null; exactly `yyyy-MM-dd'T'HH:mm:ss'Z'` → epoch ms; else NaN. */
function listTime(v: unknown): number | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(v)) return Number.NaN;
  return Date.parse(v);
}

export interface EngineDeps {
  clock: SimClock;
  rng: Rng;
  clientId: string;
  switches: SimSwitches;
  webhook: (body: unknown) => void;
}

export class SimEngine {
  readonly orders = new Map<string, SimOrder>();
  readonly balances = new Map<string, number>();
  readonly ledgerEntries: LedgerEntry[] = [];
  switches: SimSwitches;
  #deps: EngineDeps;
  #requestSeq = 0;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
    this.switches = deps.switches;
  }

  /** Atlas's own clock: the simulated clock plus the `atlasClockOffsetMs` switch. */
  now(): number {
    return this.#deps.clock.now() + this.switches.atlasClockOffsetMs;
  }

  /** The code orderList shows for an order's airport (switch `cityOfAirport`). */
  listCity(airport: string): string {
    return this.switches.cityOfAirport[airport] ?? airport;
  }

  // ---- test-facing helpers ----

  createOrder(spec: OrderSpec = {}): SimOrder {
    if (spec.orderNo && this.orders.has(spec.orderNo)) throw new Error(`order ${spec.orderNo} already exists`);
    const delta = spec.regenerateFareDelta;
    if (delta != null && !(Number.isFinite(delta) && delta > -1)) throw new Error('regenerateFareDelta must be a number above -1');
    const order = orderFromSpec(spec, this.now(), this.#deps.rng, (no) => this.orders.has(no));
    if (order.orderStatus === 1) {
      if (spec.errorCode === '615' || spec.ticketingOutcome === '615') {
        order.errorCode = '615';
        order.errorMessage = 'Paid, airline PNR not obtained yet; handled manually';
      } else {
        order.ticketingDueAt = (order.paymentTimestamp ?? this.now()) + this.switches.ticketingDelayMs;
      }
    }
    this.orders.set(order.orderNo, order);
    return order;
  }

  rebookByHand(orderNo: string, spec: OrderSpec = {}): SimOrder {
    const original = this.orders.get(orderNo);
    if (!original) throw new Error(`order ${orderNo} does not exist`);
    return this.createOrder({
      airline: original.airline,
      fromCity: original.fromCity,
      toCity: original.toCity,
      depDate: original.depDate,
      passengers: original.passengers.map((p) => p.name),
      currency: original.currency,
      price: original.totalPrice,
      supportPaymentMethods: [...original.supportPaymentMethods],
      contactEmail: original.contactEmail,
      ...spec,
    });
  }

  paymentsFor(orderNo: string): number {
    return this.ledgerEntries.filter((e) => e.kind === 'pay' && e.orderNo === orderNo).length;
  }

  // ---- time ----

  /** Resolve due ticketing and (per switch) expiries. Called before every request and on clock moves. */
  sweep(): void {
    const now = this.now();
    const due = [...this.orders.values()]
      .filter((o) => o.orderStatus === 1 && o.ticketingDueAt !== null && o.ticketingDueAt <= now)
      .sort((a, b) => (a.ticketingDueAt ?? 0) - (b.ticketingDueAt ?? 0));
    for (const order of due) this.#resolveTicketing(order);
    const code = this.switches.expiredOrderErrorCode;
    if (code === null) return;
    for (const order of this.orders.values()) {
      if (order.orderStatus === 0 && order.tktLimitTime <= now) {
        cancelOrder(order, code === '' ? null : code);
        order.expired = true;
      }
    }
  }

  #resolveTicketing(order: SimOrder): void {
    order.ticketingDueAt = null;
    const outcome = order.ticketingOutcome;
    if (outcome === '615') {
      // Paid, no PNR: Atlas ops chase the airline; the order stays in ticketing
      // (docs/atlas-api.md §8).
      order.errorCode = '615';
      order.errorMessage = 'Paid, airline PNR not obtained yet; handled manually';
      return;
    }
    if (outcome === 'ticketed') {
      issueTickets(order, this.#deps.rng);
      this.#deps.webhook(ticketedWebhook(this.#deps.clientId, order));
      return;
    }
    cancelOrder(order, outcome);
    this.#deps.webhook(cancelledWebhook(this.#deps.clientId, order, this.switches.cancellationWebhookShape));
  }

  // ---- endpoints ----

  queryOrderDetails(body: Body): Answer {
    const orderNo = str(body.orderNo);
    const pnr = str(body.pnrCode);
    const airlinePnr = str(body.airlinePNR)?.toUpperCase() ?? null;
    const carrier = str(body.carrier)?.toUpperCase() ?? null;
    if ((airlinePnr === null) !== (carrier === null)) return fail(702, 'airlinePNR and carrier are required together');
    const byAirlinePnr = (o: SimOrder) => o.airline === carrier && o.passengers.some((p) => p.airlinePNRs.includes(airlinePnr ?? ''));
    let order: SimOrder | undefined;
    if (orderNo) order = this.orders.get(orderNo);
    else if (pnr) order = [...this.orders.values()].find((o) => o.pnrCode === pnr);
    else if (airlinePnr) {
      const found = [...this.orders.values()].filter(byAirlinePnr);
      if (found.length === 0) return fail(703, 'no order found');
      if (found.length > 1) return fail(701, 'several orders match; add parameters');
      order = found[0];
    } else return fail(100, 'orderNo is required');
    if (!order) return fail(800, 'order does not exist');
    // Every given parameter must belong to the same order (docs/atlas-api.md §3.2).
    if ((pnr && order.pnrCode !== pnr) || (airlinePnr && !byAirlinePnr(order))) return fail(704, 'parameters do not match');
    return queryOrderBody(order, this.switches.cityOfAirport);
  }

  orderList(body: Body): Answer {
    const page = body.page === undefined || body.page === null ? 1 : Number(body.page);
    const pageSize = body.pageSize === undefined || body.pageSize === null ? 20 : Number(body.pageSize);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
      return fail(901, 'page/pageSize invalid');
    }
    const statuses = Array.isArray(body.orderStatus) ? body.orderStatus.map(Number) : null;
    const airlines = Array.isArray(body.airlines) ? body.airlines.map(String) : null;
    const from = listTime(body.createTimeRangeFrom);
    const to = listTime(body.createTimeRangeTo);
    if (Number.isNaN(from) || Number.isNaN(to)) return fail(901, "createTimeRange must be UTC yyyy-MM-dd'T'HH:mm:ss'Z'");
    const pnrs = Array.isArray(body.airlinePNRs) ? body.airlinePNRs.map((p) => String(p).toUpperCase()) : null;
    const orderNo = str(body.orderNo);
    const paxName = str(body.paxName)?.toUpperCase() ?? null;
    const fromCity = str(body.fromCity);
    const toCity = str(body.toCity);
    const email = str(body.contactEmail);
    const depDate = str(body.depDate);
    const matches = [...this.orders.values()].filter(
      (o) =>
        (orderNo === null || o.orderNo === orderNo) &&
        (pnrs === null || pnrs.length === 0 || o.passengers.some((p) => p.airlinePNRs.some((x) => pnrs.includes(x.toUpperCase())))) &&
        (statuses === null || statuses.length === 0 || statuses.includes(o.orderStatus)) &&
        (airlines === null || airlines.length === 0 || airlines.includes(o.airline)) &&
        (from === null || o.createdAt >= from) &&
        (to === null || o.createdAt <= to) &&
        (paxName === null || o.passengers.some((p) => p.name.toUpperCase().includes(paxName))) &&
        (fromCity === null || this.listCity(o.fromCity) === fromCity) &&
        (toCity === null || this.listCity(o.toCity) === toCity) &&
        (email === null || o.contactEmail === email) &&
        (depDate === null || o.depDate.replace(/-/g, '') === depDate),
    );
    // Newest first, then order number, so paging is stable.
    matches.sort((a, b) => b.createdAt - a.createdAt || a.orderNo.localeCompare(b.orderNo));
    const slice = matches.slice((page - 1) * pageSize, page * pageSize);
    return { status: 0, msg: 'success', page, pageSize, totalRecords: matches.length, orders: slice.map((o) => listOrderItem(o, (a) => this.listCity(a))) };
  }

  balance(body: Body): Answer {
    const currency = str(body.currency)?.toUpperCase();
    if (!currency) return fail(100, 'currency is required');
    return { status: 0, msg: 'success', accountBalance: { amount: this.balances.get(currency) ?? 0, currency } };
  }

  search(_body: Body): Answer {
    return { status: 0, msg: 'success', routings: [] };
  }

  pay(body: Body): Answer {
    const orderNo = str(body.orderNo);
    if (!orderNo) return fail(400, 'orderNo is required');
    const order = this.orders.get(orderNo);
    if (!order) return fail(800, 'order does not exist');
    const method = body.paymentMethod;
    if (method !== 1 && method !== 3 && method !== 4 && method !== 5) return fail(400, 'paymentMethod is invalid');
    const now = this.now();
    if (order.orderStatus === 2) return fail(404, 'order already paid');
    if (order.orderStatus === 1) return order.errorCode === '615' ? fail(615, 'payment done, PNR pending') : fail(402, 'order state does not allow payment');
    if (order.orderStatus === -3) return order.expired ? fail(401, 'payment deadline passed') : fail(402, 'order state does not allow payment');
    if (order.paymentMethod !== null) return fail(404, 'order already paid');
    if (now >= order.tktLimitTime) return fail(401, 'payment deadline passed');
    if (!order.supportPaymentMethods.includes(method)) return fail(403, 'payment method not supported for this order');
    if (method === 5) {
      // MoR needs a card like VCC (docs/atlas-api.md §3.1); past validation, the simulator does not
      // model MoR charging.
      const card = checkCard(body.creditCard, 5, now);
      if (!card.ok) return fail(400, card.msg);
    }
    if (method === 4 || method === 5) return fail(403, 'payment method not supported by the simulator');

    const fee = order.totalTransactionFee;
    const deposit = this.balances.get(order.currency) ?? 0;
    // Precedence: per-order switch > sandbox trigger / card limits > the order's own outcome > per-airline switch.
    let outcome: TicketingOutcome =
      order.ticketingOutcome !== 'ticketed' ? order.ticketingOutcome : (this.switches.ticketingOutcomeByAirline[order.airline] ?? 'ticketed');
    let cardTail: string | null = null;
    let depositDebit: number;
    let cardCharge = 0;

    if (method === 1) {
      depositDebit = round2(order.totalPrice + fee);
      if (deposit < depositDebit) return fail(411, 'insufficient balance');
    } else {
      const card = checkCard(body.creditCard, 3, now);
      if (!card.ok) return fail(400, card.msg);
      cardTail = card.number.slice(-4);
      // Sandbox triggers keyed on the holder's first name (docs/atlas-api.md §5).
      const trigger = card.trigger;
      if (trigger && this.switches.cardDeclineSurfacesOn === 'pay') {
        order.paymentAttempted = true;
        return fail(Number(trigger), trigger === '604' ? 'payment declined by airline' : '3DS required');
      }
      if (trigger) outcome = trigger;
      const limit = card.paymentLimit;
      if (limit !== null && order.vendorTotalPrice !== null && limit < order.vendorTotalPrice && outcome === 'ticketed') outcome = '623';
      // Atlas's fee comes from the deposit even for VCC; short deposit shows up at ticketing as 617.
      depositDebit = deposit >= fee ? fee : 0;
      if (deposit < fee) outcome = '617';
      cardCharge = order.vendorTotalPrice ?? 0;
    }
    const forced = this.switches.ticketingOutcomeByOrder[order.orderNo];
    if (forced) outcome = forced;

    this.balances.set(order.currency, round2(deposit - depositDebit));
    order.orderStatus = 1;
    order.paymentMethod = method;
    order.paymentTimestamp = now;
    order.paymentAttempted = method === 3 ? true : order.paymentAttempted;
    order.cardTail = cardTail;
    order.ticketingOutcome = outcome;
    order.ticketingDueAt = now + this.switches.ticketingDelayMs;
    this.ledgerEntries.push({
      seq: this.ledgerEntries.length + 1,
      at: now,
      kind: 'pay',
      orderNo,
      originalOrderNo: order.originalOrderNo,
      paymentMethod: method,
      depositDebit,
      cardCharge,
      currency: order.currency,
      cardTail,
    });
    return { status: 0, msg: 'success', orderNo, paymentMethod: method, pnrCode: order.pnrCode, airlines: [order.airline] };
  }

  regenerateOrder(body: Body): Answer {
    const originalNo = str(body.originalOrderNo);
    if (!originalNo) return fail(307, 'originalOrderNo is required');
    const original = this.orders.get(originalNo);
    if (!original) return fail(800, 'order does not exist');
    const now = this.now();
    if (original.orderStatus === 1 || original.orderStatus === 2) return fail(314, 'original order is ticketing or ticketed');
    if (now - original.createdAt > DAY_MS) return fail(REGEN_WINDOW_CLOSED_STATUS, 'regeneration window closed: more than 24 hours since the order was created');
    const payable = original.orderStatus === 0 && now < original.tktLimitTime;
    if (payable && this.switches.regenerateRefusesPayable) return fail(REGEN_PAYABLE_REFUSED_STATUS, 'original order is still payable');
    // A live twin (unpaid and still held, ticketing or ticketed) of the same original → 318.
    const twins = [...this.orders.values()].filter(
      (o) => o.originalOrderNo === originalNo && (o.orderStatus === 1 || o.orderStatus === 2 || (o.orderStatus === 0 && now < o.tktLimitTime)),
    );
    if (twins.length > 0) return fail(318, 'possible duplicate booking', { duplicateOrders: twins.map((t) => t.orderNo) });

    const rng = this.#deps.rng;
    const factor = 1 + (original.regenerateFareDelta ?? this.switches.regenerateFareDelta);
    const created: SimOrder = {
      ...structuredClone(original),
      orderNo: makeOrderNo(now, (no) => this.orders.has(no), rng),
      pnrCode: makeCode(rng, 6),
      originalOrderNo: originalNo,
      orderStatus: 0,
      ticketStatus: 0,
      createdAt: now,
      tktLimitTime: now + this.switches.holdMinutes * 60_000,
      totalPrice: round2(original.totalPrice * factor),
      vendorTotalPrice:
        original.vendorTotalPrice === null ? null : roundMinor(original.vendorTotalPrice * factor, original.vendorCurrency ?? 'USD'),
      paymentMethod: null,
      paymentAttempted: original.supportPaymentMethods.includes(3) ? false : null,
      paymentTimestamp: null,
      cardTail: null,
      errorCode: null,
      errorMessage: null,
      airlineMessage: null,
      expired: false,
      ticketingOutcome: this.switches.regeneratedTicketingOutcome ?? 'ticketed',
      ticketingDueAt: null,
      regenerateFareDelta: null,
    };
    for (const p of created.passengers) {
      p.ticketNos = [];
      p.airlinePNRs = [];
    }
    this.orders.set(created.orderNo, created);
    this.ledgerEntries.push({
      seq: this.ledgerEntries.length + 1,
      at: now,
      kind: 'regenerate',
      orderNo: created.orderNo,
      originalOrderNo: originalNo,
      paymentMethod: null,
      depositDebit: 0,
      cardCharge: 0,
      currency: created.currency,
      cardTail: null,
    });
    return regenerateBody(created, `sim-${++this.#requestSeq}`, this.switches.cityOfAirport);
  }
}

export { CARD_ERROR_CODES };
