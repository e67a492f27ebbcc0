// "Sync now" with progress and the time of the last sync.
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../lib/format.ts';
import { useOrders } from '../stores/orders.ts';
import { ErrorNote } from './ErrorNote.tsx';

export function SyncBar() {
  const { t, i18n } = useTranslation();
  const sync = useOrders((s) => s.sync);
  const syncError = useOrders((s) => s.syncError);
  const syncNow = useOrders((s) => s.syncNow);
  const running = sync?.running ?? false;
  return (
    <div className="sync-bar">
      <button type="button" onClick={() => void syncNow()} disabled={running} aria-label={t('sync.now')} data-testid="sync-now" aria-keyshortcuts="s">
        {running ? t('sync.running') : t('sync.now')}
      </button>
      {/* Always present, so screen readers hear progress and the result of each sync. */}
      <span className="sync-status" role="status" aria-live="polite">
        {running && sync && (
          <span className="sync-progress" data-testid="sync-progress">
            <progress max={Math.max(sync.total, 1)} value={sync.done} aria-label={t('sync.progress')} />
            {t('sync.count', { done: sync.done, total: sync.total })}
          </span>
        )}
        <span className="muted" data-testid="sync-last">
          {sync?.lastSyncAt ? t('sync.last', { time: formatDateTime(sync.lastSyncAt, i18n.language) }) : t('sync.never')}
        </span>
        {sync?.error && !running && <span className="warn-text"> {t('sync.failed')}</span>}
      </span>
      <ErrorNote error={syncError} />
    </div>
  );
}
