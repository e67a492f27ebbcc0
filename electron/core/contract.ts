// How the Electron shell (and the CLI, and the browser-test bridge) see the desk core. The core is
// plain Node: everything platform-specific arrives through DeskDeps.
import type { AtlasApi } from '../atlas/api.ts';
import type { CoreChannel, Environment, Handlers, Push, PushPayload } from '../../shared/ipc.ts';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Tells the queue when the network is back; the shell feeds it from net.isOnline / powerMonitor. */
export interface OnlineSignal {
  isOnline(): boolean;
  onChange(listener: (online: boolean) => void): () => void;
}

export interface DeskDeps {
  atlas: AtlasApi;
  /**
   * Which Atlas `atlas` talks to (Training: the simulator). The card check depends on it: Atlas's
   * documented sandbox test cards are accepted in Training and Sandbox only.
   */
  environment: Environment;
  /** Absolute path of the SQLite file. */
  databasePath: string;
  clock: Clock;
  online?: OnlineSignal;
  /** Staff name recorded on every intent. */
  staffName: () => string;
  queueConcurrency?: () => number;
  /**
   * The optional webhook receiver (off by default). Read at start(); the shell restarts the core
   * when the setting changes.
   */
  webhook?: () => { enabled: boolean; host: string; port: number };
  /** Where history:export writes; the shell asks the user with a save dialog. */
  chooseExportPath?: () => Promise<string | null>;
  log?: (line: string) => void;
}

export interface DeskCore {
  readonly handlers: Handlers<CoreChannel>;
  on<P extends Push>(push: P, listener: (payload: PushPayload<P>) => void): () => void;
  /** Opens the store, reconciles in-flight steps from a previous run, starts the queue. */
  start(): Promise<void>;
  /** Stops taking new steps and waits (bounded) for in-flight ones. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Where an unreadable database file was moved aside at start(), or null. */
  databaseRecoveredFrom(): string | null;
  /** True while a pay.do or regenerateOrder.do call is on the wire. */
  paymentInFlight(): boolean;
}
