import Conf from 'conf';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../electron/shell/ipc-registrar.ts';
import { createSecretBox } from '../../electron/shell/secrets.ts';
import { openSettings } from '../../electron/shell/settings.ts';
import type { KeyValueStore } from '../../electron/shell/settings.ts';
import { createShellHandlers } from '../../electron/shell/shell-handlers.ts';
import type { ShellContext } from '../../electron/shell/shell-handlers.ts';
import type { Handlers } from '../../shared/ipc.ts';
import { echoHandlers, ownPage, trusted } from './fakes.ts';
import { useTempDir } from '../support/temp-dir.ts';

const tmp = useTempDir('desk-shell-');
let dir: string;
beforeEach(() => {
  dir = tmp();
});

function context(over: Partial<ShellContext> = {}) {
  const settings = openSettings({
    dir,
    createStore: (o) => new Conf({ cwd: o.cwd, configName: o.name, projectName: 't', schema: o.schema as never }) as unknown as KeyValueStore,
  });
  const safeStorage = {
    isAsyncEncryptionAvailable: async () => false,
    encryptStringAsync: async () => Buffer.alloc(0),
    decryptStringAsync: async () => ({ result: '', shouldReEncrypt: false }),
  };
  const ctx: ShellContext = {
    settings,
    secrets: createSecretBox({ safeStorage, platform: 'linux', filePath: path.join(dir, 'c.bin') }),
    online: () => true,
    appVersion: '0.1.0',
    paymentInFlight: () => false,
    databaseRecoveredFrom: () => null,
    windowRecovered: () => null,
    diagnostics: async () => 'diagnostics text',
    copyToClipboard: vi.fn(),
    probeCredentials: async () => ({ amount: 1, currency: 'USD' }),
    confirmTargetChange: vi.fn(async () => true),
    applyEnvironment: vi.fn(async () => {}),
    notifyEnvironment: vi.fn(),
    ...over,
  };
  const handlers = { ...echoHandlers(), ...createShellHandlers(ctx) } as Handlers;
  const call = (channel: Parameters<typeof dispatch>[0], request: unknown) =>
    dispatch(channel, ownPage, request, { handlers, isTrustedSender: trusted, secrets: () => (ctx.secrets.get() ? [ctx.secrets.get()!.clientSecret] : []) });
  return { ctx, call };
}

describe('shell handlers', () => {
  it('report training with no credentials, then the chosen environment once credentials exist', async () => {
    const { call } = context();
    expect(await call('env:get', {})).toMatchObject({ ok: true, value: { environment: 'training', training: true, credentialsConfigured: false, secretStorage: 'none' } });
    await call('settings:update', { environment: 'sandbox' });
    expect(await call('env:get', {})).toMatchObject({ value: { environment: 'sandbox', training: true } });
    const set = await call('credentials:set', { clientId: 'agency', clientSecret: 'abcdefgh-secret' });
    expect(set).toMatchObject({ ok: true, value: { training: false, credentialsConfigured: true, secretStorage: 'memory_only' } });
    expect(JSON.stringify(set)).not.toContain('abcdefgh-secret');
  });

  it('tell the window where an unreadable database was moved aside', async () => {
    const { call } = context({ databaseRecoveredFrom: () => '/data/desk-sandbox.sqlite.unreadable-2026' });
    expect(await call('env:get', {})).toMatchObject({ ok: true, value: { databaseRecoveredFrom: '/data/desk-sandbox.sqlite.unreadable-2026' } });
  });

  it('never return the secret from any shell channel', async () => {
    const { call } = context();
    await call('credentials:set', { clientId: 'agency', clientSecret: 'abcdefgh-secret' });
    for (const channel of ['env:get', 'settings:get', 'credentials:test'] as const) {
      expect(JSON.stringify(await call(channel, {}))).not.toContain('abcdefgh-secret');
    }
  });

  it('re-point the desk and push env:changed when the environment or credentials change', async () => {
    const { ctx, call } = context();
    await call('settings:update', { staffName: 'Mei' });
    expect(ctx.applyEnvironment).not.toHaveBeenCalled();
    await call('settings:update', { environment: 'production' });
    await call('credentials:clear', {});
    expect(ctx.applyEnvironment).toHaveBeenCalledTimes(2);
    expect(ctx.notifyEnvironment).toHaveBeenCalledTimes(2);
  });

  it('restart the desk core when the webhook receiver setting changes, and not when it is sent unchanged', async () => {
    const { ctx, call } = context();
    const webhook = { enabled: true, host: '127.0.0.1', port: 8788 };
    await call('settings:update', { webhook });
    expect(ctx.applyEnvironment).toHaveBeenCalledTimes(1);
    await call('settings:update', { webhook });
    expect(ctx.applyEnvironment).toHaveBeenCalledTimes(1);
  });

  it('let the webhook receiver listen only on loopback or an address of this machine, offered as a list', async () => {
    const addresses = [
      { address: '127.0.0.1', family: 'IPv4' as const, interface: 'loopback', loopback: true },
      { address: '::1', family: 'IPv6' as const, interface: 'loopback', loopback: true },
      { address: '192.0.2.10', family: 'IPv4' as const, interface: 'eth0', loopback: false },
    ];
    const { ctx, call } = context({ webhookAddresses: () => addresses });
    expect(await call('settings:webhookAddresses', {})).toEqual({ ok: true, value: addresses });
    for (const host of ['0.0.0.0', '::', '192.0.2.99', '10.1.1.1']) {
      expect(await call('settings:update', { webhook: { enabled: true, host, port: 8788 } }), host).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(await call('settings:update', { webhook: { enabled: true, host: 'desk.example', port: 8788 } })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(ctx.settings.get().webhook.host).toBe('127.0.0.1');
    expect(await call('settings:update', { webhook: { enabled: true, host: '192.0.2.10', port: 8788 } })).toMatchObject({ ok: true, value: { webhook: { host: '192.0.2.10' } } });
  });

  it('keep the public URL as its own https-only setting, without restarting the desk core', async () => {
    const { ctx, call } = context();
    expect(await call('settings:update', { webhookPublicUrl: 'http://desk.agency.example' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await call('settings:update', { webhookPublicUrl: 'https://desk.agency.example/atlas' })).toMatchObject({ ok: true, value: { webhookPublicUrl: 'https://desk.agency.example/atlas' } });
    expect(ctx.applyEnvironment).not.toHaveBeenCalled();
    expect(await call('settings:update', { webhookPublicUrl: '' })).toMatchObject({ ok: true, value: { webhookPublicUrl: '' } });
  });

  it('refuse to change environment or credentials while a payment is in flight', async () => {
    const { ctx, call } = context({ paymentInFlight: () => true });
    expect(await call('settings:update', { environment: 'production' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await call('credentials:set', { clientId: 'a', clientSecret: 'b' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(ctx.settings.get().environment).toBe('training');
    expect(ctx.secrets.get()).toBeNull();
    expect(await call('settings:update', { staffName: 'ok while paying' })).toMatchObject({ ok: true });
  });

  it('test stored credentials with one probe call', async () => {
    const probe = vi.fn(async () => ({ amount: 1, currency: 'USD' }));
    const { call } = context({ probeCredentials: probe });
    expect(await call('credentials:test', {})).toEqual({ ok: true, value: { result: 'wrong_credentials' } });
    await call('credentials:set', { clientId: 'agency', clientSecret: 'secret-1' });
    expect(await call('credentials:test', {})).toEqual({ ok: true, value: { result: 'ok' } });
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it('refuse a Sandbox or Production URL that is not an Atlas host, before anything is stored or asked', async () => {
    const { ctx, call } = context();
    const attacks = [
      { productionBaseUrl: 'https://api-sg.atriptech.com.evil.test' },
      { productionBaseUrl: 'https://atriptech.com@evil.test' },
      { sandboxBaseUrl: 'https://evil.test/atriptech.com' },
      { sandboxBaseUrl: 'https://evilatriptech.com' },
      { sandboxBaseUrl: 'http://sandbox.atriptech.com' },
      { productionSearchBaseUrl: 'https://search-sg.atriptech.com.' },
      { productionBaseUrl: 'https://аpi-sg.atriptech.com.evil.test' },
      { atlasProxy: { enabled: true, url: 'http://gw.agency.example' } },
      { atlasProxy: { enabled: true, url: '' } },
    ];
    for (const patch of attacks) {
      expect(await call('settings:update', patch), JSON.stringify(patch)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(ctx.settings.get()).toMatchObject({ sandboxBaseUrl: 'https://sandbox.atriptech.com', productionBaseUrl: 'https://api-sg.atriptech.com', atlasProxy: { enabled: false } });
    expect(ctx.confirmTargetChange).not.toHaveBeenCalled();
    expect(ctx.applyEnvironment).not.toHaveBeenCalled();
  });

  it('ask in main before another Atlas host replaces the one the secret was entered for, and keep everything on "no"', async () => {
    const confirm = vi.fn(async () => false);
    const { ctx, call } = context({ confirmTargetChange: confirm });
    await call('settings:update', { environment: 'production' });
    await call('credentials:set', { clientId: 'agency', clientSecret: 'prod-secret' });
    expect(await call('env:get', {})).toMatchObject({ value: { training: false, credentialsConfigured: true, credentialsNeedReentry: false } });

    expect(await call('settings:update', { productionBaseUrl: 'https://api-eu.atriptech.com' })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(confirm).toHaveBeenCalledExactlyOnceWith({
      to: { environment: 'production', baseUrl: 'https://api-eu.atriptech.com' },
      viaProxy: false,
      savedFor: { environment: 'production', baseUrl: 'https://api-sg.atriptech.com' },
    });
    expect(ctx.settings.get().productionBaseUrl).toBe('https://api-sg.atriptech.com');
    expect(await call('env:get', {})).toMatchObject({ value: { training: false, credentialsConfigured: true } });
  });

  it('after a confirmed host change never send the old secret to the new host: staff enter it again', async () => {
    const probe = vi.fn(async () => ({ amount: 1, currency: 'USD' }));
    const { ctx, call } = context({ probeCredentials: probe });
    await call('settings:update', { environment: 'production' });
    await call('credentials:set', { clientId: 'agency', clientSecret: 'prod-secret' });

    expect(await call('settings:update', { productionBaseUrl: 'HTTPS://API-EU.atriptech.com/' })).toMatchObject({ ok: true, value: { productionBaseUrl: 'https://api-eu.atriptech.com' } });
    expect(ctx.confirmTargetChange).toHaveBeenCalledOnce();
    // Not usable for the new host: the desk falls back to Training and says why.
    expect(await call('env:get', {})).toMatchObject({ value: { training: true, credentialsConfigured: false, credentialsNeedReentry: true } });
    expect(await call('credentials:test', {})).toEqual({ ok: true, value: { result: 'wrong_credentials' } });
    expect(probe).not.toHaveBeenCalled();

    await call('credentials:set', { clientId: 'agency', clientSecret: 'eu-secret' });
    expect(ctx.secrets.boundTo()).toEqual({ environment: 'production', baseUrl: 'https://api-eu.atriptech.com' });
    expect(await call('env:get', {})).toMatchObject({ value: { training: false, credentialsConfigured: true, credentialsNeedReentry: false } });
    expect(await call('credentials:test', {})).toEqual({ ok: true, value: { result: 'ok' } });
    expect(probe).toHaveBeenCalledExactlyOnceWith({ clientId: 'agency', clientSecret: 'eu-secret' }, expect.objectContaining({ productionBaseUrl: 'https://api-eu.atriptech.com' }));
  });

  it('switching sandbox to production does not carry the sandbox secret along', async () => {
    const { ctx, call } = context();
    await call('settings:update', { environment: 'sandbox' });
    await call('credentials:set', { clientId: 'agency', clientSecret: 'sandbox-secret' });
    await call('settings:update', { environment: 'production' });
    expect(ctx.confirmTargetChange).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ savedFor: { environment: 'sandbox', baseUrl: 'https://sandbox.atriptech.com' } }));
    expect(await call('env:get', {})).toMatchObject({ value: { training: true, credentialsConfigured: false, credentialsNeedReentry: true } });
    // Back to sandbox: the secret was entered for it, so it is usable again without asking.
    await call('settings:update', { environment: 'sandbox' });
    expect(ctx.confirmTargetChange).toHaveBeenCalledOnce();
    expect(await call('env:get', {})).toMatchObject({ value: { training: false, credentialsConfigured: true } });
  });

  it('always ask before routing Atlas calls through the agency proxy, and bind the secret entered after it to the proxy', async () => {
    const { ctx, call } = context();
    const proxy = { enabled: true, url: 'https://gw.agency.example/atlas/' };
    expect(await call('settings:update', { environment: 'sandbox', atlasProxy: proxy })).toMatchObject({ ok: true, value: { atlasProxy: { enabled: true, url: 'https://gw.agency.example/atlas' } } });
    expect(ctx.confirmTargetChange).toHaveBeenCalledExactlyOnceWith({ to: { environment: 'sandbox', baseUrl: 'https://gw.agency.example/atlas' }, viaProxy: true, savedFor: null });
    await call('credentials:set', { clientId: 'agency', clientSecret: 'via-proxy' });
    expect(ctx.secrets.boundTo()).toEqual({ environment: 'sandbox', baseUrl: 'https://gw.agency.example/atlas' });
    // Switching the proxy off moves calls back to Atlas: the proxy's secret is not sent there.
    await call('settings:update', { atlasProxy: { enabled: false, url: 'https://gw.agency.example/atlas' } });
    expect(ctx.confirmTargetChange).toHaveBeenCalledTimes(2);
    expect(await call('env:get', {})).toMatchObject({ value: { credentialsConfigured: false, credentialsNeedReentry: true } });
  });

  it('answer env:diagnostics with main\'s text and put the same text on the clipboard', async () => {
    const { ctx, call } = context({ diagnostics: async () => 'Atlas Retry Desk diagnostics\nQueue: empty' });
    expect(await call('env:diagnostics', {})).toEqual({ ok: true, value: { text: 'Atlas Retry Desk diagnostics\nQueue: empty' } });
    expect(ctx.copyToClipboard).toHaveBeenCalledExactlyOnceWith('Atlas Retry Desk diagnostics\nQueue: empty');
    expect(await call('env:diagnostics', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});
