// The window's page comes from app://desk/, a custom protocol served from the built renderer folder
// only — not from file://. A file:// page has an opaque origin and gets no response headers (so the
// CSP header set in onHeadersReceived never applied to it), and Electron grants file:// extra
// privileges (the grantFileProtocolExtraPrivileges fuse, turned off in electron-builder.yml).
// Every response here carries the CSP itself.
import fs from 'node:fs/promises';
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Registered before `ready`. standard: relative URLs and a real origin (app://desk); secure: a
 * secure context like https; supportFetchAPI: the page's module scripts load through fetch. No CSP
 * bypass, no CORS, no service workers, no streaming.
 */
export const APP_SCHEME_PRIVILEGES = Object.freeze({
  scheme: APP_SCHEME,
  privileges: Object.freeze({ standard: true, secure: true, supportFetchAPI: true }),
});

const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
});

export interface AppProtocolOptions {
  /** Absolute path of the built renderer (dist/). Nothing outside it is ever served. */
  root: string;
  /** The Content-Security-Policy header every response carries. */
  csp: string;
  log?: (line: string) => void;
}

/**
 * The file under `root` that `url` names, or null when it names anything else: another scheme or
 * host, an encoded slash or backslash, a NUL, or a path that resolves outside `root`.
 */
export function resolveAppPath(url: string, root: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST || parsed.port !== '' || parsed.username !== '' || parsed.password !== '') return null;
  // The URL parser has already folded ../ and %2e%2e; what is left encoded must stay one segment.
  if (/%(2f|5c|00)/i.test(parsed.pathname) || parsed.pathname.includes('\\')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const full = path.resolve(base, relative);
  return full.startsWith(base + path.sep) ? full : null;
}

const notFound = (csp: string) =>
  new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': csp } });

/** The `protocol.handle('app', …)` handler: GET of a file under `root`, with the CSP header. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET') return new Response(null, { status: 405, headers: { 'Content-Security-Policy': options.csp } });
    const file = resolveAppPath(request.url, options.root);
    if (!file) {
      options.log?.('app protocol: refused a path outside the app');
      return notFound(options.csp);
    }
    try {
      // A link inside dist/ must not lead outside it either.
      const [real, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(options.root)]);
      if (!real.startsWith(realRoot + path.sep)) return notFound(options.csp);
      const body = await fs.readFile(real);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
          'Content-Security-Policy': options.csp,
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'no-cache',
        },
      });
    } catch {
      return notFound(options.csp);
    }
  };
}
