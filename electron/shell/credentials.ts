// The credentials:test verdict (docs/money-safety.md rule 7): one balance.do call, classified for
// the settings screen. The verdict is a word from a closed set; the secret never comes back out.
import type { CredentialsTestResult } from '../../shared/ipc.ts';
import { failureOf } from '../atlas/api.ts';
import type { Credentials } from './secrets.ts';

/**
 * Maps the outcome of one balance.do call to a verdict for the settings screen.
 *
 * Heuristic for 'ip_not_whitelisted' (docs/atlas-api.md §1.1: production requires an IP whitelist,
 * but the docs do not say how a non-whitelisted caller is answered): we read HTTP 403 and business
 * 902 ("access denied (permission / scope)") as "this machine's address is not allowed". Both can
 * also mean a missing API permission, which the settings screen mentions in the same sentence.
 * Business 900 (unauthorised) and the client's `unauthorized` kind mean wrong id or secret.
 */
export function classifyCredentialsTest(error: unknown): CredentialsTestResult {
  if (error === undefined) return 'ok';
  const failure = failureOf(error);
  if (!failure) return 'error';
  if (failure.httpStatus === 403 || failure.code === 902) return 'ip_not_whitelisted';
  if (failure.kind === 'unauthorized' || failure.code === 900 || failure.httpStatus === 401) return 'wrong_credentials';
  if (failure.kind === 'network' || failure.kind === 'timeout') return 'unreachable';
  return 'error';
}

/** Runs `probe` (a balance.do call with the given credentials) and classifies the outcome. */
export async function testCredentials(
  credentials: Credentials | null,
  probe: (credentials: Credentials) => Promise<unknown>,
): Promise<CredentialsTestResult> {
  if (!credentials) return 'wrong_credentials';
  try {
    await probe(credentials);
    return 'ok';
  } catch (error) {
    return classifyCredentialsTest(error ?? new Error('unknown'));
  }
}
