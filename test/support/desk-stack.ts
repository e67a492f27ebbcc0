// The desk as main runs it, for the browser tests, the component tests and the UI preview: the real
// desk core (createDesk) over a temp SQLite file, talking to the real simulator over HTTP through
// the real Atlas client; the shell's real handlers (env, settings, credentials) over in-memory
// settings and secrets; the "restart to update" banner; and every call through the shell's own
// `dispatch` (sender check → zod → handler → IpcResult) and every push through `forwardPushes`
// (scrubbed) — what the Electron preload reaches. Nothing here re-implements a desk rule.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import type { Clock, DeskCore, DeskDeps, TeamLink } from '../../electron/core/contract.ts';
import { createDesk, type DeskOptions } from '../../electron/core/desk.ts';
import { dispatch, forwardPushes, type PushSource, type SenderFrameLike } from '../../electron/shell/ipc-registrar.ts';
import { sameTarget, type CredentialTarget, type Credentials, type SecretBox } from '../../electron/shell/secrets.ts';
import { DEFAULT_SETTINGS, type SettingsStore } from '../../electron/shell/settings.ts';
import { createShellHandlers, environmentInfo, type ShellContext } from '../../electron/shell/shell-handlers.ts';
import { createUpdateBanner } from '../../electron/shell/update-banner.ts';
import { createWorkTracker, IDLE, type WorkState } from '../../electron/shell/work-state.ts';
import { startSimulator, type OrderSpec, type RunningSimulator, type SimulatorOptions } from '../../electron/simulator/index.ts';
import type { Channel, EnvironmentInfo, Handlers, IpcResult, Push, PushPayload, Settings, WebhookAddress } from '../../shared/ipc.ts';
import { tempDir } from './temp-dir.ts';

/** The page every call comes from unless a test says otherwise: the packaged app's own. */
export const APP_FRAME: SenderFrameLike = { url: 'app://desk/index.html', parent: null };

export interface DeskStackOptions {
  /** Temp folder prefix (and log name). */
  name?: string;
  /** Default: an empty simulator on 127.0.0.1:0. */
  simulator?: SimulatorOptions;
  /** Orders created in the simulator before the core starts. */
  orders?: readonly OrderSpec[];
  /** A database file to start from (copied): what an earlier stack synced, instead of syncing again. */
  databaseFrom?: string;
  /** Runs on the database file before the core opens it (another process's state in it). */
  prepareDatabase?: (databasePath: string) => void;
  /** Deposit balances in the simulator, per currency. */
  balances?: Record<string, number>;
  settings?: Partial<Settings>;
  /** The desk's clock; default the simulator's (Atlas's) own. */
  clock?: Clock;
  /** The client's transport (the e2e office network; jsdom's fetch seam). */
  fetch?: typeof fetch;
  /** Which page may call in (default: `APP_FRAME` only). */
  isTrustedSender?: (url: string) => boolean;
  /** Core dependencies a test sets itself (card timers, webhook settings…). */
  deps?: Partial<DeskDeps>;
  /** `runQueue: false` keeps every job where it is (queued, waiting): a screen shows it still. */
  core?: DeskOptions;
  team?: TeamLink;
  /** What the shell knows besides settings and secrets (the window's last crash, the OS network). */
  shell?: Partial<ShellState>;
  /** Atlas credentials saved before start, bound to where they were entered for. */
  credentials?: Credentials & { boundTo: CredentialTarget };
  log?: (line: string) => void;
}

/** Shell facts a test may set, read live by env:get. */
export interface ShellState {
  online: boolean;
  windowRecovered: EnvironmentInfo['windowRecovered'];
  appVersion: string;
  diagnostics: string;
  webhookAddresses: readonly WebhookAddress[];
  /** The answer to the native "Change where Atlas calls go?" dialog. */
  confirmTargetChange: boolean;
}

export interface DeskStack {
  sim: RunningSimulator;
  core: DeskCore;
  settings: SettingsStore;
  secrets: SecretBox;
  shell: ShellState;
  handlers: Handlers;
  databasePath: string;
  /** The folder the database and exports live in. */
  dir: string;
  /** One call as the window makes it; `frame` is who asks. */
  dispatch(channel: Channel, request: unknown, frame?: SenderFrameLike): Promise<IpcResult<unknown>>;
  /** Every push as the window receives it (scrubbed); returns the unsubscribe. */
  forward(send: (push: Push, payload: unknown) => void): () => void;
  /** The shell's view of the network changes; env:changed goes out like from the real shell. */
  setShellOnline(online: boolean): void;
  /** An app update finished downloading (electron-updater's `update-downloaded`). */
  updateDownloaded(version: string): void;
  /** Strings that never leave main (the client secrets). */
  secretStrings(): readonly string[];
  close(): Promise<void>;
}

/**
 * The office network between the desk and Atlas. Down means what the OS says when the link is
 * gone: every new request fails before a byte leaves (ENETUNREACH), so no pay.do can be half-sent.
 * Requests already answered or in flight are untouched, as on a real link that drops between them.
 * (The simulator's `reset` fault is the other case: a connection cut after the request was sent.)
 */
export interface OfficeNetwork {
  down(): void;
  up(): void;
  /** Requests turned away while down, so far. */
  refused(): number;
}

/** An office network over `fetchImpl`: pass its `fetch` as the stack's. */
export function officeNetwork(fetchImpl: typeof fetch = fetch): OfficeNetwork & { fetch: typeof fetch } {
  let isDown = false;
  let refused = 0;
  return {
    down: () => void (isDown = true),
    up: () => void (isDown = false),
    refused: () => refused,
    fetch: (input, init) => {
      if (!isDown) return fetchImpl(input, init);
      refused += 1;
      // The shape Node's fetch rejects with when the route is gone.
      const cause = Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH', syscall: 'connect' });
      return Promise.reject(new TypeError('fetch failed', { cause }));
    },
  };
}

function memorySettings(initial: Partial<Settings>): SettingsStore {
  let current: Settings = { ...DEFAULT_SETTINGS, webhook: { ...DEFAULT_SETTINGS.webhook }, atlasProxy: { ...DEFAULT_SETTINGS.atlasProxy }, ...initial };
  return {
    get: () => structuredClone(current),
    update(patch) {
      current = { ...current, ...patch, webhook: { ...current.webhook, ...(patch.webhook ?? {}) } };
      return structuredClone(current);
    },
    recovered: false,
    path: '(memory)',
  };
}

function memorySecrets(): SecretBox {
  let credentials: Credentials | null = null;
  let target: CredentialTarget | null = null;
  return {
    load: async () => {},
    get: () => credentials,
    boundTo: () => target,
    usableFor: (wanted) => (sameTarget(target, wanted) ? credentials : null),
    set: async (c, boundTo) => {
      credentials = { ...c };
      target = { ...boundTo };
    },
    clear: async () => {
      credentials = null;
      target = null;
    },
    storage: () => (credentials ? 'memory_only' : 'none'),
  };
}

export async function startDeskStack(options: DeskStackOptions = {}): Promise<DeskStack> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  const log = options.log ?? (() => {});
  try {
    const sim = await startSimulator({ port: 0, scenario: 'empty', ...options.simulator });
    cleanups.push(() => sim.stop());
    for (const [currency, amount] of Object.entries(options.balances ?? {})) sim.control.setBalance(currency, amount);
    for (const spec of options.orders ?? []) sim.control.createOrder(spec);

    const tmp = tempDir(`desk-${options.name ?? 'stack'}-`);
    cleanups.push(() => tmp.cleanup());
    const databasePath = path.join(tmp.dir, 'desk-training.sqlite');
    if (options.databaseFrom) copyFileSync(options.databaseFrom, databasePath);
    options.prepareDatabase?.(databasePath);

    const settings = memorySettings({ staffName: 'Mei Lin', language: 'en', syncIntervalMinutes: 0, ...options.settings });
    const secrets = memorySecrets();
    if (options.credentials) {
      const { boundTo, ...credentials } = options.credentials;
      await secrets.set(credentials, boundTo);
    }
    const shell: ShellState = {
      online: true,
      windowRecovered: null,
      appVersion: '0.0.0-test',
      diagnostics: 'Atlas Retry Desk diagnostics (test)',
      // This computer's addresses as the receiver may listen on them (loopback, one LAN card).
      webhookAddresses: [
        { address: '127.0.0.1', family: 'IPv4', interface: 'loopback', loopback: true },
        { address: '::1', family: 'IPv6', interface: 'loopback', loopback: true },
        { address: '192.168.1.20', family: 'IPv4', interface: 'Ethernet', loopback: false },
      ],
      confirmTargetChange: false,
      ...options.shell,
    };
    const atlas = createAtlasClient({
      connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret },
      ...(options.fetch ? { fetch: options.fetch } : {}),
      timeouts: { readMs: 5_000, payMs: 15_000, regenerateMs: 15_000 },
      log: (line) => log(line),
    });
    const core = createDesk(
      {
        atlas,
        // The stack is the app in Training mode: the simulator, and env:get says so.
        environment: 'training',
        databasePath,
        clock: options.clock ?? { now: () => sim.control.now() },
        staffName: () => settings.get().staffName,
        osAccount: 'mlin',
        maxConcurrency: () => settings.get().maxConcurrency,
        priceTolerancePercent: () => settings.get().priceTolerancePercent,
        chooseExportPath: async (suggestedName) => path.join(tmp.dir, suggestedName),
        webhook: () => ({ ...settings.get().webhook, publicUrl: settings.get().webhookPublicUrl }),
        webhookAddresses: () => shell.webhookAddresses,
        log: (line) => log(`core: ${line}`),
        ...(options.team ? { team: options.team } : {}),
        ...options.deps,
      },
      options.core ?? {},
    );
    await core.start();
    cleanups.push(() => core.stop({ timeoutMs: 5_000 }));

    // Work state as the shell's background tracker sees it: the update banner waits on it.
    const track = createWorkTracker();
    let work: WorkState = IDLE;
    const workListeners = new Set<() => void>();
    const offWork = core.on('queue:changed', (jobs) => {
      work = track(jobs);
      workListeners.forEach((fn) => fn());
    });
    cleanups.push(offWork);

    // env:changed and update:changed come from the shell, everything else from the core.
    const shellListeners = new Map<Push, Set<(payload: unknown) => void>>();
    const shellPush = (push: Push, payload: unknown) => shellListeners.get(push)?.forEach((fn) => fn(payload));
    const shellContext: ShellContext = {
      settings,
      secrets,
      online: () => shell.online,
      appVersion: shell.appVersion,
      paymentInFlight: () => core.paymentInFlight(),
      databaseRecoveredFrom: () => core.databaseRecoveredFrom(),
      windowRecovered: () => shell.windowRecovered,
      diagnostics: async () => shell.diagnostics,
      copyToClipboard: () => {},
      probeCredentials: (credentials: Credentials) => createAtlasClient({ connection: { baseUrl: sim.baseUrl, ...credentials } }).balance('USD'),
      confirmTargetChange: async () => shell.confirmTargetChange,
      applyEnvironment: async () => {},
      notifyEnvironment: (info) => shellPush('env:changed', info),
      webhookAddresses: () => shell.webhookAddresses,
    };
    const updateListeners = new Set<(info: { version: string }) => void>();
    const updateBanner = createUpdateBanner({
      autoUpdater: { on: (_event, listener) => updateListeners.add(listener) },
      busy: () => work.busy || core.paymentInFlight(),
      onWorkChange: (listener) => {
        workListeners.add(listener);
        return () => workListeners.delete(listener);
      },
      push: (status) => shellPush('update:changed', status),
      quit: () => log('shell: quit requested (restart to update)'),
    });
    cleanups.push(() => updateBanner.stop());
    const handlers: Handlers = { ...core.handlers, ...createShellHandlers(shellContext), ...updateBanner.handlers };
    const pushSource: PushSource = {
      on<P extends Push>(push: P, listener: (payload: PushPayload<P>) => void) {
        const fn = listener as (payload: unknown) => void;
        const own = shellListeners.get(push) ?? new Set();
        shellListeners.set(push, own);
        own.add(fn);
        const offCore = core.on(push, listener);
        return () => {
          own.delete(fn);
          offCore();
        };
      },
    };
    const secretStrings = () => [sim.clientSecret, ...(secrets.get() ? [secrets.get()!.clientSecret] : [])];
    const isTrustedSender = options.isTrustedSender ?? ((url: string) => url === APP_FRAME.url);

    return {
      sim,
      core,
      settings,
      secrets,
      shell,
      handlers,
      databasePath,
      dir: tmp.dir,
      dispatch: (channel, request, frame = APP_FRAME) =>
        dispatch(channel, { senderFrame: frame }, request, { handlers, isTrustedSender, secrets: secretStrings, log }),
      forward: (send) => forwardPushes(pushSource, send, secretStrings),
      setShellOnline(online) {
        shell.online = online;
        shellContext.notifyEnvironment(environmentInfo(shellContext));
      },
      updateDownloaded: (version) => updateListeners.forEach((fn) => fn({ version })),
      secretStrings,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
