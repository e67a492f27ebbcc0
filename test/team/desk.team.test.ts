// Two desk cores of one agency in team mode (the same createDesk the app and the CLI run), against
// the real simulator and a real PostgreSQL: a desk sees the other desk's claim live (LISTEN/NOTIFY)
// and refuses to start a recovery of that order; afterwards its timeline and history show the
// other desk's work with who did it; the team database holds every event of both desks.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import type { DeskCore } from '../../electron/core/contract.ts';
import { createDesk } from '../../electron/core/desk.ts';
import type { DeskError } from '../../electron/core/desk-error.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { createTeamDb } from '../../electron/team/team-db.ts';
import { createTeamSession } from '../../electron/team/team-session.ts';
import { settled, depositRequest, cardApproval } from '../core/desk-support.ts';
import { describeTeam, useCluster } from '../support/team-cluster.ts';
import { until } from './team-harness.ts';
import { CARD } from '../support/cards.ts';
import { orderB, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ seed: 5 });
  sim.control.setBalance('USD', 100_000);
});
afterAll(async () => {
  await sim?.stop();
});

function teamDesk(url: string, dir: string, staff: string, team = true): DeskCore {
  return createDesk({
    atlas: createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret } }),
    environment: 'sandbox',
    databasePath: join(dir, `${staff.replace(/\W/g, '')}.sqlite`),
    clock: { now: () => sim.control.now() },
    staffName: () => staff,
    osAccount: staff.toLowerCase(),
    ...(team ? { team: createTeamSession({ url, staff: () => staff, ttlMs: 5000, retryMs: 100, pollMs: 50 }) } : {}),
  });
}

describeTeam('desks in team mode', () => {
  const cluster = useCluster();

  it("shows another desk's claim live, refuses to recover it, then shows that desk's work in timeline and history", async () => {
    const tmp = tempDir('desk-team-core-');
    const lin = teamDesk(cluster.current.url, tmp.dir, 'Lin Mei');
    const ali = teamDesk(cluster.current.url, tmp.dir, 'Ali Khan');
    const db = createTeamDb(cluster.current.url);
    try {
      await lin.start();
      await ali.start();
      const order = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['SHARED/ORDER'] })).orderNo;
      await lin.handlers['orders:add']({ orderNos: [order], markFailed: false });
      await ali.handlers['orders:add']({ orderNos: [order], markFailed: false });
      expect(await ali.handlers['team:status']({})).toMatchObject({ enabled: true, holds: [] });
      // Lin's desk holds the chain while Atlas is slow to answer the re-read.
      sim.control.setFault('queryOrderDetails', { kind: 'latency', ms: 1500 }, { times: 1, orderNo: order });
      const changed: string[][] = [];
      ali.on('orders:changed', ({ orderNos }) => changed.push(orderNos));
      const [job] = (await lin.handlers['recovery:deposit'](await depositRequest(lin, [order]))).jobs;
      await until(async () => (await ali.handlers['orders:list']({ scope: 'all' })).find((o) => o.orderNo === order)?.claimedBy?.staff === 'Lin Mei', "Ali's desk to see Lin's claim");
      // The window learns it from a push (LISTEN/NOTIFY), not from a manual refresh.
      await until(() => changed.some((o) => o.includes(order)), 'orders:changed for the claimed order');
      expect(await ali.handlers['recovery:deposit'](await depositRequest(ali, [order]))).toEqual({ jobs: [], rejected: [{ orderNo: order, reason: 'claimed_by_other_desk' }] });
      expect((await ali.handlers['recovery:previewDeposit']({ orderNos: [order] })).ineligible).toEqual([{ orderNo: order, reason: 'claimed_by_other_desk' }]);
      await expect(ali.handlers['recovery:card']({ orderNo: order, card: CARD, approved: await cardApproval(ali, order) })).rejects.toMatchObject({ reason: 'claimed_by_other_desk' } satisfies Partial<DeskError>);
      expect((await ali.handlers['team:status']({})).holds).toEqual([expect.objectContaining({ staff: 'Lin Mei', kind: 'claim', orderNos: [order] })]);

      const [done] = await settled(lin, [job!.id]);
      expect(done).toMatchObject({ state: 'done' });
      await until(async () => (await ali.handlers['orders:list']({ scope: 'all' })).find((o) => o.orderNo === order)?.claimedBy === null, 'the claim to be released');
      const { timeline } = await ali.handlers['orders:show']({ orderNo: order });
      const fromLin = timeline.filter((e) => e.desk === 'Lin Mei');
      expect(fromLin.map((e) => e.kind)).toEqual(expect.arrayContaining(['intent', 'step_started', 'regenerated']));
      expect(fromLin.find((e) => e.kind === 'intent')?.actor).toBe('Lin Mei');
      const history = await ali.handlers['history:query']({});
      expect(history.find((h) => h.order.orderNo === order)?.order.lastActor).toBe('Lin Mei');
      // The regenerated order is known to Ali's desk through the team's links.
      const newOrder = sim.control.orders().find((o) => o.originalOrderNo === order)!.orderNo;
      expect((await ali.handlers['orders:show']({ orderNo: order })).order.regeneratedInto).toEqual([newOrder]);
    } finally {
      await lin.stop();
      await ali.stop();
      // Every event of both desks reached the team database.
      const { rows } = await db.query<{ staff: string; n: string }>('SELECT staff, count(*) AS n FROM team_events GROUP BY staff ORDER BY staff');
      const local = (await import('node:sqlite')).DatabaseSync;
      for (const r of rows) {
        const file = new local(join(tmp.dir, `${r.staff.replace(/\W/g, '')}.sqlite`));
        expect(Number(r.n), r.staff).toBe((file.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n);
        file.close();
      }
      expect(rows.map((r) => r.staff)).toEqual(['Ali Khan', 'Lin Mei']);
      await db.close();
      tmp.cleanup();
    }
  });

  it('a desk without team mode behaves as before: no holds, no refusals, team:status disabled', async () => {
    const tmp = tempDir('desk-solo-');
    const solo = teamDesk(cluster.current.url, tmp.dir, 'Solo', false);
    try {
      await solo.start();
      const order = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['SOLO/ORDER'] })).orderNo;
      expect(await solo.handlers['team:status']({})).toEqual({ enabled: false, connected: false, server: null, holds: [] });
      const { jobs } = await solo.handlers['recovery:deposit'](await depositRequest(solo, [order]));
      expect((await settled(solo, [jobs[0]!.id]))[0]).toMatchObject({ state: 'done' });
      expect((await solo.handlers['orders:show']({ orderNo: order })).order).not.toHaveProperty('claimedBy');
    } finally {
      await solo.stop();
      tmp.cleanup();
    }
  });
});
