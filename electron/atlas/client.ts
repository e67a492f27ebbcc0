// The Atlas client: the only code in the app that talks to Atlas. Each method is
// transport → classify → normalise → one log line; every failure leaves as an AtlasError built
// by ./errors.ts. No retries here: re-sending a mutating call is the caller's decision, made
// only after a query (docs/money-safety.md rule 1).
import type { AtlasEndpoint, AtlasFailure, Balance, OrderDetails, OrderListQuery, PayRequest, RegeneratedOrder } from '../../shared/atlas.ts';
import { AtlasError, type AtlasApi, type AtlasConnection, type CallOptions } from './api.ts';
import { classifyResponse, transportFailure, unreadableBody } from './errors.ts';
import { atlasUrl, createTransport } from './transport.ts';
import {
  normaliseBalance,
  normaliseOrderDetails,
  normaliseOrderList,
  normalisePayAccepted,
  normaliseRegenerated,
  orderListBody,
  payBody,
  type Normalised,
} from './wire.ts';

export interface AtlasClientOptions {
  /** A function is read on every call, so new credentials apply without rebuilding the client. */
  connection: AtlasConnection | (() => AtlasConnection);
  /** Transport seam: Electron passes net.fetch; defaults to Node's fetch. */
  fetch?: typeof fetch;
  /**
   * Last check before a request carries the client secret (and, for pay.do, the card): false for a
   * URL that is not an allowed host (docs/money-safety.md rule 14). The request is then not sent
   * and the call fails `unauthorized` (refused before acting). The app and the CLI always pass it.
   */
  mayReceiveCredentials?: (url: string) => boolean;
  timeouts?: {
    /** queryOrderDetails, orderList, balance. Default 15000. */
    readMs?: number;
    /** pay.do. Default 60000 (docs/atlas-api.md §1.5: be generous, a timeout means "unknown"). */
    payMs?: number;
    /** regenerateOrder.do. Default 60000. */
    regenerateMs?: number;
  };
  /** One line per call: endpoint, orderNo, outcome, duration. Never bodies or headers. */
  log?: (line: string) => void;
}

/** Scheme and host only: a refused URL is worth naming in the log, its path and query are not. */
function hostForLog(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(unparseable url)';
  }
}

export function createAtlasClient(options: AtlasClientOptions): AtlasApi {
  const transport = createTransport(options.fetch);
  const readMs = options.timeouts?.readMs ?? 15_000;
  const timeoutOf: Record<AtlasEndpoint, number> = {
    queryOrderDetails: readMs,
    orderList: readMs,
    balance: readMs,
    pay: options.timeouts?.payMs ?? 60_000,
    regenerateOrder: options.timeouts?.regenerateMs ?? 60_000,
  };
  const connection = (): AtlasConnection =>
    typeof options.connection === 'function' ? options.connection() : options.connection;

  /**
   * One call. `normalise` turns a status-0 body into the result; its mismatch is classified like
   * any unreadable body (invalid_response on reads, unknown_outcome on mutating calls).
   */
  async function call<T>(
    endpoint: AtlasEndpoint,
    body: unknown,
    subject: string,
    normalise: (body: Record<string, unknown>) => Normalised<T>,
    callOptions: CallOptions | undefined,
  ): Promise<T> {
    const started = performance.now();
    const finish = (outcome: string) =>
      options.log?.(`atlas ${endpoint}${subject} -> ${outcome} ${Math.round(performance.now() - started)}ms`);
    const fail = (failure: AtlasFailure): never => {
      const detail = [failure.code, failure.httpStatus !== undefined ? `http=${failure.httpStatus}` : undefined]
        .filter((x) => x !== undefined)
        .join(' ');
      finish(detail ? `${failure.kind} ${detail}` : failure.kind);
      throw new AtlasError(failure);
    };

    const conn = connection();
    const url = atlasUrl(conn, endpoint);
    if (options.mayReceiveCredentials && !options.mayReceiveCredentials(url)) {
      options.log?.(`atlas ${endpoint}${subject}: not sent, ${hostForLog(url)} may not receive the credentials`);
      return fail({ kind: 'unauthorized', endpoint, meaning: 'not sent: host not allowed to receive credentials' });
    }
    const sent = await transport.post(url, conn, body, timeoutOf[endpoint]);
    if (!sent.ok) return fail(transportFailure(endpoint, sent.error));
    callOptions?.onAnswer?.({ serverDate: httpDate(sent.response.date) });
    const classified = classifyResponse(endpoint, sent.response);
    if (!classified.ok) return fail(classified.failure);
    const result = normalise(classified.body);
    if (!result.ok) return fail(unreadableBody(endpoint, `response field does not fit: ${result.where}`));
    finish('ok');
    return result.value;
  }

  return {
    queryOrder: (orderNo, options) =>
      call('queryOrderDetails', { orderNo }, ` orderNo=${orderNo}`, (b) => aboutOrder(normaliseOrderDetails(b), orderNo), options),

    listOrders: (query: OrderListQuery, options) =>
      call('orderList', orderListBody(query), ` page=${query.page ?? 1}`, (b) => normaliseOrderList(b, query), options),

    pay: (request: PayRequest, options) =>
      call(
        'pay',
        payBody(request),
        ` orderNo=${request.orderNo} method=${request.paymentMethod}`,
        (b) => ({ ok: true, value: normalisePayAccepted(b, request) }),
        options,
      ),

    regenerate: (originalOrderNo, options) =>
      call('regenerateOrder', { originalOrderNo }, ` originalOrderNo=${originalOrderNo}`, (b) => newOrderOf(normaliseRegenerated(b, originalOrderNo), originalOrderNo), options),

    balance: (currency, options): Promise<Balance> => call('balance', { currency }, ` currency=${currency}`, normaliseBalance, options),
  };
}

/**
 * A query answer about another order than the one asked (a cache or a proxy mixing answers up) is
 * no fact about ours: acting on it would pay an order nobody asked to recover.
 */
function aboutOrder(details: Normalised<OrderDetails>, orderNo: string): Normalised<OrderDetails> {
  return details.ok && details.value.orderNo.trim() !== orderNo.trim() ? { ok: false, where: 'orderNo' } : details;
}

/**
 * A regenerate answer names the new order. One that names the original itself, or another
 * original than the one asked, names no new order; whether Atlas made one is then unknown
 * (docs/money-safety.md rule 2), and the desk looks for it as after a lost answer.
 */
function newOrderOf(made: Normalised<RegeneratedOrder>, originalOrderNo: string): Normalised<RegeneratedOrder> {
  if (!made.ok) return made;
  if (made.value.orderNo === originalOrderNo.trim()) return { ok: false, where: 'orderNo' };
  return made.value.originalOrderNo.trim() === originalOrderNo.trim() ? made : { ok: false, where: 'originalOrderNo' };
}

/** An HTTP `Date` header (IMF-fixdate) as epoch ms; null when absent or unreadable. */
function httpDate(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
