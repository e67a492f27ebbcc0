// Substring search through the trigram index (migration 4): the same answers staff got from the
// old scan — case-insensitive substring of order number, Atlas PNR, airline PNRs or passenger
// names — for short queries, CJK names, names with '/', and text that looks like FTS5 syntax.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import { MIGRATIONS, migrate } from '../../electron/store/migrations.ts';
import { OrdersRepo } from '../../electron/store/orders-repo.ts';
import { order, passenger } from '../support/order-details.ts';
import { tempStore, type TempStore } from '../support/temp-store.ts';

let t: TempStore;
let repo: OrdersRepo;
beforeEach(() => {
  t = tempStore();
  repo = new OrdersRepo(t.store.db);
});
afterEach(() => t.cleanup());

const NOW = '2026-11-20T06:00:00.000Z';
const add = (orderNo: string, names: string[], pnrCode: string | null = null, airlinePnrs: string[] = []) =>
  repo.upsert({
    details: order({ orderNo, pnrCode, passengers: names.map((n, i) => passenger(n, i === 0 ? airlinePnrs : [])) }),
    category: 'unpaid',
    attentionReason: null,
    now: NOW,
  });
const found = (q: string, limit = 1000) =>
  repo
    .search(q, limit)
    .map((r) => r.details.orderNo)
    .sort();

describe('passenger search through the trigram index', () => {
  beforeEach(() => {
    add('ORDERCN0001', ['李/小明', 'WANG/FANG'], 'PNRAAA', ['K7Q2ZX']);
    add('ORDERCN0002', ['李/小红']);
    add('ORDERLA0003', ['Lim/Wei Ling', "O'Brien/Sean"], 'PNRBBB');
    add('ORDERLA0004', ['TANABE/YUKI']);
  });

  it('finds 1- and 2-character queries (no trigram) like before, ignoring case', () => {
    expect(found('李')).toEqual(['ORDERCN0001', 'ORDERCN0002']);
    expect(found('小明')).toEqual(['ORDERCN0001']);
    expect(found('o\'')).toEqual(['ORDERLA0003']);
    expect(found('Q')).toEqual(['ORDERCN0001']); // only in the airline PNR K7Q2ZX
    expect(found('/y')).toEqual(['ORDERLA0004']);
  });

  it('finds CJK names, names with "/", and mixed case from 3 characters on', () => {
    expect(found('李/小')).toEqual(['ORDERCN0001', 'ORDERCN0002']);
    expect(found('李/小明')).toEqual(['ORDERCN0001']);
    expect(found('lim/wei')).toEqual(['ORDERLA0003']);
    expect(found('WEI LING')).toEqual(['ORDERLA0003']);
    expect(found("o'brien")).toEqual(['ORDERLA0003']);
    expect(found('ANABE/Y')).toEqual(['ORDERLA0004']);
  });

  it('matches within one field only: a query across two passengers matches as the stored text does', () => {
    // Names are stored space-separated, so "FANG" and the next name are only neighbours there.
    expect(found('小明 WANG')).toEqual(['ORDERCN0001']);
    expect(found('PNRAAA K7Q')).toEqual([]); // Atlas PNR and airline PNR are different columns
  });

  it('finds partial order numbers, Atlas PNRs and airline PNRs', () => {
    expect(found('RCN000')).toEqual(['ORDERCN0001', 'ORDERCN0002']);
    expect(found('nrbb')).toEqual(['ORDERLA0003']);
    expect(found('7Q2Z')).toEqual(['ORDERCN0001']);
  });

  it('reads nothing staff type as FTS5 syntax', () => {
    for (const q of ['"', '""', 'LI"M', 'WEI*', 'NEAR(LIM WEI)', 'LIM AND WEI', 'LIM OR TAN', '^LIM', 'pax_names:LIM', '-LIM', '%LI%']) {
      expect(() => repo.search(q)).not.toThrow();
    }
    expect(found('LIM AND WEI')).toEqual([]);
    expect(found('WEI*')).toEqual([]);
    expect(found('"LIM')).toEqual([]);
  });

  it('answers the order-number search alone, as before', () => {
    expect(found('ORDERCN0001')).toEqual(['ORDERCN0001']);
    expect(found('pnrbbb')).toEqual(['ORDERLA0003']);
  });

  it('respects the limit', () => {
    expect(repo.search('ORDER', 3)).toHaveLength(3);
    expect(repo.search('李/小', 1)).toHaveLength(1);
  });

  it('answers the newest matches when more match than the limit, through the index and the short scan', () => {
    // Written oldest first, and the oldest touched last: recency is updated_at, not write order.
    const at = (minute: number) => new Date(Date.parse(NOW) + minute * 60_000).toISOString();
    for (let i = 1; i <= 8; i++) {
      const details = order({ orderNo: `WANGORDER${i}`, pnrCode: null, passengers: [passenger(`WANG/P${i}`)] });
      repo.upsert({ details, category: 'unpaid', attentionReason: null, now: at(i) });
    }
    const oldest = order({ orderNo: 'WANGORDER1', pnrCode: null, passengers: [passenger('WANG/P1')] });
    repo.upsert({ details: { ...oldest, errorCode: '604' }, category: 'B', attentionReason: null, now: at(60) });
    for (const q of ['WANG/P', 'WA']) {
      expect(repo.search(q, 3).map((r) => r.details.orderNo), q).toEqual(['WANGORDER1', 'WANGORDER8', 'WANGORDER7']);
    }
  });
});

describe('the trigram index follows every write', () => {
  it('re-indexes a changed passenger name and forgets the old one', () => {
    add('ORDERUP0001', ['CHEN/AMY']);
    expect(found('CHEN/AMY')).toEqual(['ORDERUP0001']);
    add('ORDERUP0001', ['CHEN/AMELIA']);
    expect(found('CHEN/AMY')).toEqual([]);
    expect(found('AMELIA')).toEqual(['ORDERUP0001']);
  });

  it('keeps the index right through status-only updates, category changes and deletes', () => {
    add('ORDERUP0002', ['NG/ALICE'], 'PNRCCC');
    repo.upsert({ details: order({ orderNo: 'ORDERUP0002', pnrCode: 'PNRCCC', passengers: [passenger('NG/ALICE')], orderStatus: 'cancelled', errorCode: '604' }), category: 'B', attentionReason: null, now: NOW });
    repo.setCategory('ORDERUP0002', 'attention', null, NOW);
    repo.markFailed('ORDERUP0002', 'ann', NOW);
    expect(found('NG/ALI')).toEqual(['ORDERUP0002']);
    // The index's own check: every indexed row matches the orders table, nothing stale.
    expect(() => t.store.db.exec("INSERT INTO orders_fts (orders_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    t.store.db.exec("DELETE FROM orders WHERE order_no = 'ORDERUP0002'");
    expect(found('NG/ALI')).toEqual([]);
    expect(() => t.store.db.exec("INSERT INTO orders_fts (orders_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
  });
});

describe('merging the trigram index into one segment', () => {
  it('changes no answer, order or limit, and reports when there is nothing left to merge', () => {
    // One order per transaction, as sync stores them: each write adds a segment to the index.
    const names = ['李/小明', 'TANABE/YUKI', 'TAN/MEI', 'Müller/Jörg', 'TANAKA/HANA', 'LIM/TAN WEI'];
    names.forEach((name, i) =>
      repo.upsert({
        details: order({ orderNo: `ORDERMG${i}`, pnrCode: null, passengers: [passenger(name)] }),
        category: 'unpaid',
        attentionReason: null,
        now: `2026-11-20T0${i}:00:00.000Z`,
      }),
    );
    const answers = () =>
      ['TAN', 'tan', 'TAN/', '李/小', 'müller', 'ÜLL', 'ORDERMG', 'TA'].map((q) => ({
        q,
        all: repo.search(q).map((r) => r.details.orderNo),
        two: repo.search(q, 2).map((r) => r.details.orderNo),
      }));
    const before = answers();
    // Newest first (updated_at), 3-character and non-ASCII queries through the index.
    expect(before[0]?.all).toEqual(['ORDERMG5', 'ORDERMG4', 'ORDERMG2', 'ORDERMG1']);
    expect(before[4]?.all).toEqual(['ORDERMG3']);
    expect(before[5]?.all).toEqual(['ORDERMG3']);

    expect(repo.mergeSearchIndex()).toBe(true); // there were several segments
    expect(repo.mergeSearchIndex()).toBe(false); // one step was enough for six orders

    expect(answers()).toEqual(before);
    expect(() => t.store.db.exec("INSERT INTO orders_fts (orders_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
  });
});

describe('migration 4 on a database with orders already stored', () => {
  it('indexes the existing orders, so they are found by name', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, undefined, MIGRATIONS.filter((m) => m.version < 4));
    db.prepare(
      `INSERT INTO orders (order_no, order_status, category, pnr_code, airline_pnrs, pax_names, details_json, first_seen_at, last_synced_at, updated_at)
       VALUES ('OLDORDER01', 'unpaid', 'unpaid', 'PNROLD', 'ZZ1234', 'GARCIA/LUCA 王/芳', ?, ?, ?, ?)`,
    ).run(JSON.stringify(order({ orderNo: 'OLDORDER01' })), NOW, NOW, NOW);
    migrate(db);
    const old = new OrdersRepo(db);
    expect(old.search('cia/lu').map((r) => r.details.orderNo)).toEqual(['OLDORDER01']);
    expect(old.search('王/芳').map((r) => r.details.orderNo)).toEqual(['OLDORDER01']);
    expect(old.search('Z12').map((r) => r.details.orderNo)).toEqual(['OLDORDER01']);
    db.close();
  });
});

describe('history search', () => {
  it('finds orders by a 2-character and a 3+-character piece of a name', () => {
    const events = new EventsRepo(t.store.db);
    add('ORDERHI0001', ['周/杰伦']);
    add('ORDERHI0002', ['KUMAR/RAVI']);
    events.append('ORDERHI0001', 'seen', null, {}, '2026-11-20T01:00:00.000Z');
    events.append('ORDERHI0002', 'seen', null, {}, '2026-11-20T02:00:00.000Z');
    expect(events.history({ search: '杰伦' }).map((h) => h.orderNo)).toEqual(['ORDERHI0001']);
    expect(events.history({ search: '周/杰' }).map((h) => h.orderNo)).toEqual(['ORDERHI0001']);
    expect(events.history({ search: 'mar/r' }).map((h) => h.orderNo)).toEqual(['ORDERHI0002']);
    expect(events.history({ search: 'RDERHI' }).map((h) => h.orderNo)).toEqual(['ORDERHI0002', 'ORDERHI0001']);
  });
});

describe('search answers equal a plain substring check (property)', () => {
  // Few letters, CJK, '/', space and quote, so random queries often hit.
  const alphabet = fc.constantFrom(...'ABCabc李王小明/ "\'ß'.split(''));
  const text = (min: number, max: number) => fc.array(alphabet, { minLength: min, maxLength: max }).map((cs) => cs.join(''));
  const orderNo = (i: number) => `PROP${String(i).padStart(6, '0')}`;
  const world = fc.array(fc.array(text(1, 8), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 });
  // Half the queries are a piece of a stored name (1–5 characters), half are random text.
  const worldAndQuery = world.chain((orders) => {
    const names = orders.flat();
    const piece = fc
      .tuple(fc.constantFrom(...names), fc.nat(), fc.integer({ min: 1, max: 5 }))
      .map(([name, at, length]) => [...name].slice(at % [...name].length).slice(0, length).join(''));
    return fc.tuple(fc.constant(orders), fc.oneof(piece, text(1, 5)));
  });

  it('for any names and any query of 1–5 characters', () => {
    fc.assert(
      fc.property(worldAndQuery, ([orders, query]) => {
        const db = new DatabaseSync(':memory:');
        try {
          migrate(db);
          const r = new OrdersRepo(db);
          orders.forEach((names, i) =>
            r.upsert({ details: order({ orderNo: orderNo(i), pnrCode: null, passengers: names.map((n) => passenger(n)) }), category: 'unpaid', attentionReason: null, now: NOW }),
          );
          const q = query.trim().toUpperCase();
          const matches = orders.flatMap((names, i) =>
            q && (names.map((n) => n.toUpperCase()).join(' ').includes(q) || orderNo(i).includes(q)) ? [orderNo(i)] : [],
          );
          const got = r.search(query, 1000).map((o) => o.details.orderNo).sort();
          // An exact order number is answered alone; otherwise every substring match, no other.
          expect(got).toEqual(orders.some((_, i) => orderNo(i) === q) ? [q] : matches.sort());
        } finally {
          db.close();
        }
      }),
      { numRuns: 150, seed: 20261120 },
    );
  });
});
