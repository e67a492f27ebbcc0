// Category badge with the Atlas order status beside it, never colour alone.
import { useTranslation } from 'react-i18next';
import type { DeskOrder } from '../../../shared/desk.ts';

export function StatusBadge({ order }: { order: DeskOrder }) {
  const { t } = useTranslation();
  return (
    <span className={`badge cat-${order.category}`} title={t(`orderStatus.${order.details.orderStatus}`)}>
      {t(`category.short.${order.category}`)}
    </span>
  );
}
