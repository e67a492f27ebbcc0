// Which page is "ours" (docs/conventions.md "The boundary"; Electron's security checklist, item
// 17): index.html served on app://desk/ (app-protocol.ts), or the Vite dev server's origin in
// development. file:// is never ours: the app does not load from it, so a file:// page is someone
// else's. URLs are parsed, never prefix-matched.

export interface AppLocation {
  /** app://desk/index.html (APP_INDEX_URL). */
  appUrl: string;
  /** Dev server URL (http://localhost:5173/) when running `npm run dev`; null when packaged. */
  devServerUrl: string | null;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function isAppUrl(url: string, location: AppLocation): boolean {
  const candidate = parse(url);
  if (!candidate) return false;
  const app = parse(location.appUrl);
  if (app !== null && candidate.protocol === app.protocol && app.protocol !== 'file:') {
    // Non-special schemes report an opaque origin in Node's URL: compare scheme, host and the exact
    // document path (hash and query may vary), and refuse userinfo or a port.
    return candidate.host === app.host && candidate.pathname === app.pathname && candidate.username === '' && candidate.password === '';
  }
  if (location.devServerUrl) {
    const dev = parse(location.devServerUrl);
    return dev !== null && (candidate.protocol === 'http:' || candidate.protocol === 'https:') && candidate.origin === dev.origin;
  }
  return false;
}

/** External links staff may open in the browser: https on atriptech.com and its subdomains only. */
export function isAllowedExternalUrl(url: string): boolean {
  const candidate = parse(url);
  if (!candidate || candidate.protocol !== 'https:' || candidate.username || candidate.password) return false;
  if (candidate.port !== '') return false;
  const host = candidate.hostname.toLowerCase();
  return host === 'atriptech.com' || host.endsWith('.atriptech.com');
}
