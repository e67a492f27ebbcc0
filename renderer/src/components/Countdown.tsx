// Live time left before a deadline. Shown in local time; the title explains Atlas's SGT deadline.
import { useTranslation } from 'react-i18next';
import { formatDateTime, sgtWall, timeLeft } from '../lib/format.ts';
import { useUi } from '../stores/ui.ts';

export function Countdown({ deadline }: { deadline: string | null }) {
  const { t, i18n } = useTranslation();
  const now = useUi((s) => s.now);
  if (!deadline) return <span className="muted">—</span>;
  const left = timeLeft(deadline, now);
  const text =
    left.urgency === 'overdue'
      ? t('countdown.overdue')
      : left.d > 0
        ? t('countdown.days', { d: left.d, h: left.h })
        : left.h > 0
          ? t('countdown.hours', { h: left.h, m: left.m })
          : t('countdown.minutes', { m: left.m, s: String(left.s).padStart(2, '0') });
  const title = t('countdown.title', { local: formatDateTime(deadline, i18n.language), sgt: sgtWall(deadline) });
  return (
    <span className={`countdown ${left.urgency}`} title={title} aria-label={`${text}. ${title}`}>
      <span className="countdown-left">{text}</span>
      <span className="countdown-at">{formatDateTime(deadline, i18n.language)}</span>
    </span>
  );
}
