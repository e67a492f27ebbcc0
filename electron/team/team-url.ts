// The team database URL (Settings or DESK_TEAM_DATABASE_URL) → node-postgres options, with TLS
// decided here rather than by the driver's defaults: libpq's sslmode words, and no TLS only for a
// server on this machine unless the URL says otherwise. The sslrootcert file is read when a
// connection is made, not here: a CA file that cannot be read for a while (a network share not yet
// mounted) leaves the desk in its team, waiting, never parsed out of it.
import { readFileSync } from 'node:fs';
import type { PoolConfig } from 'pg';
import { parse } from 'pg-connection-string';
import { TeamDbError } from './team-errors.ts';

export type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'require', 'verify-ca', 'verify-full'];

export interface TeamUrl {
  /** Without the CA of `sslrootcert`: connections take `connectionConfig(url)`. */
  config: PoolConfig;
  sslmode: SslMode;
  /** The sslrootcert file, when the sslmode verifies the server against it. */
  caFile: string | null;
  /** host:port/database, never the password: for messages and logs. */
  display: string;
}

function isLocal(host: string): boolean {
  return host.startsWith('/') || host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * Parses and checks a postgres:// URL. `sslmode`: disable, require (encrypted, not verified),
 * verify-ca, verify-full (default for a remote host; the system CAs unless `sslrootcert=<file>`).
 * Throws TeamDbError('bad_url') with a message that never quotes the password.
 */
export function parseTeamUrl(raw: string): TeamUrl {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TeamDbError('bad_url', 'the team database URL is not a URL (expected postgres://user:password@host:5432/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new TeamDbError('bad_url', `the team database URL must start with postgres:// (not ${url.protocol}//)`);
  }
  // TLS is decided below from libpq's words; the driver's parser only reads the rest.
  const plain = new URL(text);
  for (const key of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat']) plain.searchParams.delete(key);
  const parsed = parse(plain.toString());
  const host = parsed.host ?? '';
  const database = parsed.database ?? '';
  if (!host) throw new TeamDbError('bad_url', 'the team database URL has no host');
  if (!database) throw new TeamDbError('bad_url', 'the team database URL has no database name (…/database at the end)');
  if (!parsed.user) throw new TeamDbError('bad_url', 'the team database URL has no user name');
  const requested = url.searchParams.get('sslmode');
  if (requested !== null && !SSL_MODES.includes(requested as SslMode)) {
    throw new TeamDbError('bad_url', `sslmode must be one of ${SSL_MODES.join(', ')}`);
  }
  const sslmode: SslMode = (requested as SslMode | null) ?? (isLocal(host) ? 'disable' : 'verify-full');
  const rootCert = url.searchParams.get('sslrootcert');
  const port = parsed.port ? Number(parsed.port) : 5432;
  const config: PoolConfig = {
    host,
    port,
    database,
    user: parsed.user,
    ...(parsed.password !== undefined ? { password: parsed.password } : {}),
    application_name: 'atlas-retry-desk',
  };
  if (sslmode === 'disable') config.ssl = false;
  else if (sslmode === 'require') config.ssl = { rejectUnauthorized: false };
  else if (sslmode === 'verify-ca') config.ssl = { rejectUnauthorized: true, checkServerIdentity: () => undefined };
  else config.ssl = { rejectUnauthorized: true, servername: host };
  const caFile = rootCert && (sslmode === 'verify-ca' || sslmode === 'verify-full') ? rootCert : null;
  return { config, sslmode, caFile, display: `${host}:${port}/${database}` };
}

/**
 * The options for one connection: `url.config` plus the CA read from its file now. An unreadable
 * file is TeamDbError('ca_unreadable'), which callers treat like an unreachable server (try later).
 */
export function connectionConfig(url: TeamUrl): PoolConfig {
  if (!url.caFile) return url.config;
  let ca: string;
  try {
    ca = readFileSync(url.caFile, 'utf8');
  } catch {
    throw new TeamDbError('ca_unreadable', `the CA file ${url.caFile} (sslrootcert) of the team database at ${url.display} cannot be read`);
  }
  return { ...url.config, ssl: { ...(url.config.ssl as object), ca } };
}
