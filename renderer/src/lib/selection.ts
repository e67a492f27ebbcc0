// Which orders a selection holds: ranges (Shift+click, Shift+Space) and what bulk recovery may take.
import { DEPOSIT } from '../../../shared/atlas.ts';
import type { DeskOrder } from '../../../shared/desk.ts';
import { recoveryIneligibility } from '../../../shared/recovery-eligibility.ts';

/** Toggles one row; with Shift, sets the range between the anchor and that row (in view order) to the anchor's state. */
export function toggleSelection(
  rows: readonly DeskOrder[],
  selected: ReadonlySet<string>,
  anchor: string | null,
  orderNo: string,
  shift: boolean,
): Set<string> {
  const next = new Set(selected);
  const a = anchor ? rows.findIndex((r) => r.orderNo === anchor) : -1;
  const b = rows.findIndex((r) => r.orderNo === orderNo);
  if (shift && a >= 0 && b >= 0) {
    const on = selected.has(anchor as string);
    for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
      const no = (rows[i] as DeskOrder).orderNo;
      if (on) next.add(no);
      else next.delete(no);
    }
    return next;
  }
  if (next.has(orderNo)) next.delete(orderNo);
  else next.add(orderNo);
  return next;
}

/**
 * Splits the selection: unpaid orders nobody said failed are left out up front
 * (docs/money-safety.md §1: never in bulk); the desk's preview says why any other order cannot use
 * the deposit.
 */
export function splitSelection(orders: readonly DeskOrder[], selected: ReadonlySet<string>): { candidates: string[]; unpaid: string[] } {
  const candidates: string[] = [];
  const unpaid: string[] = [];
  for (const o of orders) {
    if (!selected.has(o.orderNo)) continue;
    (recoveryIneligibility(o, DEPOSIT) === 'not_marked_failed' ? unpaid : candidates).push(o.orderNo);
  }
  return { candidates, unpaid };
}
