// How the Electron shell (and the CLI, and the browser-test bridge) see the desk core. The core is
// plain Node: everything platform-specific arrives through DeskDeps.
import type { AtlasApi } from '../atlas/api.ts';
import type { VaultTimers } from './card-vault.ts';
import type { CoreChannel, Environment, Handlers, Push, PushPayload, WebhookAddress } from '../../shared/ipc.ts';
import type { HintLimits } from './hint-gate.ts';

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
  /** The OS login the desk runs under (os.userInfo().username), recorded on every timeline event beside the staff name. */
  osAccount: string | null;
  queueConcurrency?: () => number;
  /**
   * The optional webhook receiver (off by default). Read at start(); the shell restarts the core
   * when enabled/host/port change. `publicUrl` (the agency's https proxy address, '' when unset) is
   * read whenever the status is asked for.
   */
  webhook?: () => { enabled: boolean; host: string; port: number; publicUrl?: string };
  /** Bounds on the Atlas queries webhook hints may cause; the defaults of hint-gate.ts otherwise. */
  hintLimits?: Partial<HintLimits>;
  /** The machine's addresses the receiver may bind (tests inject them); os.networkInterfaces() otherwise. */
  webhookAddresses?: () => readonly WebhookAddress[];
  /** How long a card stays in memory for its job (15 minutes by default). */
  cardTtlMs?: number;
  /** Timers of the card vault; tests inject fake ones. */
  cardTimers?: VaultTimers;
  /** Where history:export and reports:export write; the shell asks the user with a save dialog. */
  chooseExportPath?: (suggestedName: string) => Promise<string | null>;
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
