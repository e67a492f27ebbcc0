// The contract between the desk core and Atlas. The axios client in ./client.ts implements it; the
// core receives it by injection, so tests can run the core against the real simulator over HTTP.
import type {
  AtlasFailure,
  Balance,
  OrderDetails,
  OrderListPage,
  OrderListQuery,
  PayAccepted,
  PayRequest,
  RegeneratedOrder,
} from '../../shared/atlas.ts';

/** Thrown by every AtlasApi method on anything but business success. Carries no secrets. */
export class AtlasError extends Error {
  readonly failure: AtlasFailure;
  constructor(failure: AtlasFailure) {
    super(
      `Atlas ${failure.endpoint}: ${failure.kind}` +
        (failure.code !== undefined ? ` ${failure.code}` : '') +
        (failure.meaning ? ` (${failure.meaning})` : ''),
    );
    this.name = 'AtlasError';
    this.failure = failure;
  }
  toJSON(): AtlasFailure {
    return this.failure;
  }
}

/** Atlas could not be reached (or did not answer a read in time): nothing to do but wait. */
export function isOffline(error: unknown): boolean {
  return error instanceof AtlasError && (error.failure.kind === 'network' || error.failure.kind === 'timeout');
}

/** queryOrderDetails.do said the order does not exist (status 800). */
export function isOrderNotFound(error: unknown): boolean {
  return error instanceof AtlasError && error.failure.kind === 'business' && error.failure.code === 800;
}

/** What an answer says beyond its body. */
export interface AnswerMeta {
  /** Atlas's clock when it answered (epoch ms from the HTTP `Date` header, whole seconds), or null. */
  serverDate: number | null;
}

/** Per call: `onAnswer` hears of every HTTP answer (success or failure) before the call settles. */
export interface CallOptions {
  onAnswer?: (meta: AnswerMeta) => void;
}

export interface AtlasApi {
  /** queryOrderDetails.do. Throws AtlasError business 800 when the order does not exist. */
  queryOrder(orderNo: string, options?: CallOptions): Promise<OrderDetails>;
  /** orderList.do, one page. */
  listOrders(query: OrderListQuery, options?: CallOptions): Promise<OrderListPage>;
  /**
   * pay.do. Resolves only on status 0 (accepted, not yet ticketed). Any ambiguous result throws
   * kind `unknown_outcome`: the caller must resolve it by query, never by re-sending.
   */
  pay(request: PayRequest, options?: CallOptions): Promise<PayAccepted>;
  /** regenerateOrder.do. Ambiguous results (timeout, reset, 5xx, 330…) throw `unknown_outcome`. */
  regenerate(originalOrderNo: string, options?: CallOptions): Promise<RegeneratedOrder>;
  /**
   * balance.do for one settlement currency. `currency` is what Atlas answered, null when it named
   * none: callers compare it with the one they asked for (docs/atlas-api.md §3.8).
   */
  balance(currency: string, options?: CallOptions): Promise<Balance>;
}

export interface AtlasConnection {
  /** Base URL for every transaction API (everything the desk calls). */
  baseUrl: string;
  /** Base URL for search.do; kept configurable although the desk never searches. */
  searchBaseUrl?: string;
  clientId: string;
  clientSecret: string;
}
