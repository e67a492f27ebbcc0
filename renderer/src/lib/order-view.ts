// Pure filtering, searching and sorting of the order list (kept out of components so it is
// cheap to test and to memoize).
import type { Category, DeskOrder } from '../../../shared/desk.ts';

export type Tab = 'failed' | Exclude<Category, 'done'>;
export const FAILED_CATEGORIES: readonly Category[] = ['B', 'A', 'attention', 'ticketing'];

export interface Filters {
  tab: Tab;
  airline: string;
  currency: string;
  /** `yyyy-MM-dd`, inclusive, on the departure date. */
  depFrom: string;
  depTo: string;
  search: string;
}

export const EMPTY_FILTERS: Filters = { tab: 'failed', airline: '', currency: '', depFrom: '', depTo: '', search: '' };

export type SortKey = 'orderNo' | 'pnr' | 'route' | 'departure' | 'airline' | 'passengers' | 'amount' | 'deadline' | 'status';
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

/**
 * The clock that matters for what the desk would do next: "pay by" for an order it would pay
 * as it is, "regenerate by" (the 24 h regeneration window) for one it must regenerate first.
 * Orders it would not pay (waiting for tickets, blocked, nothing to do, check first) have none:
 * their payment deadline no longer matters and must not read as an alarm.
 */
export type DeadlineKind = 'pay' | 'regenerate';

export function deadlineKindOf(o: DeskOrder): DeadlineKind | null {
  if (o.plan.action === 'pay_same_order') return 'pay';
  if (o.plan.action === 'regenerate_then_pay') return 'regenerate';
  return null;
}

export function deadlineOf(o: DeskOrder): string | null {
  const kind = deadlineKindOf(o);
  if (kind === null) return null;
  return o.plan.deadline ?? (kind === 'pay' ? o.details.tktLimitTime : null);
}

export function inTab(o: DeskOrder, tab: Tab): boolean {
  return tab === 'failed' ? FAILED_CATEGORIES.includes(o.category) : o.category === tab;
}

/** `q` already trimmed and lower-cased (once per keystroke, not once per row). */
function matchesQuery(o: DeskOrder, q: string): boolean {
  if (!q) return true;
  const d = o.details;
  if (d.orderNo.toLowerCase().includes(q)) return true;
  if (d.pnrCode?.toLowerCase().includes(q)) return true;
  return d.passengers.some(
    (p) => p.name.toLowerCase().includes(q) || p.airlinePNRs.some((pnr) => pnr.toLowerCase().includes(q)),
  );
}

export function applyFilters(orders: readonly DeskOrder[], f: Filters): DeskOrder[] {
  const q = f.search.trim().toLowerCase();
  return orders.filter((o) => {
    const d = o.details;
    if (!inTab(o, f.tab)) return false;
    if (f.airline && !d.airlines.includes(f.airline)) return false;
    if (f.currency && d.currency !== f.currency) return false;
    if (f.depFrom && (!d.depDate || d.depDate < f.depFrom)) return false;
    if (f.depTo && (!d.depDate || d.depDate > f.depTo)) return false;
    return matchesQuery(o, q);
  });
}

function sortValue(o: DeskOrder, key: SortKey): string | number {
  const d = o.details;
  switch (key) {
    case 'orderNo': return d.orderNo;
    case 'pnr': return d.pnrCode ?? '';
    case 'route': return `${d.fromCity ?? d.fromAirport ?? ''}-${d.toCity ?? d.toAirport ?? ''}`;
    case 'departure': return d.depDate ?? '9999';
    case 'airline': return d.airlines.join(',');
    case 'passengers': return d.passengers.length;
    case 'amount': return d.totalPrice;
    // Orders without a deadline sort last: nothing is running out for them.
    case 'deadline': { const dl = deadlineOf(o); return dl ? Date.parse(dl) : Number.MAX_SAFE_INTEGER; }
    case 'status': return `${o.category}:${d.orderStatus}`;
  }
}

export function sortOrders(orders: readonly DeskOrder[], sort: Sort): DeskOrder[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  // Each key computed once per order, not once per comparison (Date.parse on 10 000 rows adds up).
  const keyed = orders.map((o) => ({ o, v: sortValue(o, sort.key) }));
  keyed.sort((a, b) => {
    const va = a.v;
    const vb = b.v;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c !== 0 ? sign * c : a.o.orderNo.localeCompare(b.o.orderNo);
  });
  return keyed.map((k) => k.o);
}

export function countByCategory(orders: readonly DeskOrder[]): Record<Tab, number> {
  const counts: Record<Tab, number> = { failed: 0, B: 0, A: 0, attention: 0, ticketing: 0, unpaid: 0 };
  for (const o of orders) {
    if (o.category === 'done') continue;
    counts[o.category] += 1;
    if (FAILED_CATEGORIES.includes(o.category)) counts.failed += 1;
  }
  return counts;
}

export function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
