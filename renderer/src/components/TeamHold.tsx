// Team mode: another desk holds this order's chain — "being recovered by Lin Mei" — so this desk
// must not act on it (the core refuses too). Words, not colour alone.
import { useTranslation } from 'react-i18next';
import type { DeskOrder } from '../../../shared/desk.ts';
import { holdText } from '../lib/explain.ts';
import { useTeam } from '../stores/team.ts';

export function TeamHoldBadge({ order }: { order: DeskOrder }) {
  const { t } = useTranslation();
  if (!order.claimedBy) return null;
  return <span className="badge team-hold" data-testid={`claimed-${order.orderNo}`}>{holdText(t, order.claimedBy)}</span>;
}

/** Queue screen: what the other desks of the team are working on right now. */
export function OtherDesks() {
  const { t, i18n } = useTranslation();
  const status = useTeam((s) => s.status);
  if (!status?.enabled) return null;
  return (
    <section className="queue-group team-holds" aria-label={t('team.otherDesks')} data-testid="team-holds">
      <h2>{t('team.otherDesks')} <span className="count">{status.holds.length}</span></h2>
      {!status.connected && (
        <p className="warn-text" data-testid="team-offline">
          {t('team.offline')}
          {status.problem && <> {t(`settings.team.result.${status.problem}`)}</>}
        </p>
      )}
      {status.holds.length === 0 ? (
        <p className="muted">{t('team.noHolds')}</p>
      ) : (
        <ul>
          {status.holds.map((h) => (
            <li key={`${h.deskId}-${h.orderNos[0]}`} className="job" data-testid={`hold-${h.orderNos[0]}`}>
              <span className="mono">{h.orderNos.join(' → ')}</span> <span>{holdText(t, h)}</span>{' '}
              <time className="muted" dateTime={h.since}>{new Date(h.since).toLocaleTimeString(i18n.language)}</time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
