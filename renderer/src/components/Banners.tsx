// Always-visible states: training mode, offline, settings or database reset, no credentials,
// another desk process working this database's queue.
import { useTranslation } from 'react-i18next';
import { useEnv } from '../stores/env.ts';
import { useQueue } from '../stores/queue.ts';

export function Banners() {
  const { t } = useTranslation();
  const info = useEnv((s) => s.info);
  const elsewhere = useQueue((s) => s.lease?.elsewhere ?? null);
  if (!info) return null;
  return (
    <div className="banners">
      {info.training && <div className="banner training" role="status" data-testid="banner-training">{t('banner.training')}</div>}
      {!info.online && <div className="banner offline" role="status" data-testid="banner-offline">{t('banner.offline')}</div>}
      {info.settingsRecovered && <div className="banner warn" role="status">{t('banner.settingsRecovered')}</div>}
      {info.databaseRecoveredFrom && (
        <div className="banner warn" role="status" data-testid="banner-database">
          {t('banner.databaseRecovered', { path: info.databaseRecoveredFrom })}
        </div>
      )}
      {!info.training && !info.credentialsConfigured && <div className="banner warn" role="status" data-testid="banner-credentials">{t('banner.noCredentials')}</div>}
      {info.secretStorage === 'memory_only' && <div className="banner warn" role="status">{t('banner.memoryOnly')}</div>}
      {elsewhere && (
        <div className="banner warn" role="status" data-testid="banner-queue-elsewhere">
          {t('banner.queueElsewhere', { pid: elsewhere.pid, host: elsewhere.host })}
        </div>
      )}
    </div>
  );
}
