// How the Electron shell (and the CLI, and the browser-test bridge) see the desk core. The core is
// plain Node: everything platform-specific arrives through DeskDeps.
import type { DatabaseSync } from 'node:sqlite';
import type { AtlasApi } from '../atlas/api.ts';
import type { Job, TeamHold, TimelineEvent } from '../../shared/desk.ts';
import type { Sleep } from './backoff.ts';
import type { VaultTimers } from './card-vault.ts';
import type { CoreChannel, Environment, Handlers, HistoryQuery, Push, PushPayload, TeamStatus, WebhookAddress } from '../../shared/ipc.ts';
import type { ChainClaims } from './chain-claims.ts';
import type { HintLimits } from './hint-gate.ts';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Milliseconds on a clock nobody sets (performance.now), for time that passed while the wall
   * clock may have been set (./atlas-clock.ts). Absent: the wall clock is trusted alone.
   */
  monotonic?(): number;
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
  /**
   * Settings' max concurrency: the most recovery jobs talking to Atlas at once, read on every
   * scheduling pass. The queue adapts below it (./adaptive-limit.ts). Default 16.
   */
  maxConcurrency?: () => number;
  /**
   * How far above the amount staff approved a job may still pay, in percent of that amount, per
   * source (shared/approval.ts). Read before every check; default 0.
   */
  priceTolerancePercent?: () => number;
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
  /** The queue's waits (ticketing polls, back-off); tests compress them. Real time by default. */
  sleep?: Sleep;
  /**
   * Team mode (optional): the agency's shared PostgreSQL database, built by the composition root
   * (electron/team/). Without it the desk works on its own, exactly as before.
   */
  team?: TeamLink;
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

/** What the core needs from team mode; electron/team/team-session.ts implements it. */
export interface TeamLink {
  /**
   * Called once the local store is open: starts shipping this desk's timeline, listening for other
   * desks, and returns the claims the runner must hold before any pay/regenerate.
   */
  attach(local: {
    db: DatabaseSync;
    onRemoteChange: (orderNos: string[]) => void;
    onStatus: (status: TeamStatus) => void;
    /** Hears every error team mode catches and carries on from, so the local store failing reaches staff. */
    noteError?: (error: unknown) => void;
  }): ChainClaims;
  /** Resolves once the team schema is ready, or after `timeoutMs` (a server that is down only pauses jobs). */
  ready(timeoutMs: number): Promise<void>;
  /** A job settled: release its chain once its timeline reached the team database. */
  jobSettled(job: Job): void;
  /** Staff checked these jobs' unconfirmed payments: their open steps stop blocking other desks. */
  acknowledged(jobIds: string[]): void;
  /** Another desk's hold on the chain of `orderNo` (from a cache kept fresh by LISTEN/NOTIFY). */
  holderOf(orderNo: string): TeamHold | null;
  /** Other desks' events on these orders, oldest first (empty when the team database cannot answer). */
  timeline(orderNos: string[]): Promise<TimelineEvent[]>;
  /** Orders other desks worked on in the window, most recent first. */
  history(query: HistoryQuery): Promise<{ orderNo: string; lastEventAt: string; actor: string; osAccount: string | null }[]>;
  status(): TeamStatus;
  /** Ships what is left (bounded), releases, stops listening and closes the connections. */
  detach(options?: { timeoutMs?: number }): Promise<void>;
}
