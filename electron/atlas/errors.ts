// The ONE classification of Atlas failures (docs/conventions.md "Errors are classified once").
// Every outcome that is not business success becomes an AtlasFailure built from fixed strings,
// codes and numbers only: nothing from the request, the transport error or the response text is
// copied in, so no secret or card data can ride along.
//
// The money rule (docs/money-safety.md rule 2): on a mutating call (pay, regenerateOrder) anything
// ambiguous is `unknown_outcome`. Only a failure that provably happened before any byte of the
// request left this machine stays `network` ("not sent, safe to retry"); see notSentEvidence.
import type { AtlasEndpoint, AtlasFailure } from '../../shared/atlas.ts';
import { describeStatus, isPayOutcomeUnknown, isRegenerateOutcomeUnknown } from '../../shared/status-codes.ts';
import { envelopeSchema } from './wire.ts';

export function isMutating(endpoint: AtlasEndpoint): boolean {
  return endpoint === 'pay' || endpoint === 'regenerateOrder';
}

// ---- Transport errors (no HTTP response) ----

/** Node system calls that fail before a socket is open: name resolution, and connect itself. */
const BEFORE_SEND_SYSCALL = /^(getaddrinfo|query[A-Za-z]*|connect)$/;
/**
 * Codes that exist only before the request is written: OpenSSL's certificate verification (run
 * once, in the handshake, which must finish before undici writes the request), Node's host name
 * check of that certificate, undici's connect timeout (TCP + TLS handshake), and a URL that never
 * became a request.
 */
const BEFORE_SEND_CODE =
  /^(CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH|UND_ERR_CONNECT_TIMEOUT|ERR_INVALID_URL)$/;
/**
 * Chromium (Electron's net.fetch) names raised only while resolving or connecting, or by the
 * first handshake's certificate check (the -2xx range). Left out on purpose, as Chromium maps them
 * from any socket operation, also after the request was written: ADDRESS_UNREACHABLE,
 * INTERNET_DISCONNECTED (ENETDOWN / WSAENETDOWN), CONNECTION_TIMED_OUT, every ERR_SSL_*, and
 * CERT_ERROR_IN_SSL_RENEGOTIATION (a certificate error after the handshake).
 */
const CHROMIUM_BEFORE_SEND = /^net::ERR_(NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|CONNECTION_REFUSED|PROXY_CONNECTION_FAILED|CERT_(?!ERROR_IN_SSL_RENEGOTIATION)[A-Z_]+)$/;
const TIMEOUT = /^(ECONNABORTED|ETIMEDOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|net::ERR_TIMED_OUT|TimeoutError)$/;

const MEANINGS: readonly [RegExp, string][] = [
  [/ECONNREFUSED|CONNECTION_REFUSED/, 'connection refused'],
  [/ENOTFOUND|EAI_|NAME_NOT_RESOLVED|NAME_RESOLUTION/, 'host not found'],
  [/INTERNET_DISCONNECTED|ENETDOWN|ENETUNREACH|EHOSTUNREACH|ADDRESS_UNREACHABLE/, 'network unreachable'],
  [/CERT|SSL|TLS/, 'TLS handshake failed'],
  [/INVALID_URL/, 'invalid base URL'],
  [/PROXY/, 'proxy connection failed'],
];

interface ErrorFacts {
  code?: unknown;
  syscall?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** Chromium `net::ERR_*` names, which Electron's net.fetch puts in the message. */
const chromiumNames = (o: ErrorFacts): string[] => (typeof o.message === 'string' ? (o.message.match(/net::ERR_[A-Z_]+/g) ?? []) : []);

/**
 * Error codes (and Chromium names) of an error, its causes and, for an AggregateError (Node tries
 * each address of a host), every attempt. Only matched against fixed patterns; never copied out.
 */
function errorCodes(err: unknown, depth = 0): string[] {
  if (depth > 6 || err === null || typeof err !== 'object') return [];
  const o = err as ErrorFacts;
  const own = [...(typeof o.code === 'string' ? [o.code] : []), ...(o.name === 'TimeoutError' ? ['TimeoutError'] : []), ...chromiumNames(o)];
  const attempts = Array.isArray(o.errors) ? o.errors.slice(0, 16).flatMap((e) => errorCodes(e, depth + 1)) : [];
  return [...own, ...attempts, ...errorCodes(o.cause, depth + 1)];
}

/**
 * True only when the error itself proves the request never left: a Node system error from DNS or
 * connect (it carries `syscall`; the same code from a read or write does not count), or a code /
 * Chromium name that exists only before the request is written. An AggregateError counts only if
 * every attempt does. When in doubt, false.
 */
function notSentEvidence(err: unknown, depth = 0): boolean {
  if (depth > 6 || err === null || typeof err !== 'object') return false;
  const o = err as ErrorFacts;
  if (typeof o.syscall === 'string' && BEFORE_SEND_SYSCALL.test(o.syscall)) return true;
  if (typeof o.code === 'string' && BEFORE_SEND_CODE.test(o.code)) return true;
  if (chromiumNames(o).some((name) => CHROMIUM_BEFORE_SEND.test(name))) return true;
  if (Array.isArray(o.errors) && o.errors.length > 0) return o.errors.every((e) => notSentEvidence(e, depth + 1));
  return notSentEvidence(o.cause, depth + 1);
}

/** The meaning of a call that got no answer in time, whatever its kind. */
const NO_ANSWER_IN_TIME = 'no answer before the timeout';

/**
 * Signs that Atlas, or the way to it, is overloaded: a 429 (rate limiter), a 5xx, or no answer in
 * time — also when a mutating call's timeout or 5xx had to be classed `unknown_outcome`. The desk
 * slows down on these (electron/core/adaptive-limit.ts); a refused connection is not one of them.
 */
export function signalsOverload(failure: AtlasFailure): boolean {
  return (
    failure.kind === 'rate_limited' ||
    failure.kind === 'server' ||
    failure.kind === 'timeout' ||
    (failure.httpStatus !== undefined && failure.httpStatus >= 500) ||
    failure.meaning === NO_ANSWER_IN_TIME
  );
}

export function transportFailure(endpoint: AtlasEndpoint, err: unknown): AtlasFailure {
  const codes = errorCodes(err);
  const known = MEANINGS.find(([re]) => codes.some((c) => re.test(c)))?.[1];
  if (notSentEvidence(err)) return { kind: 'network', endpoint, meaning: known ?? 'request not sent' };
  const timedOut = codes.some((c) => TIMEOUT.test(c));
  if (isMutating(endpoint)) {
    return {
      kind: 'unknown_outcome',
      endpoint,
      meaning: timedOut ? NO_ANSWER_IN_TIME : 'connection failed; the request may have been sent',
    };
  }
  if (timedOut) return { kind: 'timeout', endpoint, meaning: NO_ANSWER_IN_TIME };
  return { kind: 'network', endpoint, meaning: known ?? 'connection lost' };
}

// ---- HTTP responses ----

export interface RawResponse {
  httpStatus: number;
  /** Value of the Retry-After header, if any. */
  retryAfter: string | null;
  /** Value of the Date header: Atlas's clock when it answered (second resolution). */
  date?: string | null;
  text: string;
}

export type Classified = { ok: true; body: Record<string, unknown> } | { ok: false; failure: AtlasFailure };

/**
 * The longest wait a 429 may ask for, in seconds. Atlas's limits count per second and per minute
 * (docs/atlas-api.md §1.4); a longer `retryAfter` is not one of them, and one beyond a timer's
 * range (about 24.8 days) would fire at once.
 */
export const MAX_RETRY_AFTER_S = 300;

/** A wait in seconds as a 429 may give it: negative or not finite → none; longer → the bound. */
function boundedWait(seconds: number | null | undefined): number | undefined {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(MAX_RETRY_AFTER_S, Math.ceil(seconds));
}

/** Retry-After: delta-seconds or an HTTP date → whole seconds from `now` (never negative, at most MAX_RETRY_AFTER_S). */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return boundedWait(Number(text));
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : boundedWait(Math.max(0, (at - now) / 1000));
}

/** A body we cannot read: harmless on a read, a possibly-completed action on a mutating call. */
export function unreadableBody(endpoint: AtlasEndpoint, meaning: string, httpStatus?: number): AtlasFailure {
  const kind = isMutating(endpoint) ? 'unknown_outcome' : 'invalid_response';
  return httpStatus === undefined ? { kind, endpoint, meaning } : { kind, endpoint, meaning, httpStatus };
}

function rateLimited(endpoint: AtlasEndpoint, retryAfter: number | undefined, httpStatus?: number): AtlasFailure {
  const failure: AtlasFailure = { kind: 'rate_limited', endpoint, code: 429, meaning: 'request limit reached' };
  if (retryAfter !== undefined) failure.retryAfter = retryAfter;
  if (httpStatus !== undefined) failure.httpStatus = httpStatus;
  return failure;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** HTTP response → the success body (status 0) or the classified failure. */
export function classifyResponse(endpoint: AtlasEndpoint, res: RawResponse, now: number = Date.now()): Classified {
  const fail = (failure: AtlasFailure): Classified => ({ ok: false, failure });
  const json = parseJson(res.text);
  const envelope = envelopeSchema.safeParse(json);
  const bodyRetryAfter = envelope.success ? boundedWait(envelope.data.retryAfter) : undefined;

  // A mutating call refused by its HTTP status (401, 429) whose body says Atlas accepted it: the two
  // disagree, so the call may have taken effect (docs/money-safety.md rule 2), never "refused".
  if ((res.httpStatus === 401 || res.httpStatus === 429) && isMutating(endpoint) && envelope.success && envelope.data.status === 0) {
    return fail({ kind: 'unknown_outcome', endpoint, httpStatus: res.httpStatus, meaning: 'HTTP status and body disagree' });
  }
  if (res.httpStatus === 401) return fail({ kind: 'unauthorized', endpoint, httpStatus: 401, meaning: 'credentials rejected' });
  if (res.httpStatus === 429) {
    return fail(rateLimited(endpoint, bodyRetryAfter ?? parseRetryAfter(res.retryAfter, now), 429));
  }
  if (res.httpStatus >= 500) {
    return fail(
      isMutating(endpoint)
        ? { kind: 'unknown_outcome', endpoint, httpStatus: res.httpStatus, meaning: 'server error after the request was sent' }
        : { kind: 'server', endpoint, httpStatus: res.httpStatus, meaning: 'server error' },
    );
  }
  // Atlas answers everything with 200; any other status (a proxy, a redirect we refuse to follow
  // because it would turn the POST into a GET) says nothing reliable about what happened.
  if (res.httpStatus < 200 || res.httpStatus >= 300) {
    return fail(unreadableBody(endpoint, 'unexpected HTTP status', res.httpStatus));
  }

  if (json === undefined || json === null || typeof json !== 'object' || Array.isArray(json) || !envelope.success) {
    return fail(unreadableBody(endpoint, 'response body is not an Atlas JSON object'));
  }
  const { status, code } = envelope.data;
  // The rate limiter's body has `code: 429` and no `status` (docs/atlas-api.md §1.3).
  if (status === undefined && code === 429) return fail(rateLimited(endpoint, bodyRetryAfter ?? parseRetryAfter(res.retryAfter, now)));
  if (status === undefined) return fail(unreadableBody(endpoint, 'response has no status'));
  if (status === 0) return { ok: true, body: json as Record<string, unknown> };
  return fail(businessFailure(endpoint, status, envelope.data.duplicateOrders));
}

/** A non-zero `status`. */
export function businessFailure(endpoint: AtlasEndpoint, code: number, duplicateOrders?: string[]): AtlasFailure {
  const meaning = describeStatus(endpoint, code) ?? 'undocumented status code';
  if (code === 900) return { kind: 'unauthorized', endpoint, code, meaning };
  const unknown =
    (endpoint === 'pay' && isPayOutcomeUnknown(code)) || (endpoint === 'regenerateOrder' && isRegenerateOutcomeUnknown(code));
  const failure: AtlasFailure = { kind: unknown ? 'unknown_outcome' : 'business', endpoint, code, meaning };
  if (duplicateOrders && duplicateOrders.length > 0) failure.duplicateOrders = duplicateOrders;
  return failure;
}
