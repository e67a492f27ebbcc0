// A throwaway PostgreSQL cluster per test file (scripts/pg-cluster.ts), real, never mocked. Where
// the server binaries are missing the team tests skip with one line, except under CI, where they
// must run (.ci/run installs Debian's postgresql) and fail with the reason instead.
import { afterAll, beforeAll, describe } from 'vitest';
import { findPgBin, startCluster, type ClusterOptions, type PgCluster } from '../../scripts/pg-cluster.ts';

const available = findPgBin() !== null;
if (!available && !process.env.CI) console.log('team tests skipped: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)');

/** `describe`, or `describe.skip` outside CI when PostgreSQL is not installed. */
export const describeTeam = available || process.env.CI ? describe : describe.skip;

/** Starts a cluster before the file's tests and destroys it (by PID) after them. */
export function useCluster(options: ClusterOptions = {}): { readonly current: PgCluster } {
  const ref: { current: PgCluster } = { current: null as unknown as PgCluster };
  beforeAll(async () => {
    ref.current = await startCluster(options);
  }, 90_000);
  afterAll(async () => {
    await ref.current?.destroy();
  }, 60_000);
  return ref;
}
