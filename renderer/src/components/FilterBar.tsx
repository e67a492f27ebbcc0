// Search (order number, PNR, passenger) and filters by airline, currency and departure date.
import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';
import { EMPTY_FILTERS } from '../lib/order-view.ts';
import { useUi } from '../stores/ui.ts';


export const FilterBar = forwardRef<HTMLInputElement, { airlines: string[]; currencies: string[] }>(function FilterBar(
  { airlines, currencies },
  searchRef,
) {
  const { t } = useTranslation();
  const f = useUi((s) => s.filters);
  const setFilters = useUi((s) => s.setFilters);
  const active = f.airline || f.currency || f.depFrom || f.depTo || f.search;
  return (
    <div className="filters" role="search">
      <input
        ref={searchRef}
        type="search"
        className="search"
        placeholder={t('orders.searchPlaceholder')}
        aria-label={t('orders.search')}
        value={f.search}
        onChange={(e) => setFilters({ search: e.target.value })}
        aria-keyshortcuts="/"
        enterKeyHint="done"
        data-testid="search"
      />
      <select aria-label={t('orders.filter.airline')} value={f.airline} onChange={(e) => setFilters({ airline: e.target.value })} data-testid="filter-airline">
        <option value="">{t('orders.filter.anyAirline')}</option>
        {airlines.map((a) => <option key={a} value={a}>{a}</option>)}
      </select>
      <select aria-label={t('orders.filter.currency')} value={f.currency} onChange={(e) => setFilters({ currency: e.target.value })} data-testid="filter-currency">
        <option value="">{t('orders.filter.anyCurrency')}</option>
        {currencies.map((c) => <option key={c} value={c}>{c}</option>)}
      </select>
      <label className="date">
        <span>{t('orders.filter.depFrom')}</span>
        <input type="date" aria-label={t('orders.filter.depFrom')} value={f.depFrom} onChange={(e) => setFilters({ depFrom: e.target.value })} data-testid="filter-from" />
      </label>
      <label className="date">
        <span>{t('orders.filter.depTo')}</span>
        <input type="date" aria-label={t('orders.filter.depTo')} value={f.depTo} onChange={(e) => setFilters({ depTo: e.target.value })} data-testid="filter-to" />
      </label>
      {active && (
        <button type="button" className="link" onClick={() => setFilters({ ...EMPTY_FILTERS, tab: f.tab })} data-testid="filters-clear">
          {t('orders.filter.clear')}
        </button>
      )}
    </div>
  );
});
