// An order's audit trail, newest first.
import { useTranslation } from 'react-i18next';
import type { TimelineEvent } from '../../../shared/desk.ts';
import { formatDateTime } from '../lib/format.ts';

function summary(data: Record<string, unknown>): string {
  // `data` is already redacted by main; show its simple values compactly.
  return Object.entries(data)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}

export function Timeline({ events }: { events: TimelineEvent[] }) {
  const { t, i18n } = useTranslation();
  if (events.length === 0) return <p className="muted">{t('detail.noEvents')}</p>;
  const sorted = [...events].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
  return (
    <ol className="timeline" data-testid="timeline">
      {sorted.map((e) => (
        <li key={e.id} className={`ev ev-${e.kind}`}>
          <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time>
          <span className="ev-kind">{t(`event.${e.kind}`)}</span>
          {e.actor && <span className="muted"> — {e.actor}</span>}
          {summary(e.data) && <div className="ev-data mono">{summary(e.data)}</div>}
        </li>
      ))}
    </ol>
  );
}
