// Shared set-up for the desk-core and CLI tests: a desk core on the real simulator over HTTP, and a
// wait for jobs to settle driven by the core's own queue:changed push. Orders, cards and temp
// folders come from test/support.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import type { DeskCore, DeskDeps } from '../../electron/core/contract.ts';
import { createDesk, type DeskOptions } from '../../electron/core/desk.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { approvedFromOffer } from '../../shared/approval.ts';
import { SETTLED_JOB_STATES, type ApprovedAmounts, type Job } from '../../shared/desk.ts';
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
    priceTolerancePercent?: number;
    /** Wraps the real client, e.g. to change one answer. */
    atlas?: (real: AtlasApi) => AtlasApi;
  } = {},
): DeskCore {
  return createDesk(
    {
      atlas: (extra.atlas ?? ((a: AtlasApi) => a))(
        createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret } }),
      ),
      environment: extra.environment ?? 'training',
      databasePath,
      clock: { now: () => sim.control.now() },
      staffName: () => extra.staff ?? 'Ana (test)',
      osAccount: 'ana.os',
      chooseExportPath: async () => extra.exportPath ?? null,
      ...(extra.webhook ? { webhook: () => extra.webhook! } : {}),
      ...(extra.priceTolerancePercent !== undefined ? { priceTolerancePercent: () => extra.priceTolerancePercent! } : {}),
      ...extra.deps,
    },
    extra.options ?? {},
  );
}

/** Resolves with the jobs once every one of `ids` is settled (or waits for staff: a card, an approval). */
export function settled(desk: DeskCore, ids: string[]): Promise<Job[]> {
  return new Promise((resolve) => {
    const check = (jobs: Job[]) => {
      const mine = ids.map((id) => jobs.find((j) => j.id === id));
      if (mine.every((j) => j && (SETTLED_JOB_STATES.includes(j.state) || j.state === 'needs_card' || j.state === 'needs_approval'))) {
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


/** Staff say these unpaid orders' payment failed (what the app's panel and `add --failed` do). */
export async function markFailed(desk: DeskCore, orderNos: string[]): Promise<void> {
  await desk.handlers['orders:add']({ orderNos, markFailed: true });
}

/**
 * A recovery:deposit request as the bulk dialog sends it: the orders, each with the deposit amount
 * the preview showed (what staff approve by confirming).
 */
export async function depositRequest(desk: DeskCore, orderNos: string[]) {
  const preview = await desk.handlers['recovery:previewDeposit']({ orderNos });
  return { orderNos, approvals: preview.dues };
}

/** What the card dialog shows and sends as approved: the card offer of the plan read just now. */
export async function cardApproval(desk: DeskCore, orderNo: string): Promise<ApprovedAmounts> {
  const { plan } = await desk.handlers['recovery:plan']({ orderNo });
  const offer = plan.methods.find((m) => m.paymentMethod === 3);
  return offer ? approvedFromOffer(offer) : { dueFromDeposit: null, dueFromCard: null };
}
