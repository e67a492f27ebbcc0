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
      { ATLAS_ENV: 'production', ATLAS_BASE_URL: 'https://api-sg.example.com/', ATLAS_SEARCH_BASE_URL: 'https://search-sg.example.com', DESK_STAFF: 'Bo', ...creds },
      HOME,
      'ana',
    );
    expect(prod).toMatchObject({ baseUrl: 'https://api-sg.example.com', searchBaseUrl: 'https://search-sg.example.com', staff: 'Bo' });
    expect(databasePath(prod)).toBe('/home/ana/.atlas-retry-desk/desk-production.sqlite');
  });

  it('refuses ambiguous or unsafe settings instead of guessing', () => {
    const bad: Record<string, string>[] = [
      { ATLAS_ENV: 'staging' },
      { ATLAS_BASE_URL: 'https://x.example.com', ...creds }, // no ATLAS_ENV: which one?
      { ATLAS_ENV: 'sandbox' }, // no credentials
      { ATLAS_ENV: 'sandbox', ATLAS_BASE_URL: 'http://atlas.example.com', ...creds }, // plain http off this machine
      { ATLAS_ENV: 'production', ATLAS_BASE_URL: 'http://127.0.0.1:8787', ...creds }, // production is https only
    ];
    for (const env of bad) expect(() => configFromEnv(env, HOME, 'ana'), JSON.stringify(env)).toThrow(UsageError);
    expect(configFromEnv({ ATLAS_ENV: 'sandbox', ATLAS_BASE_URL: 'http://127.0.0.1:8787', ...creds }, HOME, 'ana').baseUrl).toBe('http://127.0.0.1:8787');
  });
});

describe('parseCommand', () => {
  it('upper-cases and de-duplicates order numbers and needs exactly one payment method', () => {
    expect(parseCommand(['recover', 'testa123456', 'TESTA123456', '--deposit'])).toMatchObject({ orderNos: ['TESTA123456'], method: 'deposit' });
    expect(() => parseCommand(['recover', 'TESTA123456'])).toThrow(UsageError);
    expect(() => parseCommand(['recover', '--card'])).toThrow(UsageError);
  });

  it('reads --since as a UTC date or an ISO instant and rejects anything else', () => {
    expect(parseSince('2026-11-20')).toBe('2026-11-20T00:00:00.000Z');
    expect(parseSince('2026-11-20T08:00:00+08:00')).toBe('2026-11-20T00:00:00.000Z');
    expect(() => parseSince('last week')).toThrow(UsageError);
  });
});
