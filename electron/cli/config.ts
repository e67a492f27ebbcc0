// CLI configuration from the environment (the variables are listed in the top-level README.md, "The
// headless CLI"). Pure: takes the env and the home directory, so it is tested without touching
// process state. Nothing set → Training mode (embedded simulator).
import { isAbsolute, join, resolve } from 'node:path';
import { checkAtlasBaseUrl, checkProxyUrl, HOST_PROBLEM_TEXT } from '../../shared/atlas-host.ts';
import type { HostVerdict } from '../../shared/atlas-host.ts';
import { MAX_PRICE_TOLERANCE_PERCENT } from '../../shared/approval.ts';
import { CONCURRENCY_BOUNDS, type Environment } from '../../shared/ipc.ts';
import { TeamDbError } from '../team/team-errors.ts';
import { parseTeamUrl } from '../team/team-url.ts';
import { UsageError } from './errors.ts';

export const SANDBOX_BASE_URL = 'https://sandbox.atriptech.com';

export interface CliConfig {
  environment: Environment;
  /** Null in Training mode: the simulator's URL is known only once it listens. */
  baseUrl: string | null;
  searchBaseUrl: string | null;
  /**
   * ATLAS_PROXY_URL: every Atlas call — client secret and card included — goes here instead of the
   * Atlas host (an agency proxy that forwards to Atlas, or a local simulator). Null: straight to Atlas.
   */
  proxyUrl: string | null;
  /** Held in memory only; never written anywhere by the CLI. */
  clientId: string | null;
  clientSecret: string | null;
  dataDir: string;
  staff: string;
  /** DESK_DEBUG=1: one log line per Atlas call on stderr (never bodies or secrets). */
  debug: boolean;
  /** DESK_TEAM_DATABASE_URL: team mode (the agency's shared PostgreSQL); null = this desk alone. */
  teamDatabaseUrl: string | null;
  /** DESK_MAX_CONCURRENCY: the most recovery jobs at once, as the app's Settings (default 16). */
  maxConcurrency: number;
  /**
   * DESK_PRICE_TOLERANCE_PERCENT: how far above the amount approved a job may still pay, in percent
   * of that amount (the app's Settings → price tolerance). Default 0.
   */
  priceTolerancePercent: number;
}

const ATLAS_VARS = ['ATLAS_BASE_URL', 'ATLAS_SEARCH_BASE_URL', 'ATLAS_PROXY_URL', 'ATLAS_CLIENT_ID', 'ATLAS_CLIENT_SECRET'] as const;

/** The app's host rule (docs/money-safety.md rule 14): the normalised URL, or a one-line usage error. */
function checkUrl(name: string, raw: string, check: (raw: string) => HostVerdict): string {
  const verdict = check(raw);
  if (verdict.ok) return verdict.url;
  const hint = verdict.problem === 'not_atlas_host' ? '; to send Atlas calls to an agency proxy or a local simulator, set ATLAS_PROXY_URL' : '';
  throw new UsageError(`${name} ${HOST_PROBLEM_TEXT[verdict.problem]}${hint}`);
}

/** DESK_MAX_CONCURRENCY, within the app's bounds; anything else is a usage error, never clamped. */
function maxConcurrencyOf(raw: string | null): number {
  if (raw === null) return CONCURRENCY_BOUNDS.default;
  const { min, max } = CONCURRENCY_BOUNDS;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`DESK_MAX_CONCURRENCY must be a whole number from ${min} to ${max}, not "${raw.slice(0, 20)}"`);
  return n;
}

export function configFromEnv(env: Record<string, string | undefined>, home: string, username: string): CliConfig {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const rawEnv = value('ATLAS_ENV');
  if (rawEnv !== null && rawEnv !== 'training' && rawEnv !== 'sandbox' && rawEnv !== 'production') {
    throw new UsageError(`ATLAS_ENV must be training, sandbox or production, not "${rawEnv}"`);
  }
  // Connection settings without ATLAS_ENV are ambiguous: refuse rather than guess an environment.
  if (rawEnv === null && ATLAS_VARS.some((name) => value(name) !== null)) {
    throw new UsageError('set ATLAS_ENV=sandbox or ATLAS_ENV=production along with the ATLAS_* settings');
  }
  const environment: Environment = rawEnv ?? 'training';
  const dataDirRaw = value('DESK_DATA_DIR');
  const dataDir = dataDirRaw ? (isAbsolute(dataDirRaw) ? dataDirRaw : resolve(dataDirRaw)) : join(home, '.atlas-retry-desk');
  const staff = value('DESK_STAFF') ?? (username || 'cli');
  if (staff.length > 80) throw new UsageError('DESK_STAFF is longer than 80 characters');
  const debug = value('DESK_DEBUG') === '1';
  const maxConcurrency = maxConcurrencyOf(value('DESK_MAX_CONCURRENCY'));
  const priceTolerancePercent = tolerance(value('DESK_PRICE_TOLERANCE_PERCENT'));
  const teamDatabaseUrl = value('DESK_TEAM_DATABASE_URL');
  if (teamDatabaseUrl !== null) {
    // Training replays the same order numbers every run: never mix them into a team's real history.
    if (environment === 'training') throw new UsageError('DESK_TEAM_DATABASE_URL needs ATLAS_ENV=sandbox or production (Training is replayed on every run)');
    try {
      parseTeamUrl(teamDatabaseUrl);
    } catch (error) {
      if (error instanceof TeamDbError) throw new UsageError(`DESK_TEAM_DATABASE_URL: ${error.message}`);
      throw error;
    }
  }

  if (environment === 'training') {
    return { environment, baseUrl: null, searchBaseUrl: null, proxyUrl: null, clientId: null, clientSecret: null, dataDir, staff, debug, teamDatabaseUrl: null, maxConcurrency, priceTolerancePercent };
  }
  const clientId = value('ATLAS_CLIENT_ID');
  const clientSecret = env.ATLAS_CLIENT_SECRET ?? null;
  if (!clientId || !clientSecret) throw new UsageError(`${environment} needs ATLAS_CLIENT_ID and ATLAS_CLIENT_SECRET`);
  const baseRaw = value('ATLAS_BASE_URL') ?? (environment === 'sandbox' ? SANDBOX_BASE_URL : null);
  // Production hosts are per account (docs/atlas-api.md §1.1): never guessed.
  if (!baseRaw) throw new UsageError('production needs ATLAS_BASE_URL (the transaction host shown in ATRIP)');
  const baseUrl = checkUrl('ATLAS_BASE_URL', baseRaw, checkAtlasBaseUrl);
  const searchRaw = value('ATLAS_SEARCH_BASE_URL');
  const searchBaseUrl = searchRaw ? checkUrl('ATLAS_SEARCH_BASE_URL', searchRaw, checkAtlasBaseUrl) : baseUrl;
  const proxyRaw = value('ATLAS_PROXY_URL');
  const proxyUrl = proxyRaw ? checkUrl('ATLAS_PROXY_URL', proxyRaw, checkProxyUrl) : null;
  return { environment, baseUrl, searchBaseUrl, proxyUrl, clientId, clientSecret, dataDir, staff, debug, teamDatabaseUrl, maxConcurrency, priceTolerancePercent };
}

/** "0" to "10" with at most two decimals (same range as the app's setting); unset → 0. */
function tolerance(raw: string | null): number {
  if (raw === null) return 0;
  const percent = /^\d{1,2}(\.\d{1,2})?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(percent >= 0 && percent <= MAX_PRICE_TOLERANCE_PERCENT)) {
    throw new UsageError(`DESK_PRICE_TOLERANCE_PERCENT must be a percentage from 0 to ${MAX_PRICE_TOLERANCE_PERCENT} with at most two decimals, not "${raw}"`);
  }
  return percent;
}

/**
 * One SQLite file per environment, like the app, so training orders never mix with real ones.
 * Training gets a CLI-only name: it is wiped at every run (see ./session.ts) and must never be the
 * app's own training database, even when DESK_DATA_DIR points at the app's data folder.
 */
export function databasePath(config: CliConfig): string {
  const name = config.environment === 'training' ? 'cli-training' : `desk-${config.environment}`;
  return join(config.dataDir, `${name}.sqlite`);
}
