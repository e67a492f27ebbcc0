// Holds the current desk core and lets the shell swap it when the environment changes (training ↔
// sandbox ↔ production each have their own database, so training orders never mix with real ones).
// The IPC registrar and push forwarding talk to the host, which delegates to whichever core is live.
import type { DeskCore } from '../core/contract.ts';
import type { CoreChannel, Environment, Handlers, Push, PushPayload } from '../../shared/ipc.ts';
import { CHANNEL_NAMES, PUSH_NAMES } from './channel-names.ts';
import { DeskError } from '../core/desk-error.ts';
import { createPushHub } from '../core/push-hub.ts';

const SHELL_DOMAINS = ['env:', 'settings:', 'credentials:', 'update:'];
export const CORE_CHANNELS = CHANNEL_NAMES.filter((c): c is CoreChannel => !SHELL_DOMAINS.some((domain) => c.startsWith(domain)));

export interface DeskHost {
  readonly handlers: Handlers<CoreChannel>;
  on<P extends Push>(push: P, listener: (payload: PushPayload<P>) => void): () => void;
  /**
   * Starts (or restarts) the core for `mode`, running `prepare` while no core is live. Refuses with
   * `conflict` while a payment is in flight.
   */
  switchTo(mode: Environment, prepare?: () => Promise<void>): Promise<void>;
  mode(): Environment | null;
  paymentInFlight(): boolean;
  databaseRecoveredFrom(): string | null;
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

export function createDeskHost(options: {
  createCore: (mode: Environment) => DeskCore;
  stopTimeoutMs?: number;
  log?: (line: string) => void;
}): DeskHost {
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  let core: DeskCore | null = null;
  let currentMode: Environment | null = null;
  let unsubscribe: (() => void)[] = [];
  const pushes = createPushHub(options.log);
  let chain: Promise<void> = Promise.resolve();

  const live = (): DeskCore => {
    if (!core) throw new DeskError('conflict', 'The desk is starting or switching environment; try again.');
    return core;
  };

  const handlers = Object.fromEntries(
    CORE_CHANNELS.map((channel) => [channel, async (request: unknown) => (live().handlers[channel] as (r: unknown) => Promise<unknown>)(request)]),
  ) as unknown as Handlers<CoreChannel>;

  const attach = (next: DeskCore) => {
    unsubscribe = PUSH_NAMES.map((push) => next.on(push, (payload) => pushes.emit(push, payload)));
  };

  const stopCurrent = async (timeoutMs: number) => {
    const old = core;
    core = null;
    unsubscribe.forEach((off) => off());
    unsubscribe = [];
    if (old) await old.stop({ timeoutMs });
  };

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task, task);
    chain = run.then(
      () => {},
      () => {},
    );
    return run;
  };

  return {
    handlers,
    on: pushes.on,
    switchTo: (mode, prepare) =>
      serial(async () => {
        if (core?.paymentInFlight()) throw new DeskError('conflict', 'A payment is in flight; switch environment when it has finished.');
        await stopCurrent(stopTimeoutMs);
        // Between cores nothing is talking to Atlas: the place to re-point the client.
        await prepare?.();
        const next = options.createCore(mode);
        // Attached before start: start() pushes the queue as the last run left it (jobs it resumes),
        // and the shell's background work (tray, power-save blocker) must see that snapshot.
        attach(next);
        try {
          await next.start();
        } catch (error) {
          unsubscribe.forEach((off) => off());
          unsubscribe = [];
          throw error;
        }
        core = next;
        currentMode = mode;
        options.log?.(`desk: core started for ${mode}`);
      }),
    mode: () => currentMode,
    paymentInFlight: () => core?.paymentInFlight() ?? false,
    databaseRecoveredFrom: () => core?.databaseRecoveredFrom() ?? null,
    stop: (stopOptions) => serial(() => stopCurrent(stopOptions?.timeoutMs ?? stopTimeoutMs)),
  };
}
