// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, TRAINING_BALANCES, type RunningSimulator, type SimOrder } from '../../electron/simulator/index.ts';
import { T0 } from './helpers.ts';

const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function training(seed: number): Promise<SimOrder[]> {
  const sim = await startSimulator({ seed, startTime: T0, clock: 'manual' });
  running.push(sim);
  return sim.control.orders();
}

describe('training scenario', () => {
  it('is identical for the same seed and start time, and differs for another seed', async () => {
    const a = await training(7);
    const b = await training(7);
    const c = await training(8);
    expect(b).toEqual(a);
    expect(c.map((o) => o.orderNo)).not.toEqual(a.map((o) => o.orderNo));
  });

  it('covers every case the desk must tell apart', async () => {
    const orders = await training(1);
    const payableBy = (o: SimOrder) => o.orderStatus === 0 && o.tktLimitTime > T0;
    expect(orders).toHaveLength(36);
    expect(new Set(orders.map((o) => o.airline))).toEqual(new Set(['5J', 'AK', 'VJ', 'TR', 'FD', 'QZ', 'JT']));
    expect(new Set(orders.map((o) => o.currency)).size).toBeGreaterThanOrEqual(3);
    expect(orders.filter((o) => payableBy(o) && o.paymentAttempted === true).length).toBeGreaterThanOrEqual(2);
    expect(orders.filter((o) => payableBy(o) && o.paymentAttempted === false).length).toBeGreaterThanOrEqual(5);
    expect(orders.filter((o) => o.orderStatus === 0 && o.tktLimitTime <= T0 && T0 - o.createdAt < 86_400_000).length).toBeGreaterThanOrEqual(3);
    const cancelledCodes = new Set(orders.filter((o) => o.orderStatus === -3).map((o) => o.errorCode));
    for (const code of ['604', '613', '616', '623', '633', '608', '603', '617']) expect(cancelledCodes).toContain(code);
    expect(orders.filter((o) => o.orderStatus === -3 && T0 - o.createdAt > 86_400_000).length).toBeGreaterThanOrEqual(1);
    expect(orders.some((o) => o.orderStatus === 1 && o.errorCode === '615')).toBe(true);
    expect(orders.filter((o) => o.orderStatus === 1 && o.ticketingDueAt !== null).length).toBeGreaterThanOrEqual(2);
    expect(orders.filter((o) => o.orderStatus === 2).length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...Object.values(TRAINING_BALANCES))).toBeLessThan(200);
  });

  it('lets the in-flight training orders resolve as simulated time passes', async () => {
    const sim = await startSimulator({ seed: 3, startTime: T0, clock: 'manual' });
    running.push(sim);
    const inFlight = sim.control.orders().filter((o) => o.orderStatus === 1 && o.ticketingDueAt !== null);
    sim.control.advanceClock(5000);
    const after = inFlight.map((o) => sim.control.order(o.orderNo)?.orderStatus);
    expect(after).toContain(2);
    expect(after).toContain(-3);
  });
});
