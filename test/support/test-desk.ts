// `window.desk` for component tests: the real DeskApi builder (electron/shell/desk-bridge.ts) over
// the desk stack (test/support/desk-stack.ts) — the real core, the real simulator, the shell's real
// handlers — so the window sees the plans, refusals and job states the desk really produces. A test
// forces only what it is about: one failed call (`failNext`), a channel answered its own way
// (`answer`), a push as main would send it (`push`). Nothing here decides like the core.
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { realSleep } from '../../electron/core/backoff.ts';
import type { TeamLink } from '../../electron/core/contract.ts';
import { buildDeskApi } from '../../electron/shell/desk-bridge.ts';
import { LeaseRepo } from '../../electron/store/lease-repo.ts';
import { SETTLED_JOB_STATES, type Job, type JobState } from '../../shared/desk.ts';
import { channels, type Channel, type DeskApi, type IpcErrorCode, type IpcResult, type Push, type PushPayload, type RequestOf, type ResponseOf, type Settings } from '../../shared/ipc.ts';
import { officeNetwork, startDeskStack, type DeskStack, type DeskStackOptions, type OfficeNetwork, type ShellState } from './desk-stack.ts';
import { tempDir, type TempDir } from './temp-dir.ts';
import { UI_BALANCES, UI_MARKED_FAILED, uiOrders, type UiOrder } from './ui-world.ts';

/** The fixed "now" of component tests: deadlines and countdowns are deterministic. */
export const NOW = Date.parse('2026-11-26T06:00:00Z');

export interface TestDeskOptions {
  /** The simulator's (Atlas's) clock, standing still unless a test moves it. Default `NOW`. */
  now?: number;
  /** Orders in the simulator; default the UI world (test/support/ui-world.ts). */
  orders?: readonly UiOrder[];
  /** Orders staff said failed (`orders:add` with markFailed), after the first sync. */
  markedFailed?: readonly string[];
  balances?: Record<string, number>;
  settings?: Partial<Settings>;
  shell?: Partial<ShellState>;
  credentials?: DeskStackOptions['credentials'];
  /** `runQueue: false`: jobs stay where they are, so a screen can show them still. */
  runQueue?: boolean;
  deps?: DeskStackOptions['deps'];
  team?: TeamLink;
  /** Start on a database file the desk cannot read (it is moved aside and a new one started). */
  unreadableDatabase?: boolean;
  /** Another desk process (another host: its PID cannot be checked) holds the queue lease from the start. */
  leaseHeldBy?: { pid: number; host: string };
}

/** The owner id of the other process's lease (`leaseHeldBy`). */
const OTHER_PROCESS = 'another-desk-process';

type Answer<C extends Channel> = (request: RequestOf<C>) => ResponseOf<C> | { error: IpcErrorCode };

export interface TestDesk {
  api: DeskApi;
  /** Every call the window made, in order (requests as sent). */
  calls: { channel: Channel; request: unknown }[];
  /** The stack once started and synced: the simulator (`sim.control`) and the core. */
  ready(): Promise<DeskStack>;
  /** The next call on `channel` fails with `code`, as if main answered so. */
  failNext(channel: Channel, code: IpcErrorCode): void;
  /** Answers `channel` with `fn` from now on, instead of the desk (`null`: the desk answers again). */
  answer<C extends Channel>(channel: C, fn: Answer<C> | null): void;
  /** A push as main sends it, to every listener of the window. */
  push<P extends Push>(push: P, payload: PushPayload<P>): void;
  listenerCount(push: Push): number;
  /**
   * Staff recover these orders with deposit as the bulk dialog does (the amounts the preview shows,
   * approved); resolves with the jobs once each has settled or waits for staff.
   */
  recoverWithDeposit(orderNos: string[]): Promise<Job[]>;
  /** Resolves with these jobs once each has settled or waits for staff (a card, an approval). */
  settled(jobIds: string[]): Promise<Job[]>;
  /** The office network between the desk and Atlas (`down()`: requests fail before they leave). */
  network: OfficeNetwork;
  /** The other desk process (`leaseHeldBy`) stops and releases the queue lease. */
  releaseLease(): Promise<void>;
  /** Someone else pays the order (ATRIP, another agency tool): pay.do straight to the simulator. */
  paidElsewhere(orderNo: string): Promise<void>;
  close(): Promise<void>;
}

const WAITS_FOR_STAFF: readonly JobState[] = [...SETTLED_JOB_STATES, 'needs_card', 'needs_approval'];

/** Opens the desk's database file as another process would, for `use`, and closes it. */
function withDatabase(file: string, use: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(file);
  try {
    use(db);
  } finally {
    db.close();
  }
}

function takeLease(db: DatabaseSync, holder: { pid: number; host: string }): void {
  const now = Date.now();
  const taken = new LeaseRepo(db).take({ owner: OTHER_PROCESS, ...holder }, new Date(now).toISOString(), new Date(now + 60 * 60_000).toISOString(), () => true);
  if (!taken) throw new Error('the queue lease was not free');
}

/** Synced databases per world (orders, clock, marks), for the rest of the test file. */
const templates = new Map<string, Promise<string>>();
let templateFolder: TempDir | null = null;
const templateDir = () => (templateFolder ??= tempDir('desk-ui-worlds-')).dir;

/** Removes the synced worlds of this test file. */
export function disposeWorlds(): void {
  templates.clear();
  templateFolder?.cleanup();
  templateFolder = null;
}

/** Node's fetch refuses jsdom's AbortSignal; the simulator is local and answers, so no signal is needed. */
const fetchWithoutSignal: typeof fetch = (input, init) => fetch(input, { ...init, signal: null });

export function createTestDesk(options: TestDeskOptions = {}): TestDesk {
  const now = options.now ?? NOW;
  const calls: TestDesk['calls'] = [];
  const failures = new Map<Channel, IpcErrorCode>();
  const answers = new Map<Channel, (request: unknown) => unknown>();
  const listeners = new Map<Push, Set<(payload: unknown) => void>>();
  const deliver = (push: Push, payload: unknown) => {
    for (const fn of [...(listeners.get(push) ?? [])]) fn(structuredClone(payload));
  };

  const network = officeNetwork(fetchWithoutSignal);
  const world = options.orders ?? uiOrders(now);
  const marked = options.markedFailed ?? (options.orders ? [] : UI_MARKED_FAILED);
  const start = (databaseFrom?: string) =>
    startDeskStack({
      name: 'ui',
      simulator: { clock: 'manual', startTime: now, ticketingDelayMs: 0 },
      balances: { ...UI_BALANCES, ...options.balances },
      settings: options.settings ?? {},
      fetch: network.fetch,
      core: { runQueue: options.runQueue ?? true },
      // The queue's waits (ticketing polls, back-off) pass in a few ms; their order is unchanged.
      deps: { sleep: (ms, signal) => realSleep(Math.min(ms, 3), signal), ...options.deps },
      ...(options.shell ? { shell: options.shell } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.team ? { team: options.team } : {}),
      ...(databaseFrom ? { databaseFrom } : {}),
      ...(options.leaseHeldBy ? { prepareDatabase: (file: string) => withDatabase(file, (db) => takeLease(db, options.leaseHeldBy!)) } : {}),
    });
  const holdOrders = (stack: DeskStack) => {
    for (const { ticketingForMs, ...spec } of world) {
      // Atlas's ticketing time is a simulator switch, read when the order is made.
      stack.sim.control.setSwitches({ ticketingDelayMs: ticketingForMs ?? 0 });
      stack.sim.control.createOrder(spec);
    }
    stack.sim.control.setSwitches({ ticketingDelayMs: 0 });
  };

  /** A desk that syncs the world itself (first of its world, or one that must not share a file). */
  const syncedDesk = async (databaseFrom?: string) => {
    const stack = await start(databaseFrom);
    try {
      holdOrders(stack);
      await stack.core.handlers['orders:sync']({});
      if (marked.length > 0) await stack.core.handlers['orders:add']({ orderNos: [...marked], markFailed: true });
      return stack;
    } catch (error) {
      await stack.close();
      throw error;
    }
  };

  const starting = (async () => {
    let stack: DeskStack;
    if (options.unreadableDatabase) {
      const garbage = path.join(templateDir(), `unreadable-${templates.size}.sqlite`);
      writeFileSync(garbage, 'not a database, and not empty');
      stack = await syncedDesk(garbage);
    } else {
      // The first desk of a world syncs it; the others start from a copy of what it stored.
      const key = JSON.stringify({ now, world, marked });
      let template = templates.get(key);
      if (!template) {
        template = (async () => {
          const first = await syncedDesk();
          try {
            // Stopped, the core has released its queue lease and written everything to the file.
            await first.core.stop();
            const file = path.join(templateDir(), `world-${templates.size}.sqlite`);
            copyFileSync(first.databasePath, file);
            return file;
          } finally {
            await first.close();
          }
        })();
        templates.set(key, template);
      }
      stack = await start(await template);
      holdOrders(stack);
    }
    const stopForwarding = stack.forward(deliver);
    return { stack, stopForwarding };
  })();

  const invoke = async (channel: string, request: unknown): Promise<IpcResult<unknown>> => {
    const c = channel as Channel;
    calls.push({ channel: c, request });
    const { stack } = await starting;
    const failure = failures.get(c);
    if (failure) {
      failures.delete(c);
      return { ok: false, error: { code: failure, message: `forced ${failure}` } };
    }
    const own = answers.get(c);
    if (own) {
      // Like the real boundary: the request must pass the contract's schema first.
      const parsed = channels[c].request.safeParse(request);
      if (!parsed.success) return { ok: false, error: { code: 'invalid_request', message: parsed.error.message } };
      const out = own(parsed.data);
      if (out && typeof out === 'object' && 'error' in out && Object.keys(out).length === 1) {
        return { ok: false, error: { code: (out as { error: IpcErrorCode }).error, message: 'answered by the test' } };
      }
      return { ok: true, value: structuredClone(out) };
    }
    // structuredClone: like contextBridge, the window never shares objects with main.
    return structuredClone(await stack.dispatch(c, request));
  };

  const api = buildDeskApi({
    invoke,
    subscribe(push, listener) {
      const set = listeners.get(push as Push) ?? new Set();
      listeners.set(push as Push, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  });

  const settled = async (jobIds: string[]): Promise<Job[]> => {
    const { stack } = await starting;
    return new Promise((resolve) => {
      const check = (jobs: Job[]) => {
        const mine = jobIds.map((id) => jobs.find((j) => j.id === id));
        if (mine.every((j) => j && WAITS_FOR_STAFF.includes(j.state))) {
          off();
          resolve(mine as Job[]);
        }
      };
      const off = stack.core.on('queue:changed', check);
      void stack.core.handlers['queue:list']({}).then(check);
    });
  };

  return {
    api,
    calls,
    ready: async () => (await starting).stack,
    failNext: (channel, code) => failures.set(channel, code),
    answer: (channel, fn) => (fn ? answers.set(channel, fn as (request: unknown) => unknown) : answers.delete(channel)),
    push: (push, payload) => deliver(push, payload),
    listenerCount: (push) => listeners.get(push)?.size ?? 0,
    async recoverWithDeposit(orderNos) {
      const { stack } = await starting;
      const preview = await stack.core.handlers['recovery:previewDeposit']({ orderNos });
      const { jobs } = await stack.core.handlers['recovery:deposit']({ orderNos, approvals: preview.dues });
      return settled(jobs.map((j) => j.id));
    },
    settled,
    network,
    async releaseLease() {
      const { stack } = await starting;
      withDatabase(stack.databasePath, (db) => new LeaseRepo(db).release(OTHER_PROCESS));
    },
    async paidElsewhere(orderNo) {
      const { stack } = await starting;
      const { sim } = stack;
      const res = await fetch(`${sim.baseUrl}/pay.do`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-atlas-client-id': sim.clientId, 'x-atlas-client-secret': sim.clientSecret },
        body: JSON.stringify({ orderNo, paymentMethod: 1 }),
      });
      const body = (await res.json()) as { status?: number };
      if (body.status !== 0) throw new Error(`pay.do for ${orderNo} answered ${JSON.stringify(body)}`);
    },
    close: async () => {
      const { stack, stopForwarding } = await starting;
      stopForwarding();
      await stack.close();
    },
  };
}
