// Always-visible states: training mode, offline, settings or database reset, no credentials, a
// secret that must be entered again, Atlas calls going through the agency proxy, an app update
// ready to install, another desk process working this database's queue, the desk's own database
// failing (disk full, read-only…); and, until staff dismiss it, that main reloaded the window after its renderer stopped.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../lib/format.ts';
import { useDeskCall } from '../lib/use-desk-call.ts';
import { useEnv } from '../stores/env.ts';
import { ErrorNote } from './ErrorNote.tsx';

/**
 * "Restart to update". Main restarts only when no job talks to Atlas: while one does, the banner
 * says the update waits for the payments in progress, and main restarts by itself afterwards.
 */
function UpdateBanner() {
  const { t } = useTranslation();
  const update = useEnv((s) => s.update);
  const restarting = useDeskCall((d) => d.update.restart({}));
  if (!update || update.state === 'none') return null;
  const restart = async () => {
    const r = await restarting.run();
    if (r?.ok) useEnv.getState().setUpdate(r.value);
  };
  const version = update.version ?? '';
  return (
    <div className="banner update" role="status" data-testid="banner-update">
      {update.state === 'ready' && (
        <>
          {t('banner.updateReady', { version })}{' '}
          <button type="button" onClick={() => void restart()} data-testid="update-restart">{t('banner.updateRestart')}</button>
        </>
      )}
      {update.state === 'waiting' && t('banner.updateWaiting', { version })}
      {update.state === 'restarting' && t('banner.updateRestarting', { version })}
      <ErrorNote error={restarting.error} />
    </div>
  );
}
import { useQueue } from '../stores/queue.ts';

/**
 * The desk could not read or write its own database: what happened and what to do, in words. "Check
 * again" tries the database once more; the banner goes when it passes.
 */
function StorageBanner() {
  const { t } = useTranslation();
  const problem = useEnv((s) => s.storage?.problem ?? null);
  const checking = useDeskCall((d) => d.storage.check({}));
  if (!problem) return null;
  const check = async () => {
    const r = await checking.run();
    if (r?.ok) useEnv.getState().setStorage(r.value);
  };
  return (
    <div className="banner error" role="alert" data-testid="banner-storage" data-problem={problem}>
      {t(`storage.${problem}`)}{' '}
      <button type="button" onClick={() => void check()} disabled={checking.loading} data-testid="storage-check">
        {checking.loading ? t('common.working') : t('storage.check')}
      </button>
      <ErrorNote error={checking.error} />
    </div>
  );
}

export function Banners() {
  const { t, i18n } = useTranslation();
  const info = useEnv((s) => s.info);
  const proxy = useEnv((s) => s.settings?.atlasProxy);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const elsewhere = useQueue((s) => s.lease?.elsewhere ?? null);
  if (!info) return null;
  const recovered = info.windowRecovered && info.windowRecovered.at !== dismissed ? info.windowRecovered : null;
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
      {info.credentialsNeedReentry && <div className="banner warn" role="status" data-testid="banner-reenter">{t('banner.credentialsReenter')}</div>}
      {!info.training && proxy?.enabled && <div className="banner warn" role="status" data-testid="banner-proxy">{t('banner.proxy', { url: proxy.url })}</div>}
      {recovered && (
        <div className="banner warn" role="status" data-testid="banner-window-recovered">
          {t('banner.windowRecovered', { reason: recovered.reason, time: formatDateTime(recovered.at, i18n.language) })}{' '}
          <button type="button" onClick={() => setDismissed(recovered.at)} data-testid="banner-window-recovered-dismiss">{t('banner.dismiss')}</button>
        </div>
      )}
      {elsewhere && (
        <div className="banner warn" role="status" data-testid="banner-queue-elsewhere">
          {t('banner.queueElsewhere', { pid: elsewhere.pid, host: elsewhere.host })}
        </div>
      )}
      <StorageBanner />
      <UpdateBanner />
    </div>
  );
}
