// An order's audit trail, newest first: each event as a sentence (lib/event-text.ts) with links to
// related orders, when, who, and from which desk.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineEvent } from '../../../shared/desk.ts';
import { describeEvent } from '../lib/event-text.ts';
import { formatDateTime } from '../lib/format.ts';
import { OrderLink } from './OrderLink.tsx';

export function Timeline({ events }: { events: TimelineEvent[] }) {
  const { t, i18n } = useTranslation();
  if (events.length === 0) return <p className="muted">{t('detail.noEvents')}</p>;
  const sorted = [...events].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
  return (
    <ol className="timeline" data-testid="timeline">
      {sorted.map((e) => {
        const ev = describeEvent(e, i18n);
        let links: ReactNode = null;
        if (ev.links.length > 0) links = <span className="ev-links">{ev.links.map((n) => <OrderLink key={n} orderNo={n} testId={`event-link-${n}`} />)}</span>;
        return (
          <li key={e.id} className={`ev ev-${e.kind}`} data-testid={`event-${e.id}`}>
            <div className="ev-meta">
              <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time>
              {e.actor && <span className="ev-actor">{e.actor}</span>}
              {e.osAccount && <span className="ev-actor" title={t('timeline.osAccountTitle')} data-testid={`event-os-${e.id}`}>{t('timeline.osAccount', { account: e.osAccount })}</span>}
              {e.desk && <span className="ev-desk" data-testid={`event-desk-${e.id}`}>{t('team.atDesk', { staff: e.desk })}</span>}
            </div>
            <div className="ev-text">{ev.text}{links}</div>
            {ev.detail && <div className="ev-data">{ev.detail}</div>}
          </li>
        );
      })}
    </ol>
  );
}
