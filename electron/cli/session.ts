// Opens what one CLI invocation needs: the Atlas connection (Training: the embedded simulator on
// 127.0.0.1:0), the Atlas client and the desk core over the SQLite file for the environment.
//
// Training mode: the simulator's orders live only as long as this process. So every run replays the
// same world — fixed seed, simulated clock starting at 00:00 UTC today, and the desk reading the
// simulator's clock — which keeps order numbers stable between commands (`failed`, then `recover`
// an order from that list), while the training database is deleted and rebuilt at every run and
// filled by one sync before the command: nothing stored can describe orders that no longer exist.
import { rmSync } from 'node:fs';
import type { AtlasConnection } from '../atlas/api.ts';
import { createAtlasClient } from '../atlas/client.ts';
import type { DeskCore } from '../core/contract.ts';
import { createDesk } from '../core/desk.ts';
import { startSimulator } from '../simulator/index.ts';
import { databasePath, type CliConfig } from './config.ts';

/** Fixed so the Training world is the same on every run (with the start time below). */
export const TRAINING_SEED = 1;
const DAY_MS = 86_400_000;

/** 00:00 UTC of the current day: order numbers and deadlines derive from it. */
export function trainingStartTime(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

export interface Session {
  desk: DeskCore;
  training: boolean;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Run the retry queue (only `recover` does). */
  runQueue: boolean;
  log: (line: string) => void;
  /** Where history:export writes (the app asks with a save dialog; the CLI takes an argument). */
  exportPath?: string;
}

export async function openSession(config: CliConfig, options: SessionOptions): Promise<Session> {
  const training = config.environment === 'training';
  const simulator = training ? await startSimulator({ host: '127.0.0.1', port: 0, seed: TRAINING_SEED, startTime: trainingStartTime(Date.now()) }) : null;
  const connection: AtlasConnection = simulator
    ? { baseUrl: simulator.baseUrl, searchBaseUrl: simulator.baseUrl, clientId: simulator.clientId, clientSecret: simulator.clientSecret }
    : {
        baseUrl: config.baseUrl as string,
        searchBaseUrl: config.searchBaseUrl ?? (config.baseUrl as string),
        clientId: config.clientId as string,
        clientSecret: config.clientSecret as string,
      };
  const atlas = createAtlasClient({ connection, ...(config.debug ? { log: options.log } : {}) });
  const path = databasePath(config);
  if (training) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const desk = createDesk(
    {
      atlas,
      databasePath: path,
      // Training: the simulator's clock, or deadlines would be judged against another day.
      clock: simulator ? { now: () => simulator.control.now() } : { now: () => Date.now() },
      staffName: () => config.staff,
      chooseExportPath: async () => options.exportPath ?? null,
      log: (line) => {
        // A database moved aside is always worth telling; the rest only with DESK_DEBUG=1.
        if (config.debug || line.includes('unreadable')) options.log(line);
      },
    },
    { runQueue: options.runQueue },
  );
  try {
    await desk.start();
    if (training) await desk.handlers['orders:sync']({});
  } catch (error) {
    await desk.stop({ timeoutMs: 1000 }).catch(() => {});
    await simulator?.stop();
    throw error;
  }
  return {
    desk,
    training,
    close: async () => {
      await desk.stop({ timeoutMs: 15_000 });
      await simulator?.stop();
    },
  };
}
