// Classification without a server: the inputs are the shapes the transport really produces.
import { describe, expect, it } from 'vitest';
import { classifyResponse, parseRetryAfter, transportFailure } from '../../electron/atlas/errors.ts';
import type { AtlasEndpoint } from '../../shared/atlas.ts';

const res = (text: string, httpStatus = 200, retryAfter: string | null = null) => ({ httpStatus, retryAfter, text });
const failureOf = (endpoint: AtlasEndpoint, r: ReturnType<typeof res>) => {
  const c = classifyResponse(endpoint, r, Date.parse('2026-01-01T00:00:00Z'));
  if (c.ok) throw new Error('expected a failure');
  return c.failure;
};

/** undici's shape: TypeError('fetch failed') wrapped by axios, with the socket error as cause. */
function fetchError(code: string): Error {
  const socket = Object.assign(new Error('socket'), { code });
  const typeError = new TypeError('fetch failed', { cause: socket });
  return Object.assign(new Error('Network Error'), { code: 'ERR_NETWORK', cause: typeError });
}

describe('transport error classification', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])('calls %s on pay "network": nothing was sent', (code) => {
    expect(transportFailure('pay', fetchError(code)).kind).toBe('network');
    expect(transportFailure('regenerateOrder', fetchError(code)).kind).toBe('network');
  });

  it.each(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'])('calls %s on pay an unknown outcome, on a read a network error', (code) => {
    expect(transportFailure('pay', fetchError(code)).kind).toBe('unknown_outcome');
    expect(transportFailure('regenerateOrder', fetchError(code)).kind).toBe('unknown_outcome');
    expect(transportFailure('queryOrderDetails', fetchError(code)).kind).toBe('network');
  });

  it('calls an axios timeout "timeout" on a read and an unknown outcome on pay', () => {
    const timeout = Object.assign(new Error('timeout of 10ms exceeded'), { code: 'ETIMEDOUT' });
    expect(transportFailure('balance', timeout).kind).toBe('timeout');
    expect(transportFailure('pay', timeout).kind).toBe('unknown_outcome');
  });

  it("reads Electron net.fetch's net::ERR_* names from the message", () => {
    expect(transportFailure('pay', new Error('net::ERR_NAME_NOT_RESOLVED')).kind).toBe('network');
    expect(transportFailure('pay', new Error('net::ERR_CONNECTION_RESET')).kind).toBe('unknown_outcome');
    expect(transportFailure('orderList', new Error('net::ERR_TIMED_OUT')).kind).toBe('timeout');
  });

  it('calls an unrecognisable error on pay an unknown outcome', () => {
    expect(transportFailure('pay', 'weird').kind).toBe('unknown_outcome');
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
});
