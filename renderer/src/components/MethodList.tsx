// What each allowed method would cost. A method's parts (card charge, deposit share) stay
// together on its own row, so a deposit-deducted fee is never mistaken for another method.
import { useTranslation } from 'react-i18next';
import type { MethodOffer } from '../../../shared/plan.ts';
import { formatMoney } from '../lib/format.ts';

export function MethodList({ methods }: { methods: MethodOffer[] }) {
  const { t, i18n } = useTranslation();
  if (methods.length === 0) return <p className="muted">{t('detail.noMethods')}</p>;
  return (
    <ul className="methods" data-testid="methods">
      {methods.map((m) => {
        const parts: string[] = [];
        // The card charge first for a card method: it is the main amount; the deposit share is a fee.
        if (m.dueFromCard) parts.push(t('detail.fromCard', { amount: formatMoney(m.dueFromCard.amount, m.dueFromCard.currency, i18n.language) }));
        if (m.dueFromDeposit) parts.push(t('detail.fromDeposit', { amount: formatMoney(m.dueFromDeposit.amount, m.dueFromDeposit.currency, i18n.language) }));
        return (
          <li key={m.paymentMethod} data-testid={`method-${m.paymentMethod}`}>
            <strong>{t(`method.${m.paymentMethod}`)}</strong>
            <span className="method-parts">
              {parts.map((p, i) => (
                <span key={p} className="money">{i > 0 && <span className="muted"> + </span>}{p}</span>
              ))}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
