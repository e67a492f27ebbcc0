import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinksRepo } from '../../electron/store/links-repo.ts';
import { MetaRepo } from '../../electron/store/meta-repo.ts';
import { tempStore, type TempStore } from '../support/temp-store.ts';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('LinksRepo', () => {
  it('answers both directions: regenerated into (oldest first) and regenerated from', () => {
    const links = new LinksRepo(t.store.db);
    expect(links.link('ORIG000001', 'NEW0000001', '2026-11-20T01:00:00Z')).toBe(true);
    expect(links.link('ORIG000001', 'NEW0000002', '2026-11-20T02:00:00Z')).toBe(true);
    expect(links.regeneratedInto('ORIG000001')).toEqual(['NEW0000001', 'NEW0000002']);
    expect(links.regeneratedFrom('NEW0000002')).toBe('ORIG000001');
    expect(links.regeneratedFrom('ORIG000001')).toBeNull();
    expect(links.regeneratedInto('NEW0000001')).toEqual([]);
  });

  it('walks the ancestor chain nearest first', () => {
    const links = new LinksRepo(t.store.db);
    links.link('GEN0000001', 'GEN0000002', 't1');
    links.link('GEN0000002', 'GEN0000003', 't2');
    links.link('GEN0000003', 'GEN0000004', 't3');
    expect(links.ancestors('GEN0000004')).toEqual(['GEN0000003', 'GEN0000002', 'GEN0000001']);
    expect(links.ancestors('GEN0000001')).toEqual([]);
  });

  it('ignores a repeated link and keeps a new order tied to its first original', () => {
    const links = new LinksRepo(t.store.db);
    expect(links.link('ORIG000001', 'NEW0000001', 't1')).toBe(true);
    expect(links.link('ORIG000001', 'NEW0000001', 't2')).toBe(false);
    expect(links.link('OTHER00001', 'NEW0000001', 't3')).toBe(false);
    expect(links.regeneratedFrom('NEW0000001')).toBe('ORIG000001');
    expect(() => links.link('SAME000001', 'SAME000001', 't')).toThrow();
  });

  it('terminates on a cycle written by mistake', () => {
    const links = new LinksRepo(t.store.db);
    links.link('CYC0000001', 'CYC0000002', 't');
    links.link('CYC0000002', 'CYC0000001', 't');
    expect(links.ancestors('CYC0000001').length).toBeLessThanOrEqual(64);
  });
});

describe('MetaRepo', () => {
  it('stores, overwrites and deletes values; unreadable JSON reads as null', () => {
    const meta = new MetaRepo(t.store.db);
    expect(meta.get('k')).toBeNull();
    meta.set('k', 'a');
    meta.set('k', 'b');
    expect(meta.get('k')).toBe('b');
    meta.setJson('cursor', { page: 3 });
    expect(meta.getJson<{ page: number }>('cursor')).toEqual({ page: 3 });
    meta.set('broken', '{nope');
    expect(meta.getJson('broken')).toBeNull();
    meta.delete('k');
    expect(meta.get('k')).toBeNull();
  });
});
