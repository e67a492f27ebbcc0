// Claims on order chains in the team database, with the real queue and runner against the real
// simulator and a real PostgreSQL. The simulator's ledger (effective pay/regenerate calls) is the
// judge, not anything a desk says about itself.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { createTeamDb } from '../../electron/team/team-db.ts';
import { atlasFor, withSimulator, depositIntents } from '../core/queue-harness.ts';
import { describeTeam, useCluster } from '../support/team-cluster.ts';
import { openTeamDesk, until } from './team-harness.ts';
import { orderA, orderB } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await withSimulator(21);
});
afterAll(async () => {
  await sim?.stop();
});

const ledger = (kind: 'pay' | 'regenerate', orderNo: string) =>
  sim.control.ledger().filter((e) => e.kind === kind && (kind === 'pay' ? e.orderNo === orderNo || sim.control.order(e.orderNo)?.originalOrderNo === orderNo : e.originalOrderNo === orderNo)).length;

describeTeam('team claims', () => {
  const cluster = useCluster();

  it('two desks recovering the same orders at once: one regenerate and one pay per order, every job done', async () => {
    const now = sim.control.now();
    const orders = Array.from({ length: 12 }, (_, i) =>
      sim.control.createOrder(i % 2 === 0 ? orderA({ passengers: [`TEAM/A${i}`] }) : orderB(now, { passengers: [`TEAM/B${i}`] })).orderNo,
    );
    const a = openTeamDesk(sim, cluster.current.url, 'Lin Mei', { queue: { maxConcurrency: () => 3 } });
    const b = openTeamDesk(sim, cluster.current.url, 'Ali Khan', { queue: { maxConcurrency: () => 3 } });
    try {
      a.queue.enqueueDeposit(depositIntents(sim, orders), 'Lin Mei');
      b.queue.enqueueDeposit(depositIntents(sim, [...orders].reverse()), 'Ali Khan');
      await Promise.all([a.start(), b.start()]);
      await Promise.all([a.queue.whenIdle(), b.queue.whenIdle()]);
      orders.forEach((o, i) => {
        expect(ledger('pay', o), o).toBe(1);
        expect(ledger('regenerate', o), o).toBe(i % 2 === 0 ? 0 : 1);
      });
      // Without claims the second desk's regeneration is refused (318) and lands in attention.
      for (const desk of [a, b]) for (const job of desk.queue.list()) expect(job.state, `${job.orderNo} ${job.reason}`).toBe('done');
      const reasons = [...a.queue.list(), ...b.queue.list()].map((j) => j.reason);
      expect(reasons.filter((r) => r === 'paid_elsewhere' || r === 'ticketed').length).toBeGreaterThan(0);
    } finally {
      await a.close();
      await b.close();
      removeDir(a.dir);
      removeDir(b.dir);
    }
  });

  it('a desk that slept past its lease while another desk took the chain does not send', async () => {
    const order = sim.control.createOrder(orderA({ passengers: ['SLEEPY/DESK'] })).orderNo;
    const db = createTeamDb(cluster.current.url);
    let other: ReturnType<typeof openTeamDesk> | null = null;
    const base = atlasFor(sim);
    // Desk A "freezes" right after its re-read: its lease runs out (the database's clock) and desk B
    // claims the chain meanwhile. A wakes up and goes on to pay.
    const frozen: AtlasApi = {
      ...base,
      queryOrder: async (orderNo) => {
        const details = await base.queryOrder(orderNo);
        if (orderNo === order && !other) {
          await db.query(`UPDATE team_claims SET expires_at = now() - interval '1 second' WHERE chain_root = $1`, [order]);
          other = openTeamDesk(sim, cluster.current.url, 'Ali Khan');
          const taken = await other.claims.acquire({ id: 'b-job', orderNo: order, currentOrderNo: order });
          expect(taken).toEqual({ held: true });
        }
        return details;
      },
    };
    const a = openTeamDesk(sim, cluster.current.url, 'Lin Mei', { queue: { atlas: frozen }, team: { retryMs: 60_000 } });
    try {
      const [job] = a.queue.enqueueDeposit(depositIntents(sim, [order]), 'Lin Mei').jobs;
      await a.start();
      await until(() => a.queue.jobs.mustGet(job!.id).reason === 'claimed_by_other_desk', 'desk A to stand down');
      expect(sim.control.requests('pay', order)).toHaveLength(0);
      expect(a.queue.jobs.steps(job!.id)).toHaveLength(0);
      const { rows } = await db.query('SELECT desk_id FROM team_steps WHERE order_no = $1', [order]);
      expect(rows).toHaveLength(0);
    } finally {
      await a.close();
      const b = other as ReturnType<typeof openTeamDesk> | null;
      await b?.close();
      if (b) removeDir(b.dir);
      await db.close();
      removeDir(a.dir);
    }
  });

  it("a claim that runs out (the database's clock) while its pay.do is on the wire: the other desk waits, reads, and pays nothing", async () => {
    const order = sim.control.createOrder(orderA({ passengers: ['SLOW/WIRE'] })).orderNo;
    const db = createTeamDb(cluster.current.url);
    const base = atlasFor(sim);
    let b: ReturnType<typeof openTeamDesk> | null = null;
    let bJob = '';
    // Desk A's pay.do is slow: its claim expires meanwhile, and desk B starts on the same order.
    const slow: AtlasApi = {
      ...base,
      pay: async (request, options) => {
        await db.query(`UPDATE team_claims SET expires_at = now() - interval '1 second' WHERE chain_root = $1`, [order]);
        b = openTeamDesk(sim, cluster.current.url, 'Ali Khan');
        bJob = b.queue.enqueueDeposit(depositIntents(sim, [order]), 'Ali Khan').jobs[0]!.id;
        await b.start();
        const other = b;
        await until(() => other.queue.jobs.mustGet(bJob).reason === 'claimed_by_other_desk', 'desk B to wait for the open step');
        return base.pay(request, options);
      },
    };
    const a = openTeamDesk(sim, cluster.current.url, 'Lin Mei', { queue: { atlas: slow } });
    try {
      const [job] = a.queue.enqueueDeposit(depositIntents(sim, [order]), 'Lin Mei').jobs;
      await a.start();
      await until(() => a.queue.jobs.mustGet(job!.id).state === 'done', 'desk A to finish');
      const other = b as ReturnType<typeof openTeamDesk> | null;
      await until(() => ['done', 'blocked', 'attention', 'failed'].includes(other!.queue.jobs.mustGet(bJob).state), 'desk B to settle');
      expect(sim.control.paymentsFor(order)).toBe(1);
      expect(sim.control.requests('pay', order)).toHaveLength(1);
      expect(other!.queue.jobs.steps(bJob)).toHaveLength(0);
      expect(other!.queue.jobs.mustGet(bJob)).toMatchObject({ state: 'done' });
    } finally {
      await a.close();
      const other = b as ReturnType<typeof openTeamDesk> | null;
      await other?.close();
      if (other) removeDir(other.dir);
      await db.close();
      removeDir(a.dir);
    }
  });

  it('without the team database a desk pauses (team_offline), sends nothing, and finishes when it is back', async () => {
    const order = sim.control.createOrder(orderA({ passengers: ['OFFLINE/TEAM'] })).orderNo;
    const desk = openTeamDesk(sim, cluster.current.url, 'Lin Mei');
    try {
      await cluster.current.stop();
      const [job] = desk.queue.enqueueDeposit(depositIntents(sim, [order]), 'Lin Mei').jobs;
      await desk.queue.start();
      await until(() => desk.queue.jobs.mustGet(job!.id).reason === 'team_offline', 'the job to pause for the team database');
      expect(desk.queue.jobs.mustGet(job!.id).state).toBe('waiting_network');
      expect(desk.queue.isPaused()).toBe(true);
      expect(sim.control.requests('pay', order)).toHaveLength(0);
      await cluster.current.start();
      await until(() => desk.queue.jobs.mustGet(job!.id).state === 'done', 'the job to finish once the team database is back');
      expect(ledger('pay', order)).toBe(1);
    } finally {
      await desk.close();
      removeDir(desk.dir);
    }
  });
});
