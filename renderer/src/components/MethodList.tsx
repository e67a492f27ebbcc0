// What each allowed method would cost, split into deposit and card parts.
import { useTranslation } from 'react-i18next';
import type { MethodOffer } from '../../../shared/plan.ts';
import { formatMoney } from '../lib/format.ts';

export function MethodList({ methods }: { methods: MethodOffer[] }) {
  const { t, i18n } = useTranslation();
  if (methods.length === 0) return <p className="muted">{t('detail.noMethods')}</p>;
  return (
    <ul className="methods" data-testid="methods">
      {methods.map((m) => (
        <li key={m.paymentMethod}>
          <strong>{t(`method.${m.paymentMethod}`)}</strong>
          {m.dueFromDeposit && <span>{t('detail.fromDeposit', { amount: formatMoney(m.dueFromDeposit.amount, m.dueFromDeposit.currency, i18n.language) })}</span>}
          {m.dueFromCard && <span>{t('detail.fromCard', { amount: formatMoney(m.dueFromCard.amount, m.dueFromCard.currency, i18n.language) })}</span>}
        </li>
      ))}
    </ul>
  );
}
