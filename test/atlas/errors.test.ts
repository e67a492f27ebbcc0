// Classification without a server: the inputs are the shapes the transport really produces.
import { describe, expect, it } from 'vitest';
import { classifyResponse, MAX_RETRY_AFTER_S, parseRetryAfter, transportFailure } from '../../electron/atlas/errors.ts';
import type { AtlasEndpoint } from '../../shared/atlas.ts';

const res = (text: string, httpStatus = 200, retryAfter: string | null = null) => ({ httpStatus, retryAfter, text });
const failureOf = (endpoint: AtlasEndpoint, r: ReturnType<typeof res>) => {
  const c = classifyResponse(endpoint, r, Date.parse('2026-01-01T00:00:00Z'));
  if (c.ok) throw new Error('expected a failure');
  return c.failure;
};

/** undici's shape: TypeError('fetch failed') wrapped by axios, with the socket error as cause. */
function fetchError(code: string, syscall?: string): Error {
  const socket = Object.assign(new Error('socket'), { code, ...(syscall ? { syscall } : {}) });
  const typeError = new TypeError('fetch failed', { cause: socket });
  return Object.assign(new Error('Network Error'), { code: 'ERR_NETWORK', cause: typeError });
}

/** Electron's net.fetch: the Chromium name is in the message. */
const chromium = (name: string) => new TypeError(`Failed to fetch (net::ERR_${name})`);

const MUTATING = ['pay', 'regenerateOrder'] as const;
const READS = ['queryOrderDetails', 'orderList', 'balance'] as const;
const kinds = (err: unknown) => ({
  mutating: MUTATING.map((e) => transportFailure(e, err).kind),
  reads: READS.map((e) => transportFailure(e, err).kind),
});
const NOT_SENT = { mutating: ['network', 'network'], reads: ['network', 'network', 'network'] };
const MAYBE_SENT = { mutating: ['unknown_outcome', 'unknown_outcome'], reads: ['network', 'network', 'network'] };

describe('transport error classification: "not sent" only with proof', () => {
  it.each([
    ['DNS failure', fetchError('ENOTFOUND', 'getaddrinfo')],
    ['DNS temporarily failing', fetchError('EAI_AGAIN', 'getaddrinfo')],
    ['connect refused', fetchError('ECONNREFUSED', 'connect')],
    ['connect: network unreachable (the e2e office network switch)', fetchError('ENETUNREACH', 'connect')],
    ['connect: host unreachable', fetchError('EHOSTUNREACH', 'connect')],
    ['connect timed out', fetchError('ETIMEDOUT', 'connect')],
    ['undici connect timeout (TCP + TLS handshake)', fetchError('UND_ERR_CONNECT_TIMEOUT')],
    ['TLS handshake: self-signed certificate', fetchError('DEPTH_ZERO_SELF_SIGNED_CERT')],
    ['TLS handshake: expired certificate', fetchError('CERT_HAS_EXPIRED')],
    ['TLS handshake: unknown issuer', fetchError('UNABLE_TO_VERIFY_LEAF_SIGNATURE')],
    ['TLS handshake: wrong host name', fetchError('ERR_TLS_CERT_ALTNAME_INVALID')],
    ['Chromium: name not resolved', chromium('NAME_NOT_RESOLVED')],
    ['Chromium: connection refused', chromium('CONNECTION_REFUSED')],
    ['Chromium: proxy unreachable', chromium('PROXY_CONNECTION_FAILED')],
    ['Chromium: certificate authority invalid', chromium('CERT_AUTHORITY_INVALID')],
    [
      'every address of the host refused (AggregateError)',
      new TypeError('fetch failed', {
        cause: Object.assign(new AggregateError([fetchError('ECONNREFUSED', 'connect'), fetchError('ENETUNREACH', 'connect')]), { code: 'ECONNREFUSED' }),
      }),
    ],
  ])('%s: nothing left this machine, so "network" everywhere', (_label, err) => {
    expect(kinds(err)).toEqual(NOT_SENT);
  });

  it.each([
    ['reset after connect', fetchError('ECONNRESET', 'read')],
    ['host unreachable while writing the request', fetchError('EHOSTUNREACH', 'write')],
    ['network unreachable, no evidence when', fetchError('ENETUNREACH')],
    ['refused, no evidence when', fetchError('ECONNREFUSED')],
    ['DNS code without its syscall', fetchError('ENOTFOUND')],
    ['socket closed by the server (undici)', fetchError('UND_ERR_SOCKET')],
    ['broken pipe', fetchError('EPIPE', 'write')],
    ['TLS error that can come mid-stream', fetchError('ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC')],
    ['TLS protocol error, no evidence when', fetchError('ERR_SSL_WRONG_VERSION_NUMBER')],
    ['Chromium: connection reset', chromium('CONNECTION_RESET')],
    ['Chromium: address unreachable (mapped from any socket operation)', chromium('ADDRESS_UNREACHABLE')],
    ['Chromium: internet disconnected (mapped from ENETDOWN on any socket operation)', chromium('INTERNET_DISCONNECTED')],
    ['Chromium: SSL protocol error', chromium('SSL_PROTOCOL_ERROR')],
    ['Chromium: certificate error in a renegotiation', chromium('CERT_ERROR_IN_SSL_RENEGOTIATION')],
    ['Chromium: connection timed out', chromium('CONNECTION_TIMED_OUT')],
    [
      'one address refused, another reset after connecting (AggregateError)',
      new TypeError('fetch failed', { cause: new AggregateError([fetchError('ECONNREFUSED', 'connect'), fetchError('ECONNRESET', 'read')]) }),
    ],
    ['something unrecognisable', 'weird'],
  ])('%s: may have been sent, so unknown_outcome on pay and regenerate, network on reads', (_label, err) => {
    expect(kinds(err)).toEqual(MAYBE_SENT);
  });

  it('calls a timeout "timeout" on a read and an unknown outcome on pay and regenerate', () => {
    for (const timeout of [Object.assign(new Error('timeout of 10ms exceeded'), { code: 'ETIMEDOUT' }), chromium('TIMED_OUT'), fetchError('UND_ERR_HEADERS_TIMEOUT')]) {
      expect(kinds(timeout)).toEqual({ mutating: ['unknown_outcome', 'unknown_outcome'], reads: ['timeout', 'timeout', 'timeout'] });
    }
  });

  it('says what failed from fixed words only', () => {
    expect(transportFailure('pay', fetchError('ECONNREFUSED', 'connect'))).toEqual({ kind: 'network', endpoint: 'pay', meaning: 'connection refused' });
    expect(transportFailure('pay', fetchError('ECONNRESET', 'read'))).toEqual({
      kind: 'unknown_outcome',
      endpoint: 'pay',
      meaning: 'connection failed; the request may have been sent',
    });
  });
});

describe('response classification', () => {
  it('passes a status-0 body through, also when status is the string "0"', () => {
    expect(classifyResponse('pay', res('{"status":"0"}'))).toEqual({ ok: true, body: { status: '0' } });
  });

  it('maps status 900 and HTTP 401 to unauthorized on every endpoint', () => {
    expect(failureOf('pay', res('{"status":900}'))).toMatchObject({ kind: 'unauthorized', code: 900 });
    expect(failureOf('orderList', res('', 401))).toMatchObject({ kind: 'unauthorized', httpStatus: 401 });
  });

  it('reads the 429 body without status, taking retryAfter from the body', () => {
    const body = JSON.stringify({ code: 429, message: 'slow down', limitType: 'SEARCH_QPS', limit: 10, retryAfter: 3 });
    expect(failureOf('queryOrderDetails', res(body))).toMatchObject({ kind: 'rate_limited', code: 429, retryAfter: 3 });
  });

  it('reads HTTP 429 with a Retry-After date', () => {
    expect(failureOf('balance', res('', 429, 'Thu, 01 Jan 2026 00:00:30 GMT'))).toMatchObject({ kind: 'rate_limited', retryAfter: 30, httpStatus: 429 });
  });

  it('maps 5xx to server on reads and unknown_outcome on mutating calls', () => {
    expect(failureOf('queryOrderDetails', res('oops', 503))).toMatchObject({ kind: 'server', httpStatus: 503 });
    expect(failureOf('pay', res('oops', 502))).toMatchObject({ kind: 'unknown_outcome', httpStatus: 502 });
    expect(failureOf('regenerateOrder', res('', 500))).toMatchObject({ kind: 'unknown_outcome', httpStatus: 500 });
  });

  it('maps a malformed body to invalid_response on reads and unknown_outcome on mutating calls', () => {
    for (const text of ['<html>', '', '[]', 'null', '{"msg":"no status"}', '{"status":"zero"}']) {
      expect(failureOf('orderList', res(text)).kind, text).toBe('invalid_response');
      expect(failureOf('pay', res(text)).kind, text).toBe('unknown_outcome');
    }
  });

  it('refuses a redirect as unreadable rather than following it', () => {
    expect(failureOf('pay', res('', 302))).toMatchObject({ kind: 'unknown_outcome', httpStatus: 302 });
    expect(failureOf('balance', res('', 404))).toMatchObject({ kind: 'invalid_response', httpStatus: 404 });
  });

  it.each([406, 411, 615, 9999, 777])('classifies pay.do status %i as unknown_outcome', (status) => {
    expect(failureOf('pay', res(JSON.stringify({ status, msg: 'x' })))).toMatchObject({ kind: 'unknown_outcome', code: status });
  });

  it.each([401, 402, 404, 403])('classifies pay.do status %i as a business failure with its meaning', (status) => {
    const f = failureOf('pay', res(JSON.stringify({ status })));
    expect(f).toMatchObject({ kind: 'business', endpoint: 'pay', code: status });
    expect(f.meaning).toBeTruthy();
  });

  it('classifies regenerate 330 as unknown_outcome and 318 as business with the duplicate orders', () => {
    expect(failureOf('regenerateOrder', res('{"status":330}'))).toMatchObject({ kind: 'unknown_outcome', code: 330 });
    expect(failureOf('regenerateOrder', res('{"status":318,"duplicateOrders":["A1","B2"]}'))).toEqual({
      kind: 'business',
      endpoint: 'regenerateOrder',
      code: 318,
      meaning: 'possible duplicate booking',
      duplicateOrders: ['A1', 'B2'],
    });
  });

  it('classifies query 800 as business "order does not exist"', () => {
    expect(failureOf('queryOrderDetails', res('{"status":800,"msg":"nope"}'))).toEqual({
      kind: 'business',
      endpoint: 'queryOrderDetails',
      code: 800,
      meaning: 'order does not exist',
    });
  });

  it('never copies the server msg into the failure', () => {
    const f = failureOf('pay', res(JSON.stringify({ status: 400, msg: 'card 4532015112830366 bad' })));
    expect(JSON.stringify(f)).not.toContain('4532015112830366');
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and ignores junk', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('bounds the wait a 429 asks for: a negative one is none, a huge one is the longest wait, a junk one spoils nothing', () => {
    const limiter = (retryAfter: unknown) => res(JSON.stringify({ code: 429, message: 'slow down', retryAfter }));
    expect(failureOf('pay', limiter(-5))).toEqual({ kind: 'rate_limited', endpoint: 'pay', code: 429, meaning: 'request limit reached' });
    // About 32 years: beyond any timer, which would fire at once.
    expect(failureOf('pay', limiter(1e9))).toMatchObject({ kind: 'rate_limited', retryAfter: MAX_RETRY_AFTER_S });
    expect(failureOf('regenerateOrder', limiter('soon'))).toEqual({ kind: 'rate_limited', endpoint: 'regenerateOrder', code: 429, meaning: 'request limit reached' });
    expect(failureOf('balance', limiter('7'))).toMatchObject({ kind: 'rate_limited', retryAfter: 7 });
    expect(failureOf('balance', res('', 429, String(1e12)))).toMatchObject({ kind: 'rate_limited', retryAfter: MAX_RETRY_AFTER_S });
    expect(failureOf('balance', res('', 429, 'Fri, 01 Jan 2100 00:00:00 GMT'))).toMatchObject({ kind: 'rate_limited', retryAfter: MAX_RETRY_AFTER_S });
  });
});
