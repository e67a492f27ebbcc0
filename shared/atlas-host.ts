// Where the client secret and card numbers may go (docs/money-safety.md rule 14): Atlas's own hosts
// (https, under atriptech.com, decided on the PARSED host — never a prefix or substring match), or
// an agency proxy that staff named explicitly. Pure, so the settings schema, the shell, the CLI and
// the Atlas client's last check all apply the same rule.

export const ATLAS_DOMAIN = 'atriptech.com';

/** Why a URL is refused, for messages. */
export type HostProblem =
  | 'not_a_url'
  | 'not_https'
  | 'credentials_in_url'
  | 'port'
  | 'not_atlas_host'
  | 'path'
  | 'query'
  | 'not_loopback';

export type HostVerdict = { ok: true; url: string } | { ok: false; problem: HostProblem };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * atriptech.com or a subdomain of it, as the URL parser spells the host (lower-case, IDN in
 * punycode). Every label must be a plain DNS label: no empty label, so no trailing dot either.
 */
function isAtlasHostname(hostname: string): boolean {
  if (hostname !== ATLAS_DOMAIN && !hostname.endsWith(`.${ATLAS_DOMAIN}`)) return false;
  return hostname.split('.').every((label) => LABEL.test(label));
}

/** The checks every credential-bearing URL passes, whatever its host: https, no userinfo. */
function transportProblem(url: URL): HostProblem | null {
  if (url.protocol !== 'https:') return 'not_https';
  if (url.username !== '' || url.password !== '') return 'credentials_in_url';
  return null;
}

/**
 * A request URL the Atlas client may send credentials to: https on Atlas's default port, an Atlas
 * host, no userinfo. Any path (it is `<base>/<operation>.do`).
 */
export function isAtlasRequestUrl(raw: string): boolean {
  const url = parse(raw);
  return url !== null && transportProblem(url) === null && url.port === '' && isAtlasHostname(url.hostname);
}

/**
 * A Sandbox/Production base URL as staff type it: an Atlas host and nothing else (no path, query or
 * fragment). On success `url` is the normalised origin, which is what gets stored and used.
 */
export function checkAtlasBaseUrl(raw: string): HostVerdict {
  const url = parse(raw.trim());
  if (!url) return { ok: false, problem: 'not_a_url' };
  const transport = transportProblem(url);
  if (transport) return { ok: false, problem: transport };
  if (url.port !== '') return { ok: false, problem: 'port' };
  if (!isAtlasHostname(url.hostname)) return { ok: false, problem: 'not_atlas_host' };
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return { ok: false, problem: 'path' };
  return { ok: true, url: url.origin };
}

function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The agency proxy (an explicit setting, off by default): the desk sends every Atlas call — with
 * the client secret and card numbers — to this address instead of the Atlas host, and the proxy
 * forwards it to Atlas. Any host, since that is the point; https, except plain http to this machine
 * (the request never leaves it: a local forwarder, or a local simulator standing in for Atlas).
 * A path prefix is allowed; query and fragment are not. `url` is normalised without a trailing slash.
 */
export function checkProxyUrl(raw: string): HostVerdict {
  const url = parse(raw.trim());
  if (!url) return { ok: false, problem: 'not_a_url' };
  if (url.protocol === 'http:') {
    if (!isLoopbackHostname(url.hostname)) return { ok: false, problem: 'not_loopback' };
  } else if (url.protocol !== 'https:') {
    return { ok: false, problem: 'not_https' };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'credentials_in_url' };
  if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) return { ok: false, problem: 'query' };
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** Same scheme, host and port: a request URL that goes to the proxy named in settings. */
export function sameOrigin(a: string, b: string): boolean {
  const x = parse(a);
  const y = parse(b);
  return x !== null && y !== null && x.protocol === y.protocol && x.host === y.host && x.username === '' && x.password === '';
}

/** One English line per problem (CLI errors, logs); the window translates `problem` itself. */
export const HOST_PROBLEM_TEXT: Readonly<Record<HostProblem, string>> = Object.freeze({
  not_a_url: 'is not a URL',
  not_https: 'must be an https:// URL',
  credentials_in_url: 'must not contain a user name or password',
  port: 'must use the default https port',
  not_atlas_host: `must be an Atlas host (${ATLAS_DOMAIN} or a subdomain of it)`,
  path: 'must be a host only, without a path, query or fragment',
  query: 'must not have a query or fragment',
  not_loopback: 'must be https://, or http:// only to this machine (127.0.0.1, ::1, localhost)',
});
