// Settings: environment, credentials (write-only secret), staff, language, queue, sync, webhook
// receiver (address from this computer's list, port, public https address, secret path rotation),
// the agency proxy, and "Copy diagnostics" for support.
import { useEffect, useId, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { MAX_PRICE_TOLERANCE_PERCENT } from '../../../shared/approval.ts';
import { checkAtlasBaseUrl, checkProxyUrl } from '../../../shared/atlas-host.ts';
import type { HostVerdict } from '../../../shared/atlas-host.ts';
import { CONCURRENCY_BOUNDS } from '../../../shared/ipc.ts';
import type { CredentialsTestResult, Environment, EnvironmentInfo, IpcError, IpcResult, Language, Settings, TeamTestResult, WebhookAddress } from '../../../shared/ipc.ts';
import { useDeskCall } from '../lib/use-desk-call.ts';
import { useEnv } from '../stores/env.ts';
import { Dialog } from './Dialog.tsx';
import { ErrorNote } from './ErrorNote.tsx';

/** What a save / test / clear button did; save and clear answer with the environment as it is now. */
interface Outcome<R extends string> {
  result: R | 'saved' | 'cleared';
  info: EnvironmentInfo | null;
}

/** The last outcome, hidden while a newer call runs or once one failed. */
function shownResult<R extends string>(call: { value: Outcome<R> | null; loading: boolean; error: IpcError | null }): Outcome<R>['result'] | null {
  return call.loading || call.error ? null : (call.value?.result ?? null);
}

function Credentials() {
  const { t } = useTranslation();
  const info = useEnv((s) => s.info);
  // The secret is typed here, sent, and cleared once saved; it is never read back from main.
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const action = useDeskCall(async (d, what: 'save' | 'test' | 'clear'): Promise<IpcResult<Outcome<CredentialsTestResult>>> => {
    if (what === 'test') {
      const r = await d.credentials.test({});
      return r.ok ? { ok: true, value: { result: r.value.result, info: null } } : r;
    }
    const r = what === 'save' ? await d.credentials.set({ clientId, clientSecret: secret }) : await d.credentials.clear({});
    return r.ok ? { ok: true, value: { result: what === 'save' ? 'saved' : 'cleared', info: r.value } } : r;
  });
  const result = shownResult(action);

  const act = async (what: 'save' | 'test' | 'clear') => {
    const r = await action.run(what);
    // A failed save keeps what was typed (nothing entered is lost); a saved secret is cleared at once.
    if (!r?.ok) return;
    if (what === 'save') {
      setSecret('');
      setClientId('');
    }
    if (r.value.info) useEnv.getState().setInfo(r.value.info);
  };

  return (
    <fieldset data-testid="settings-credentials">
      <legend>{t('settings.credentials')}</legend>
      <p className="muted" data-testid="credentials-state">
        {info?.credentialsConfigured
          ? t('settings.credentialsSet', { storage: t(`settings.storage.${info.secretStorage}`) })
          : info?.credentialsNeedReentry
            ? t('settings.credentialsReenter')
            : t('settings.credentialsNone')}
      </p>
      <label className="field"><span>{t('settings.clientId')}</span><input value={clientId} onChange={(e) => setClientId(e.target.value)} autoComplete="off" spellCheck={false} aria-label={t('settings.clientId')} /></label>
      <label className="field"><span>{t('settings.clientSecret')}</span><input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" spellCheck={false} aria-label={t('settings.clientSecret')} data-testid="client-secret" /></label>
      <div className="actions left">
        <button type="button" className="primary" disabled={!clientId.trim() || !secret} onClick={() => void act('save')} data-testid="credentials-save">{t('settings.replace')}</button>
        <button type="button" disabled={!info?.credentialsConfigured} onClick={() => void act('test')} data-testid="credentials-test">{t('settings.test')}</button>
        <button type="button" disabled={!info?.credentialsConfigured} onClick={() => void act('clear')} data-testid="credentials-clear">{t('settings.clear')}</button>
      </div>
      {result && <p role="status" data-testid="credentials-result">{t(`settings.result.${result}`)}</p>}
      <ErrorNote error={action.error} />
    </fieldset>
  );
}

/**
 * A URL field checked with the same host rule main applies (shared/atlas-host.ts), so staff see why
 * an address is refused before saving. Main checks again: this is only the early word.
 */
function UrlField(props: { label: string; value: string; check: (raw: string) => HostVerdict; onChange: (value: string) => void; testId: string }) {
  const { t } = useTranslation();
  const errorId = useId();
  const verdict = props.check(props.value);
  return (
    <label className="field"><span>{props.label}</span>
      <input type="url" value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-label={props.label} aria-invalid={!verdict.ok} aria-describedby={verdict.ok ? undefined : errorId} spellCheck={false} data-testid={props.testId} />
      {!verdict.ok && <span className="warn-text" id={errorId} data-testid={`${props.testId}-error`}>{t(`settings.hostProblem.${verdict.problem}`)}</span>}
    </label>
  );
}

const concurrencyValid = (value: number) => Number.isInteger(value) && value >= CONCURRENCY_BOUNDS.min && value <= CONCURRENCY_BOUNDS.max;

/** The cap of the queue's adaptive concurrency; what it does is said beside it, a bad value says why. */
function ConcurrencyField(props: { value: number; onChange: (value: number) => void }) {
  const { t } = useTranslation();
  const hintId = useId();
  const errorId = useId();
  const valid = concurrencyValid(props.value);
  const label = t('settings.concurrency');
  return (
    <label className="field"><span>{label}</span>
      <input type="number" min={CONCURRENCY_BOUNDS.min} max={CONCURRENCY_BOUNDS.max} step={1} value={Number.isNaN(props.value) ? '' : props.value} onChange={(e) => props.onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} aria-label={label} aria-invalid={!valid} aria-describedby={valid ? hintId : `${errorId} ${hintId}`} data-testid="settings-max-concurrency" />
      {!valid && <span className="warn-text" id={errorId} data-testid="settings-max-concurrency-error">{t('settings.concurrencyInvalid', { min: CONCURRENCY_BOUNDS.min, max: CONCURRENCY_BOUNDS.max })}</span>}
      <span className="hint muted" id={hintId}>{t('settings.concurrencyHint')}</span>
    </label>
  );
}

/** Turning the proxy off keeps its address only if it is a valid one: an unused, hidden bad address must not block saving. */
function proxySwitched(proxy: Settings['atlasProxy'], enabled: boolean): Settings['atlasProxy'] {
  return { enabled, url: enabled || checkProxyUrl(proxy.url).ok ? proxy.url : '' };
}

/** Support: main builds the (redacted) diagnostics text and puts it on the clipboard; staff can see what was copied. */
function Support() {
  const { t } = useTranslation();
  const diagnostics = useDeskCall((d) => d.env.diagnostics({}));
  const text = diagnostics.value?.text ?? null;
  return (
    <fieldset data-testid="settings-support">
      <legend>{t('settings.support')}</legend>
      <p className="hint muted">{t('settings.diagnosticsHint')}</p>
      <div className="actions left">
        <button type="button" onClick={() => void diagnostics.run()} data-testid="settings-diagnostics">{t('settings.copyDiagnostics')}</button>
      </div>
      {text !== null && (
        <>
          <p role="status" data-testid="diagnostics-copied">{t('settings.diagnosticsCopied')}</p>
          <details>
            <summary>{t('settings.diagnosticsShow')}</summary>
            <pre className="mono" data-testid="diagnostics-text">{text}</pre>
          </details>
        </>
      )}
      <ErrorNote error={diagnostics.error} />
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
  const action = useDeskCall(async (d, what: 'save' | 'test' | 'clear'): Promise<IpcResult<Outcome<TeamTestResult>>> => {
    if (what === 'test') {
      const r = await d.credentials.testTeamDatabase(url.trim() ? { url } : {});
      return r.ok ? { ok: true, value: { result: r.value.result, info: null } } : r;
    }
    const r = what === 'save' ? await d.credentials.setTeamDatabase({ url }) : await d.credentials.clearTeamDatabase({});
    return r.ok ? { ok: true, value: { result: what === 'save' ? 'saved' : 'cleared', info: r.value } } : r;
  });
  if (!team) return null;
  const result = shownResult(action);

  const act = async (what: 'save' | 'test' | 'clear') => {
    const r = await action.run(what);
    if (!r?.ok) return;
    if (what === 'save') setUrl('');
    if (r.value.info) useEnv.getState().setInfo(r.value.info);
  };

  return (
    <fieldset data-testid="settings-team">
      <legend>{t('settings.team.title')}</legend>
      <p className="muted" data-testid="team-state">
        {team.unreadable
          ? t('settings.team.result.stored_unreadable')
          : team.configured
            ? t('settings.team.set', { server: team.server ?? '', storage: t(`settings.storage.${team.storage}`) })
            : t('settings.team.none')}
      </p>
      {team.configured && training && <p className="hint">{t('settings.team.notInTraining')}</p>}
      <p className="hint muted">{t('settings.team.hint')}</p>
      <label className="field">
        <span>{t('settings.team.url')}</span>
        <input type="password" value={url} onChange={(e) => setUrl(e.target.value)} autoComplete="off" spellCheck={false} placeholder="postgres://user:password@host:5432/database?sslmode=verify-full" aria-label={t('settings.team.url')} data-testid="team-url" />
      </label>
      <div className="actions left">
        <button type="button" className="primary" disabled={!url.trim()} onClick={() => void act('save')} data-testid="team-save">{t('settings.replace')}</button>
        <button type="button" disabled={!url.trim() && (!team.configured || team.unreadable === true)} onClick={() => void act('test')} data-testid="team-test">{t('settings.team.test')}</button>
        <button type="button" disabled={!team.configured} onClick={() => void act('clear')} data-testid="team-clear">{t('settings.clear')}</button>
      </div>
      {result && <p role="status" data-testid="team-result">{t(`settings.team.result.${result}`)}</p>}
      <ErrorNote error={action.error} />
    </fieldset>
  );
}

/**
 * Where the receiver listens, the URL to register in ATRIP (public https address + secret path),
 * or why it is not running; asked again after each save. Staff can replace the secret path.
 */
function WebhookLine({ version }: { version: number }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState(false);
  // One call for both, so a status answer still on its way never replaces the rotated path.
  const webhook = useDeskCall((d, rotate?: true) => (rotate ? d.webhook.rotateToken({}) : d.webhook.status({})), { loadOn: [version] });
  const status = webhook.value;
  if (!status?.enabled) return null;
  if (status.error) {
    const text = status.error === 'host_not_allowed' ? t('settings.webhookHostNotAllowed') : t('settings.webhookError', { error: status.error });
    return <p className="warn-text" data-testid="webhook-status">{text}</p>;
  }
  const rotate = async () => {
    setConfirming(false);
    const r = await webhook.run(true);
    if (r?.ok) setRotated(true);
  };
  return (
    <div data-testid="webhook-status">
      {status.url && <p className="hint">{t('settings.webhookListening')} <code className="mono">{status.url}</code></p>}
      {status.publicUrl ? (
        <p className="hint">{t('settings.webhookUrl')} <code className="mono" data-testid="webhook-public-url">{status.publicUrl}</code></p>
      ) : (
        <p className="hint muted">{t('settings.webhookNoPublicUrl')}</p>
      )}
      <div className="actions left">
        <button type="button" onClick={() => setConfirming(true)} data-testid="webhook-rotate">{t('settings.webhookRotate')}</button>
      </div>
      {rotated && <p role="status" className="note">{t('settings.webhookRotated')}</p>}
      <ErrorNote error={webhook.error} />
      {confirming && (
        <Dialog title={t('settings.webhookRotateTitle')} onClose={() => setConfirming(false)} testId="webhook-rotate-dialog">
          <p>{t('settings.webhookRotateBody')}</p>
          <div className="actions">
            <button type="button" onClick={() => setConfirming(false)}>{t('common.cancel')}</button>
            <button type="button" className="primary" onClick={() => void rotate()} data-testid="webhook-rotate-confirm">{t('settings.webhookRotateConfirm')}</button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

/** Loopback or one of this computer's addresses; a saved address no longer present stays visible as such. */
function addressLabel(t: TFunction, a: WebhookAddress): string {
  return a.loopback ? t('settings.webhookHostLoopback', { address: a.address }) : t('settings.webhookHostInterface', { address: a.address, name: a.interface });
}

export function SettingsScreen() {
  const { t } = useTranslation();
  const saved = useEnv((s) => s.settings);
  const loadError = useEnv((s) => s.error);
  const [draft, setDraft] = useState<Settings | null>(saved);
  const [ok, setOk] = useState(false);
  const [version, setVersion] = useState(0);
  const toleranceHintId = useId();
  const addresses = useDeskCall((d) => d.settings.webhookAddresses({}), { loadOn: [] }).value ?? [];
  const saving = useDeskCall((d, next: Settings) => d.settings.update(next));
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
    const r = await saving.run(draft);
    // On failure the draft stays as typed so nothing is lost.
    if (!r?.ok) return;
    // App applies the saved language from the store.
    useEnv.getState().setSettings(r.value);
    setDraft(r.value);
    setOk(true);
    setVersion((v) => v + 1);
  };
  const num = (v: string) => (v === '' ? 0 : Number(v));
  const urlsValid =
    [draft.sandboxBaseUrl, draft.productionBaseUrl, draft.productionSearchBaseUrl].every((url) => checkAtlasBaseUrl(url).ok) &&
    (!draft.atlasProxy.enabled || checkProxyUrl(draft.atlasProxy.url).ok);
  const valuesValid = urlsValid && concurrencyValid(draft.maxConcurrency);

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
          <UrlField label={t('settings.sandboxUrl')} value={draft.sandboxBaseUrl} check={checkAtlasBaseUrl} onChange={(v) => patch({ sandboxBaseUrl: v })} testId="settings-sandbox-url" />
          <UrlField label={t('settings.productionUrl')} value={draft.productionBaseUrl} check={checkAtlasBaseUrl} onChange={(v) => patch({ productionBaseUrl: v })} testId="settings-production-url" />
          <UrlField label={t('settings.productionSearchUrl')} value={draft.productionSearchBaseUrl} check={checkAtlasBaseUrl} onChange={(v) => patch({ productionSearchBaseUrl: v })} testId="settings-search-url" />
        </fieldset>
        <fieldset data-testid="settings-proxy">
          <legend>{t('settings.proxy')}</legend>
          <label className="check"><input type="checkbox" checked={draft.atlasProxy.enabled} onChange={(e) => patch({ atlasProxy: proxySwitched(draft.atlasProxy, e.target.checked) })} aria-label={t('settings.proxyEnable')} data-testid="settings-proxy-enabled" />{t('settings.proxyEnable')}</label>
          <p className="hint warn-text">{t('settings.proxyWarning')}</p>
          {draft.atlasProxy.enabled && (
            <UrlField label={t('settings.proxyUrl')} value={draft.atlasProxy.url} check={checkProxyUrl} onChange={(v) => patch({ atlasProxy: { ...draft.atlasProxy, url: v } })} testId="settings-proxy-url" />
          )}
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
          <ConcurrencyField value={draft.maxConcurrency} onChange={(maxConcurrency) => patch({ maxConcurrency })} />
          <label className="field"><span>{t('settings.syncInterval')}</span><input type="number" min={0} max={1440} value={draft.syncIntervalMinutes} onChange={(e) => patch({ syncIntervalMinutes: num(e.target.value) })} aria-label={t('settings.syncInterval')} /></label>
          <label className="field"><span>{t('settings.priceTolerance')}</span>
            <input type="number" min={0} max={MAX_PRICE_TOLERANCE_PERCENT} step={0.01} value={draft.priceTolerancePercent} onChange={(e) => patch({ priceTolerancePercent: num(e.target.value) })} aria-label={t('settings.priceTolerance')} aria-describedby={toleranceHintId} data-testid="settings-price-tolerance" />
            <span className="hint muted" id={toleranceHintId}>{t('settings.priceToleranceHint')}</span>
          </label>
          <label className="check"><input type="checkbox" checked={draft.startAtLogin} onChange={(e) => patch({ startAtLogin: e.target.checked })} aria-label={t('settings.startAtLogin')} data-testid="settings-start-at-login" />{t('settings.startAtLogin')}</label>
          <label className="check"><input type="checkbox" checked={draft.webhook.enabled} onChange={(e) => patch({ webhook: { ...draft.webhook, enabled: e.target.checked } })} aria-label={t('settings.webhook')} data-testid="settings-webhook" />{t('settings.webhook')}</label>
          {draft.webhook.enabled && (
            <>
              <p className="hint muted" data-testid="webhook-tls">{t('settings.webhookTls')}</p>
              <label className="field"><span>{t('settings.webhookHost')}</span>
                <select value={draft.webhook.host} onChange={(e) => patch({ webhook: { ...draft.webhook, host: e.target.value } })} aria-label={t('settings.webhookHost')} data-testid="settings-webhook-host">
                  {addresses.map((a) => <option key={a.address} value={a.address}>{addressLabel(t, a)}</option>)}
                  {!addresses.some((a) => a.address === draft.webhook.host) && <option value={draft.webhook.host}>{t('settings.webhookHostMissing', { address: draft.webhook.host })}</option>}
                </select>
              </label>
              <label className="field"><span>{t('settings.webhookPort')}</span><input type="number" min={1} max={65535} value={draft.webhook.port} onChange={(e) => patch({ webhook: { ...draft.webhook, port: num(e.target.value) } })} aria-label={t('settings.webhookPort')} data-testid="settings-webhook-port" /></label>
              <label className="field"><span>{t('settings.webhookPublicUrl')}</span><input type="url" value={draft.webhookPublicUrl} placeholder="https://" onChange={(e) => patch({ webhookPublicUrl: e.target.value.trim() })} aria-label={t('settings.webhookPublicUrl')} data-testid="settings-webhook-public-url" /></label>
            </>
          )}
          <WebhookLine version={version} />
        </fieldset>
        <ErrorNote error={saving.error} />
        {ok && <p role="status" className="note">{t('settings.saved')}</p>}
        <div className="actions left"><button type="submit" className="primary" disabled={!valuesValid} data-testid="settings-save">{t('common.save')}</button></div>
      </form>
      <Credentials />
      <TeamDatabase />
      <Support />
    </section>
  );
}
