// The contract between the desk core and Atlas. The axios client in ./client.ts implements it; the
// core receives it by injection, so tests can run the core against the real simulator over HTTP.
import {
  ATLAS_ERROR_KINDS,
  type AtlasFailure,
  type Balance,
  type OrderDetails,
  type OrderListPage,
  type OrderListQuery,
  type PayAccepted,
  type PayRequest,
  type RegeneratedOrder,
} from '../../shared/atlas.ts';

/**
 * AtlasError's brand, in the global symbol registry: an error thrown by a second copy of this
 * module (a bundle beside the source, a test worker) carries the same symbol, so it is recognised
 * where `instanceof` would miss it and the failure would pass for an unexpected error.
 */
const ATLAS_ERROR = Symbol.for('atlas-retry-desk.AtlasError');

/** Thrown by every AtlasApi method on anything but business success. Carries no secrets. */
export class AtlasError extends Error {
  readonly [ATLAS_ERROR] = true;
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

const KINDS: ReadonlySet<unknown> = new Set(ATLAS_ERROR_KINDS);

/**
 * The classified failure an AtlasError carries, or null for anything else. The one way callers
 * read Atlas failures: by the brand and the failure's shape, never `instanceof`.
 */
export function failureOf(error: unknown): AtlasFailure | null {
  if (typeof error !== 'object' || error === null || (error as { [ATLAS_ERROR]?: unknown })[ATLAS_ERROR] !== true) return null;
  const failure = (error as { failure?: unknown }).failure;
  if (typeof failure !== 'object' || failure === null) return null;
  const { kind, endpoint } = failure as { kind?: unknown; endpoint?: unknown };
  return KINDS.has(kind) && typeof endpoint === 'string' ? (failure as AtlasFailure) : null;
}

/** Atlas could not be reached (or did not answer a read in time): nothing to do but wait. */
export function isOffline(error: unknown): boolean {
  const kind = failureOf(error)?.kind;
  return kind === 'network' || kind === 'timeout';
}

/** queryOrderDetails.do said the order does not exist (status 800). */
export function isOrderNotFound(error: unknown): boolean {
  const failure = failureOf(error);
  return failure?.kind === 'business' && failure.code === 800;
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
