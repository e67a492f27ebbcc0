// Home: failed orders. Binds the list's keyboard shortcuts and the search field's (lib/shortcuts.ts).
import { useDeferredValue, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { focusGrid, useListKeepsFocus } from '../lib/focus.ts';
import { waitingFor } from '../lib/jobs.ts';
import { applyFilters, countByCategory, distinct, sortOrders } from '../lib/order-view.ts';
import { toggleSelection } from '../lib/selection.ts';
import { ownsEnterAndSpace, useShortcuts } from '../lib/shortcuts.ts';
import { useOrders } from '../stores/orders.ts';
import { useQueue } from '../stores/queue.ts';
import { useUi } from '../stores/ui.ts';
import { CategoryTabs } from './CategoryTabs.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { FilterBar } from './FilterBar.tsx';
import { OrderDetail } from './OrderDetail.tsx';
import { OrderTable } from './OrderTable.tsx';
import { SyncBar } from './SyncBar.tsx';

export function OrdersScreen() {
  const { t } = useTranslation();
  const orders = useOrders((s) => s.orders);
  const loaded = useOrders((s) => s.loaded);
  const error = useOrders((s) => s.error);
  const load = useOrders((s) => s.load);
  const filters = useUi((s) => s.filters);
  const sort = useUi((s) => s.sort);
  const selected = useUi((s) => s.selected);
  const detail = useUi((s) => s.detail);
  const jobs = useQueue((s) => s.jobs);
  const searchRef = useRef<HTMLInputElement>(null);
  const waiting = useMemo(() => waitingFor(jobs, selected), [jobs, selected]);

  // Sort once per list/sort change, then filter (filtering keeps the order). The filters are
  // deferred: the search box shows each keystroke at once and the 10 000-row filter follows
  // in an interruptible render, so typing never waits for the table.
  const sorted = useMemo(() => sortOrders(orders, sort), [orders, sort]);
  const deferredFilters = useDeferredValue(filters);
  const rows = useMemo(() => applyFilters(sorted, deferredFilters), [sorted, deferredFilters]);
  const counts = useMemo(() => countByCategory(orders), [orders]);
  const airlines = useMemo(() => distinct(orders.flatMap((o) => o.details.airlines)), [orders]);
  const currencies = useMemo(() => distinct(orders.map((o) => o.details.currency)), [orders]);

  const ui = useUi.getState;
  const current = () => rows[ui().cursor];
  // Enter and Space on a focused control are that control's.
  const owned = (e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && ownsEnterAndSpace(e.target);
  useShortcuts('list', {
    next: () => ui().setCursor(Math.min(ui().cursor + 1, rows.length - 1)),
    prev: () => ui().setCursor(Math.max(ui().cursor - 1, 0)),
    select: (e) => {
      const row = current();
      if (owned(e) || !row) return false;
      const next = new Set(ui().selected);
      if (next.has(row.orderNo)) next.delete(row.orderNo);
      else next.add(row.orderNo);
      ui().setSelected(next, row.orderNo);
    },
    range: (e) => {
      const row = current();
      if (owned(e) || !row) return false;
      ui().setSelected(toggleSelection(rows, ui().selected, ui().anchor, row.orderNo, true), row.orderNo);
    },
    open: (e) => {
      const row = current();
      if (owned(e) || !row) return false;
      ui().openDetail(row.orderNo);
    },
    recover: () => {
      const row = current();
      if (ui().selected.size > 0) ui().openDialog('bulk');
      else if (row) ui().openDialog('recover', row.orderNo);
      else return false;
    },
    search: () => searchRef.current?.focus(),
    sync: () => void useOrders.getState().syncNow(),
    dismiss: () => {
      if (ui().detail) {
        // Focus inside the panel would be lost with it: give it back to the list.
        const inPanel = document.activeElement?.closest('[data-testid="order-detail"]');
        ui().openDetail(null);
        if (inPanel) focusGrid();
      } else if (ui().selected.size) ui().setSelected(new Set(), null);
      else return false;
    },
  });
  // In the search field: Enter / ↓ keep the search and hand the keys back to the (filtered) list;
  // Esc clears it.
  useShortcuts(
    'search',
    {
      leaveSearch: () => {
        ui().setCursor(0);
        focusGrid();
      },
      clearSearch: () => {
        searchRef.current?.blur();
        ui().setFilters({ search: '' });
        // The grid may be re-rendered by the cleared filter: focus it once it is there.
        requestAnimationFrame(focusGrid);
      },
    },
    searchRef,
  );

  const empty = loaded && rows.length === 0;
  const paneRef = useRef<HTMLDivElement>(null);
  useListKeepsFocus(paneRef, empty);

  const selectedCount = selected.size;
  return (
    <section className="orders-screen" aria-label={t('nav.orders')}>
      <div className="toolbar">
        <CategoryTabs counts={counts} />
        <div className="toolbar-right">
          <SyncBar />
          <button type="button" onClick={() => useUi.getState().openDialog('add')} data-testid="add-orders">
            {t('orders.add')}
          </button>
        </div>
      </div>
      <FilterBar ref={searchRef} airlines={airlines} currencies={currencies} />
      {filters.tab === 'unpaid' && <p className="note" data-testid="unpaid-note">{t('orders.unpaidNote')}</p>}
      <ErrorNote error={error} onRetry={() => void load()} />
      {selectedCount > 0 && (
        <div className="selection-bar" data-testid="selection-bar">
          <span>{t('orders.selected', { count: selectedCount })}</span>
          <button type="button" className="primary" onClick={() => useUi.getState().openDialog('bulk')} data-testid="bulk-deposit" aria-keyshortcuts="d">
            {t('orders.recoverDeposit')}
          </button>
          {waiting.length > 0 && (
            <button type="button" onClick={() => useUi.getState().openApprove(waiting.map((j) => j.id))} data-testid="bulk-approve">
              {t('orders.approveNew', { count: waiting.length })}
            </button>
          )}
          <button type="button" className="link" onClick={() => useUi.getState().setSelected(new Set(), null)}>
            {t('orders.clearSelection')}
          </button>
        </div>
      )}
      <div className={detail ? 'split with-detail' : 'split'}>
        {/* Busy while the rows still show the previous tab/filter and the new ones render. */}
        <div ref={paneRef} className="list-pane" aria-busy={filters !== deferredFilters || undefined} data-testid="list-pane">
          {empty ? (
            <p className="empty" tabIndex={-1} data-testid="orders-empty">{orders.length === 0 ? t('orders.empty') : t('orders.noMatch')}</p>
          ) : (
            <OrderTable rows={rows} />
          )}
          <p className="hint muted">{t('orders.keysHint')}</p>
        </div>
        {detail && <OrderDetail orderNo={detail} />}
      </div>
    </section>
  );
}
