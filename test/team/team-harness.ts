// A desk in team mode for in-process tests: the real queue on a temp SQLite file, the real Atlas
// client against the simulator, and a real TeamSession on the throwaway PostgreSQL cluster.
import { join } from 'node:path';
import type { ChainClaims } from '../../electron/core/chain-claims.ts';
import type { TeamLink } from '../../electron/core/contract.ts';
import { RetryQueue, type QueueDeps } from '../../electron/core/queue.ts';
import { openDatabase, type DeskDatabase } from '../../electron/store/db.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { createTeamSession, type TeamSessionOptions } from '../../electron/team/team-session.ts';
import type { Job } from '../../shared/desk.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import { atlasFor, fastSleep } from '../core/queue-harness.ts';
import { tempDir } from '../support/temp-dir.ts';

export interface TeamDesk {
  dir: string;
  store: DeskDatabase;
  queue: RetryQueue;
  team: TeamLink;
  claims: ChainClaims;
  /** Like desk.start(): the team schema first, then the queue. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function openTeamDesk(
  sim: RunningSimulator,
  url: string,
  staff: string,
  extra: { queue?: Partial<QueueDeps>; team?: Partial<TeamSessionOptions> } = {},
): TeamDesk {
  const dir = tempDir('desk-team-').dir;
  const store = openDatabase(join(dir, 'desk.db'));
  const team = createTeamSession({ url, staff: () => staff, ttlMs: 3000, retryMs: 50, pollMs: 50, timeoutMs: 2000, ...extra.team });
  const claims = team.attach({ db: store.db, onRemoteChange: () => {}, onStatus: () => {} });
  const queue = new RetryQueue({
    db: store.db,
    atlas: atlasFor(sim),
    clock: { now: () => sim.control.now() },
    sleep: fastSleep,
    random: () => 0.5,
    probeBaseMs: 20,
    probeCapMs: 200,
    claims,
    ...extra.queue,
  });
  // What desk.ts does: a settled job gives its chain back.
  const seen = new Set<string>();
  queue.onChange((jobs: Job[]) => {
    for (const job of jobs) {
      if (SETTLED_JOB_STATES.includes(job.state) && !seen.has(job.id)) {
        seen.add(job.id);
        team.jobSettled(job);
      }
    }
  });
  return {
    dir,
    store,
    queue,
    team,
    claims,
    start: async () => {
      await team.ready(10_000);
      await queue.start();
    },
    close: async () => {
      await queue.stop({ timeoutMs: 5000 });
      await team.detach({ timeoutMs: 10_000 });
      store.close();
    },
  };
}

/** Resolves when `check` holds (polling every 20 ms), or rejects after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
