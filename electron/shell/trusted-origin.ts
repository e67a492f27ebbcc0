// Which page is "ours" (DESIGN.md §4.2, checklist item 17): the packaged index.html loaded from
// file://, or the Vite dev server's origin in development. URLs are parsed, never prefix-matched.

export interface AppLocation {
  /** file:// URL of the packaged index.html. */
  appFileUrl: string;
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
  if (candidate.protocol === 'file:') {
    const app = parse(location.appFileUrl);
    // file: URLs have an opaque origin: compare the exact document path (hash and query may vary).
    return app !== null && app.protocol === 'file:' && candidate.host === app.host && candidate.pathname === app.pathname;
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
