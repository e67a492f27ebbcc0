import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardVault } from '../../electron/core/card-vault.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { manualTimers } from '../support/manual-timers.ts';
import { openDesk, withSimulator, type Desk, cardIntent } from './queue-harness.ts';
import { CARD } from '../support/cards.ts';
import { orderA, orderB } from '../support/scenarios.ts';
import { removeDir } from '../support/temp-dir.ts';

describe('CardVault', () => {
  it('returns nothing after the time limit and overwrites the fields it held', () => {
    let now = 0;
    const vault = new CardVault({ now: () => now }, 1000);
    vault.put('j1', CARD);
    const held = vault.get('j1')!;
    expect(held.cardNumber).toBe(CARD.cardNumber);
    now = 1000;
    expect(vault.get('j1')).toBeNull();
    expect(held.cardNumber).toBe('0'.repeat(16));
    expect(held.cardCVV).toBe('000');
    expect(vault.size).toBe(0);
  });

  it('wipes an entry when its timer fires, without anyone reading it, and says so', () => {
    const timers = manualTimers();
    const expired: string[] = [];
    const vault = new CardVault({ now: () => 0 }, 1000, { timers, onExpire: (id) => expired.push(id) });
    vault.put('j1', CARD);
    const held = vault.get('j1')!;
    expect(timers.pending()).toEqual([1000]);
    timers.fireAll();
    expect(vault.size).toBe(0);
    expect(held.cardNumber).toBe('0'.repeat(16));
    expect(expired).toEqual(['j1']);
  });

  it('clears the timer when an entry is wiped, replaced or all are wiped (stop)', () => {
    const timers = manualTimers();
    const expired: string[] = [];
    const vault = new CardVault({ now: () => 0 }, 1000, { timers, onExpire: (id) => expired.push(id) });
    vault.put('j1', CARD);
    vault.wipe('j1');
    expect(timers.pending()).toEqual([]);
    vault.put('j2', CARD);
    vault.put('j2', CARD);
    expect(timers.pending()).toEqual([1000]);
    vault.put('j3', CARD);
    vault.wipeAll();
    expect(timers.pending()).toEqual([]);
    expect(expired).toEqual([]);
  });

  it('uses unref timers by default, so a held card never keeps the process alive', () => {
    const vault = new CardVault({ now: () => 0 }, 60_000);
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    vault.put('j1', CARD);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
    vault.wipeAll();
  });

  it('keeps its own copy, so wiping never touches the caller object and vice versa', () => {
    const vault = new CardVault({ now: () => 0 });
    const mine = { ...CARD };
    vault.put('j1', mine);
    mine.cardNumber = 'changed';
    expect(vault.get('j1')?.cardNumber).toBe(CARD.cardNumber);
    vault.wipe('j1');
    expect(mine.cardCVV).toBe(CARD.cardCVV);
  });
});

describe('card jobs', () => {
  let sim: RunningSimulator;
  let desk: Desk;
  beforeEach(async () => {
    sim = await withSimulator();
    desk = openDesk(sim);
  });
  afterEach(async () => {
    await desk.close();
    await sim.stop();
    removeDir(desk.dir);
  });

  function dbBytes(dir: string): Buffer {
    return Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
  }

  it('pays with the card, wipes it as soon as pay.do answers, and never writes the PAN to the db or WAL', async () => {
    const order = sim.control.createOrder(orderB(sim.control.now()));
    const job = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), CARD, 'mei');
    expect(job.cardMask).toBe('411111******1111');
    expect(desk.queue.vault.has(job.id)).toBe(true);
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(desk.queue.vault.has(job.id)).toBe(false);
    const [newOrder] = sim.control.orders().filter((o) => o.originalOrderNo === order.orderNo);
    expect(sim.control.ledger().filter((e) => e.kind === 'pay')).toEqual([
      expect.objectContaining({ orderNo: newOrder!.orderNo, paymentMethod: 3, cardTail: '1111' }),
    ]);
    const bytes = dbBytes(desk.dir);
    expect(bytes.includes(Buffer.from(CARD.cardNumber))).toBe(false);
    expect(bytes.includes(Buffer.from('411111******1111'))).toBe(true); // the mask is there: the scan is real
  });

  it('wipes the card when pay.do is declined, too', async () => {
    const order = sim.control.createOrder(orderA({ supportPaymentMethods: [1] }));
    const job = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), CARD, 'mei');
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id).state).toBe('blocked');
    expect(desk.queue.vault.size).toBe(0);
  });

  it('after a restart a queued card job needs the card again, and resumes when staff give it', async () => {
    const order = sim.control.createOrder(orderA());
    const job = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), CARD, 'mei');
    await desk.close();
    desk = openDesk(sim, {}, desk.dir);
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'needs_card', reason: 'card_missing' });
    expect(sim.control.requests('pay')).toHaveLength(0);
    desk.queue.provideCard(job.id, CARD);
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id)).toMatchObject({ state: 'done', outcome: 'ticketed' });
    expect(sim.control.paymentsFor(order.orderNo)).toBe(1);
    expect(dbBytes(desk.dir).includes(Buffer.from(CARD.cardNumber))).toBe(false);
  });

  it('a card that expired in the vault before its turn turns the job into needs_card without any mutating call', async () => {
    await desk.close();
    removeDir(desk.dir);
    let shift = 0;
    const clock = { now: () => sim.control.now() + shift };
    desk = openDesk(sim, { clock, vault: new CardVault(clock, 60_000) });
    const order = sim.control.createOrder(orderB(sim.control.now()));
    const job = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), CARD, 'mei');
    shift = 61_000;
    await desk.queue.start();
    await desk.queue.whenIdle();
    expect(desk.queue.jobs.mustGet(job.id).state).toBe('needs_card');
    expect(sim.control.requests('regenerateOrder')).toHaveLength(0);
  });

  it('cancelling a needs_card job is allowed and leaves nothing in the vault', async () => {
    const order = sim.control.createOrder(orderA());
    const job = desk.queue.enqueueCard(cardIntent(sim, order.orderNo), CARD, 'mei');
    expect(desk.queue.cancel(job.id, 'mei').state).toBe('cancelled');
    expect(desk.queue.vault.size).toBe(0);
  });
});
