import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventsRepo, MAX_SEARCHED_ORDERS } from '../../electron/store/events-repo.ts';
import { OrdersRepo } from '../../electron/store/orders-repo.ts';
import { maskPans, redact } from '../../electron/store/redact.ts';
import { openDatabase } from '../../electron/store/db.ts';
import { order, passenger } from '../support/order-details.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempStore, type TempStore } from '../support/temp-store.ts';
import { PAN } from '../support/cards.ts';

let t: TempStore;
let events: EventsRepo;
let now = Date.parse('2026-11-20T06:00:00.000Z');
beforeEach(() => {
  t = tempStore();
  now = Date.parse('2026-11-20T06:00:00.000Z');
  events = new EventsRepo(t.store.db, { now: () => now });
});
afterEach(() => t.cleanup());


describe('EventsRepo timeline', () => {
  it('appends events with the clock time and returns them oldest first per order', () => {
    events.append('ORDER00001', 'seen', null, { orderStatus: 'unpaid' });
    now += 1000;
    events.append('ORDER00002', 'seen', null);
    events.append('ORDER00001', 'marked_failed', 'ann', {});
    const timeline = events.timeline('ORDER00001');
    expect(timeline.map((e) => e.kind)).toEqual(['seen', 'marked_failed']);
    expect(timeline[0]).toMatchObject({ orderNo: 'ORDER00001', at: '2026-11-20T06:00:00.000Z', actor: null, data: { orderStatus: 'unpaid' } });
    expect(timeline[1]).toMatchObject({ at: '2026-11-20T06:00:01.000Z', actor: 'ann' });
  });
});

describe('EventsRepo OS account', () => {
  it('records the OS account given to openDatabase on every event, beside the staff name, and in history', () => {
    const { dir, cleanup } = tempDir();
    const store = openDatabase(join(dir, 'desk.sqlite'), { osAccount: 'mlin' });
    try {
      const repo = new EventsRepo(store.db, { now: () => now });
      expect(repo.append('ORDER00001', 'seen', null)).toMatchObject({ actor: null, osAccount: 'mlin' });
      now += 1000;
      repo.append('ORDER00001', 'intent', 'Mei Lin', { paymentMethod: 1 });
      expect(repo.timeline('ORDER00001').map((e) => [e.actor, e.osAccount])).toEqual([
        [null, 'mlin'],
        ['Mei Lin', 'mlin'],
      ]);
      expect(repo.history()).toEqual([{ orderNo: 'ORDER00001', lastEventAt: '2026-11-20T06:00:01.000Z', osAccount: 'mlin' }]);
      expect(store.db.prepare('SELECT os_account FROM events').all()).toEqual([{ os_account: 'mlin' }, { os_account: 'mlin' }]);
    } finally {
      store.close();
      cleanup();
    }
  });

  it('takes the OS account of the latest event in a searched history, and null where none was given', () => {
    const orders = new OrdersRepo(t.store.db);
    orders.upsert({ details: order({ orderNo: 'ORDER00009' }), category: 'A', attentionReason: null, now: '2026-11-20T06:00:00.000Z' });
    events.append('ORDER00009', 'seen', null);
    expect(events.timeline('ORDER00009')[0]?.osAccount).toBeNull();
    const late = openDatabase(t.path, { osAccount: 'later.user' });
    try {
      now += 5000;
      new EventsRepo(late.db, { now: () => now }).append('ORDER00009', 'intent', 'ann');
    } finally {
      late.close();
    }
    expect(events.history({ search: 'ORDER00009' })).toEqual([{ orderNo: 'ORDER00009', lastEventAt: '2026-11-20T06:00:05.000Z', osAccount: 'later.user' }]);
  });
});

describe('EventsRepo redaction', () => {
  it('drops card keys at any depth and masks PAN-looking digits, keeping order numbers whole', () => {
    const stored = events.append('TESTA20250816160804096', 'step_started', 'ann', {
      method: 3,
      cardNumber: PAN,
      cardCVV: '123',
      creditCard: { cardNumber: PAN, cardHolderFirstName: 'MEI' },
      request: { nested: { cardCVV: '999', note: `customer read ${PAN} over the phone` } },
      spaced: '4111 1111 1111 1111',
      asNumber: 4111111111111111,
      orderNo: 'TESTA20250816160804096',
    });
    const back = events.timeline('TESTA20250816160804096')[0]?.data;
    expect(back).toEqual(stored.data);
    expect(back).toEqual({
      method: 3,
      request: { nested: { note: 'customer read 411111******1111 over the phone' } },
      spaced: '411111******1111',
      asNumber: '411111******1111',
      orderNo: 'TESTA20250816160804096',
    });
  });

  it('leaves no PAN or CVV in the database file or its WAL', () => {
    events.append('ORDER00001', 'step_started', 'ann', { cardNumber: PAN, cardCVV: '737', text: `pan ${PAN}` });
    const bytes = readdirSync(t.dir)
      .map((f) => readFileSync(join(t.dir, f)).toString('latin1'))
      .join('');
    expect(bytes).not.toContain(PAN);
    expect(bytes).not.toContain('cardCVV');
    expect(bytes).toContain('411111******1111');
  });

  it('masks 12 to 19 digit runs only, not shorter numbers or codes', () => {
    expect(maskPans('amount 12345678901 code 604')).toBe('amount 12345678901 code 604');
    expect(maskPans('x 123456789012 y')).toBe('x 123456**9012 y');
    expect(maskPans('1234567890123456789')).toBe('123456*********6789');
    expect(redact({ list: [PAN, 5] })).toEqual({ list: ['411111******1111', 5] });
  });
});

describe('EventsRepo history', () => {
  beforeEach(() => {
    const orders = new OrdersRepo(t.store.db);
    const add = (orderNo: string, name: string) =>
      orders.upsert({ details: order({ orderNo, passengers: [passenger(name)] }), category: 'A', attentionReason: null, now: 't' });
    add('HIST000001', 'LIM/WEI');
    add('HIST000002', 'TAN/MEI');
    add('HIST000003', 'NG/ALICE');
    events.append('HIST000001', 'seen', null, {}, '2026-11-18T00:00:00.000Z');
    events.append('HIST000002', 'seen', null, {}, '2026-11-19T00:00:00.000Z');
    events.append('HIST000001', 'intent', 'ann', {}, '2026-11-20T00:00:00.000Z');
    events.append('HIST000003', 'seen', null, {}, '2026-11-20T01:00:00.000Z');
  });

  it('lists each order once by latest activity, most recent first', () => {
    expect(events.history()).toEqual([
      { orderNo: 'HIST000003', lastEventAt: '2026-11-20T01:00:00.000Z', osAccount: null },
      { orderNo: 'HIST000001', lastEventAt: '2026-11-20T00:00:00.000Z', osAccount: null },
      { orderNo: 'HIST000002', lastEventAt: '2026-11-19T00:00:00.000Z', osAccount: null },
    ]);
  });

  it('restricts to the time window and the limit', () => {
    expect(events.history({ until: '2026-11-19T12:00:00.000Z' }).map((h) => h.orderNo)).toEqual(['HIST000002', 'HIST000001']);
    expect(events.history({ since: '2026-11-19T00:00:00.000Z', until: '2026-11-19T23:00:00.000Z' })).toEqual([
      { orderNo: 'HIST000002', lastEventAt: '2026-11-19T00:00:00.000Z', osAccount: null },
    ]);
    expect(events.history({ limit: 1 }).map((h) => h.orderNo)).toEqual(['HIST000003']);
  });

  it('ranks the newest orders of a search that matches more than it ranks, by index and by scan', () => {
    const orders = new OrdersRepo(t.store.db);
    t.store.db.exec('BEGIN');
    for (let i = 0; i < MAX_SEARCHED_ORDERS + 10; i++) {
      const orderNo = `LIORDER${String(i).padStart(6, '0')}`;
      orders.upsert({ details: order({ orderNo, passengers: [passenger(`LI/P${i}`)] }), category: 'A', attentionReason: null, now: 't' });
      events.append(orderNo, 'seen', null, {}, new Date(Date.parse('2026-11-01T00:00:00.000Z') + i * 1000).toISOString());
    }
    t.store.db.exec('COMMIT');
    const newest = [MAX_SEARCHED_ORDERS + 9, MAX_SEARCHED_ORDERS + 8].map((i) => `LIORDER${String(i).padStart(6, '0')}`);
    expect(events.history({ search: 'LI/P', limit: 2 }).map((h) => h.orderNo)).toEqual(newest);
    expect(events.history({ search: 'LI', limit: 2 }).map((h) => h.orderNo)).toEqual(newest);
  });

  it('searches by passenger name or order number', () => {
    expect(events.history({ search: 'wei' })).toEqual([{ orderNo: 'HIST000001', lastEventAt: '2026-11-20T00:00:00.000Z', osAccount: null }]);
    expect(events.history({ search: 'HIST00000', limit: 2 }).map((h) => h.orderNo)).toEqual(['HIST000003', 'HIST000001']);
    expect(events.history({ search: 'wei', until: '2026-11-18T12:00:00.000Z' })).toEqual([
      { orderNo: 'HIST000001', lastEventAt: '2026-11-18T00:00:00.000Z', osAccount: null },
    ]);
  });
});
