// The webhook receiver as the core runs it: off unless enabled, a stable secret URL, and a hint that
// only prompts a re-query of the order (the payload itself is never trusted).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import type { DeskCore, DeskDeps } from '../../electron/core/contract.ts';
import { scrubOutbound } from '../../electron/shell/outbound-guard.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { deskFor } from './desk-support.ts';
import { orderA, orderB, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
const desks: DeskCore[] = [];
const enabled = { enabled: true, host: '127.0.0.1', port: 0 };

beforeEach(async () => {
  sim = await startTestSimulator();
  tmp = tempDir('desk-webhook-');
});

afterEach(async () => {
  for (const desk of desks.splice(0)) await desk.stop({ timeoutMs: 2000 });
  await sim.stop();
  tmp.cleanup();
});

async function started(webhook?: typeof enabled & { publicUrl?: string }, deps: Partial<DeskDeps> = {}): Promise<DeskCore> {
  const desk = deskFor(sim, join(tmp.dir, 'desk.sqlite'), { ...(webhook ? { webhook } : {}), deps });
  desks.push(desk);
  await desk.start();
  return desk;
}

describe('webhook receiver in the desk core', () => {
  it('is off by default and says so', async () => {
    const desk = await started();
    expect(await desk.handlers['webhook:status']({})).toEqual({ enabled: false, url: null, publicUrl: null, error: null });
  });

  it('turns a cancellation webhook into a re-query that lists the order as Scenario B', async () => {
    const desk = await started(enabled);
    const status = await desk.handlers['webhook:status']({});
    expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\/[A-Za-z0-9_-]{40,}$/);

    const orderNo = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    const changed = new Promise<string[]>((resolve) => {
      const off = desk.on('orders:changed', ({ orderNos }) => {
        if (orderNos.includes(orderNo)) {
          off();
          resolve(orderNos);
        }
      });
    });
    // The payload claims a different error code: the desk must believe Atlas's answer, not the webhook.
    const response = await fetch(status.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'order.cancelled', data: { orderNo, errorCode: '999' } }),
    });
    expect(response.status).toBe(200);
    await changed;
    const { order, timeline } = await desk.handlers['orders:show']({ orderNo });
    expect(order.category).toBe('B');
    expect(order.details.errorCode).toBe('604');
    expect(timeline.map((e) => e.kind)).toContain('webhook_hint');
  });

  it('keeps the same secret URL across restarts, so the address registered in ATRIP stays valid', async () => {
    const first = await started(enabled);
    const before = (await first.handlers['webhook:status']({})).url!;
    await first.stop({ timeoutMs: 2000 });
    desks.splice(desks.indexOf(first), 1);
    const second = await started(enabled);
    const after = (await second.handlers['webhook:status']({})).url!;
    expect(new URL(after).pathname).toBe(new URL(before).pathname);
  });

  it('still starts the desk when the port is taken, and reports why the receiver is down', async () => {
    const first = await started(enabled);
    const port = Number(new URL((await first.handlers['webhook:status']({})).url!).port);
    const second = deskFor(sim, join(tmp.dir, 'other.sqlite'), { webhook: { ...enabled, port } });
    desks.push(second);
    await second.start();
    expect(await second.handlers['webhook:status']({})).toEqual({ enabled: true, url: null, publicUrl: null, error: 'EADDRINUSE' });
    expect(await second.handlers['orders:list']({ scope: 'failed' })).toEqual([]);
  });

  it('rotates the secret path: the old URL stops working at once, the new one works and survives a restart', async () => {
    const desk = await started({ ...enabled, publicUrl: 'https://desk.agency.example/atlas' });
    const before = await desk.handlers['webhook:status']({});
    const orderNo = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    const hint = (url: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'order.cancelled', data: { orderNo } }) });

    const after = await desk.handlers['webhook:rotateToken']({});

    expect(after.url).not.toBe(before.url);
    // Nothing in the answer that the outbound guard would have to change on its way to the window.
    expect(scrubOutbound(after, [sim.clientSecret])).toEqual(after);
    expect(new URL(after.url!).port).toBe(new URL(before.url!).port); // same listener, new path
    expect(after.publicUrl).toBe(`https://desk.agency.example/atlas/webhook/${after.url!.split('/webhook/')[1]}`);
    expect((await hint(before.url!)).status).toBe(404);
    const changed = new Promise<void>((resolve) => {
      const off = desk.on('orders:changed', ({ orderNos }) => {
        if (orderNos.includes(orderNo)) {
          off();
          resolve();
        }
      });
    });
    expect((await hint(after.url!)).status).toBe(200);
    await changed;
    await desk.stop({ timeoutMs: 2000 });
    desks.splice(desks.indexOf(desk), 1);
    const again = await started(enabled);
    expect(new URL((await again.handlers['webhook:status']({})).url!).pathname).toBe(new URL(after.url!).pathname);
  });

  it('shows the URL to register in ATRIP only once a public https URL is set', async () => {
    const desk = await started(enabled);
    expect((await desk.handlers['webhook:status']({})).publicUrl).toBeNull();
    const withProxy = await started({ ...enabled, publicUrl: 'https://hooks.agency.example' }, {});
    const status = await withProxy.handlers['webhook:status']({});
    expect(status.publicUrl).toMatch(/^https:\/\/hooks\.agency\.example\/webhook\/[A-Za-z0-9_-]{43}$/);
  });

  it('refuses to listen on an address that is neither loopback nor this machine, and says so', async () => {
    const desk = await started({ ...enabled, host: '0.0.0.0' });
    expect(await desk.handlers['webhook:status']({})).toEqual({ enabled: true, url: null, publicUrl: null, error: 'host_not_allowed' });
  });

  it('writes nothing for repeated hints about an order Atlas has not changed', async () => {
    const desk = await started(enabled, { hintLimits: { perOrderIntervalMs: 0 } });
    const orderNo = sim.control.createOrder(orderA()).orderNo;
    await desk.handlers['orders:add']({ orderNos: [orderNo], markFailed: true });
    const { url } = await desk.handlers['webhook:status']({});
    const db = new DatabaseSync(join(tmp.dir, 'desk.sqlite'), { readOnly: true });
    const rows = () => db.prepare('SELECT (SELECT COUNT(*) FROM events) AS events, (SELECT MAX(updated_at) FROM orders) AS updated').get();
    const before = rows();
    const queries = () => sim.control.requests('queryOrderDetails', orderNo).length;
    const asked = queries();
    for (let i = 0; i < 5; i++) {
      await fetch(url!, { method: 'POST', body: JSON.stringify({ type: 'order.ticketed', data: { orderNo, orderStatus: 2 } }) });
      await expect.poll(queries).toBe(asked + i + 1);
    }
    expect(rows()).toEqual(before);
    expect((await desk.handlers['orders:show']({ orderNo })).timeline.map((e) => e.kind)).not.toContain('webhook_hint');
    db.close();
  });
});
