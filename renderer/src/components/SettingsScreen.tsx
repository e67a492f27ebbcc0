// Settings: environment, credentials (write-only secret), staff, language, queue, sync, webhook.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CredentialsTestResult, Environment, IpcError, Language, Settings, TeamTestResult, WebhookStatus } from '../../../shared/ipc.ts';
import { call } from '../desk.ts';
import { useEnv } from '../stores/env.ts';
import { ErrorNote } from './ErrorNote.tsx';

function Credentials() {
  const { t } = useTranslation();
  const info = useEnv((s) => s.info);
  // The secret is typed here, sent, and cleared once saved; it is never read back from main.
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [result, setResult] = useState<CredentialsTestResult | 'saved' | 'cleared' | null>(null);

  const save = async () => {
    setError(null);
    const r = await call((d) => d.credentials.set({ clientId, clientSecret: secret }));
    // A failed save keeps what was typed (nothing entered is lost); a saved secret is cleared at once.
    if (!r.ok) return setError(r.error);
    setSecret('');
    useEnv.getState().setInfo(r.value);
    setClientId('');
    setResult('saved');
  };
  const test = async () => {
    setError(null);
    const r = await call((d) => d.credentials.test({}));
    if (!r.ok) return setError(r.error);
    setResult(r.value.result);
  };
  const clear = async () => {
    setError(null);
    const r = await call((d) => d.credentials.clear({}));
    if (!r.ok) return setError(r.error);
    useEnv.getState().setInfo(r.value);
    setResult('cleared');
  };

  return (
    <fieldset data-testid="settings-credentials">
      <legend>{t('settings.credentials')}</legend>
      <p className="muted" data-testid="credentials-state">
        {info?.credentialsConfigured ? t('settings.credentialsSet', { storage: t(`settings.storage.${info.secretStorage}`) }) : t('settings.credentialsNone')}
      </p>
      <label className="field"><span>{t('settings.clientId')}</span><input value={clientId} onChange={(e) => setClientId(e.target.value)} autoComplete="off" spellCheck={false} aria-label={t('settings.clientId')} /></label>
      <label className="field"><span>{t('settings.clientSecret')}</span><input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" spellCheck={false} aria-label={t('settings.clientSecret')} data-testid="client-secret" /></label>
      <div className="actions left">
        <button type="button" className="primary" disabled={!clientId.trim() || !secret} onClick={() => void save()} data-testid="credentials-save">{t('settings.replace')}</button>
        <button type="button" disabled={!info?.credentialsConfigured} onClick={() => void test()} data-testid="credentials-test">{t('settings.test')}</button>
        <button type="button" disabled={!info?.credentialsConfigured} onClick={() => void clear()} data-testid="credentials-clear">{t('settings.clear')}</button>
      </div>
      {result && <p role="status" data-testid="credentials-result">{t(`settings.result.${result}`)}</p>}
      <ErrorNote error={error} />
    </fieldset>
  );
}

/**
 * Team mode: the agency's shared PostgreSQL. The URL holds the database password, so it is handled
 * like the client secret: typed here, sent once, cleared, never read back (only the server name).
 */
function TeamDatabase() {
  const { t } = useTranslation();
  const team = useEnv((s) => s.info?.teamDatabase);
  const training = useEnv((s) => s.info?.training ?? false);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [result, setResult] = useState<TeamTestResult | 'saved' | 'cleared' | null>(null);
  if (!team) return null;

  const save = async () => {
    setError(null);
    const r = await call((d) => d.credentials.setTeamDatabase({ url }));
    if (!r.ok) return setError(r.error);
    setUrl('');
    useEnv.getState().setInfo(r.value);
    setResult('saved');
  };
  const test = async () => {
    setError(null);
    setResult(null);
    const r = await call((d) => d.credentials.testTeamDatabase(url.trim() ? { url } : {}));
    if (!r.ok) return setError(r.error);
    setResult(r.value.result);
  };
  const clear = async () => {
    setError(null);
    const r = await call((d) => d.credentials.clearTeamDatabase({}));
    if (!r.ok) return setError(r.error);
    useEnv.getState().setInfo(r.value);
    setResult('cleared');
  };

  return (
    <fieldset data-testid="settings-team">
      <legend>{t('settings.team.title')}</legend>
      <p className="muted" data-testid="team-state">
        {team.configured ? t('settings.team.set', { server: team.server ?? '', storage: t(`settings.storage.${team.storage}`) }) : t('settings.team.none')}
      </p>
      {team.configured && training && <p className="hint">{t('settings.team.notInTraining')}</p>}
      <p className="hint muted">{t('settings.team.hint')}</p>
      <label className="field">
        <span>{t('settings.team.url')}</span>
        <input type="password" value={url} onChange={(e) => setUrl(e.target.value)} autoComplete="off" spellCheck={false} placeholder="postgres://user:password@host:5432/database?sslmode=verify-full" aria-label={t('settings.team.url')} data-testid="team-url" />
      </label>
      <div className="actions left">
        <button type="button" className="primary" disabled={!url.trim()} onClick={() => void save()} data-testid="team-save">{t('settings.replace')}</button>
        <button type="button" disabled={!url.trim() && !team.configured} onClick={() => void test()} data-testid="team-test">{t('settings.team.test')}</button>
        <button type="button" disabled={!team.configured} onClick={() => void clear()} data-testid="team-clear">{t('settings.clear')}</button>
      </div>
      {result && <p role="status" data-testid="team-result">{t(`settings.team.result.${result}`)}</p>}
      <ErrorNote error={error} />
    </fieldset>
  );
}

/** Where ATRIP should send webhooks, or why the receiver is not running (asked again after each save). */
function WebhookLine({ version }: { version: number }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<WebhookStatus | null>(null);
  useEffect(() => {
    void call((d) => d.webhook.status({})).then((r) => setStatus(r.ok ? r.value : null));
  }, [version]);
  if (!status?.enabled) return null;
  if (status.error) return <p className="warn-text" data-testid="webhook-status">{t('settings.webhookError', { error: status.error })}</p>;
  return status.url ? <p className="hint" data-testid="webhook-status">{t('settings.webhookUrl')} <code className="mono">{status.url}</code></p> : null;
}

export function SettingsScreen() {
  const { t } = useTranslation();
  const saved = useEnv((s) => s.settings);
  const loadError = useEnv((s) => s.error);
  const [draft, setDraft] = useState<Settings | null>(saved);
  const [error, setError] = useState<IpcError | null>(null);
  const [ok, setOk] = useState(false);
  const [version, setVersion] = useState(0);
  useEffect(() => setDraft((d) => d ?? saved), [saved]);
  if (!draft) {
    // A failed load must say so and offer a retry, never spin on "Loading" for ever.
    return (
      <section className="settings-screen">
        {loadError ? <ErrorNote error={loadError} onRetry={() => void useEnv.getState().load()} /> : <p className="muted">{t('common.loading')}</p>}
      </section>
    );
  }

  const patch = (p: Partial<Settings>) => {
    setOk(false);
    setDraft({ ...draft, ...p });
  };
  const save = async () => {
    setError(null);
    const r = await call((d) => d.settings.update(draft));
    // On failure the draft stays as typed so nothing is lost.
    if (!r.ok) return setError(r.error);
    // App applies the saved language from the store.
    useEnv.getState().setSettings(r.value);
    setDraft(r.value);
    setOk(true);
    setVersion((v) => v + 1);
  };
  const num = (v: string) => (v === '' ? 0 : Number(v));

  return (
    <section className="settings-screen" aria-label={t('nav.settings')} data-testid="settings-screen">
      <h1>{t('settings.title')}</h1>
      <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <fieldset>
          <legend>{t('settings.environment')}</legend>
          <label className="field"><span>{t('settings.environment')}</span>
            <select value={draft.environment} onChange={(e) => patch({ environment: e.target.value as Environment })} aria-label={t('settings.environment')} data-testid="settings-environment">
              {(['training', 'sandbox', 'production'] as const).map((env) => <option key={env} value={env}>{t(`env.${env}`)}</option>)}
            </select>
          </label>
          <label className="field"><span>{t('settings.sandboxUrl')}</span><input type="url" value={draft.sandboxBaseUrl} onChange={(e) => patch({ sandboxBaseUrl: e.target.value })} aria-label={t('settings.sandboxUrl')} /></label>
          <label className="field"><span>{t('settings.productionUrl')}</span><input type="url" value={draft.productionBaseUrl} onChange={(e) => patch({ productionBaseUrl: e.target.value })} aria-label={t('settings.productionUrl')} /></label>
          <label className="field"><span>{t('settings.productionSearchUrl')}</span><input type="url" value={draft.productionSearchBaseUrl} onChange={(e) => patch({ productionSearchBaseUrl: e.target.value })} aria-label={t('settings.productionSearchUrl')} /></label>
        </fieldset>
        <fieldset>
          <legend>{t('settings.desk')}</legend>
          <label className="field"><span>{t('settings.staffName')}</span><input value={draft.staffName} onChange={(e) => patch({ staffName: e.target.value })} aria-label={t('settings.staffName')} data-testid="settings-staff" /></label>
          <label className="field"><span>{t('settings.language')}</span>
            <select value={draft.language ?? 'auto'} onChange={(e) => patch({ language: e.target.value === 'auto' ? null : (e.target.value as Language) })} aria-label={t('settings.language')} data-testid="settings-language">
              <option value="auto">{t('settings.languageAuto')}</option>
              <option value="en">English</option>
              <option value="zh-CN">简体中文</option>
            </select>
          </label>
          <label className="field"><span>{t('settings.concurrency')}</span><input type="number" min={1} max={16} value={draft.queueConcurrency} onChange={(e) => patch({ queueConcurrency: num(e.target.value) })} aria-label={t('settings.concurrency')} /></label>
          <label className="field"><span>{t('settings.syncInterval')}</span><input type="number" min={0} max={1440} value={draft.syncIntervalMinutes} onChange={(e) => patch({ syncIntervalMinutes: num(e.target.value) })} aria-label={t('settings.syncInterval')} /></label>
          <label className="check"><input type="checkbox" checked={draft.webhook.enabled} onChange={(e) => patch({ webhook: { ...draft.webhook, enabled: e.target.checked } })} aria-label={t('settings.webhook')} data-testid="settings-webhook" />{t('settings.webhook')}</label>
          {draft.webhook.enabled && <p className="hint muted">{t('settings.webhookAt', { host: draft.webhook.host, port: draft.webhook.port })}</p>}
          <WebhookLine version={version} />
        </fieldset>
        <ErrorNote error={error} />
        {ok && <p role="status" className="note">{t('settings.saved')}</p>}
        <div className="actions left"><button type="submit" className="primary" data-testid="settings-save">{t('common.save')}</button></div>
      </form>
      <Credentials />
      <TeamDatabase />
    </section>
  );
}
