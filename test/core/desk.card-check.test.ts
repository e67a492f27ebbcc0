// The core's own card check (recovery:card, queue:provideCard) knows its environment: Atlas's
// sandbox test cards pass in Training and Sandbox only, and a paymentLimit must be exact in the
// order's card currency. Whatever the caller, a refused card queues nothing and pays nothing.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import type { Environment } from '../../shared/ipc.ts';
import { deskFor, settled, cardApproval } from './desk-support.ts';
import { CARD } from '../support/cards.ts';
import { orderA, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A documented sandbox test card (docs/atlas-api.md §5) whose check digit is wrong. */
const SANDBOX_NOT_LUHN = '4916931584764308';

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
let desk: DeskCore | undefined;

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.control.setBalance('USD', 10_000); // Atlas's fee for a card payment comes from the deposit
  tmp = tempDir('desk-card-');
});

afterEach(async () => {
  await desk?.stop({ timeoutMs: 2000 });
  desk = undefined;
  await sim.stop();
  tmp.cleanup();
});

async function open(environment: Environment): Promise<DeskCore> {
  desk = deskFor(sim, join(tmp.dir, `desk-${environment}.sqlite`), { environment });
  await desk.start();
  return desk;
}

async function markedOrder(d: DeskCore, extra: Parameters<typeof orderA>[0] = {}): Promise<string> {
  const orderNo = sim.control.createOrder(orderA({ airline: 'AK', ...extra })).orderNo;
  await d.handlers['orders:add']({ orderNos: [orderNo], markFailed: true });
  return orderNo;
}

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { code?: string; reason?: string; message: string });

describe('the core card check', () => {
  it.each(['training', 'sandbox'] as const)('accepts a documented sandbox test card that fails Luhn in %s, and pays once', async (environment) => {
    const d = await open(environment);
    const orderNo = await markedOrder(d);
    const job = await d.handlers['recovery:card']({ orderNo, card: { ...CARD, cardNumber: SANDBOX_NOT_LUHN }, approved: await cardApproval(d, orderNo) });
    const [done] = await settled(d, [job.id]);
    expect(done).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.paymentsFor(orderNo)).toBe(1);
  });

  it('refuses the same card in Production: no job, no pay.do', async () => {
    const d = await open('production');
    const orderNo = await markedOrder(d);
    const error = await refusal(d.handlers['recovery:card']({ orderNo, card: { ...CARD, cardNumber: SANDBOX_NOT_LUHN }, approved: await cardApproval(d, orderNo) }));
    expect(error).toMatchObject({ code: 'invalid_request', reason: 'card_invalid' });
    expect(error?.message).toContain('cardNumber: luhn');
    expect(error?.message).not.toContain(SANDBOX_NOT_LUHN);
    expect(await d.handlers['queue:list']({})).toEqual([]);
    expect(sim.control.requests('pay')).toEqual([]);
  });

  it('refuses a paymentLimit finer than the order card currency instead of rounding it', async () => {
    const d = await open('training');
    const usd = await markedOrder(d, { vendorCurrency: 'USD', vendorPrice: 100 });
    const jpy = await markedOrder(d, { vendorCurrency: 'JPY', vendorPrice: 15000 });
    expect((await refusal(d.handlers['recovery:card']({ orderNo: usd, card: { ...CARD, paymentLimit: 100.005 }, approved: await cardApproval(d, usd) })))?.message).toContain(
      'paymentLimit: too_precise',
    );
    expect((await refusal(d.handlers['recovery:card']({ orderNo: jpy, card: { ...CARD, paymentLimit: 15450.5 }, approved: await cardApproval(d, jpy) })))?.message).toContain(
      'paymentLimit: too_precise',
    );
    expect(await d.handlers['queue:list']({})).toEqual([]);
    const job = await d.handlers['recovery:card']({ orderNo: usd, card: { ...CARD, paymentLimit: 103.01 }, approved: await cardApproval(d, usd) });
    await settled(d, [job.id]);
    expect(sim.control.paymentsFor(usd)).toBe(1);
    expect(sim.control.paymentsFor(jpy)).toBe(0);
  });
});
