// Configuration from the environment and argument parsing: pure functions, no process state.
import { describe, expect, it } from 'vitest';
import { parseCommand, parseSince } from '../../electron/cli/args.ts';
import { configFromEnv, databasePath, SANDBOX_BASE_URL } from '../../electron/cli/config.ts';
import { UsageError } from '../../electron/cli/errors.ts';

const HOME = '/home/ana';
const creds = { ATLAS_CLIENT_ID: 'id', ATLAS_CLIENT_SECRET: 's3cret' };

describe('configFromEnv', () => {
  it('with nothing set runs Training mode with data under ~/.atlas-retry-desk and the login name as staff', () => {
    const config = configFromEnv({}, HOME, 'ana');
    expect(config).toMatchObject({ environment: 'training', baseUrl: null, clientSecret: null, dataDir: '/home/ana/.atlas-retry-desk', staff: 'ana' });
    expect(databasePath(config)).toBe('/home/ana/.atlas-retry-desk/cli-training.sqlite');
  });

  it('sandbox defaults to the public sandbox host; production must name its host', () => {
    expect(configFromEnv({ ATLAS_ENV: 'sandbox', ...creds }, HOME, 'ana').baseUrl).toBe(SANDBOX_BASE_URL);
    expect(() => configFromEnv({ ATLAS_ENV: 'production', ...creds }, HOME, 'ana')).toThrow(/ATLAS_BASE_URL/);
    const prod = configFromEnv(
      { ATLAS_ENV: 'production', ATLAS_BASE_URL: 'https://api-sg.atriptech.com/', ATLAS_SEARCH_BASE_URL: 'https://search-sg.atriptech.com', DESK_STAFF: 'Bo', ...creds },
      HOME,
      'ana',
    );
    expect(prod).toMatchObject({ baseUrl: 'https://api-sg.atriptech.com', searchBaseUrl: 'https://search-sg.atriptech.com', proxyUrl: null, staff: 'Bo' });
    expect(databasePath(prod)).toBe('/home/ana/.atlas-retry-desk/desk-production.sqlite');
  });

  it('reads the most jobs at once from DESK_MAX_CONCURRENCY (default 16, 1–64) and refuses anything else in one line', () => {
    expect(configFromEnv({}, HOME, 'ana').maxConcurrency).toBe(16);
    expect(configFromEnv({ DESK_MAX_CONCURRENCY: '1' }, HOME, 'ana').maxConcurrency).toBe(1);
    expect(configFromEnv({ DESK_MAX_CONCURRENCY: ' 64 ', ATLAS_ENV: 'sandbox', ...creds }, HOME, 'ana').maxConcurrency).toBe(64);
    for (const raw of ['0', '65', '8.5', '-2', '1e1', 'sixteen']) {
      expect(() => configFromEnv({ DESK_MAX_CONCURRENCY: raw }, HOME, 'ana'), raw).toThrow(
        new UsageError(`DESK_MAX_CONCURRENCY must be a whole number from 1 to 64, not "${raw}"`),
      );
    }
  });

  it('reads DESK_PRICE_TOLERANCE_PERCENT as a percentage from 0 to 10 (default 0), like the app setting', () => {
    expect(configFromEnv({}, HOME, 'ana').priceTolerancePercent).toBe(0);
    expect(configFromEnv({ DESK_PRICE_TOLERANCE_PERCENT: '2.5' }, HOME, 'ana').priceTolerancePercent).toBe(2.5);
    for (const bad of ['-1', '10.01', '11', '2.555', 'two', '1e1']) {
      expect(() => configFromEnv({ DESK_PRICE_TOLERANCE_PERCENT: bad }, HOME, 'ana'), bad).toThrow(/^DESK_PRICE_TOLERANCE_PERCENT /);
    }
  });

  it('refuses ambiguous or unsafe settings instead of guessing', () => {
    const bad: Record<string, string>[] = [
      { ATLAS_ENV: 'staging' },
      { ATLAS_BASE_URL: 'https://x.atriptech.com', ...creds }, // no ATLAS_ENV: which one?
      { ATLAS_PROXY_URL: 'http://127.0.0.1:8787', ...creds }, // no ATLAS_ENV either
      { ATLAS_ENV: 'sandbox' }, // no credentials
      { ATLAS_ENV: 'sandbox', ATLAS_BASE_URL: 'http://atlas.example.com', ...creds }, // plain http off this machine
      { ATLAS_ENV: 'production', ATLAS_BASE_URL: 'http://127.0.0.1:8787', ...creds }, // production is https only
      { ATLAS_ENV: 'sandbox', ATLAS_PROXY_URL: 'http://gw.agency.example', ...creds }, // plain http to a proxy off this machine
    ];
    for (const env of bad) expect(() => configFromEnv(env, HOME, 'ana'), JSON.stringify(env)).toThrow(UsageError);
  });

  it("applies the app's Atlas host rule to ATLAS_BASE_URL and ATLAS_SEARCH_BASE_URL, in one line naming the variable", () => {
    const attacks = [
      'https://api-sg.atriptech.com.evil.test',
      'https://atriptech.com@evil.test',
      'https://evil.test/atriptech.com',
      'https://evilatriptech.com',
      'http://api-sg.atriptech.com',
      'https://аtriptech.com',
      'https://api-sg.atriptech.com.',
      'https://1.2.3.4',
      'https://user:pw@api-sg.atriptech.com',
      'http://127.0.0.1:8787', // a local simulator is no longer a "sandbox host": see ATLAS_PROXY_URL
    ];
    for (const url of attacks) {
      for (const name of ['ATLAS_BASE_URL', 'ATLAS_SEARCH_BASE_URL']) {
        const env = { ATLAS_ENV: 'production', ATLAS_BASE_URL: 'https://api-sg.atriptech.com', ...creds, [name]: url };
        expect(() => configFromEnv(env, HOME, 'ana'), `${name}=${url}`).toThrow(new RegExp(`^${name} `));
      }
    }
    expect(() => configFromEnv({ ATLAS_ENV: 'sandbox', ATLAS_BASE_URL: 'https://evil.test', ...creds }, HOME, 'ana')).toThrow(
      'ATLAS_BASE_URL must be an Atlas host (atriptech.com or a subdomain of it); to send Atlas calls to an agency proxy or a local simulator, set ATLAS_PROXY_URL',
    );
  });

  it('sends Atlas calls to ATLAS_PROXY_URL only when it is set: https anywhere, plain http only to this machine', () => {
    expect(configFromEnv({ ATLAS_ENV: 'sandbox', ATLAS_PROXY_URL: 'http://127.0.0.1:8787/', ...creds }, HOME, 'ana')).toMatchObject({
      baseUrl: SANDBOX_BASE_URL,
      proxyUrl: 'http://127.0.0.1:8787',
    });
    expect(
      configFromEnv({ ATLAS_ENV: 'production', ATLAS_BASE_URL: 'https://api-sg.atriptech.com', ATLAS_PROXY_URL: 'https://gw.agency.example/atlas', ...creds }, HOME, 'ana').proxyUrl,
    ).toBe('https://gw.agency.example/atlas');
    expect(configFromEnv({ ATLAS_ENV: 'sandbox', ...creds }, HOME, 'ana').proxyUrl).toBeNull();
  });
});

describe('parseCommand', () => {
  it('upper-cases and de-duplicates order numbers and needs exactly one payment method', () => {
    expect(parseCommand(['recover', 'testa123456', 'TESTA123456', '--deposit'])).toMatchObject({ orderNos: ['TESTA123456'], method: 'deposit' });
    expect(() => parseCommand(['recover', 'TESTA123456'])).toThrow(UsageError);
    expect(() => parseCommand(['recover', '--card'])).toThrow(UsageError);
  });

  it('approve takes orders (and --timeout); confirm-not-charged exactly one order', () => {
    expect(parseCommand(['approve', 'testa123456', 'TESTA654321', '--json'])).toEqual({ name: 'approve', orderNos: ['TESTA123456', 'TESTA654321'], json: true, timeoutMs: 900_000 });
    expect(parseCommand(['confirm-not-charged', 'TESTA123456'])).toEqual({ name: 'confirm-not-charged', orderNo: 'TESTA123456' });
    expect(() => parseCommand(['confirm-not-charged', 'TESTA123456', 'TESTA654321'])).toThrow(/exactly one order number/);
  });

  it('reads --since as a UTC date or an ISO instant and rejects anything else', () => {
    expect(parseSince('2026-11-20')).toBe('2026-11-20T00:00:00.000Z');
    expect(parseSince('2026-11-20T08:00:00+08:00')).toBe('2026-11-20T00:00:00.000Z');
    expect(() => parseSince('last week')).toThrow(UsageError);
  });
});
