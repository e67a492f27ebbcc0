// Electron security checklist items that live on a session or a webContents
// (docs/conventions.md "The security baseline"): no navigation away from the app, no new windows,
// no webviews, no permissions, strict CSP.
import type { AppLocation } from './trusted-origin.ts';
import { isAllowedExternalUrl, isAppUrl } from './trusted-origin.ts';

/**
 * The renderer never talks to the network (connect-src 'none'); every Atlas call goes through main.
 * The app:// protocol (app-protocol.ts) sends it on every response; the dev server gets it through
 * installCsp. renderer/index.html repeats it in a <meta> tag as a second layer, as strict or
 * stricter per directive (no inline styles; frame-ancestors works only as a header), which a test
 * in test/shell/security.test.ts checks.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Dev server: Vite's HMR client needs a websocket to its own origin. */
export function developmentCsp(devServerUrl: string): string {
  const ws = new URL(devServerUrl);
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
  return CONTENT_SECURITY_POLICY.replace("connect-src 'none'", `connect-src ${new URL(devServerUrl).origin} ${ws.origin}`).replace(
    "script-src 'self'",
    "script-src 'self' 'unsafe-inline'",
  );
}

interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

export interface SecurityOptions {
  location: AppLocation;
  openExternal: (url: string) => Promise<void> | void;
  log?: (line: string) => void;
}

/** Decision for window.open / target=_blank: always deny; allow-listed https links go to the OS browser. */
export function handleWindowOpen(url: string, options: SecurityOptions): { action: 'deny' } {
  if (isAllowedExternalUrl(url)) void Promise.resolve(options.openExternal(url)).catch(() => {});
  else options.log?.(`security: blocked window.open to ${safeForLog(url)}`);
  return { action: 'deny' };
}

export function hardenWebContents(contents: WebContentsLike, options: SecurityOptions): void {
  const blockNavigation = (event: PreventableEvent, url: string) => {
    // Reloads of our own page are fine; anything else (a link, a redirect) is not.
    if (isAppUrl(url, options.location)) return;
    event.preventDefault();
    options.log?.(`security: blocked navigation to ${safeForLog(url)}`);
    if (isAllowedExternalUrl(url)) void Promise.resolve(options.openExternal(url)).catch(() => {});
  };
  contents.on('will-navigate', blockNavigation);
  contents.on('will-redirect', blockNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => handleWindowOpen(url, options));
}

export interface SessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { url: string; responseHeaders?: Record<string, string[] | string> },
        callback: (response: { responseHeaders?: Record<string, string[] | string> }) => void,
      ) => void,
    ): void;
  };
}

/** The desk needs no camera, notifications-from-page, geolocation… : deny every request and check. */
export function denyAllPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Adds the CSP header to every network response the renderer receives (the dev server's). */
export function installCsp(session: SessionLike, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
}

// Query strings can carry tokens; log origin and path only.
function safeForLog(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unparseable url)';
  }
}
