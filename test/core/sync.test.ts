import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderSync, type SyncProgress } from '../../electron/core/sync.ts';
import { MetaRepo } from '../../electron/store/meta-repo.ts';
import { cancelledAfterPayment, order } from '../support/order-details.ts';
import { tempStore, type TempStore } from '../support/temp-store.ts';
import { FakeAtlas, atlasError } from './sync-fake-atlas.ts';

const NOW = Date.parse('2026-11-20T06:00:00.000Z');
const HOUR = 3_600_000;

let t: TempStore;
let atlas: FakeAtlas;
let now: number;
let sleeps: number[];

function makeSync(extra: Partial<ConstructorParameters<typeof OrderSync>[0]> = {}): OrderSync {
  return new OrderSync({
    atlas,
    db: t.store.db,
    clock: { now: () => now },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    pageSize: 2,
    ...extra,
  });
}

const created = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();
const no = (i: number) => `TESTA2026112000000${String(i).padStart(4, '0')}`;

beforeEach(() => {
  t = tempStore();
  atlas = new FakeAtlas();
  now = NOW;
  sleeps = [];
});
afterEach(() => t.cleanup());

describe('OrderSync.run', () => {
  it('pages through every page of the last 48 h and stores each order with its category', async () => {
    atlas.put(cancelledAfterPayment('604', { orderNo: no(1), createdAt: created(2) }));
    atlas.put(order({ orderNo: no(2), createdAt: created(3) }));
    atlas.put(order({ orderNo: no(3), orderStatus: 'ticketing', paymentMethod: 1, paymentOptions: null, createdAt: created(4) }));
    atlas.put(order({ orderNo: no(4), paymentAttempted: true, createdAt: created(5) }));
    atlas.put(cancelledAfterPayment('604', { orderNo: no(5), createdAt: created(6) }));
    atlas.put(cancelledAfterPayment('604', { orderNo: no(6), createdAt: created(60) })); // outside the first window
    atlas.put(order({ orderNo: no(7), orderStatus: 'ticketed', ticketIssued: true, createdAt: created(1) })); // not a synced status
    const progress: SyncProgress[] = [];

    const status = await makeSync().run((p) => progress.push(p));

    expect(status).toMatchObject({ running: false, error: null, done: 5, total: 5, lastSyncAt: new Date(NOW).toISOString() });
    expect(atlas.listCalls.map((q) => q.page)).toEqual([1, 2, 3]);
    expect(atlas.listCalls[0]).toMatchObject({
      orderStatus: ['cancelled', 'unpaid', 'ticketing'],
      createdFrom: created(48),
      createdTo: created(0),
    });
    expect(progress.at(-1)).toEqual({ done: 5, total: 5 });
    const sync = makeSync();
    const category = (n: number) => sync.view.orders.get(no(n))?.category;
    expect([1, 2, 3, 4, 5].map(category)).toEqual(['B', 'unpaid', 'ticketing', 'A', 'B']);
    expect(category(6)).toBeUndefined();
    expect(category(7)).toBeUndefined();
    // orderList's creation time is kept although queryOrderDetails does not send it.
    expect(sync.view.orders.get(no(1))?.details.createdAt).toBe(created(2));
    expect(sync.view.events.timeline(no(1)).map((e) => e.kind)).toEqual(['seen']);
  });

  it('reaches back to the previous run (with overlap) after a gap longer than 48 h', async () => {
    await makeSync().run();
    now = NOW + 72 * HOUR;
    await makeSync().run();
    expect(atlas.listCalls.at(-1)).toMatchObject({
      createdFrom: new Date(NOW - 15 * 60_000).toISOString(),
      createdTo: new Date(NOW + 72 * HOUR).toISOString(),
    });
  });

  it('re-reads the last 48 h on every run and records a status change once', async () => {
    atlas.put(order({ orderNo: no(1), createdAt: created(1) }));
    await makeSync().run();
    now = NOW + 2 * HOUR;
    atlas.put(cancelledAfterPayment('604', { orderNo: no(1), createdAt: created(1) }));
    atlas.put(cancelledAfterPayment('604', { orderNo: no(2), createdAt: new Date(NOW + HOUR).toISOString() }));

    await makeSync().run();

    expect(atlas.listCalls.at(-1)).toMatchObject({
      createdFrom: new Date(NOW + 2 * HOUR - 48 * HOUR).toISOString(),
      createdTo: new Date(NOW + 2 * HOUR).toISOString(),
    });
    const sync = makeSync();
    expect(sync.view.events.timeline(no(1)).map((e) => [e.kind, e.data])).toEqual([
      ['seen', { orderStatus: 'unpaid', errorCode: null, source: 'sync' }],
      ['status_changed', { from: 'unpaid', fromErrorCode: null, to: 'cancelled', errorCode: '604' }],
    ]);
    expect(sync.view.orders.get(no(2))?.category).toBe('B');

    await makeSync().run(); // nothing changed: no new events
    expect(sync.view.events.timeline(no(1))).toHaveLength(2);
  });

  it('stops on a network failure mid-sync and resumes at the failed page next time, losing nothing', async () => {
    for (let i = 1; i <= 5; i++) atlas.put(cancelledAfterPayment('604', { orderNo: no(i), createdAt: created(i) }));
    atlas.queryFailures.set(no(3), [atlasError({ kind: 'network' })]);

    const first = await makeSync().run();

    expect(first).toMatchObject({ running: false, error: 'network', lastSyncAt: null });
    const sync = makeSync();
    expect(sync.view.orders.count()).toBeGreaterThanOrEqual(2);
    expect(new MetaRepo(t.store.db).getJson('sync.cursor')).toMatchObject({ page: 2, from: created(48) });

    now = NOW + HOUR; // later, but the unfinished window is kept
    atlas.listCalls.length = 0;
    const second = await makeSync().run();

    expect(second).toMatchObject({ error: null, done: 5, total: 5 });
    expect(atlas.listCalls.map((q) => q.page)).toEqual([2, 3]);
    expect(atlas.listCalls[0]?.createdFrom).toBe(created(48));
    expect(sync.view.orders.count()).toBe(5);
    for (let i = 1; i <= 5; i++) {
      expect(sync.view.events.timeline(no(i)).filter((e) => e.kind === 'seen')).toHaveLength(1);
    }
    expect(new MetaRepo(t.store.db).get('sync.cursor')).toBeNull();
  });

  it('leaves the search index merged after a run that stored orders', async () => {
    for (let i = 1; i <= 5; i++) atlas.put(order({ orderNo: no(i), createdAt: created(i) }));
    const sync = makeSync();

    await sync.run();

    expect(sync.view.orders.count()).toBe(5);
    // Each order was its own transaction (a segment each): the run merged them already.
    expect(sync.view.orders.mergeSearchIndex()).toBe(false);
  });

  it('resumes after a timeout of orderList itself', async () => {
    atlas.put(cancelledAfterPayment('604', { orderNo: no(1), createdAt: created(1) }));
    atlas.listFailures.push(atlasError({ kind: 'timeout' }, 'orderList'));
    expect((await makeSync().run()).error).toBe('timeout');
    expect((await makeSync().run()).error).toBeNull();
    expect(makeSync().view.orders.get(no(1))?.category).toBe('B');
  });

  it('waits retryAfter seconds on 429 and then carries on', async () => {
    atlas.put(cancelledAfterPayment('604', { orderNo: no(1), createdAt: created(1) }));
    atlas.listFailures.push(atlasError({ kind: 'rate_limited', retryAfter: 7, httpStatus: 429 }, 'orderList'));
    atlas.queryFailures.set(no(1), [atlasError({ kind: 'rate_limited', retryAfter: 3, httpStatus: 429 })]);

    const status = await makeSync().run();

    expect(sleeps).toEqual([7000, 3000]);
    expect(status.error).toBeNull();
    expect(makeSync().view.orders.get(no(1))).not.toBeNull();
  });

  it('skips an order Atlas no longer finds without blocking the rest', async () => {
    atlas.put(cancelledAfterPayment('604', { orderNo: no(1), createdAt: created(1) }));
    atlas.put(cancelledAfterPayment('604', { orderNo: no(2), createdAt: created(2) }));
    atlas.queryFailures.set(no(1), [atlasError({ kind: 'business', code: 800 })]);
    const status = await makeSync().run();
    expect(status.error).toBeNull();
    expect(makeSync().view.orders.get(no(2))).not.toBeNull();
  });

  it('keeps at most 4 order queries in flight and shares one run between concurrent callers', async () => {
    for (let i = 1; i <= 10; i++) atlas.put(cancelledAfterPayment('604', { orderNo: no(i), createdAt: created(1) }));
    const sync = makeSync({ pageSize: 10 });
    const [a, b] = await Promise.all([sync.run(), sync.run()]);
    expect(a).toEqual(b);
    expect(atlas.listCalls).toHaveLength(1);
    expect(atlas.maxInFlight).toBe(4);
  });
});

describe('OrderSync.addOrders', () => {
  it('adds found orders, reports unknown and malformed numbers, and marks failed with the actor', async () => {
    atlas.put(order({ orderNo: no(1), createdAt: created(1) }));
    const sync = makeSync();

    const result = await sync.addOrders([` ${no(1).toLowerCase()} `, no(9), 'bad!', no(1)], { markFailed: true, actor: 'ann' });

    expect(result).toEqual({ added: [no(1)], notFound: [no(9)], invalid: ['bad!'] });
    const rec = sync.view.orders.get(no(1));
    expect(rec).toMatchObject({ category: 'A', markedFailed: true, lastActor: 'ann' });
    expect(sync.view.events.timeline(no(1)).map((e) => [e.kind, e.actor])).toEqual([
      ['seen', 'ann'],
      ['marked_failed', 'ann'],
    ]);
  });

  it('without markFailed an unpaid order stays in the unpaid list', async () => {
    atlas.put(order({ orderNo: no(1), createdAt: created(1) }));
    const sync = makeSync();
    await sync.addOrders([no(1)], { markFailed: false, actor: 'ann' });
    expect(sync.view.orders.get(no(1))?.category).toBe('unpaid');
  });

  it('throws on network trouble after storing what it already had', async () => {
    atlas.put(order({ orderNo: no(1), createdAt: created(1) }));
    atlas.queryFailures.set(no(2), [atlasError({ kind: 'network' })]);
    atlas.put(order({ orderNo: no(2), createdAt: created(1) }));
    const sync = makeSync({ concurrency: 1 });
    await expect(sync.addOrders([no(1), no(2)], { markFailed: false, actor: 'ann' })).rejects.toThrow(/network/);
    expect(sync.view.orders.get(no(1))).not.toBeNull();
  });
});

describe('OrderSync.hint', () => {
  it('re-queries the order and records the change and the hint', async () => {
    atlas.put(order({ orderNo: no(1), createdAt: created(1) }));
    const changed: string[][] = [];
    const sync = makeSync({ onOrdersChanged: (o) => changed.push(o) });
    await sync.addOrders([no(1)], { markFailed: true, actor: 'ann' });
    atlas.put(cancelledAfterPayment('604', { orderNo: no(1), createdAt: created(1) }));

    await sync.hint(no(1));

    expect(sync.view.orders.get(no(1))?.details.orderStatus).toBe('cancelled');
    expect(sync.view.events.timeline(no(1)).map((e) => e.kind)).toEqual(['seen', 'marked_failed', 'status_changed', 'webhook_hint']);
    expect(changed.at(-1)).toEqual([no(1)]);
  });

  it('coalesces hints that arrive while a query is in flight into one follow-up query', async () => {
    atlas.put(cancelledAfterPayment('604', { orderNo: no(1), createdAt: created(1) }));
    let open!: () => void;
    atlas.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    // No per-order spacing here: this test is about coalescing (hint-gate.test.ts covers the spacing).
    const sync = makeSync({ hintLimits: { perOrderIntervalMs: 0 } });
    const hints = [sync.hint(no(1)), sync.hint(no(1)), sync.hint(no(1))];
    open();
    await Promise.all(hints);
    expect(atlas.queryCalls).toEqual([no(1), no(1)]);
    expect(sync.view.events.timeline(no(1)).filter((e) => e.kind === 'seen')).toHaveLength(1);
  });

  it('ignores malformed order numbers and swallows Atlas errors', async () => {
    const sync = makeSync();
    await expect(sync.hint('../etc/passwd')).resolves.toBeUndefined();
    await expect(sync.hint(no(404))).resolves.toBeUndefined();
    expect(atlas.queryCalls).toEqual([no(404)]);
  });
});

describe('OrderSync.ingest', () => {
  it('stores an order read elsewhere like a synced one and reports changes only once', () => {
    const changed: string[][] = [];
    const sync = makeSync({ onOrdersChanged: (o) => changed.push(o) });
    const read = cancelledAfterPayment('604', { orderNo: no(1), createdAt: created(2) });
    expect(sync.ingest(read, performance.now())).toBe(true);
    expect(sync.ingest(read, performance.now())).toBe(false);
    expect(sync.view.orders.get(no(1))?.category).toBe('B');
    expect(sync.view.events.timeline(no(1)).map((e) => [e.kind, e.data.source])).toEqual([['seen', 'query']]);
    expect(changed).toEqual([[no(1)]]);
  });
});

describe('facts only the order list states are kept (creation time, city codes)', () => {
  it('keeps the list\'s creation time and cities when a later read of the order lacks them', async () => {
    atlas.put(cancelledAfterPayment('604', { orderNo: no(1), createdAt: created(2), fromCity: 'BKK', toCity: 'SIN', fromAirport: 'DMK', toAirport: 'SIN' }));
    const sync = makeSync();
    await sync.run();
    // queryOrderDetails states neither (FakeAtlas, like Atlas); the desk read it again, e.g. before showing a plan.
    sync.ingest({ ...cancelledAfterPayment('604', { orderNo: no(1) }), createdAt: null, fromCity: null, toCity: null, fromAirport: 'DMK', toAirport: 'SIN' }, performance.now());
    expect(sync.view.orders.get(no(1))?.details).toMatchObject({ createdAt: created(2), fromCity: 'BKK', toCity: 'SIN', fromAirport: 'DMK' });
    expect(sync.view.get(no(1))?.plan.action).toBe('regenerate_then_pay');
  });

  it('reads the own list row of an order added by number, once', async () => {
    atlas.put(cancelledAfterPayment('604', { orderNo: no(1), createdAt: created(2), fromCity: 'BKK', toCity: 'SIN' }));
    const sync = makeSync();
    await sync.addOrders([no(1)], { markFailed: false, actor: 'mei' });
    expect(atlas.listCalls).toEqual([expect.objectContaining({ orderNo: no(1) })]);
    expect(sync.view.orders.get(no(1))?.details).toMatchObject({ createdAt: created(2), fromCity: 'BKK' });
    await sync.addOrders([no(1)], { markFailed: false, actor: 'mei' });
    expect(atlas.listCalls).toHaveLength(1);
  });

  it('asks staff when no list row states the creation time: the 24 h window is never assumed open', async () => {
    atlas.put(cancelledAfterPayment('604', { orderNo: no(1), createdAt: null }));
    const sync = makeSync();
    await sync.addOrders([no(1)], { markFailed: false, actor: 'mei' });
    const order = sync.view.get(no(1));
    expect(order).toMatchObject({ category: 'attention', attentionReason: 'created_at_unknown' });
    expect(order?.plan).toMatchObject({ action: 'blocked', reasons: ['created_at_unknown'] });
  });
});
