// Opens what one CLI invocation needs: the Atlas connection (Training: the embedded simulator on
// 127.0.0.1:0), the Atlas client and the desk core over the SQLite file for the environment.
//
// Training mode: the simulator's orders live only as long as this process. So every run replays the
// same world — fixed seed, simulated clock starting at 00:00 UTC today, and the desk reading the
// simulator's clock — which keeps order numbers stable between commands (`failed`, then `recover`
// an order from that list), while the training database is deleted and rebuilt at every run and
// filled by one sync before the command: nothing stored can describe orders that no longer exist.
// One thing is carried over: staff marks (`add <orderNo> --failed`, `confirm-not-charged
// <orderNo>`), kept in cli-training-marks.json for the same Training day and replayed after that
// sync, so the documented `add --failed` (or `confirm-not-charged`), then `recover` works across
// runs. Payments are never replayed.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isAtlasRequestUrl, sameOrigin } from '../../shared/atlas-host.ts';
import type { AtlasConnection } from '../atlas/api.ts';
import { createAtlasClient } from '../atlas/client.ts';
import type { DeskCore } from '../core/contract.ts';
import { createDesk } from '../core/desk.ts';
import { writeFileAtomically } from '../store/atomic-file.ts';
import { deleteTrainingDatabase } from '../store/db.ts';
import { startSimulator } from '../simulator/index.ts';
import type { TeamLink } from '../core/contract.ts';
import { TeamDbError } from '../team/team-errors.ts';
import { databasePath, type CliConfig } from './config.ts';
import { UsageError } from './errors.ts';

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
  /** Training: keep these staff marks for the next runs of the same day (no-op otherwise). */
  rememberMarked(orderNos: string[]): void;
  /** Training: keep this "the card was not charged" likewise. */
  rememberNotCharged(orderNo: string): void;
  close(): Promise<void>;
}

interface TrainingMarks {
  /** trainingStartTime of the world the order numbers belong to (ISO). */
  day: string;
  marked: string[];
  /** Orders staff confirmed the started card charge took no money (absent in older files). */
  notCharged?: string[];
}

export function trainingMarksPath(config: CliConfig): string {
  return join(config.dataDir, 'cli-training-marks.json');
}

const orderNos = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((o): o is string => typeof o === 'string' && /^[A-Z0-9]{6,40}$/.test(o)) : [];

/** Marks for the world that starts at `day`; none when the file is missing, unreadable or from another day. */
export function readTrainingMarks(path: string, day: string): { marked: string[]; notCharged: string[] } {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<TrainingMarks>;
    if (raw.day !== day || !Array.isArray(raw.marked)) return { marked: [], notCharged: [] };
    return { marked: orderNos(raw.marked), notCharged: orderNos(raw.notCharged) };
  } catch {
    return { marked: [], notCharged: [] };
  }
}

function writeTrainingMarks(path: string, marks: TrainingMarks): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomically(path, `${JSON.stringify(marks satisfies TrainingMarks)}\n`);
}

export interface SessionOptions {
  /** Run the retry queue (only `recover` does). */
  runQueue: boolean;
  log: (line: string) => void;
  /** Where history:export writes (the app asks with a save dialog; the CLI takes an argument). */
  exportPath?: string;
  /** The OS login running the CLI, recorded on every timeline event. */
  osAccount: string | null;
}

/**
 * Team mode: the team database must answer (and be migrated) before anything else happens. Loaded
 * only when asked for, so a desk on its own starts exactly as before (no PostgreSQL driver).
 */
async function openTeam(config: CliConfig, log: (line: string) => void): Promise<TeamLink> {
  const [{ checkTeamDatabase }, { createTeamSession }] = await Promise.all([import('../team/team-db.ts'), import('../team/team-session.ts')]);
  const url = config.teamDatabaseUrl as string;
  try {
    await checkTeamDatabase(url);
  } catch (error) {
    if (error instanceof TeamDbError) throw new UsageError(`team database: ${error.message}`);
    throw error;
  }
  return createTeamSession({ url, staff: () => config.staff, log: (line) => config.debug && log(line) });
}

export async function openSession(config: CliConfig, options: SessionOptions): Promise<Session> {
  const training = config.environment === 'training';
  const team = config.teamDatabaseUrl ? await openTeam(config, options.log) : null;
  const startTime = trainingStartTime(Date.now());
  const day = new Date(startTime).toISOString();
  const simulator = training ? await startSimulator({ host: '127.0.0.1', port: 0, seed: TRAINING_SEED, startTime }) : null;
  const marksPath = trainingMarksPath(config);
  const kept = training ? readTrainingMarks(marksPath, day) : { marked: [], notCharged: [] };
  let marked = kept.marked;
  let notCharged = kept.notCharged;
  // Where the credentials may go (docs/money-safety.md rule 14): the in-process simulator, the
  // proxy named in ATLAS_PROXY_URL, or else Atlas's own hosts.
  const onlyTo = simulator?.baseUrl ?? config.proxyUrl;
  const connection: AtlasConnection = simulator
    ? { baseUrl: simulator.baseUrl, searchBaseUrl: simulator.baseUrl, clientId: simulator.clientId, clientSecret: simulator.clientSecret }
    : {
        baseUrl: onlyTo ?? (config.baseUrl as string),
        searchBaseUrl: onlyTo ?? config.searchBaseUrl ?? (config.baseUrl as string),
        clientId: config.clientId as string,
        clientSecret: config.clientSecret as string,
      };
  const atlas = createAtlasClient({
    connection,
    mayReceiveCredentials: onlyTo ? (url) => sameOrigin(url, onlyTo) : isAtlasRequestUrl,
    ...(config.debug ? { log: options.log } : {}),
  });
  const path = databasePath(config);
  if (training) deleteTrainingDatabase(path);
  const desk = createDesk(
    {
      atlas,
      environment: config.environment,
      databasePath: path,
      // Training: the simulator's clock, or deadlines would be judged against another day.
      clock: simulator ? { now: () => simulator.control.now() } : { now: () => Date.now(), monotonic: () => performance.now() },
      staffName: () => config.staff,
      priceTolerancePercent: () => config.priceTolerancePercent,
      osAccount: options.osAccount,
      maxConcurrency: () => config.maxConcurrency,
      ...(team ? { team } : {}),
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
    if (training) {
      await desk.handlers['orders:sync']({});
      if (marked.length > 0) marked = (await desk.handlers['orders:add']({ orderNos: marked, markFailed: true })).added;
      // Replayed per order, as given: one that no longer shows a started card charge is dropped.
      const replayed: string[] = [];
      for (const orderNo of notCharged) {
        await desk.handlers['orders:confirmNotCharged']({ orderNo }).then(
          () => replayed.push(orderNo),
          () => {},
        );
      }
      notCharged = replayed;
    }
  } catch (error) {
    await desk.stop({ timeoutMs: 1000 }).catch(() => {});
    await simulator?.stop();
    throw error;
  }
  return {
    desk,
    training,
    rememberMarked: (orderNos) => {
      if (!training) return;
      marked = [...new Set([...marked, ...orderNos])];
      writeTrainingMarks(marksPath, { day, marked, notCharged });
    },
    rememberNotCharged: (orderNo) => {
      if (!training) return;
      notCharged = [...new Set([...notCharged, orderNo])];
      writeTrainingMarks(marksPath, { day, marked, notCharged });
    },
    close: async () => {
      await desk.stop({ timeoutMs: 15_000 });
      await simulator?.stop();
    },
  };
}
