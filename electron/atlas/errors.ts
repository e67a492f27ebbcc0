// The ONE classification of Atlas failures (DESIGN.md §4.7). Every outcome that is not business
// success becomes an AtlasFailure built from fixed strings, codes and numbers only: nothing from
// the request, the transport error or the response text is copied in, so no secret or card data
// can ride along.
//
// The money rule (DESIGN.md §2.2): on a mutating call (pay, regenerateOrder) anything ambiguous is
// `unknown_outcome`. Only failures that provably happened before the request left this machine
// (DNS, refused connection, TLS) stay `network`.
import type { AtlasEndpoint, AtlasFailure } from '../../shared/atlas.ts';
import { describeStatus, isPayOutcomeUnknown, isRegenerateOutcomeUnknown } from '../../shared/status-codes.ts';
import { envelopeSchema } from './wire.ts';

export function isMutating(endpoint: AtlasEndpoint): boolean {
  return endpoint === 'pay' || endpoint === 'regenerateOrder';
}

// ---- Transport errors (no HTTP response) ----

/** Codes meaning no byte of the request reached the server. Node/undici and Chromium spellings. */
const BEFORE_SEND: readonly RegExp[] = [
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|ENETUNREACH|EHOSTUNREACH|ENETDOWN|EADDRNOTAVAIL)$/,
  /^(UND_ERR_CONNECT_TIMEOUT|ERR_INVALID_URL|ERR_TLS_CERT_ALTNAME_INVALID)$/,
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_)/,
  /^net::ERR_(NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|CONNECTION_REFUSED|INTERNET_DISCONNECTED|ADDRESS_UNREACHABLE|PROXY_CONNECTION_FAILED|CERT_|SSL_)/,
];
const TIMEOUT = /^(ECONNABORTED|ETIMEDOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|net::ERR_TIMED_OUT|TimeoutError)$/;

const MEANINGS: readonly [RegExp, string][] = [
  [/ECONNREFUSED|CONNECTION_REFUSED/, 'connection refused'],
  [/ENOTFOUND|EAI_|NAME_NOT_RESOLVED|NAME_RESOLUTION/, 'host not found'],
  [/INTERNET_DISCONNECTED|ENETDOWN|ENETUNREACH|EHOSTUNREACH|ADDRESS_UNREACHABLE/, 'network unreachable'],
  [/CERT|SSL|TLS/, 'TLS handshake failed'],
  [/INVALID_URL/, 'invalid base URL'],
  [/PROXY/, 'proxy connection failed'],
];

/**
 * Error codes (and Chromium `net::ERR_*` names, which Electron's net.fetch puts in the message) of
 * an error and its causes. Only matched against fixed patterns; never copied into a failure.
 */
function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e !== null && typeof e === 'object'; depth++) {
    const o = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof o.code === 'string') codes.push(o.code);
    if (o.name === 'TimeoutError') codes.push('TimeoutError');
    if (typeof o.message === 'string') codes.push(...(o.message.match(/net::ERR_[A-Z_]+/g) ?? []));
    e = o.cause;
  }
  return codes;
}

export function transportFailure(endpoint: AtlasEndpoint, err: unknown): AtlasFailure {
  const codes = errorCodes(err);
  const timedOut = codes.some((c) => TIMEOUT.test(c));
  const beforeSend = !timedOut && codes.some((c) => BEFORE_SEND.some((re) => re.test(c)));
  const known = MEANINGS.find(([re]) => codes.some((c) => re.test(c)))?.[1];
  if (beforeSend) return { kind: 'network', endpoint, meaning: known ?? 'request not sent' };
  if (isMutating(endpoint)) {
    return {
      kind: 'unknown_outcome',
      endpoint,
      meaning: timedOut ? 'no answer before the timeout' : 'connection lost after the request was sent',
    };
  }
  if (timedOut) return { kind: 'timeout', endpoint, meaning: 'no answer before the timeout' };
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

/** Retry-After: delta-seconds or an HTTP date → whole seconds from `now` (never negative). */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text));
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
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
  const bodyRetryAfter = envelope.success ? (envelope.data.retryAfter ?? undefined) : undefined;

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
  // The rate limiter's body has `code: 429` and no `status` (atlas-api.md §1.3).
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
