// The failed-orders grid: virtualized rows, sortable headers, checkbox + shift-click selection.
import { useRef, useEffect } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { DeskOrder } from '../../../shared/desk.ts';
import { failureReason, reasonTitleKey } from '../lib/explain.ts';
import { formatDepDate, formatMoney } from '../lib/format.ts';
import { type SortKey } from '../lib/order-view.ts';
import { toggleSelection } from '../lib/selection.ts';
import { useUi } from '../stores/ui.ts';
import { OrderDeadline } from './Countdown.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { TeamHoldBadge } from './TeamHold.tsx';

const ROW_HEIGHT = 44;
const COLUMNS: { key: SortKey; label: string; className?: string }[] = [
  { key: 'orderNo', label: 'orders.col.orderNo' },
  { key: 'pnr', label: 'orders.col.pnr' },
  { key: 'route', label: 'orders.col.route' },
  { key: 'departure', label: 'orders.col.departure' },
  { key: 'airline', label: 'orders.col.airline' },
  { key: 'passengers', label: 'orders.col.passengers', className: 'num' },
  { key: 'amount', label: 'orders.col.amount', className: 'num' },
];

/** DOM id of an order's row, for the grid's aria-activedescendant. */
const rowId = (orderNo: string) => `order-row-${orderNo}`;

function HeaderCell({ k, label, className }: { k: SortKey; label: string; className?: string | undefined }) {
  const { t } = useTranslation();
  const sort = useUi((s) => s.sort);
  const setSort = useUi((s) => s.setSort);
  const active = sort.key === k;
  return (
    <div role="columnheader" className={className} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" onClick={() => setSort(k)} data-testid={`sort-${k}`}>
        {t(label)}
        <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </div>
  );
}

export function OrderTable({ rows }: { rows: DeskOrder[] }) {
  const { t, i18n } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const selected = useUi((s) => s.selected);
  const anchor = useUi((s) => s.anchor);
  const cursor = useUi((s) => s.cursor);
  const detail = useUi((s) => s.detail);
  const tab = useUi((s) => s.filters.tab);
  const { setSelected, setCursor, openDetail } = useUi.getState();

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => rows[i]?.orderNo ?? i,
    // jsdom and the first paint have no layout yet: assume a screenful.
    initialRect: { width: 1200, height: 800 },
  });

  useEffect(() => {
    if (rows.length > 0) virtualizer.scrollToIndex(Math.min(cursor, rows.length - 1), { align: 'auto' });
  }, [cursor, rows.length, virtualizer]);

  const cursorRow = rows[Math.min(cursor, rows.length - 1)];
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.orderNo));
  const toggleAll = () => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.orderNo)), null);

  return (
    <div
      role="grid"
      aria-label={t('orders.tableLabel')}
      aria-rowcount={rows.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={cursorRow ? rowId(cursorRow.orderNo) : undefined}
      // One tab stop for the list: the keys (j/k, x, Enter, d) act on the cursor row.
      tabIndex={0}
      className="order-grid"
      data-testid="orders-table"
    >
      <div role="row" className="grid-row head" aria-rowindex={1}>
        <div role="columnheader">
          <input type="checkbox" aria-label={t('orders.selectAll')} checked={allSelected} onChange={toggleAll} data-testid="select-all" />
        </div>
        {COLUMNS.map((c) => (
          <HeaderCell key={c.key} k={c.key} label={c.label} className={c.className} />
        ))}
        <div role="columnheader" data-testid="col-reason">{t(reasonTitleKey(tab))}</div>
        <HeaderCell k="deadline" label="orders.col.deadline" />
        <HeaderCell k="status" label="orders.col.status" />
      </div>
      <div ref={scrollRef} className="grid-scroll" data-testid="orders-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const o = rows[v.index];
            if (!o) return null;
            const d = o.details;
            const isSelected = selected.has(o.orderNo);
            const classes = ['grid-row', isSelected && 'selected', v.index === cursor && 'cursor', detail === o.orderNo && 'open'];
            return (
              <div
                key={v.key}
                id={rowId(o.orderNo)}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={isSelected}
                className={classes.filter(Boolean).join(' ')}
                data-testid={`row-${o.orderNo}`}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                onClick={() => {
                  setCursor(v.index);
                  openDetail(o.orderNo);
                }}
              >
                <div role="gridcell" onClick={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    aria-label={t('orders.selectOne', { orderNo: o.orderNo })}
                    // The grid is the list's one tab stop (x / Space select the cursor row); the
                    // checkboxes stay for the mouse instead of adding a tab stop per row.
                    tabIndex={-1}
                    checked={isSelected}
                    onChange={() => undefined}
                    onClick={(e) => {
                      setSelected(toggleSelection(rows, selected, anchor, o.orderNo, e.shiftKey), o.orderNo);
                      setCursor(v.index);
                    }}
                  />
                </div>
                <div role="gridcell" className="mono">{o.orderNo}</div>
                <div role="gridcell" className="mono">{d.pnrCode ?? '—'}</div>
                <div role="gridcell">{(d.fromCity ?? d.fromAirport) && (d.toCity ?? d.toAirport) ? `${d.fromCity ?? d.fromAirport} → ${d.toCity ?? d.toAirport}` : '—'}</div>
                <div role="gridcell">{formatDepDate(d.depDate, i18n.language, true)}</div>
                <div role="gridcell">{d.airlines.join(', ') || '—'}</div>
                <div role="gridcell" className="num">{d.passengers.length}</div>
                <div role="gridcell" className="num money">{formatMoney(d.totalPrice, d.currency, i18n.language)}</div>
                <div role="gridcell" className="reason" title={d.airlineMessage ?? d.errorMessage ?? undefined}>
                  {/* Team mode: who is recovering it comes first, before why it failed. */}
                  <TeamHoldBadge order={o} />
                  {d.errorCode && <span className="code">{d.errorCode}</span>} {failureReason(i18n, o)}
                </div>
                <div role="gridcell"><OrderDeadline order={o} /></div>
                <div role="gridcell"><StatusBadge order={o} /></div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
