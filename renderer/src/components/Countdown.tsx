// Live time left before a deadline. Shown in local time; the title explains Atlas's SGT deadline.
// `kind` says which clock it is: the payment deadline, or the window to regenerate the order.
import { useTranslation } from 'react-i18next';
import type { DeskOrder } from '../../../shared/desk.ts';
import { instantToSgt } from '../../../shared/sgt.ts';
import { formatDateTime, formatShortDateTime, timeLeft } from '../lib/format.ts';
import { deadlineKindOf, deadlineOf, type DeadlineKind } from '../lib/order-view.ts';
import { useUi } from '../stores/ui.ts';

function Countdown({ deadline, kind, verbose }: { deadline: string; kind: DeadlineKind; verbose: boolean }) {
  const { t, i18n } = useTranslation();
  const now = useUi((s) => s.now);
  const left = timeLeft(deadline, now);
  const text =
    left.urgency === 'overdue'
      ? t(kind === 'pay' ? 'countdown.overdue' : 'countdown.windowClosed')
      : left.d > 0
        ? t('countdown.days', { d: left.d, h: left.h })
        : left.h > 0
          ? t('countdown.hours', { h: left.h, m: left.m })
          : t('countdown.minutes', { m: left.m, s: String(left.s).padStart(2, '0') });
  const title = t(kind === 'pay' ? 'countdown.title' : 'countdown.titleRegenerate', { local: formatDateTime(deadline, i18n.language), sgt: instantToSgt(deadline) });
  const at = t(kind === 'pay' ? 'countdown.payBy' : 'countdown.regenerateBy', { time: formatShortDateTime(deadline, i18n.language) });
  return (
    <span className={`countdown ${left.urgency} dl-${kind}`} title={title}>
      <span className="countdown-left">
        {/* Red is never the only signal: under 30 minutes the word says it too. */}
        {left.urgency === 'critical' && <span className="urgent-tag">{t('countdown.urgent')}</span>}{left.urgency === 'critical' && ' '}
        {text}
      </span>
      <span className="countdown-at">{at}</span>
      {verbose && <span className="countdown-sgt muted">{title}</span>}
    </span>
  );
}

/** The order's deadline cell: a countdown only when the desk would still pay it, else a calm dash. */
export function OrderDeadline({ order, verbose = false }: { order: DeskOrder; verbose?: boolean }) {
  const { t } = useTranslation();
  const kind = deadlineKindOf(order);
  const deadline = deadlineOf(order);
  if (kind === null || deadline === null) {
    if (verbose) return <span className="muted no-deadline">{t('countdown.none')}</span>;
    return (
      <span className="muted no-deadline" title={t('countdown.none')}>
        <span aria-hidden="true">—</span>
        <span className="sr-only">{t('countdown.none')}</span>
      </span>
    );
  }
  return <Countdown deadline={deadline} kind={kind} verbose={verbose} />;
}
