// What can go wrong reaching the team database, in the words Settings and the CLI show.
/** `ca_unreadable`: the sslrootcert file cannot be read right now (moved, a share not mounted). */
export type TeamDbErrorKind = 'bad_url' | 'auth' | 'unreachable' | 'tls' | 'ca_unreadable' | 'stored_unreadable' | 'newer_schema' | 'error';

export class TeamDbError extends Error {
  readonly kind: TeamDbErrorKind;
  constructor(kind: TeamDbErrorKind, message: string) {
    super(message);
    this.name = 'TeamDbError';
    this.kind = kind;
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const TLS_CODES = /^(ERR_TLS_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|CERT_|ERR_SSL_|HOSTNAME_MISMATCH)/;
/** Server said: gone, starting up, shutting down, too many connections. */
const SERVER_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);

/** Classifies a node-postgres / socket error; the message names the server, never the password. */
export function classifyPgError(error: unknown, where: string): TeamDbError {
  if (error instanceof TeamDbError) return error;
  const e = error as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  const message = e?.message ?? String(error);
  if (code === '28P01' || code === '28000') return new TeamDbError('auth', `the team database at ${where} refused the user name or password`);
  if (code === '3D000') return new TeamDbError('bad_url', `the team database at ${where} does not exist`);
  if (TLS_CODES.test(code) || /certificate|self[- ]signed|SSL|TLS/i.test(message)) {
    return new TeamDbError('tls', `TLS to the team database at ${where} failed: ${message}`);
  }
  if (UNREACHABLE.has(code) || SERVER_UNAVAILABLE.has(code) || /timeout|terminated|Connection terminated|not queryable/i.test(message)) {
    return new TeamDbError('unreachable', `cannot reach the team database at ${where} (${code || message})`);
  }
  return new TeamDbError('error', `team database at ${where}: ${message}`);
}
