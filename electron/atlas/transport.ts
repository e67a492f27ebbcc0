// The HTTP leg: one JSON POST through axios' fetch adapter and an injected fetch (Electron passes
// net.fetch so requests follow the system proxy and certificate store; tests use Node's fetch).
// It never throws: axios errors carry the request config (headers with the client secret, the
// body with the card), so they are reduced here to a bare `error` the classifier only inspects.
import axios, { type AxiosInstance } from 'axios';
import type { AtlasConnection } from './api.ts';
import type { RawResponse } from './errors.ts';

export type TransportResult = { ok: true; response: RawResponse } | { ok: false; error: unknown };

export interface Transport {
  post(url: string, connection: AtlasConnection, body: unknown, timeoutMs: number): Promise<TransportResult>;
}

/** Operations served by the separate production search host (docs/atlas-api.md §1.1). */
const SEARCH_OPERATIONS: ReadonlySet<string> = new Set(['search']);

/** `<base>/<operation>.do`, tolerant of a trailing slash on the configured base. */
export function atlasUrl(connection: AtlasConnection, operation: string): string {
  const base = SEARCH_OPERATIONS.has(operation) ? (connection.searchBaseUrl ?? connection.baseUrl) : connection.baseUrl;
  return `${base.replace(/\/+$/, '')}/${operation}.do`;
}

export function createTransport(fetchImpl: typeof fetch = globalThis.fetch): Transport {
  const http: AxiosInstance = axios.create({
    adapter: 'fetch',
    env: { fetch: fetchImpl },
    // Raw text in, status decided by us: malformed bodies and odd HTTP codes are classified, not thrown.
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    // A followed redirect would replay the POST as a GET elsewhere; Atlas never redirects.
    maxRedirects: 0,
  });

  return {
    async post(url, connection, body, timeoutMs) {
      try {
        const res = await http.post<string>(url, JSON.stringify(body), {
          timeout: timeoutMs,
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'Accept-Encoding': 'gzip',
            'x-atlas-client-id': connection.clientId,
            'x-atlas-client-secret': connection.clientSecret,
          },
        });
        const retryAfter = res.headers['retry-after'];
        const date = res.headers['date'];
        return {
          ok: true,
          response: {
            httpStatus: res.status,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
            date: typeof date === 'string' ? date : null,
            text: typeof res.data === 'string' ? res.data : '',
          },
        };
      } catch (error) {
        return { ok: false, error };
      }
    },
  };
}
