// The CLI reaches Atlas the way the app does through Electron's net.fetch: it trusts the operating
// system's certificate store as well as Node's own (agency networks often inspect TLS with a root
// of their own, installed in the OS), and it goes through the proxy the environment names
// (HTTPS_PROXY / HTTP_PROXY, NO_PROXY; lower-case names win, as in curl). Set up once, in-process,
// before the first request, so `npm run desk` and `node electron/cli/desk-cli.ts` behave alike.
import http from 'node:http';
import tls from 'node:tls';

type Env = Record<string, string | undefined>;

export interface NetworkSetup {
  /** Where https:// and http:// requests go, as `host:port` (never the proxy's credentials); null = direct. */
  httpsProxy: string | null;
  httpProxy: string | null;
  noProxy: string;
  /** Certificates trusted from the OS store; null when this Node cannot read it. */
  systemCertificates: number | null;
  /** What this Node could not do (an early Node 24 lacks the APIs), for one line on stderr. */
  warnings: string[];
}

const value = (env: Env, name: string): string | null => {
  const v = (env[name.toLowerCase()] ?? env[name])?.trim();
  return v ? v : null;
};

/**
 * What Node's built-in proxy support is given. `extraNoProxy`: hosts the CLI itself serves (the
 * Training simulator on 127.0.0.1), which no proxy can reach. Everything else follows the
 * environment literally.
 */
export function proxyEnvFrom(env: Env, extraNoProxy: readonly string[] = []): { HTTPS_PROXY?: string; HTTP_PROXY?: string; NO_PROXY: string } {
  const https = value(env, 'HTTPS_PROXY');
  const plain = value(env, 'HTTP_PROXY');
  const noProxy = [value(env, 'NO_PROXY'), ...extraNoProxy].filter((part): part is string => part !== null).join(',');
  return { ...(https ? { HTTPS_PROXY: https } : {}), ...(plain ? { HTTP_PROXY: plain } : {}), NO_PROXY: noProxy };
}

/** `host:port` of a proxy URL, for messages: a proxy URL may carry a user and password. */
function proxyHost(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return '(unreadable proxy URL)';
  }
}

/** Node 24.21 has both; an earlier 24.x may lack them (the APIs are typed as always present). */
const canReadSystemStore = () => typeof tls.getCACertificates === 'function' && typeof tls.setDefaultCACertificates === 'function';
const canProxy = () => typeof http.setGlobalProxyFromEnv === 'function';

export function useSystemNetwork(
  env: Env,
  options: {
    extraNoProxy?: readonly string[];
    /** False when nothing will use TLS (Training): reading the OS store costs a few hundred ms. */
    trustSystemStore?: boolean;
  } = {},
): NetworkSetup {
  const warnings: string[] = [];
  let systemCertificates: number | null = null;
  if ((options.trustSystemStore ?? true) && canReadSystemStore()) {
    const system = tls.getCACertificates('system');
    tls.setDefaultCACertificates([...new Set([...tls.getCACertificates('default'), ...system])]);
    systemCertificates = system.length;
  }
  const proxy = proxyEnvFrom(env, options.extraNoProxy);
  // Without a proxy variable Node's own defaults stay untouched.
  if (proxy.HTTPS_PROXY || proxy.HTTP_PROXY) {
    if (canProxy()) http.setGlobalProxyFromEnv(proxy);
    else warnings.push(`Node ${process.version} cannot use HTTPS_PROXY / HTTP_PROXY; connecting directly (Node 24.21 or later can)`);
  }
  return { httpsProxy: proxyHost(proxy.HTTPS_PROXY), httpProxy: proxyHost(proxy.HTTP_PROXY), noProxy: proxy.NO_PROXY, systemCertificates, warnings };
}
