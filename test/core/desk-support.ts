// Shared set-up for the desk-core and CLI tests: a desk core on the real simulator over HTTP, and a
// wait for jobs to settle driven by the core's own queue:changed push. Orders, cards and temp
// folders come from test/support.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import type { DeskCore, DeskDeps } from '../../electron/core/contract.ts';
import { createDesk, type DeskOptions } from '../../electron/core/desk.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { SETTLED_JOB_STATES, type Job } from '../../shared/desk.ts';
import type { Environment } from '../../shared/ipc.ts';

export function deskFor(
  sim: RunningSimulator,
  databasePath: string,
  extra: {
    exportPath?: string | null;
    staff?: string;
    options?: DeskOptions;
    webhook?: { enabled: boolean; host: string; port: number };
    deps?: Partial<DeskDeps>;
    /** Default training: the simulator. */
    environment?: Environment;
  } = {},
): DeskCore {
  return createDesk(
    {
      atlas: createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret } }),
      environment: extra.environment ?? 'training',
      databasePath,
      clock: { now: () => sim.control.now() },
      staffName: () => extra.staff ?? 'Ana (test)',
      osAccount: 'ana.os',
      chooseExportPath: async () => extra.exportPath ?? null,
      ...(extra.webhook ? { webhook: () => extra.webhook! } : {}),
      ...extra.deps,
    },
    extra.options ?? {},
  );
}

/** Resolves with the jobs once every one of `ids` is settled (or asks for a card). */
export function settled(desk: DeskCore, ids: string[]): Promise<Job[]> {
  return new Promise((resolve) => {
    const check = (jobs: Job[]) => {
      const mine = ids.map((id) => jobs.find((j) => j.id === id));
      if (mine.every((j) => j && (SETTLED_JOB_STATES.includes(j.state) || j.state === 'needs_card'))) {
        off();
        resolve(mine as Job[]);
      }
    };
    const off = desk.on('queue:changed', check);
    void desk.handlers['queue:list']({}).then(check);
  });
}

/** Every byte of every file under `dir`, as latin1 text (SQLite pages, WAL, CSV…). */
export function allFileText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

/** Timers that fire only when the test says so (the card vault's time limit, without waiting). */
export function manualTimers() {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  return {
    set: (fn: () => void, ms: number) => {
      timers.set(++next, { fn, ms });
      return next;
    },
    clear: (handle: unknown) => void timers.delete(handle as number),
    pending: () => [...timers.values()].map((t) => t.ms),
    fireAll: () => {
      for (const [id, t] of [...timers]) {
        timers.delete(id);
        t.fn();
      }
    },
  };
}
