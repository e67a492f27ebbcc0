// The host rule (docs/money-safety.md rule 14): credentials and card data go only to Atlas hosts,
// decided on the parsed host. Each attack below is a string someone could paste into Settings or
// ATLAS_BASE_URL to get the secret sent elsewhere.
import { describe, expect, it } from 'vitest';
import { checkAtlasBaseUrl, checkProxyUrl, isAtlasRequestUrl, sameOrigin } from '../../shared/atlas-host.ts';

const ATTACKS: [string, string][] = [
  ['https://api-sg.atriptech.com.evil.test', 'Atlas name as a subdomain of another host'],
  ['https://atriptech.com@evil.test', 'Atlas name as userinfo'],
  ['https://user:pw@api-sg.atriptech.com', 'credentials in the URL'],
  ['evil.test/atriptech.com', 'no scheme, Atlas name in the path'],
  ['https://evil.test/atriptech.com', 'Atlas name in the path'],
  ['https://evil.test/?h=api-sg.atriptech.com', 'Atlas name in the query'],
  ['https://evil.test#api-sg.atriptech.com', 'Atlas name in the fragment'],
  ['https://evilatriptech.com', 'suffix without the dot'],
  ['https://atriptech.com.', 'trailing dot'],
  ['https://api-sg.atriptech.com..', 'two trailing dots'],
  ['https://.atriptech.com', 'empty label'],
  ['https://a..atriptech.com', 'empty label inside'],
  ['http://api-sg.atriptech.com', 'plain http'],
  ['ftp://api-sg.atriptech.com', 'another scheme'],
  ['//api-sg.atriptech.com', 'scheme-relative'],
  ['https://аtriptech.com', 'Cyrillic а look-alike (punycode xn--triptech-06g.com)'],
  ['https://atrіptech.com', 'Ukrainian і look-alike'],
  ['https://xn--triptech-06g.com', 'the look-alike typed in punycode'],
  ['https://atriptech.com%2eevil.test', 'encoded dot'],
  ['https://atriptech.com\t.evil.test', 'tab the parser strips'],
  ['https://api-sg.atriptech.com\\@evil.test', 'backslash trick'],
  ['https://1.2.3.4', 'IPv4 literal'],
  ['https://[2001:db8::1]', 'IPv6 literal'],
  ['https://127.0.0.1:8443', 'loopback with a port'],
  ['https://api-sg.atriptech.com:8443', 'Atlas host on another port'],
  ['https://api-sg.atriptech.com/x', 'a path'],
  ['https://api-sg.atriptech.com/?a=1', 'a query'],
  ['', 'empty'],
  ['atriptech.com', 'bare host'],
];

describe('checkAtlasBaseUrl', () => {
  it.each(ATTACKS)('refuses %s (%s)', (raw) => {
    expect(checkAtlasBaseUrl(raw).ok).toBe(false);
  });

  it('accepts Atlas hosts and stores their normalised origin', () => {
    expect(checkAtlasBaseUrl('https://sandbox.atriptech.com')).toEqual({ ok: true, url: 'https://sandbox.atriptech.com' });
    expect(checkAtlasBaseUrl('https://api-sg.atriptech.com/')).toEqual({ ok: true, url: 'https://api-sg.atriptech.com' });
    expect(checkAtlasBaseUrl(' HTTPS://Search-SG.ATRIPTECH.com:443/ ')).toEqual({ ok: true, url: 'https://search-sg.atriptech.com' });
    expect(checkAtlasBaseUrl('https://atriptech.com')).toEqual({ ok: true, url: 'https://atriptech.com' });
    // Full-width dot: the parser maps it to ".", so the request really goes to atriptech.com.
    expect(checkAtlasBaseUrl('https://atriptech．com')).toEqual({ ok: true, url: 'https://atriptech.com' });
  });

  it('names the problem', () => {
    expect(checkAtlasBaseUrl('http://api-sg.atriptech.com')).toEqual({ ok: false, problem: 'not_https' });
    expect(checkAtlasBaseUrl('https://atriptech.com@evil.test')).toEqual({ ok: false, problem: 'credentials_in_url' });
    expect(checkAtlasBaseUrl('https://api-sg.atriptech.com.evil.test')).toEqual({ ok: false, problem: 'not_atlas_host' });
    expect(checkAtlasBaseUrl('https://api-sg.atriptech.com:8443')).toEqual({ ok: false, problem: 'port' });
    expect(checkAtlasBaseUrl('https://api-sg.atriptech.com/x')).toEqual({ ok: false, problem: 'path' });
    expect(checkAtlasBaseUrl('nope')).toEqual({ ok: false, problem: 'not_a_url' });
  });
});

describe('isAtlasRequestUrl', () => {
  it('accepts an operation URL on an Atlas host and refuses the same attacks', () => {
    expect(isAtlasRequestUrl('https://api-sg.atriptech.com/pay.do')).toBe(true);
    // A path is fine on a request (the backslash one really goes to api-sg.atriptech.com/@evil.test).
    const pathOnly = new Set(['a path', 'a query', 'backslash trick']);
    for (const [raw, why] of ATTACKS) if (!pathOnly.has(why)) expect(isAtlasRequestUrl(raw), raw).toBe(false);
    expect(isAtlasRequestUrl('https://evil.test/api-sg.atriptech.com/pay.do')).toBe(false);
    expect(isAtlasRequestUrl('http://127.0.0.1:8787/pay.do')).toBe(false);
  });
});

describe('checkProxyUrl', () => {
  it('accepts https to any host and plain http only to this machine', () => {
    expect(checkProxyUrl('https://atlas-gw.agency.example/atlas/')).toEqual({ ok: true, url: 'https://atlas-gw.agency.example/atlas' });
    expect(checkProxyUrl('https://atlas-gw.agency.example')).toEqual({ ok: true, url: 'https://atlas-gw.agency.example' });
    expect(checkProxyUrl('http://127.0.0.1:8787')).toEqual({ ok: true, url: 'http://127.0.0.1:8787' });
    expect(checkProxyUrl('http://[::1]:8787/')).toEqual({ ok: true, url: 'http://[::1]:8787' });
    expect(checkProxyUrl('http://localhost:8787')).toEqual({ ok: true, url: 'http://localhost:8787' });
  });

  it('refuses plain http off this machine, userinfo, queries and other schemes', () => {
    expect(checkProxyUrl('http://gw.agency.example')).toEqual({ ok: false, problem: 'not_loopback' });
    expect(checkProxyUrl('http://127.0.0.1.evil.test')).toEqual({ ok: false, problem: 'not_loopback' });
    expect(checkProxyUrl('http://localhost@evil.test')).toEqual({ ok: false, problem: 'not_loopback' });
    expect(checkProxyUrl('https://u:p@gw.agency.example')).toEqual({ ok: false, problem: 'credentials_in_url' });
    expect(checkProxyUrl('https://gw.agency.example/?to=x')).toEqual({ ok: false, problem: 'query' });
    expect(checkProxyUrl('https://gw.agency.example/#x')).toEqual({ ok: false, problem: 'query' });
    expect(checkProxyUrl('file:///etc/passwd')).toEqual({ ok: false, problem: 'not_https' });
    expect(checkProxyUrl('')).toEqual({ ok: false, problem: 'not_a_url' });
  });
});

describe('sameOrigin', () => {
  it('compares scheme, host and port, never prefixes', () => {
    expect(sameOrigin('http://127.0.0.1:8787/pay.do', 'http://127.0.0.1:8787')).toBe(true);
    expect(sameOrigin('http://127.0.0.1:8788/pay.do', 'http://127.0.0.1:8787')).toBe(false);
    expect(sameOrigin('http://127.0.0.1:8787.evil.test/pay.do', 'http://127.0.0.1:8787')).toBe(false);
    expect(sameOrigin('https://127.0.0.1:8787/pay.do', 'http://127.0.0.1:8787')).toBe(false);
    expect(sameOrigin('http://x@127.0.0.1:8787/pay.do', 'http://127.0.0.1:8787')).toBe(false);
  });
});
