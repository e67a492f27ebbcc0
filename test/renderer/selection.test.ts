// lib/selection.ts: range selection (Shift+click, Shift+Space) in view order, and the bulk split
// that leaves unpaid orders out.
import { describe, expect, it } from 'vitest';
import { splitSelection, toggleSelection } from '../../renderer/src/lib/selection.ts';
import { cancelledAfterPayment, deskOrder, NOW, order } from '../support/order-details.ts';

const rows = ['TA1', 'TA2', 'TA3', 'TA4', 'TA5'].map((no) => deskOrder(cancelledAfterPayment('604', { orderNo: `${no}0000001` }), { now: NOW }));
const no = (i: number) => rows[i]!.orderNo;

describe('toggleSelection', () => {
  it('toggles one row without Shift', () => {
    expect([...toggleSelection(rows, new Set(), null, no(2), false)]).toEqual([no(2)]);
    expect([...toggleSelection(rows, new Set([no(2)]), no(2), no(2), false)]).toEqual([]);
  });

  it('with Shift, selects every row between the anchor and the row, either direction', () => {
    expect([...toggleSelection(rows, new Set([no(1)]), no(1), no(3), true)].sort()).toEqual([no(1), no(2), no(3)]);
    expect([...toggleSelection(rows, new Set([no(3)]), no(3), no(0), true)].sort()).toEqual([no(0), no(1), no(2), no(3)]);
  });

  it('with Shift from an unselected anchor, unselects the range', () => {
    const all = new Set(rows.map((r) => r.orderNo));
    all.delete(no(1));
    expect([...toggleSelection(rows, all, no(1), no(3), true)].sort()).toEqual([no(0), no(4)]);
  });

  it('with Shift but no anchor in view (filtered out), toggles the one row', () => {
    expect([...toggleSelection(rows, new Set(['TA9999999999']), 'TA9999999999', no(2), true)].sort()).toEqual(['TA9999999999', no(2)].sort());
  });
});

describe('splitSelection', () => {
  it('keeps only selected orders and sets unpaid ones apart, never among the candidates', () => {
    const unpaid = deskOrder(order({ orderNo: 'TA6000000001' }), { now: NOW });
    const orders = [...rows, unpaid];
    expect(unpaid.category).toBe('unpaid');
    expect(splitSelection(orders, new Set([no(0), no(2), unpaid.orderNo]))).toEqual({ candidates: [no(0), no(2)], unpaid: [unpaid.orderNo] });
  });
});
