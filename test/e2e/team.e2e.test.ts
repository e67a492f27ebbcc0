// Team mode in the real window: the built renderer in Chromium, wired to a real desk core in team
// mode (real PostgreSQL), while a SECOND desk in this process — its own core, its own SQLite file,
// staff "Lin Mei" — claims an order and recovers it. Without any reload the window shows "being
// recovered by Lin Mei", will not let this desk recover the order, and afterwards shows Lin Mei's
// events in the order's timeline and in History. Screenshots in English and 简体中文.
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { AtlasApi } from '../../electron/atlas/api.ts';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import type { DeskCore } from '../../electron/core/contract.ts';
import { createDesk } from '../../electron/core/desk.ts';
import { createTeamSession } from '../../electron/team/team-session.ts';
import type { DeskOrder, Job } from '../../shared/desk.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import { describeTeam, useCluster } from '../support/team-cluster.ts';
import type { E2E } from './harness.ts';
import { startE2E } from './harness.ts';
import { LONG, openDetail, setLanguage, syncViaUi, text } from './ui.ts';
import { depositRequest } from '../core/desk-support.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

describeTeam('team mode in the window', () => {
  const cluster = useCluster();
  let e2e: E2E;
  let lin: DeskCore;
  let linDir: string;
  let order: DeskOrder;
  let releaseRead: () => void = () => {};
  /** Only the runner's re-read waits, not Lin's first look at the order. */
  let armed = false;
  const shots: string[] = [];

  beforeAll(async () => {
    e2e = await startE2E({ name: 'team', settings: { staffName: 'Ana' }, team: createTeamSession({ url: cluster.current.url, staff: () => 'Ana', pollMs: 100 }) });
    await e2e.open();
    await syncViaUi(e2e);
    const failed = await e2e.call('orders:list', { scope: 'failed' });
    order = failed.find((o) => o.category === 'A' && o.details.currency === 'USD' && o.plan.methods.some((m) => m.paymentMethod === 1))!;
    expect(order).toBeDefined();

    // Lin Mei's desk: its re-read of this order waits until the test lets it go, so the claim it
    // took just before is held (and renewed) while the window is looked at.
    const base = createAtlasClient({ connection: { baseUrl: e2e.sim.baseUrl, clientId: e2e.sim.clientId, clientSecret: e2e.sim.clientSecret } });
    const gate = new Promise<void>((resolve) => (releaseRead = resolve));
    let gated = false;
    const atlas: AtlasApi = {
      ...base,
      queryOrder: async (orderNo) => {
        if (orderNo === order.orderNo && armed && !gated) {
          gated = true;
          await gate;
        }
        return base.queryOrder(orderNo);
      },
    };
    linDir = tempDir('desk-e2e-lin-').dir;
    lin = createDesk({
      atlas,
      environment: 'training',
      databasePath: path.join(linDir, 'lin.sqlite'),
      clock: { now: () => Date.now() },
      staffName: () => 'Lin Mei',
      osAccount: 'lin',
      team: createTeamSession({ url: cluster.current.url, staff: () => 'Lin Mei', pollMs: 100 }),
    });
    await lin.start();
    await lin.handlers['orders:add']({ orderNos: [order.orderNo], markFailed: false });
    // A card charge Atlas started on the order is checked by staff first (docs/money-safety.md rule 12).
    if (order.details.paymentAttempted) await lin.handlers['orders:confirmNotCharged']({ orderNo: order.orderNo });
    armed = true;
  }, 120_000);

  afterAll(async () => {
    releaseRead();
    await lin?.stop();
    await e2e?.close();
    if (linDir) removeDir(linDir);
    console.log(`screenshots:\n${shots.join('\n')}`);
  });

  it("shows another desk's claim live and refuses to recover the order", async () => {
    const { page } = e2e;
    await openDetail(page, 'A', order.orderNo);
    const { jobs } = await lin.handlers['recovery:deposit'](await depositRequest(lin, [order.orderNo]));
    expect(jobs).toHaveLength(1);
    // No reload, no click: the claim arrives through LISTEN/NOTIFY → orders:changed.
    const badge = page.getByTestId(`claimed-${order.orderNo}`);
    await expect.poll(() => badge.textContent(), LONG).toBe(text('en', 'team.beingRecoveredBy', { staff: 'Lin Mei' }));
    const recover = page.getByTestId('detail-recover');
    await expect.poll(() => recover.isDisabled(), LONG).toBe(true);
    expect(await recover.textContent()).toBe(text('en', 'team.beingRecoveredBy', { staff: 'Lin Mei' }));
    expect(await page.getByTestId('claimed-by').textContent()).toContain('Lin Mei');
    // The core refuses too, whatever the window does.
    expect(await e2e.call('recovery:deposit', { orderNos: [order.orderNo], approvals: [] })).toEqual({ jobs: [], rejected: [{ orderNo: order.orderNo, reason: 'claimed_by_other_desk' }] });
    await recover.scrollIntoViewIfNeeded();
    shots.push(await e2e.shot('team-claimed', 'en'));
    await page.getByTestId('nav-queue').click();
    await expect.poll(() => page.getByTestId(`hold-${order.orderNo}`).textContent(), LONG).toContain('Lin Mei');
    shots.push(await e2e.shot('team-queue', 'en'));

    await setLanguage(page, 'zh-CN');
    await openDetail(page, 'A', order.orderNo);
    await expect.poll(() => page.getByTestId('detail-recover').textContent(), LONG).toBe(text('zh-CN', 'team.beingRecoveredBy', { staff: 'Lin Mei' }));
    await page.getByTestId('detail-recover').scrollIntoViewIfNeeded();
    shots.push(await e2e.shot('team-claimed', 'zh-CN'));
    await page.getByTestId('nav-queue').click();
    await expect.poll(() => page.getByTestId(`hold-${order.orderNo}`).textContent(), LONG).toContain('Lin Mei');
    shots.push(await e2e.shot('team-queue', 'zh-CN'));
    await setLanguage(page, 'en');
  });

  it("shows the other desk's events in the timeline and in History once it is done", async () => {
    const { page } = e2e;
    releaseRead();
    const done = await vi.waitFor(
      async () => {
        const job = (await lin.handlers['queue:list']({})).find((j: Job) => j.orderNo === order.orderNo);
        if (!job || !SETTLED_JOB_STATES.includes(job.state)) throw new Error(`Lin's job: ${job?.state}`);
        return job;
      },
      { timeout: 60_000, interval: 250 },
    );
    expect(done, JSON.stringify(done)).toMatchObject({ state: 'done' });
    // Paid once on the order's chain (Lin Mei's desk may have regenerated it first), by Lin Mei's desk.
    const chain = [order.orderNo, ...e2e.sim.control.orders().filter((o) => o.originalOrderNo === order.orderNo).map((o) => o.orderNo)];
    expect(chain.reduce((n, o) => n + e2e.sim.control.paymentsFor(o), 0)).toBe(1);
    expect(await e2e.call('queue:list', {})).toEqual([]);
    await openDetail(page, 'failed', order.orderNo).catch(() => undefined);
    await page.getByTestId('nav-history').click();
    const row = page.getByTestId(`history-${order.orderNo}`);
    await expect.poll(() => row.textContent(), LONG).toContain('Lin Mei');
    await row.locator('button.history-head').click();
    const timeline = row.getByTestId('timeline');
    await expect.poll(() => timeline.textContent(), LONG).toContain(text('en', 'team.atDesk', { staff: 'Lin Mei' }));
    expect(await page.getByTestId(`claimed-${order.orderNo}`).count()).toBe(0);
    shots.push(await e2e.shot('team-history', 'en'));
    await setLanguage(page, 'zh-CN');
    await page.getByTestId('nav-history').click();
    const zhRow = page.getByTestId(`history-${order.orderNo}`);
    await zhRow.locator('button.history-head').click();
    await expect.poll(() => zhRow.getByTestId('timeline').textContent(), LONG).toContain(text('zh-CN', 'team.atDesk', { staff: 'Lin Mei' }));
    shots.push(await e2e.shot('team-history', 'zh-CN'));
    await setLanguage(page, 'en');
  });
});
