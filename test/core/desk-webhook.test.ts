// The webhook receiver as the core runs it: off unless enabled, a stable secret URL, and a hint that
// only prompts a re-query of the order (the payload itself is never trusted).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { deskFor, orderB, startTestSimulator, tempDir } from './desk-support.ts';

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

async function started(webhook?: typeof enabled): Promise<DeskCore> {
  const desk = deskFor(sim, join(tmp.dir, 'desk.sqlite'), webhook ? { webhook } : {});
  desks.push(desk);
  await desk.start();
  return desk;
}

describe('webhook receiver in the desk core', () => {
  it('is off by default and says so', async () => {
    const desk = await started();
    expect(await desk.handlers['webhook:status']({})).toEqual({ enabled: false, url: null, error: null });
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
    expect(await second.handlers['webhook:status']({})).toEqual({ enabled: true, url: null, error: 'EADDRINUSE' });
    expect(await second.handlers['orders:list']({ scope: 'failed' })).toEqual([]);
  });
});
