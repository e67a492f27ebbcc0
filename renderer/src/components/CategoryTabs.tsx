// Counts per category; "unpaid" sits apart because unpaid is not failed (docs/money-safety.md §1).
import { useTranslation } from 'react-i18next';
import { FAILED_CATEGORIES, type Tab } from '../lib/order-view.ts';
import { useUi } from '../stores/ui.ts';

const FAILED_TABS = ['failed', ...FAILED_CATEGORIES] as Tab[];

export function CategoryTabs({ counts }: { counts: Record<Tab, number> }) {
  const { t } = useTranslation();
  const tab = useUi((s) => s.filters.tab);
  const setFilters = useUi((s) => s.setFilters);
  const item = (k: Tab) => (
    <button
      key={k}
      type="button"
      role="tab"
      aria-selected={tab === k}
      className={`tab cat-${k}`}
      onClick={() => setFilters({ tab: k })}
      data-testid={`tab-${k}`}
      title={t(`category.hint.${k}`)}
    >
      <span>{t(`category.${k}`)}</span>
      <span className="count" data-testid={`count-${k}`}>{counts[k]}</span>
    </button>
  );
  return (
    <div className="tabs" role="tablist" aria-label={t('orders.categories')}>
      {FAILED_TABS.map(item)}
      <span className="tab-gap" aria-hidden="true" />
      {item('unpaid')}
    </div>
  );
}
