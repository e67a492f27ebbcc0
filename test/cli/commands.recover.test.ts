// `recover` on a regenerated chain, a re-run after it finished, and a ticket still pending — through
// the CLI's own command runner, in process, on the real desk core and the simulator.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import { runCommand } from '../../electron/cli/commands.ts';
import { EXIT } from '../../electron/cli/errors.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { deskFor, settled, depositRequest } from '../core/desk-support.ts';
import { atlasFor } from '../core/queue-harness.ts';
import { orderB, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
let desk: DeskCore;

beforeEach(async () => {
  sim = await startTestSimulator();
  tmp = tempDir('desk-recover-chain-');
  // Staff let a job pay up to 5 % above what they approved (Settings): a regenerated order re-priced
  // +4 % is then paid without a new approval, if the deposit covers it.
  desk = deskFor(sim, join(tmp.dir, 'desk.sqlite'), { priceTolerancePercent: 5 });
  await desk.start();
});

afterEach(async () => {
  await desk.stop({ timeoutMs: 2000 });
  await sim.stop();
  tmp.cleanup();
});

async function recover(orderNo: string, json = true) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand({ name: 'recover', orderNos: [orderNo], method: 'deposit', json, timeoutMs: 30_000 }, desk, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ledger = () => sim.control.ledger().map((e) => [e.kind, e.orderNo]);

describe('recover follows a regenerated chain to its newest order', () => {
  it('recovering the original of a chain whose new order was never paid pays the new order, and says so', async () => {
    const x = sim.control.createOrder(orderB(sim.control.now(), { regenerateFareDelta: 0.04 })).orderNo;
    // Enough for the original's fare, not for the regenerated order's (+4 %): regenerated, then stopped.
    sim.control.setBalance('USD', 155);
    const first = JSON.parse((await recover(x)).out) as { outcome: string; reason: string; finalOrderNo: string }[];
    const y = first[0]!.finalOrderNo;
    expect(first).toEqual([expect.objectContaining({ outcome: 'not_recovered', reason: 'deposit_below_due' })]);
    expect(y).not.toBe(x);

    sim.control.setBalance('USD', 5000);
    const again = await recover(x);
    expect(again.err).toContain(`${x} was regenerated into ${y}; recovering ${y}`);
    expect(JSON.parse(again.out)).toEqual([expect.objectContaining({ orderNo: x, outcome: 'ticketed', finalOrderNo: y })]);
    expect(again.code).toBe(EXIT.ok);
    expect(ledger()).toEqual([
      ['regenerate', y],
      ['pay', y],
    ]);
  });

  it('a re-run after the chain was recovered reports where it ended (ticketed, the final order), not "rejected"', async () => {
    sim.control.setBalance('USD', 5000);
    const x = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    const [done] = JSON.parse((await recover(x)).out) as { outcome: string; finalOrderNo: string }[];
    expect(done).toMatchObject({ outcome: 'ticketed' });

    const rerun = await recover(x);
    expect(JSON.parse(rerun.out)).toEqual([expect.objectContaining({ orderNo: x, outcome: 'ticketed', finalOrderNo: done!.finalOrderNo, reason: 'ticketed' })]);
    expect(rerun.code).toBe(EXIT.ok);
    expect(ledger()).toHaveLength(2); // the first run's regenerate and pay, nothing more
  });
});

describe('the app\'s recover action on an original', () => {
  it('queues the chain\'s newest order instead of refusing the original as already regenerated', async () => {
    const x = sim.control.createOrder(orderB(sim.control.now(), { regenerateFareDelta: 0.04 })).orderNo;
    sim.control.setBalance('USD', 155);
    const [first] = JSON.parse((await recover(x)).out) as { finalOrderNo: string }[];
    const y = first!.finalOrderNo;
    sim.control.setBalance('USD', 5000);
    const { jobs, rejected } = await desk.handlers['recovery:deposit'](await depositRequest(desk, [x]));
    expect(rejected).toEqual([]);
    expect(jobs).toEqual([expect.objectContaining({ orderNo: y })]);
    const [job] = await settled(desk, [jobs[0]!.id]);
    expect(job).toMatchObject({ state: 'done', outcome: 'ticketed', currentOrderNo: y });
    expect(sim.control.paymentsFor(y)).toBe(1);
  });
});

describe('a paid order whose tickets are not issued yet', () => {
  it('says "paid, ticket pending" and exits 3, not 0', async () => {
    sim.control.setSwitches({ ticketingDelayMs: 3_600_000 });
    const now = sim.control.now();
    const paid = sim.control.createOrder({ orderStatus: 1, paymentMethod: 1, createdAt: now - 10 * 60_000, paymentTimestamp: now, currency: 'USD' }).orderNo;
    const human = await recover(paid, false);
    expect(human.out).toMatch(new RegExp(`${paid}\\s+paid, ticket pending`));
    expect(human.code).toBe(EXIT.ticketPending);
    expect(JSON.parse((await recover(paid)).out)).toEqual([expect.objectContaining({ outcome: 'paid_pending_ticket', reason: 'ticketing_in_progress' })]);
    expect(sim.control.requests('pay')).toHaveLength(0);
  });
});

describe('approve tells paid from ticketed, like recover', () => {
  it('exits 3 when the order the job waited on was paid meanwhile and its ticket is not issued yet', async () => {
    sim.control.setSwitches({ ticketingDelayMs: 3_600_000 });
    sim.control.setBalance('USD', 5000);
    // Re-priced +50 % when regenerated: above the approval and its tolerance, so the job waits.
    const x = sim.control.createOrder(orderB(sim.control.now(), { regenerateFareDelta: 0.5 })).orderNo;
    const [waiting] = JSON.parse((await recover(x)).out) as { state: string; reason: string; finalOrderNo: string }[];
    expect(waiting).toMatchObject({ state: 'needs_approval', reason: 'price_changed' });
    const y = waiting!.finalOrderNo;
    // Meanwhile someone pays the new order in ATRIP; Atlas is still ticketing it.
    await atlasFor(sim).pay({ orderNo: y, paymentMethod: 1 });

    const out: string[] = [];
    const code = await runCommand({ name: 'approve', orderNos: [x], json: true, timeoutMs: 30_000 }, desk, { out: (t) => out.push(t), err: () => {} });
    expect(JSON.parse(out.join('\n'))).toEqual([expect.objectContaining({ orderNo: x, outcome: 'paid_pending_ticket', finalOrderNo: y })]);
    expect(code).toBe(EXIT.ticketPending);
    // The desk itself paid nothing: ATRIP's pay.do is the only one.
    expect(sim.control.requests('pay')).toHaveLength(1);
    expect(sim.control.paymentsFor(y)).toBe(1);
  });
});

describe('approve while another desk process works the queue', () => {
  it('says so once on stderr; that process pays the approved amount, and approve reports it', async () => {
    sim.control.setBalance('USD', 5000);
    const x = sim.control.createOrder(orderB(sim.control.now(), { regenerateFareDelta: 0.5 })).orderNo;
    const [waiting] = JSON.parse((await recover(x)).out) as { state: string; finalOrderNo: string }[];
    expect(waiting).toMatchObject({ state: 'needs_approval' });
    // A second desk process on the same database: `desk` (started first) holds the queue lease.
    const other = deskFor(sim, join(tmp.dir, 'desk.sqlite'));
    await other.start();
    try {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCommand({ name: 'approve', orderNos: [x], json: true, timeoutMs: 30_000 }, other, { out: (t) => out.push(t), err: (t) => err.push(t) });
      expect(err).toEqual([expect.stringMatching(/^desk: another desk process \(pid \d+ on .+\) is working this database's queue; it runs these orders/)]);
      expect(JSON.parse(out.join('\n'))).toEqual([expect.objectContaining({ orderNo: x, outcome: 'ticketed', finalOrderNo: waiting!.finalOrderNo })]);
      expect(code).toBe(EXIT.ok);
      expect(sim.control.paymentsFor(waiting!.finalOrderNo)).toBe(1);
    } finally {
      await other.stop({ timeoutMs: 2000 });
    }
  });
});
