// Public types of the Atlas simulator. Other engineers' tests import these names: change with care.

export type SimEndpoint = 'queryOrderDetails' | 'orderList' | 'pay' | 'regenerateOrder' | 'balance' | 'search';

export const SIM_ENDPOINTS: readonly SimEndpoint[] = ['queryOrderDetails', 'orderList', 'pay', 'regenerateOrder', 'balance', 'search'];

export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'http_error'; status: number }
  | { kind: 'malformed' }
  | { kind: 'rate_limit'; retryAfter: number; httpStatus: 200 | 429 }
  | { kind: 'commit_then_drop' }
  | { kind: 'reset_mid_response' }
  /** The request is applied on arrival, its answer held back `ms`: an old answer that arrives after a newer one. */
  | { kind: 'late_answer'; ms: number };

/** Wire order status: 0 unpaid, 1 ticketing, 2 ticketed, -3 cancelled. */
export type WireOrderStatus = 0 | 1 | 2 | -3;

/** What ticketing turns into once an order is paid: tickets, or a ticket error code such as "604". */
export type TicketingOutcome = 'ticketed' | `${number}`;

/** Behaviours where docs/atlas-api.md §10 leaves an open question, plus test levers. */
export interface SimSwitches {
  /**
   * docs/atlas-api.md §10.3, §10.20: where the sandbox "Reject"/"Three DS" decline shows up.
   * 'order' = pay.do 0, then -3 with errorCode; 'pay' = pay.do answers it, the order stays "0" with
   * paymentAttempted: true.
   */
  cardDeclineSurfacesOn: 'order' | 'pay';
  /** docs/atlas-api.md §10.1: the cancellation webhook's shape. */
  cancellationWebhookShape: 'order.cancelled' | 'order.ticketed';
  /** Simulated ms from an accepted pay.do to the ticketing outcome. */
  ticketingDelayMs: number;
  /**
   * docs/atlas-api.md §10.6: false = like Atlas, regenerateOrder.do also regenerates a
   * still-payable order.
   */
  regenerateRefusesPayable: boolean;
  /**
   * docs/atlas-api.md §10.10: null = an expired unpaid order stays "0"; a string = it turns -3 with
   * that errorCode ('' = -3 without a code).
   */
  expiredOrderErrorCode: string | null;
  /** Forced ticketing outcome per airline (IATA code), e.g. { VJ: '613' }. */
  ticketingOutcomeByAirline: Record<string, TicketingOutcome>;
  /** Forced ticketing outcome per order number; wins over the airline switch and the sandbox card triggers. */
  ticketingOutcomeByOrder: Record<string, TicketingOutcome>;
  /** Hold (minutes) given to orders made by regenerateOrder.do. */
  holdMinutes: number;
  /**
   * docs/atlas-api.md §10.16: fare change applied by regenerateOrder.do ("the current fare"): new
   * price = old × (1 + delta), for the fare and the vendor (card) amount alike; the fee is
   * unchanged. Default 0 (the fare did not move); above -1. An order's own `regenerateFareDelta`
   * wins.
   */
  regenerateFareDelta: number;
  /**
   * docs/atlas-api.md §10.17: ticketing outcome of orders made by regenerateOrder.do, e.g. '604':
   * the airline rejects the regenerated order again.
   */
  regeneratedTicketingOutcome: TicketingOutcome | null;
  /**
   * docs/atlas-api.md §3.6, §10.15: orderList lists and filters by CITY codes while
   * queryOrderDetails' segments carry AIRPORT codes. Airport → city, e.g. { DMK: 'BKK' }: list rows
   * show the city, and segments then carry airport codes only (no depCity/arrCity). Empty
   * (default): the two agree.
   */
  cityOfAirport: Record<string, string>;
  /**
   * docs/atlas-api.md §10.14: Atlas's own clock runs this many ms ahead of `control.now()` (the
   * clock tests give the desk): deadlines, the 24 h window, order numbers, ledger times and every
   * answer's HTTP `Date` header follow Atlas's clock. Negative = the desk's clock is fast. Default
   * 0.
   */
  atlasClockOffsetMs: number;
  /**
   * How long Atlas takes to answer each endpoint (ms), e.g. { regenerateOrder: 3000, pay: 2000 }:
   * the request is applied after the delay, like the `latency` fault, and the two add up. Answers
   * from faults that stand in for Atlas's handling (rate_limit, http_error, malformed, reset) come
   * at once. Empty (default): no delay.
   */
  latencyMs: Partial<Record<SimEndpoint, number>>;
}

export interface SimPassenger {
  /** LAST/FIRST */
  name: string;
  passengerType: 0 | 1 | 2;
  birthday: string;
  gender: 'M' | 'F';
  cardNum: string;
  nationality: string;
  ticketNos: string[];
  airlinePNRs: string[];
}

/** The simulator's internal view of an order (all instants are epoch ms of the simulated clock). */
export interface SimOrder {
  orderNo: string;
  pnrCode: string;
  /** Set on orders made by regenerateOrder.do. */
  originalOrderNo: string | null;
  airline: string;
  /** IATA code: the airport in queryOrderDetails' segments; orderList shows its city (switch `cityOfAirport`). */
  fromCity: string;
  toCity: string;
  /** yyyy-MM-dd */
  depDate: string;
  orderStatus: WireOrderStatus;
  ticketStatus: 0 | 1;
  createdAt: number;
  tktLimitTime: number;
  currency: string;
  totalPrice: number;
  totalTransactionFee: number;
  vendorCurrency: string | null;
  vendorTotalPrice: number | null;
  supportPaymentMethods: number[];
  paymentMethod: number | null;
  paymentAttempted: boolean | null;
  paymentTimestamp: number | null;
  /** Last 4 digits of the VCC used. */
  cardTail: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  airlineMessage: string | null;
  /** Set when the expiry sweep cancelled an unpaid order (switch expiredOrderErrorCode). */
  expired: boolean;
  /** Outcome to apply when ticketing resolves. */
  ticketingOutcome: TicketingOutcome;
  /** This order's re-pricing when it is regenerated (wins over the switch); null: the switch's. */
  regenerateFareDelta: number | null;
  /** When ticketing resolves (simulated ms); null when nothing is pending. */
  ticketingDueAt: number | null;
  passengers: SimPassenger[];
  contactEmail: string;
}

/** For tests: make an order in any state. Every field is optional. */
export interface OrderSpec {
  orderNo?: string;
  airline?: string;
  currency?: string;
  /** totalPrice in the settlement currency. */
  price?: number;
  fee?: number;
  vendorCurrency?: string | null;
  vendorPrice?: number | null;
  orderStatus?: WireOrderStatus;
  createdAt?: number;
  /** Epoch ms; wins over holdMinutes. */
  tktLimitTime?: number;
  /** Default 30. */
  holdMinutes?: number;
  supportPaymentMethods?: number[];
  paymentMethod?: number | null;
  paymentAttempted?: boolean | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  paymentTimestamp?: number | null;
  /** LAST/FIRST names. Default: one traveller of the order's own. */
  passengers?: string[];
  fromCity?: string;
  toCity?: string;
  depDate?: string;
  contactEmail?: string;
  originalOrderNo?: string | null;
  /** Outcome once paid (or, for an order created in status 1, when its ticketing resolves). Default 'ticketed'. */
  ticketingOutcome?: TicketingOutcome;
  /** Re-price this order's regeneration by this fraction (0.5 = +50 %, -0.2 = -20 %), whatever the switch says. */
  regenerateFareDelta?: number | null;
}

/** One pay.do or regenerateOrder.do that took effect (including commit_then_drop ones). */
export interface LedgerEntry {
  seq: number;
  at: number;
  kind: 'pay' | 'regenerate';
  orderNo: string;
  /** regenerate: the order it was made from. */
  originalOrderNo: string | null;
  /** pay: the method used. */
  paymentMethod: number | null;
  /** pay: amount debited from the deposit (settlement currency). */
  depositDebit: number;
  /** pay with a card: amount charged to the card (vendor currency). */
  cardCharge: number;
  currency: string;
  cardTail: string | null;
}

/** Every HTTP request received on an Atlas path, answered or not. Card numbers are masked. */
export interface RequestRecord {
  seq: number;
  at: number;
  endpoint: SimEndpoint | null;
  path: string;
  /** orderNo or originalOrderNo of the body, when there is one. */
  orderNo: string | null;
  body: unknown;
  fault: Fault['kind'] | null;
  /** HTTP status sent, or null when the socket was dropped / never answered. */
  httpStatus: number | null;
  /** Business `status` sent, when there was one. */
  status: number | null;
}

export interface WebhookDelivery {
  at: number;
  body: unknown;
  delivered: boolean;
  /** Skipped on purpose by dropRate. */
  dropped: boolean;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  scenario?: 'training' | 'empty';
  seed?: number;
  clientId?: string;
  clientSecret?: string;
  startTime?: number;
  ticketingDelayMs?: number;
  /** 'running' (default): the simulated clock follows real time plus advanceClock; 'manual': it moves only by advanceClock. */
  clock?: 'running' | 'manual';
  /** Token for the HTTP control routes (/__sim/*); a new random one per launch when absent. */
  controlToken?: string;
}

export interface SimulatorControl {
  now(): number;
  advanceClock(ms: number): void;
  setFault(endpoint: SimEndpoint | '*', fault: Fault | null, options?: { times?: number; orderNo?: string }): void;
  clearFaults(): void;
  setSwitches(patch: Partial<SimSwitches>): void;
  switches(): SimSwitches;
  createOrder(spec?: OrderSpec): SimOrder;
  /** The traveller re-books the same flight by hand (ATRIP's booking form): a new unpaid order of the same passengers, airline, route and date. */
  rebookByHand(orderNo: string, spec?: OrderSpec): SimOrder;
  order(orderNo: string): SimOrder | undefined;
  orders(): SimOrder[];
  setBalance(currency: string, amount: number): void;
  balance(currency: string): number;
  ledger(): LedgerEntry[];
  paymentsFor(orderNo: string): number;
  requests(endpoint?: SimEndpoint, orderNo?: string): RequestRecord[];
  setWebhook(url: string | null, options?: { dropRate?: number; duplicate?: boolean }): void;
  webhookDeliveries(): WebhookDelivery[];
  /** Resolves when every webhook POST started so far has finished (tests await this). */
  flushWebhooks(): Promise<void>;
}

export interface RunningSimulator {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Send it as `x-sim-control-token` on POST /__sim/<method>. */
  controlToken: string;
  control: SimulatorControl;
  stop(): Promise<void>;
}
