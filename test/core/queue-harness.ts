// Shared set-up for the queue/runner tests: the real simulator over HTTP, the real Atlas client,
// a real temp SQLite file, and back-off sleeps compressed to a few ms (the schedules still run in
// order, only faster). Nothing about the money path is mocked.
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { realSleep, type Sleep } from '../../electron/core/backoff.ts';
import { RetryQueue, type Intent, type QueueDeps } from '../../electron/core/queue.ts';
import { openDatabase, type DeskDatabase } from '../../electron/store/db.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { APPROVAL_TTL_MS } from '../../shared/approval.ts';
import type { Approval } from '../../shared/desk.ts';
import { sumMoney } from '../../shared/money.ts';
import { startTestSimulator } from '../support/scenarios.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

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

/**
 * Per test: a fresh simulator (`seed`) in `world.sim`, and `world.desk()` opening desks on it that
 * are closed and removed after the test. Read `world.sim` inside tests and hooks: it is replaced
 * before each test.
 */
export function simulatorPerTest(seed: number): { sim: RunningSimulator; desk: (extra?: Partial<QueueDeps>, dir?: string) => Desk } {
  const desks: Desk[] = [];
  const world = {
    sim: undefined as unknown as RunningSimulator,
    desk: (extra: Partial<QueueDeps> = {}, dir?: string): Desk => {
      const d = openDesk(world.sim, extra, dir);
      desks.push(d);
      return d;
    },
  };
  beforeEach(async () => {
    world.sim = await withSimulator(seed);
  });
  afterEach(async () => {
    for (const d of desks.splice(0)) {
      await d.close();
      removeDir(d.dir);
    }
    await world.sim.stop();
  });
  return world;
}

export async function withSimulator(seed = 7): Promise<RunningSimulator> {
  const sim = await startTestSimulator({ seed, ticketingDelayMs: 0 });
  sim.control.setBalance('USD', 1_000_000);
  return sim;
}

/**
 * What staff approve when they recover `orderNo` with deposit, as the simulator prices it now:
 * fare plus fee, in the settlement currency (the amount the desk's plan shows them).
 */
export function depositIntent(sim: RunningSimulator, orderNo: string): Intent {
  const o = sim.control.order(orderNo);
  if (!o) throw new Error(`no simulator order ${orderNo}`);
  const [due] = sumMoney([{ amount: o.totalPrice, currency: o.currency }, { amount: o.totalTransactionFee, currency: o.currency }]) ?? [];
  return { orderNo, approved: { dueFromDeposit: due ?? null, dueFromCard: null } };
}

export function depositIntents(sim: RunningSimulator, orderNos: readonly string[]): Intent[] {
  return orderNos.map((orderNo) => depositIntent(sim, orderNo));
}

/** The card charge (vendor currency) and Atlas's fee from the deposit, as the simulator prices them now. */
export function cardIntent(sim: RunningSimulator, orderNo: string): Intent {
  const o = sim.control.order(orderNo);
  if (!o) throw new Error(`no simulator order ${orderNo}`);
  return {
    orderNo,
    approved: {
      dueFromCard: o.vendorTotalPrice !== null && o.vendorCurrency ? { amount: o.vendorTotalPrice, currency: o.vendorCurrency } : null,
      dueFromDeposit: o.totalTransactionFee > 0 ? { amount: o.totalTransactionFee, currency: o.currency } : null,
    },
  };
}

/** A job row's approval as the desk writes it with an intent (for tests that write rows directly). */
export function approvalFor(sim: RunningSimulator, orderNo: string, now: string): Approval {
  return { ...depositIntent(sim, orderNo).approved, at: now, by: 'mei', expiresAt: new Date(Date.parse(now) + APPROVAL_TTL_MS).toISOString() };
}
