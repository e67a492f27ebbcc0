// Shared set-up for the queue/runner tests: the real simulator over HTTP, the real Atlas client,
// a real temp SQLite file, and back-off sleeps compressed to a few ms (the schedules still run in
// order, only faster). Nothing about the money path is mocked.
import { join } from 'node:path';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { realSleep, type Sleep } from '../../electron/core/backoff.ts';
import { RetryQueue, type QueueDeps } from '../../electron/core/queue.ts';
import { openDatabase, type DeskDatabase } from '../../electron/store/db.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

export const fastSleep: Sleep = (ms, signal) => realSleep(Math.min(ms, 3), signal);

export interface Desk {
  dir: string;
  store: DeskDatabase;
  atlas: AtlasApi;
  queue: RetryQueue;
  close(): Promise<void>;
}

export function atlasFor(sim: RunningSimulator, timeoutMs = 1500): AtlasApi {
  return createAtlasClient({
    connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret },
    timeouts: { readMs: timeoutMs, payMs: timeoutMs, regenerateMs: timeoutMs },
  });
}

export function openDesk(sim: RunningSimulator, extra: Partial<QueueDeps> = {}, dir?: string): Desk {
  const home = dir ?? tempDir('desk-queue-').dir;
  const store = openDatabase(join(home, 'desk.db'));
  const atlas = extra.atlas ?? atlasFor(sim);
  const queue = new RetryQueue({
    db: store.db,
    atlas,
    clock: { now: () => sim.control.now() },
    sleep: fastSleep,
    random: () => 0.5,
    ...extra,
  });
  return {
    dir: home,
    store,
    atlas,
    queue,
    close: async () => {
      await queue.stop({ timeoutMs: 5000 });
      store.close();
    },
  };
}

export async function withSimulator(seed = 7): Promise<RunningSimulator> {
  const sim = await startTestSimulator({ seed, ticketingDelayMs: 0 });
  sim.control.setBalance('USD', 1_000_000);
  return sim;
}
