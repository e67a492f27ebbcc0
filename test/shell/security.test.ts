import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createMainWindow, secureWebPreferences } from '../../electron/shell/window.ts';
import { CONTENT_SECURITY_POLICY, denyAllPermissions, installCsp } from '../../electron/shell/security.ts';
import type { SessionLike } from '../../electron/shell/security.ts';
import { isAllowedExternalUrl, isAppUrl } from '../../electron/shell/trusted-origin.ts';

const location = { appUrl: 'app://desk/index.html', devServerUrl: null };

type Listener = (...args: unknown[]) => unknown;

class FakeWindow {
  static last: FakeWindow | null = null;
  readonly options: { webPreferences: Record<string, unknown> };
  readonly listeners = new Map<string, Listener[]>();
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  readonly webContents = {
    on: (event: string, listener: Listener) => {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    },
    setWindowOpenHandler: (handler: (d: { url: string }) => { action: string }) => {
      this.openHandler = handler;
    },
  };
  constructor(options: { webPreferences: Record<string, unknown> }) {
    this.options = options;
    FakeWindow.last = this;
  }
  once() {}
  show() {}
  emit(event: string, url?: string) {
    const e = { preventDefault: vi.fn() };
    for (const l of this.listeners.get(event) ?? []) l(e, url);
    return e.preventDefault.mock.calls.length > 0;
  }
}

function makeWindow(openExternal = vi.fn()) {
  const win = createMainWindow({
    BrowserWindow: FakeWindow as never,
    preloadPath: '/opt/desk/preload.cjs',
    title: 'Atlas Retry Desk',
    location,
    openExternal,
  }) as unknown as FakeWindow;
  return { win, openExternal };
}

describe('the main window', () => {
  it('is created with the full security baseline in webPreferences', () => {
    const { win } = makeWindow();
    expect(win.options.webPreferences).toMatchObject({
      preload: '/opt/desk/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(Object.isFrozen(secureWebPreferences('/x'))).toBe(true);
  });

  it('blocks navigation away from the app but allows reloading its own page', () => {
    const { win } = makeWindow();
    expect(win.emit('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(win.emit('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(win.emit('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(win.emit('will-navigate', 'file:///opt/desk/resources/app.asar/dist/index.html')).toBe(true);
    expect(win.emit('will-navigate', 'app://desk/index.html#/queue')).toBe(false);
  });

  it('denies every window.open and sends only atriptech.com https links to the OS browser', () => {
    const { win, openExternal } = makeWindow();
    expect(win.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(win.openHandler?.({ url: 'https://resources.atriptech.com/api-document' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(openExternal).toHaveBeenCalledWith('https://resources.atriptech.com/api-document');
  });

  it('prevents attaching a webview', () => {
    const { win } = makeWindow();
    expect(win.emit('will-attach-webview')).toBe(true);
  });
});

function fakeSession() {
  const s = {
    request: null as null | ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void),
    check: null as null | ((wc: unknown, permission: string) => boolean),
    headers: null as null | ((d: { url: string; responseHeaders?: Record<string, string[] | string> }, cb: (r: { responseHeaders?: Record<string, string[] | string> }) => void) => void),
  };
  const session: SessionLike = {
    setPermissionRequestHandler: (h) => (s.request = h),
    setPermissionCheckHandler: (h) => (s.check = h),
    webRequest: { onHeadersReceived: (l) => (s.headers = l) },
  };
  return { s, session };
}

describe('session hardening', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen'])('denies the %s permission request and check', (permission) => {
    const { s, session } = fakeSession();
    denyAllPermissions(session);
    const callback = vi.fn();
    s.request?.({}, permission, callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(s.check?.({}, permission)).toBe(false);
  });

  it('puts the strict CSP on every response, replacing any the server sent', () => {
    const { s, session } = fakeSession();
    installCsp(session, CONTENT_SECURITY_POLICY);
    let out: Record<string, string[] | string> | undefined;
    s.headers?.({ url: 'file:///x/index.html', responseHeaders: { 'content-security-policy': ['default-src *'], 'x-other': ['1'] } }, (r) => (out = r.responseHeaders));
    expect(out).toEqual({ 'x-other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
  });
});

describe('the page\'s own CSP <meta>', () => {
  const directives = (policy: string) =>
    new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name as string, new Set(sources)]));

  it('has every directive of the header (but frame-ancestors, header-only) and allows nothing the header does not', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const page = directives(meta as string);
    for (const [name, sources] of directives(CONTENT_SECURITY_POLICY)) {
      if (name === 'frame-ancestors') continue;
      expect([...(page.get(name) ?? ['missing'])].filter((s) => !sources.has(s)), name).toEqual([]);
    }
  });
});

describe('trusted origins', () => {
  it('accepts only our index.html over app:// and the dev server origin; file:// is never ours', () => {
    expect(isAppUrl('app://desk/index.html', location)).toBe(true);
    expect(isAppUrl('app://desk/index.html?x=1#/queue', location)).toBe(true);
    expect(isAppUrl('app://desk/other.html', location)).toBe(false);
    expect(isAppUrl('app://evil/index.html', location)).toBe(false);
    expect(isAppUrl('app://desk:1/index.html', location)).toBe(false);
    expect(isAppUrl('app://x@desk/index.html', location)).toBe(false);
    expect(isAppUrl('file:///opt/desk/resources/app.asar/dist/index.html', location)).toBe(false);
    expect(isAppUrl('file:///tmp/index.html', location)).toBe(false);
    expect(isAppUrl('file://desk/index.html', location)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', location)).toBe(false);
    const dev = { ...location, devServerUrl: 'http://localhost:5173/' };
    expect(isAppUrl('http://localhost:5173/#/orders', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5173.evil.com/', dev)).toBe(false);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('not a url', dev)).toBe(false);
  });

  it('allows external links only to https atriptech.com hosts', () => {
    expect(isAllowedExternalUrl('https://atriptech.com/')).toBe(true);
    expect(isAllowedExternalUrl('https://sandbox.atriptech.com/x')).toBe(true);
    expect(isAllowedExternalUrl('http://sandbox.atriptech.com/x')).toBe(false);
    expect(isAllowedExternalUrl('https://atriptech.com.evil.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://evilatriptech.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@atriptech.com/')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
  });
});
