// The planner's decision in plain words: one sentence for the action, each reason and each warning.
import { useTranslation } from 'react-i18next';
import type { Plan } from '../../../shared/plan.ts';

export function PlanExplanation({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  return (
    <div className="plan" data-testid="plan">
      <p className={`plan-action action-${plan.action}`} data-testid="plan-action">
        {t(`plan.action.${plan.action}`, { orderNo: plan.payOrderNo ?? '' })}
      </p>
      {plan.reasons.length > 0 && (
        <ul className="plan-reasons" aria-label={t('detail.reasons')}>
          {plan.reasons.map((r) => <li key={r}>{t(`plan.reason.${r}`)}</li>)}
        </ul>
      )}
      {plan.warnings.length > 0 && (
        <ul className="plan-warnings" aria-label={t('detail.warnings')}>
          {plan.warnings.map((w) => <li key={w} className="warn-text">⚠ {t(`plan.warning.${w}`)}</li>)}
        </ul>
      )}
    </div>
  );
}
