import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrdersRepo } from '../../electron/store/orders-repo.ts';
import { cancelledAfterPayment, order, passenger } from '../support/order-details.ts';
import { tempStore, type TempStore } from '../support/temp-store.ts';

let t: TempStore;
let repo: OrdersRepo;
beforeEach(() => {
  t = tempStore();
  repo = new OrdersRepo(t.store.db);
});
afterEach(() => t.cleanup());

const T1 = '2026-11-20T06:00:00.000Z';
const T2 = '2026-11-20T07:00:00.000Z';

describe('OrdersRepo.upsert', () => {
  it('inserts a new order and reports it as created', () => {
    const result = repo.upsert({ details: cancelledAfterPayment('604', { orderNo: 'TESTA20261120080000001' }), category: 'B', attentionReason: null, now: T1 });
    expect(result).toEqual({ created: true, previous: null });
    const rec = repo.get('TESTA20261120080000001');
    expect(rec?.category).toBe('B');
    expect(rec?.details.errorCode).toBe('604');
    expect(rec?.firstSeenAt).toBe(T1);
    expect(rec?.markedFailed).toBe(false);
  });

  it('updates in place, returns the previous state and keeps first-seen time and creation time', () => {
    const orderNo = 'TESTA20261120080000002';
    repo.upsert({ details: order({ orderNo, createdAt: '2026-11-20T00:00:00.000Z' }), category: 'unpaid', attentionReason: null, now: T1 });
    const result = repo.upsert({
      details: cancelledAfterPayment('604', { orderNo: orderNo, createdAt: null }),
      category: 'B',
      attentionReason: null,
      now: T2,
    });
    expect(result).toEqual({ created: false, previous: { orderStatus: 'unpaid', errorCode: null, category: 'unpaid' } });
    const rec = repo.get(orderNo);
    expect(rec?.firstSeenAt).toBe(T1);
    expect(rec?.lastSyncedAt).toBe(T2);
    expect(rec?.details.orderStatus).toBe('cancelled');
    const row = t.store.db.prepare('SELECT created_at FROM orders WHERE order_no = ?').get(orderNo);
    expect(row).toEqual({ created_at: '2026-11-20T00:00:00.000Z' });
  });

  it('never clears "marked failed" on a later sync', () => {
    const orderNo = 'TESTA20261120080000003';
    repo.upsert({ details: order({ orderNo }), category: 'A', attentionReason: null, now: T1, markFailed: true, actor: 'ann' });
    repo.upsert({ details: order({ orderNo }), category: 'A', attentionReason: null, now: T2 });
    const rec = repo.get(orderNo);
    expect(rec?.markedFailed).toBe(true);
    expect(rec?.lastActor).toBe('ann');
  });

  it('returns null for an unknown order', () => {
    expect(repo.get('NOPE000000')).toBeNull();
  });
});

describe('OrdersRepo.list', () => {
  beforeEach(() => {
    const add = (orderNo: string, category: 'A' | 'B' | 'attention' | 'ticketing' | 'unpaid' | 'done', deadline: string | null, at = T1) =>
      repo.upsert({ details: order({ orderNo, tktLimitTime: deadline }), category, attentionReason: null, now: at });
    add('ORDER0000B1', 'B', '2026-11-21T00:00:00.000Z');
    add('ORDER0000A1', 'A', '2026-11-20T09:00:00.000Z');
    add('ORDER0000T1', 'ticketing', null);
    add('ORDER0000X1', 'attention', '2026-11-20T08:00:00.000Z');
    add('ORDER0000U1', 'unpaid', '2026-11-20T10:00:00.000Z');
    add('ORDER0000D1', 'done', null, T2);
  });

  it("'failed' lists A, B, attention and ticketing by soonest deadline, no deadline last", () => {
    expect(repo.list('failed').map((r) => r.details.orderNo)).toEqual([
      'ORDER0000X1',
      'ORDER0000A1',
      'ORDER0000B1',
      'ORDER0000T1',
    ]);
    expect(repo.count('failed')).toBe(4);
  });

  it("'unpaid' lists only unpaid orders without failure evidence", () => {
    expect(repo.list('unpaid').map((r) => r.details.orderNo)).toEqual(['ORDER0000U1']);
  });

  it("'all' lists everything, most recently updated first, in pages", () => {
    const all = repo.list('all');
    expect(all).toHaveLength(6);
    expect(all[0]?.details.orderNo).toBe('ORDER0000D1');
    const page1 = repo.list('failed', { limit: 2 }).map((r) => r.details.orderNo);
    const page2 = repo.list('failed', { limit: 2, offset: 2 }).map((r) => r.details.orderNo);
    expect([...page1, ...page2]).toEqual(['ORDER0000X1', 'ORDER0000A1', 'ORDER0000B1', 'ORDER0000T1']);
  });
});

describe('OrdersRepo.search', () => {
  beforeEach(() => {
    repo.upsert({
      details: order({
        orderNo: 'TESTA20261120080000010',
        pnrCode: 'PNR777',
        passengers: [passenger('LIM/WEI', ['ABC123|DEF456']), passenger('NG/ALICE')],
      }),
      category: 'A',
      attentionReason: null,
      now: T1,
    });
    repo.upsert({
      details: order({ orderNo: 'TESTA20261120080000011', pnrCode: 'XYZ999', passengers: [passenger('TAN/MEI')] }),
      category: 'unpaid',
      attentionReason: null,
      now: T1,
    });
  });

  const found = (q: string) => repo.search(q).map((r) => r.details.orderNo);

  it('finds by exact and partial order number', () => {
    expect(found('TESTA20261120080000011')).toEqual(['TESTA20261120080000011']);
    expect(found('0000010')).toEqual(['TESTA20261120080000010']);
  });

  it('finds by Atlas PNR, by either airline PNR of a round trip, and by passenger name, ignoring case', () => {
    expect(found('pnr777')).toEqual(['TESTA20261120080000010']);
    expect(found('DEF456')).toEqual(['TESTA20261120080000010']);
    expect(found('alice')).toEqual(['TESTA20261120080000010']);
    expect(found('TAN/')).toEqual(['TESTA20261120080000011']);
  });

  it('treats LIKE wildcards literally and returns nothing for blank input', () => {
    expect(found('%')).toEqual([]);
    expect(found('_')).toEqual([]);
    expect(found('   ')).toEqual([]);
  });

  it('respects the limit', () => {
    expect(repo.search('TESTA', 1)).toHaveLength(1);
  });
});

describe('OrdersRepo updates', () => {
  it('marks failed and sets the last actor; both report unknown orders', () => {
    const orderNo = 'TESTA20261120080000020';
    repo.upsert({ details: order({ orderNo }), category: 'unpaid', attentionReason: null, now: T1 });
    expect(repo.markFailed(orderNo, 'bob', T2)).toBe(true);
    expect(repo.get(orderNo)).toMatchObject({ markedFailed: true, lastActor: 'bob', updatedAt: T2 });
    expect(repo.setLastActor(orderNo, 'cy', T2)).toBe(true);
    expect(repo.get(orderNo)?.lastActor).toBe('cy');
    expect(repo.setCategory(orderNo, 'A', null, T2)).toBe(true);
    expect(repo.get(orderNo)?.category).toBe('A');
    expect(repo.markFailed('UNKNOWN0001', 'bob', T2)).toBe(false);
    expect(repo.setLastActor('UNKNOWN0001', 'bob', T2)).toBe(false);
  });
});
