// Settings → Team database: the URL (it holds the database password) is kept like the Atlas secret
// — encrypted on disk, or in memory only — never returned to the window, changed only when staff
// confirm in main, and "test connection" names what is wrong (real PostgreSQL for ok / wrong
// password / unreachable).
import Conf from 'conf';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../electron/shell/ipc-registrar.ts';
import { createSecretBox, type SafeStorageLike } from '../../electron/shell/secrets.ts';
import { openSettings, type KeyValueStore } from '../../electron/shell/settings.ts';
import { createShellHandlers, type ShellContext } from '../../electron/shell/shell-handlers.ts';
import { createTeamSecretBox } from '../../electron/shell/team-secret.ts';
import { checkTeamDatabase } from '../../electron/team/team-db.ts';
import type { Handlers } from '../../shared/ipc.ts';
import { freePort } from '../../scripts/pg-cluster.ts';
import { describeTeam, useCluster } from '../support/team-cluster.ts';
import { echoHandlers, ownPage, trusted } from './fakes.ts';
import { useTempDir } from '../support/temp-dir.ts';

const URL_WITH_PASSWORD = 'postgres://desk:s3cret-pa55@db.agency.example:5432/team?sslmode=verify-full';

function safeStorage(available: boolean): SafeStorageLike {
  return {
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (plain: string) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
    decryptStringAsync: async (cipher: Buffer) => ({ result: Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8'), shouldReEncrypt: false }),
    getSelectedStorageBackend: () => 'gnome_libsecret',
  };
}

const tmp = useTempDir('desk-team-shell-');
let dir: string;
beforeEach(() => {
  dir = tmp();
});

function context(encryption: boolean) {
  const settings = openSettings({
    dir,
    createStore: (o) => new Conf({ cwd: o.cwd, configName: o.name, projectName: 't', schema: o.schema as never }) as unknown as KeyValueStore,
  });
  const storage = safeStorage(encryption);
  let inFlight = false;
  const secret = createTeamSecretBox({ safeStorage: storage, platform: 'win32', filePath: path.join(dir, 'team-database.bin') });
  const ctx: ShellContext = {
    settings,
    secrets: createSecretBox({ safeStorage: storage, platform: 'win32', filePath: path.join(dir, 'c.bin') }),
    online: () => true,
    appVersion: '0.1.0',
    paymentInFlight: () => inFlight,
    databaseRecoveredFrom: () => null,
    windowRecovered: () => null,
    diagnostics: async () => 'diagnostics text',
    copyToClipboard: vi.fn(),
    probeCredentials: async () => ({}),
    confirmTargetChange: vi.fn(async () => true),
    applyEnvironment: vi.fn(async () => {}),
    notifyEnvironment: vi.fn(),
    team: { secret, check: (url) => checkTeamDatabase(url, { timeoutMs: 2000 }), confirm: vi.fn(async () => true) },
  };
  const handlers = { ...echoHandlers(), ...createShellHandlers(ctx) } as Handlers;
  const call = (channel: Parameters<typeof dispatch>[0], request: unknown) =>
    dispatch(channel, ownPage, request, { handlers, isTrustedSender: trusted, secrets: () => [secret.password() ?? ''].filter(Boolean) });
  return { ctx, call, storage, startPayment: () => (inFlight = true) };
}

describe('team database URL in Settings', () => {
  it('is encrypted at rest, never returned, and the core restarts to join or leave the team', async () => {
    const { ctx, call, storage } = context(true);
    const set = await call('credentials:setTeamDatabase', { url: URL_WITH_PASSWORD });
    expect(set).toMatchObject({ ok: true, value: { teamDatabase: { configured: true, server: 'db.agency.example:5432/team', storage: 'encrypted' } } });
    expect(JSON.stringify(set)).not.toContain('s3cret-pa55');
    expect(ctx.applyEnvironment).toHaveBeenCalledTimes(1);
    const onDisk = fs.readFileSync(path.join(dir, 'team-database.bin'));
    expect(onDisk.toString('latin1')).not.toContain('s3cret-pa55');
    // The next launch reads it back.
    const again = createTeamSecretBox({ safeStorage: storage, platform: 'win32', filePath: path.join(dir, 'team-database.bin') });
    await again.load();
    expect(again.get()).toBe(URL_WITH_PASSWORD);
    expect(await call('env:get', {})).toMatchObject({ value: { teamDatabase: { configured: true } } });
    expect(await call('credentials:clearTeamDatabase', {})).toMatchObject({ ok: true, value: { teamDatabase: { configured: false, server: null, storage: 'none' } } });
    expect(fs.existsSync(path.join(dir, 'team-database.bin'))).toBe(false);
    expect(ctx.applyEnvironment).toHaveBeenCalledTimes(2);
  });

  it('keeps it in memory only where the OS cannot encrypt, and refuses a bad URL without storing it', async () => {
    const { call } = context(false);
    expect(await call('credentials:setTeamDatabase', { url: 'mysql://nope' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await call('env:get', {})).toMatchObject({ value: { teamDatabase: { configured: false } } });
    expect(await call('credentials:setTeamDatabase', { url: URL_WITH_PASSWORD })).toMatchObject({ value: { teamDatabase: { storage: 'memory_only' } } });
    expect(fs.existsSync(path.join(dir, 'team-database.bin'))).toBe(false);
  });

  it('joins, switches or leaves a team only when staff say yes in main; declined, nothing changes', async () => {
    const { ctx, call } = context(true);
    const confirm = vi.mocked(ctx.team!.confirm);
    const file = path.join(dir, 'team-database.bin');
    const other = 'postgres://desk:0ther-pa55@db2.agency.example:5432/team';
    // A URL the desk cannot use is refused before anyone is asked.
    expect(await call('credentials:setTeamDatabase', { url: 'mysql://nope' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(confirm).not.toHaveBeenCalled();

    confirm.mockResolvedValueOnce(false);
    expect(await call('credentials:setTeamDatabase', { url: URL_WITH_PASSWORD })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(confirm).toHaveBeenLastCalledWith({ from: null, to: 'db.agency.example:5432/team' });
    expect(fs.existsSync(file)).toBe(false);
    expect(await call('credentials:setTeamDatabase', { url: URL_WITH_PASSWORD })).toMatchObject({ ok: true, value: { teamDatabase: { configured: true } } });

    confirm.mockResolvedValueOnce(false);
    expect(await call('credentials:setTeamDatabase', { url: other })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(confirm).toHaveBeenLastCalledWith({ from: 'db.agency.example:5432/team', to: 'db2.agency.example:5432/team' });
    expect(ctx.team!.secret.get()).toBe(URL_WITH_PASSWORD);

    confirm.mockResolvedValueOnce(false);
    expect(await call('credentials:clearTeamDatabase', {})).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(confirm).toHaveBeenLastCalledWith({ from: 'db.agency.example:5432/team', to: null });
    expect(ctx.team!.secret.get()).toBe(URL_WITH_PASSWORD);
    expect(fs.existsSync(file)).toBe(true);
    // Only the two changes staff agreed to restarted the core.
    expect(ctx.applyEnvironment).toHaveBeenCalledTimes(1);

    expect(await call('credentials:clearTeamDatabase', {})).toMatchObject({ ok: true, value: { teamDatabase: { configured: false } } });
    expect(confirm).toHaveBeenCalledTimes(5);
    expect(ctx.applyEnvironment).toHaveBeenCalledTimes(2);
  });

  it('does not change the team database when a payment started while staff were asked', async () => {
    const { ctx, call, startPayment } = context(true);
    vi.mocked(ctx.team!.confirm).mockImplementationOnce(async () => {
      startPayment();
      return true;
    });
    expect(await call('credentials:setTeamDatabase', { url: URL_WITH_PASSWORD })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(ctx.team!.secret.get()).toBeNull();
    expect(ctx.applyEnvironment).not.toHaveBeenCalled();
  });

  it('remembers a saved URL it could not decrypt: the window is told, leaving asks first, entering it again ends it', async () => {
    const file = path.join(dir, 'team-database.bin');
    fs.writeFileSync(file, Buffer.from('written under another key store'));
    const { ctx, call } = context(true);
    const throwing: SafeStorageLike = { ...safeStorage(true), decryptStringAsync: async () => Promise.reject(new Error('bad key')) };
    const box = createTeamSecretBox({ safeStorage: throwing, platform: 'win32', filePath: file });
    await box.load();
    expect([box.get(), box.unreadable()]).toEqual([null, true]);
    // The same, through the handlers main builds, with OS encryption off at start.
    const off = createTeamSecretBox({ safeStorage: safeStorage(false), platform: 'win32', filePath: file });
    await off.load();
    expect(off.unreadable()).toBe(true);
    ctx.team = { ...ctx.team!, secret: box };
    const info = await call('env:get', {});
    expect(info).toMatchObject({ ok: true, value: { teamDatabase: { configured: true, unreadable: true, server: null } } });
    const confirm = vi.mocked(ctx.team.confirm);
    confirm.mockResolvedValueOnce(false);
    expect(await call('credentials:clearTeamDatabase', {})).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(confirm).toHaveBeenLastCalledWith({ from: '?', to: null });
    expect(box.unreadable()).toBe(true);
    await box.set(URL_WITH_PASSWORD);
    expect(box.unreadable()).toBe(false);
    await box.clear();
    expect([box.get(), box.unreadable(), fs.existsSync(file)]).toEqual([null, false, false]);
  });

  it('keeps a stored URL whose re-encryption fails (the desk stays in its team)', async () => {
    const file = path.join(dir, 'team-database.bin');
    const good = safeStorage(true);
    fs.writeFileSync(file, await good.encryptStringAsync(URL_WITH_PASSWORD));
    const failing: SafeStorageLike = {
      ...good,
      decryptStringAsync: async (cipher) => ({ ...(await good.decryptStringAsync(cipher)), shouldReEncrypt: true }),
      encryptStringAsync: async () => {
        throw new Error('keyring busy');
      },
    };
    const lines: string[] = [];
    const box = createTeamSecretBox({ safeStorage: failing, platform: 'win32', filePath: file, log: (l) => lines.push(l) });
    await box.load();
    expect(box.get()).toBe(URL_WITH_PASSWORD);
    expect(box.storage()).toBe('encrypted');
    expect(lines).toEqual(['team: the stored team database URL could not be re-encrypted; it is kept as it was']);
  });

  it('still names the server and scrubs the password once its sslrootcert file can no longer be read', async () => {
    // IT moved the CA file, or the share it lives on dropped: the scrub list read on every answer and
    // log line must not start throwing (dispatch would reject into Electron, every log write fail).
    const { call, ctx } = context(true);
    const ca = path.join(dir, 'team-ca.pem');
    fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    expect(await call('credentials:setTeamDatabase', { url: `${URL_WITH_PASSWORD}&sslrootcert=${ca}` })).toMatchObject({ ok: true });
    fs.rmSync(ca);
    expect(ctx.team?.secret.password()).toBe('s3cret-pa55');
    expect(await call('env:get', {})).toMatchObject({ ok: true, value: { teamDatabase: { configured: true, server: 'db.agency.example:5432/team' } } });
    // A handler answer quoting the password still leaves main scrubbed.
    expect(await call('history:query', { search: 'for s3cret-pa55' })).toEqual({ ok: true, value: { channel: 'history:query', echo: { search: 'for [redacted]' } } });
  });
});

describeTeam('team database "test connection"', () => {
  const cluster = useCluster();

  it('answers ok, auth, unreachable and bad_url', async () => {
    const { call } = context(true);
    const { user, password, port } = cluster.current;
    expect(await call('credentials:testTeamDatabase', { url: cluster.current.url })).toEqual({ ok: true, value: { result: 'ok' } });
    expect(await call('credentials:testTeamDatabase', { url: `postgres://${user}:wrong@127.0.0.1:${port}/team` })).toEqual({ ok: true, value: { result: 'auth' } });
    expect(await call('credentials:testTeamDatabase', { url: `postgres://${user}:${password}@127.0.0.1:${await freePort()}/team` })).toEqual({ ok: true, value: { result: 'unreachable' } });
    expect(await call('credentials:testTeamDatabase', { url: 'not a url' })).toEqual({ ok: true, value: { result: 'bad_url' } });
    // Without a URL it tries the stored one.
    await call('credentials:setTeamDatabase', { url: cluster.current.url });
    expect(await call('credentials:testTeamDatabase', {})).toEqual({ ok: true, value: { result: 'ok' } });
  });
});
