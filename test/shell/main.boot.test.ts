// Boots the real composition root (electron/main.ts) under a fake `electron` module: real
// electron-store settings, real safeStorage-shaped secret box, real desk core on a temp SQLite file,
// real embedded simulator over HTTP. Only the Electron APIs are fake (test/support/fake-electron.ts).
// One boot per file (main.ts runs on import), so the tests below share it and run in order; the
// last one quits.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { APP_INDEX_URL } from '../../electron/shell/app-protocol.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../electron/shell/channel-names.ts';
import { CONTROL_PREFIX, CONTROL_TOKEN_HEADER, TRAINING_BALANCES, TRAINING_CLIENT_SECRET } from '../../electron/simulator/index.ts';
import type * as SimulatorModule from '../../electron/simulator/index.ts';
import { approvedFromOffer } from '../../shared/approval.ts';
import type { DeskOrder } from '../../shared/desk.ts';
import type { DepositPreview } from '../../shared/ipc.ts';
import { notificationText } from '../../shared/notification-text.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import type { Job } from '../../shared/desk.ts';
import { app, BrowserWindow, clipboard, crashReporter, dialog, fakeElectron, ipcMain, net, Notification, powerMonitor, powerSaveBlocker, preventableEvent, protocol, session, Tray } from '../support/fake-electron.ts';
import { CARD, PAN } from '../support/cards.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

vi.mock('electron', () => import('../support/fake-electron.ts'));

/** Control tokens of the simulators main started (a new one per launch; only their starter knows it). */
const simulatorTokens = vi.hoisted(() => [] as string[]);
vi.mock('../../electron/simulator/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof SimulatorModule>();
  return {
    ...real,
    startSimulator: async (options: Parameters<typeof real.startSimulator>[0]) => {
      const sim = await real.startSimulator(options);
      simulatorTokens.push(sim.controlToken);
      return sim;
    },
  };
});

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** Where the app used to load from: no longer a trusted page. */
const oldFileUrl = pathToFileURL(path.join(repo, 'dist/index.html')).href;
const ownPage = { senderFrame: { url: APP_INDEX_URL, parent: null } };
const foreignPage = { senderFrame: { url: 'https://evil.example/index.html', parent: null } };

type Result = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
/** Every IPC answer the tests saw, checked at the end for the training secret. */
const answers: unknown[] = [];
const invoke = async (channel: string, request: unknown = {}, event: unknown = ownPage): Promise<Result> => {
  const result = (await ipcMain.invoke(channel, event, request)) as Result;
  answers.push(result);
  return result;
};

/** The embedded simulator, found through the requests main sent with net.fetch. */
const simulatorOrigin = () => {
  const url = net.fetched.find((u) => u.startsWith('http://127.0.0.1:'));
  if (!url) throw new Error('main has not talked to the embedded simulator yet');
  return new URL(url).origin;
};
/** The simulator's loopback control API (test-only; the desk never calls it). */
/** Enough deposit in every Training currency for the bulk preview to cover the order. */
async function fundDeposit(): Promise<void> {
  for (const currency of Object.keys(TRAINING_BALANCES)) await simulatorControl('setBalance', currency, 1_000_000);
}

async function simulatorControl(method: string, ...args: unknown[]): Promise<unknown> {
  const response = await fetch(`${simulatorOrigin()}${CONTROL_PREFIX}${method}`, {
    method: 'POST',
    headers: { [CONTROL_TOKEN_HEADER]: simulatorTokens.at(-1) ?? '' },
    body: JSON.stringify(args),
  });
  expect(response.status).toBe(200);
  return response.json();
}

let userData = '';
let win: BrowserWindow;
let savedDevServerUrl: string | undefined;
let quitStarted = false;

/**
 * Resources that keep Node's event loop alive (ref'd timers, servers, sockets), by type. Unref'd
 * timers and servers are not listed. stdio pipes are left out: they appear once main logs anything.
 */
const STDIO = new Set(['PipeWrap', 'TTYWrap']);
const liveResources = () => {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) if (!STDIO.has(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
};
let resourcesBeforeBoot = new Map<string, number>();

async function quitApp() {
  quitStarted = true;
  const event = preventableEvent();
  const preventDefault = vi.spyOn(event, 'preventDefault');
  app.emit('before-quit', event);
  await fakeElectron.quitted;
  return preventDefault;
}

/** main's log lines ([desk] …), kept out of the test output and checked for secrets. */
const logLines: string[] = [];

beforeAll(async () => {
  const print = console.log.bind(console);
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('[desk] ')) logLines.push(args.join(' '));
    else print(...args);
  });
  userData = tempDir('desk-main-boot-').dir;
  fakeElectron.userData = userData;
  savedDevServerUrl = process.env.VITE_DEV_SERVER_URL;
  delete process.env.VITE_DEV_SERVER_URL; // main must load the packaged file, not a dev server
  resourcesBeforeBoot = liveResources();
  await import('../../electron/main.ts');
  app.becomeReady();
  win = await fakeElectron.booted();
});

afterAll(async () => {
  // A failed test must not leave the simulator, scheduler or database open.
  if (!quitStarted && app.isReady()) await quitApp().catch(() => {});
  if (savedDevServerUrl !== undefined) process.env.VITE_DEV_SERVER_URL = savedDevServerUrl;
  if (userData) removeDir(userData);
  vi.restoreAllMocks();
});

describe('electron/main.ts booted with a fake electron', () => {
  it('opens exactly one window with the security baseline and the preload next to main', () => {
    expect(BrowserWindow.instances).toEqual([win]);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: path.join(repo, 'electron', 'preload.cjs'),
    });
    expect(win.options.show).toBe(false); // shown on ready-to-show, no white flash
    expect(win.loaded).toEqual([{ kind: 'url', target: 'app://desk/index.html' }]);
    expect(win.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    win.emit('ready-to-show');
    expect(win.isVisible()).toBe(true);
  });

  it('denies every permission and installs the CSP header on the default session', () => {
    const granted = vi.fn();
    session.defaultSession.permissionRequestHandler?.(win.webContents, 'media', granted);
    expect(granted).toHaveBeenCalledExactlyOnceWith(false);
    const respond = vi.fn();
    session.defaultSession.headersReceivedListeners[0]?.({ url: APP_INDEX_URL, responseHeaders: {} }, respond);
    expect(respond.mock.calls[0]?.[0]).toMatchObject({ responseHeaders: { 'Content-Security-Policy': [expect.stringContaining("connect-src 'none'")] } });
  });

  it('serves the page on app:// (registered before ready), with the CSP on every response and nothing outside dist/', async () => {
    expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(protocol.isProtocolHandled('app')).toBe(true);
    // electron/main.ts exists one folder up from dist/: a traversal would reach it.
    for (const url of ['app://desk/..%2felectron%2fmain.ts', 'app://desk/../electron/main.ts', 'app://desk/%2e%2e/package.json']) {
      const res = await protocol.request(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-security-policy'), url).toContain("connect-src 'none'");
    }
  });

  it('registers an ipcMain handler for every channel of the preload, and no other', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('answers env:get from our page in Training mode (embedded simulator, no credentials)', async () => {
    const result = await invoke('env:get');
    expect(result).toMatchObject({
      ok: true,
      value: { environment: 'training', training: true, credentialsConfigured: false, secretStorage: 'none', settingsRecovered: false, databaseRecoveredFrom: null, appVersion: '0.0.0-test' },
    });
  });

  it('refuses a foreign page and a subframe with forbidden_sender', async () => {
    expect(await invoke('env:get', {}, foreignPage)).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(await invoke('env:get', {}, { senderFrame: { url: APP_INDEX_URL, parent: {} } })).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    // The file:// page the app used to load is not ours any more.
    expect(await invoke('env:get', {}, { senderFrame: { url: oldFileUrl, parent: null } })).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(await invoke('orders:list', { scope: 'failed' }, foreignPage)).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });

  it('syncs from the embedded simulator and lists the training scenario failed orders', async () => {
    const sync = await invoke('orders:sync');
    expect(sync).toMatchObject({ ok: true, value: { error: null } });
    // The Atlas client went through net.fetch (OS proxy / certificates in the real app) to 127.0.0.1.
    expect(net.fetched.some((url) => url.startsWith('http://127.0.0.1:'))).toBe(true);

    const listed = await invoke('orders:list', { scope: 'failed' });
    expect(listed.ok).toBe(true);
    const orders = (listed as { value: DeskOrder[] }).value;
    expect(orders.length).toBeGreaterThan(0);
    for (const order of orders) expect(['A', 'B', 'attention', 'ticketing']).toContain(order.category);
    // The scenario has both kinds of failure; both must be recognised end to end.
    expect(orders.some((o) => o.category === 'B')).toBe(true);
    expect(orders.some((o) => o.category === 'A')).toBe(true);
  });

  it('notifies in Chinese when staff chose zh-CN and the window is hidden, and the click shows the window', async () => {
    const listed = (await invoke('orders:list', { scope: 'failed' })) as { ok: true; value: DeskOrder[] };
    // A Scenario A order still payable as is: the job re-reads it, checks the deposit, and stops.
    const target = listed.value.find((o) => o.category === 'A' && o.plan.action === 'pay_same_order' && o.plan.methods.some((m) => m.paymentMethod === 1));
    expect(target).toBeDefined();
    expect(await invoke('settings:update', { language: 'zh-CN' })).toMatchObject({ ok: true, value: { language: 'zh-CN' } });
    win.hide();
    const shown = Notification.next((n) => n.body.includes(target!.orderNo));
    // Training's A orders show a card charge Atlas started: staff check it first (docs/money-safety.md rule 12).
    expect(await invoke('orders:confirmNotCharged', { orderNo: target!.orderNo })).toMatchObject({ ok: true });
    await fundDeposit();
    const preview = (await invoke('recovery:previewDeposit', { orderNos: [target!.orderNo] })) as { ok: true; value: DepositPreview };
    // The deposit is spent elsewhere after the preview: the job's own check stops it before pay.do.
    for (const currency of Object.keys(TRAINING_BALANCES)) await simulatorControl('setBalance', currency, 0);
    expect(await invoke('recovery:deposit', { orderNos: [target!.orderNo], approvals: preview.value.dues })).toMatchObject({ ok: true, value: { rejected: [] } });
    const notification = await shown;
    expect(notification.title).toBe(notificationText('zh-CN', 'titleFinished', {}));
    expect(notification.body).toBe(`${target!.orderNo}：未恢复（预存款余额不足）`);
    expect(notification.title).toMatch(/[\u4e00-\u9fff]/);
    // Nothing was paid or regenerated on the way.
    expect(await simulatorControl('paymentsFor', target!.orderNo)).toBe(0);
    expect(await simulatorControl('requests', 'regenerateOrder')).toEqual([]);
    notification.click();
    expect(win.isVisible()).toBe(true);
  });

  it('puts an icon in the tray whose menu speaks the staff language (now Chinese) and opens the window', () => {
    expect(Tray.instances).toHaveLength(1);
    const tray = Tray.instances[0]!;
    expect(tray.image.isEmpty()).toBe(false); // build/icon.png, the packaged app's tray-icon.png
    expect(tray.menu!.labels()).toEqual(['打开 Atlas 重付工作台', '立即同步', '退出']);
    win.hide();
    tray.menu!.click('打开 Atlas 重付工作台');
    expect(win.isVisible()).toBe(true);
    // No AppUserModelId off Windows (this test runs on Linux); electron-builder's appId on Windows (background.test.ts).
    expect(app.appUserModelId).toBeNull();
  });

  it('announces failed orders whose deadline is close after a sync, each once', async () => {
    // Training's "payment attempted" orders (category A) are held 30 minutes by Atlas: all close.
    const listed = (await invoke('orders:list', { scope: 'failed' })) as { ok: true; value: DeskOrder[] };
    const close = listed.value.filter((o) => o.category === 'A' && o.plan.action === 'pay_same_order' && Date.parse(o.plan.deadline!) - Date.now() < 3_600_000);
    expect(close.length).toBeGreaterThan(0);
    const announced = () => Notification.shown.filter((n) => n.title === notificationText('en', 'deadlineTitle', {}));
    // The first sync ran at start-up, in English (the language was "auto", the OS locale en-US).
    await vi.waitFor(() => expect(announced()).toHaveLength(1));
    for (const order of close) expect(announced()[0]!.body).toContain(order.orderNo);
    expect(await invoke('orders:sync')).toMatchObject({ ok: true, value: { error: null } });
    expect(announced()).toHaveLength(1);
  });

  it('keeps working in the tray when the window is closed while a recovery waits for the network, and shows its progress', async () => {
    const listed = (await invoke('orders:list', { scope: 'failed' })) as { ok: true; value: DeskOrder[] };
    const target = listed.value.find((o) => o.category === 'A' && o.plan.action === 'pay_same_order' && o.plan.methods.some((m) => m.paymentMethod === 1));
    expect(target).toBeDefined();
    const jobOf = (): Job | undefined =>
      win.webContents.sent
        .filter((s) => s.channel === 'queue:changed')
        .flatMap((s) => s.payload as Job[])
        .filter((j) => j.orderNo === target!.orderNo)
        .at(-1);
    // Staff checked the card charge Atlas started (rule 12) and approve the amount the preview shows.
    if (target!.details.paymentAttempted === true) expect(await invoke('orders:confirmNotCharged', { orderNo: target!.orderNo })).toMatchObject({ ok: true });
    await fundDeposit();
    const preview = (await invoke('recovery:previewDeposit', { orderNos: [target!.orderNo] })) as { ok: true; value: DepositPreview };
    // The office network goes down: the job's re-read fails and it waits for the network.
    fakeElectron.networkDown = true;
    fakeElectron.online = false;
    powerMonitor.emit('resume');
    expect(await invoke('recovery:deposit', { orderNos: [target!.orderNo], approvals: preview.value.dues })).toMatchObject({ ok: true, value: { rejected: [] } });
    // Meanwhile the deposit is spent elsewhere, so the job will settle without paying.
    for (const currency of Object.keys(TRAINING_BALANCES)) await simulatorControl('setBalance', currency, 0);
    await vi.waitFor(() => expect(jobOf()?.state).toBe('waiting_network'), { timeout: 15_000 });
    // It talked to Atlas (busy) on the way: the computer was kept awake, and is allowed to sleep now.
    expect(powerSaveBlocker.started).toContain('prevent-app-suspension');
    expect(powerSaveBlocker.active.size).toBe(0);
    expect(win.progress.at(-1)).toEqual({ value: 0, mode: 'paused' });
    expect(Tray.instances[0]!.tooltip).toBe(notificationText('zh-CN', 'trayTooltipWorking', { done: 0, total: 1 }));

    const told = Notification.next((n) => n.title === notificationText('zh-CN', 'keptInTrayTitle', {}));
    win.close(); // the window's close button
    expect(win.isDestroyed()).toBe(false);
    expect(win.isVisible()).toBe(false);
    expect((await told).body).toBe(notificationText('zh-CN', 'keptInTrayBody', {}));

    // The network is back: the queue resumes by itself and the job settles (the deposit is empty).
    fakeElectron.networkDown = false;
    fakeElectron.online = true;
    powerMonitor.emit('resume');
    await vi.waitFor(() => expect(jobOf()?.state).toBe('blocked'), { timeout: 30_000 });
    expect(win.progress.at(-1)).toEqual({ value: -1 });
    expect(powerSaveBlocker.active.size).toBe(0);
    expect(await simulatorControl('paymentsFor', target!.orderNo)).toBe(0);
    Tray.instances[0]!.click();
    expect(win.isVisible()).toBe(true);
  });

  it('applies "start at login" at start and as soon as it is saved (an unpackaged run leaves the OS alone and says so)', async () => {
    const loginLines = () => logLines.filter((line) => line.includes('login item:'));
    expect(await invoke('settings:get')).toMatchObject({ ok: true, value: { startAtLogin: false } });
    expect(loginLines()).toEqual([expect.stringMatching(/login item: left alone \(.+\); start at login off$/)]);
    expect(await invoke('settings:update', { startAtLogin: true })).toMatchObject({ ok: true, value: { startAtLogin: true } });
    expect(loginLines()).toHaveLength(2);
    expect(loginLines()[1]).toMatch(/start at login on$/);
    await invoke('settings:update', { staffName: 'Mei' }); // not a change of the login item
    expect(loginLines()).toHaveLength(2);
    expect(app.loginItems).toEqual([]);
  });

  it('has no update to offer in an unpackaged run', async () => {
    expect(await invoke('update:status')).toEqual({ ok: true, value: { state: 'none', version: null } });
    expect(await invoke('update:restart')).toEqual({ ok: true, value: { state: 'none', version: null } });
  });

  it('pushes sync and order changes to the window', () => {
    const channels = new Set(win.webContents.sent.map((s) => s.channel));
    expect(channels).toContain('sync:changed');
    expect(channels).toContain('orders:changed');
  });

  it('pushes nothing to a page that is not ours, should the window ever show one', async () => {
    // The preload runs in whatever page the window shows, so such a page has desk.on() too; its
    // requests are refused (forbidden_sender), and it must not be told what main pushes either.
    win.webContents.url = foreignPage.senderFrame.url;
    const before = win.webContents.sent.length;
    expect(await invoke('orders:sync')).toMatchObject({ ok: true, value: { error: null } });
    expect(win.webContents.sent.slice(before)).toEqual([]);
    win.webContents.url = `${APP_INDEX_URL}#/orders`;
    expect(await invoke('orders:sync')).toMatchObject({ ok: true, value: { error: null } });
    expect(win.webContents.sent.slice(before).map((s) => s.channel)).toContain('sync:changed');
  });

  it('answers malformed requests with invalid_request', async () => {
    expect(await invoke('orders:list', { scope: 'everything' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await invoke('orders:list', { scope: 'failed', extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await invoke('orders:list', undefined)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await invoke('settings:update', { maxConcurrency: 65 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('created the training database and the settings file under userData', () => {
    expect(fs.existsSync(path.join(userData, 'desk-training.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(userData, 'settings.json'))).toBe(true);
    // No credentials were entered: nothing secret was written.
    expect(fs.existsSync(path.join(userData, 'credentials.bin'))).toBe(false);
  });

  it('refuses a foreign Atlas host from the window, and asks in a native dialog before the secret would lose its host', async () => {
    expect(await invoke('settings:update', { sandboxBaseUrl: 'https://sandbox.atriptech.com.evil.test' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await invoke('credentials:set', { clientId: 'agency', clientSecret: 'sandbox-secret-0042' })).toMatchObject({ ok: true });
    const asked = dialog.messageBoxes.length;
    dialog.nextMessageBoxResponse = 0; // "Keep the current address"
    expect(await invoke('settings:update', { sandboxBaseUrl: 'https://sandbox-eu.atriptech.com' })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    // Asked by main, in the staff's language (zh-CN was chosen above), naming the new address.
    expect(dialog.messageBoxes.slice(asked)).toEqual([
      expect.objectContaining({ title: notificationText('zh-CN', 'hostTitle', {}), message: expect.stringContaining('https://sandbox-eu.atriptech.com'), cancelId: 0 }),
    ]);
    expect(await invoke('settings:get')).toMatchObject({ ok: true, value: { sandboxBaseUrl: 'https://sandbox.atriptech.com' } });
    expect(JSON.stringify(answers)).not.toContain('sandbox-secret-0042');
  });

  it('joins or leaves a team database only after staff say yes in a native dialog from main', async () => {
    // A window (or a script in it) must not take the desk off the team's claims by itself.
    const url = 'postgres://desk:team-pa55@db.agency.example:5432/team?sslmode=verify-full';
    const asked = dialog.messageBoxes.length;
    dialog.nextMessageBoxResponse = 0; // "Keep the current team database"
    expect(await invoke('credentials:setTeamDatabase', { url })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(dialog.messageBoxes.slice(asked)).toEqual([
      expect.objectContaining({ title: notificationText('zh-CN', 'teamTitle', {}), message: expect.stringContaining('db.agency.example:5432/team'), cancelId: 0 }),
    ]);
    expect(await invoke('env:get')).toMatchObject({ ok: true, value: { teamDatabase: { configured: false } } });
    dialog.nextMessageBoxResponse = 1;
    expect(await invoke('credentials:setTeamDatabase', { url })).toMatchObject({ ok: true, value: { teamDatabase: { configured: true, server: 'db.agency.example:5432/team' } } });
    dialog.nextMessageBoxResponse = 0;
    expect(await invoke('credentials:clearTeamDatabase')).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(dialog.messageBoxes.at(-1)).toMatchObject({ message: notificationText('zh-CN', 'teamLeave', { from: 'db.agency.example:5432/team' }) });
    expect(await invoke('env:get')).toMatchObject({ ok: true, value: { teamDatabase: { configured: true } } });
    dialog.nextMessageBoxResponse = 1;
    expect(await invoke('credentials:clearTeamDatabase')).toMatchObject({ ok: true, value: { teamDatabase: { configured: false } } });
    dialog.nextMessageBoxResponse = 0;
    expect(dialog.messageBoxes.length - asked).toBe(4);
    expect(JSON.stringify(answers)).not.toContain('team-pa55');
  });

  it('starts the crash reporter before ready, keeping crash reports on this computer', () => {
    expect(crashReporter.started).toEqual([{ options: { uploadToServer: false }, beforeReady: true }]);
  });

  it('writes the log file under the logs folder; a declined card payment leaves no card number, CVV or secret in it', async () => {
    const listed = (await invoke('orders:list', { scope: 'failed' })) as { ok: true; value: DeskOrder[] };
    const busy = new Set(((await invoke('queue:list')) as { ok: true; value: Job[] }).value.map((j) => j.orderNo));
    const target = listed.value.find(
      // Still payable on every clock: an order past its deadline on Atlas's clock is regenerated first.
      (o) => o.category === 'A' && !busy.has(o.orderNo) && o.plan.reasons.includes('unpaid_payable') && o.plan.methods.some((m) => m.paymentMethod === 3),
    );
    expect(target).toBeDefined();
    const orderNo = target!.orderNo;
    // Atlas's fee for a card payment comes from the deposit (emptied above): fill it again.
    if (target!.details.paymentAttempted === true) expect(await invoke('orders:confirmNotCharged', { orderNo })).toMatchObject({ ok: true });
    const approved = approvedFromOffer(target!.plan.methods.find((m) => m.paymentMethod === 3)!);
    // Holder "Reject": the sandbox's card decline (604).
    const card = { ...CARD, cardCVV: '482', cardHolderFirstName: 'Reject', cardHolderProvince: 'Central' };
    // Atlas's card fee comes from the deposit, which the tests above left empty.
    await fundDeposit();
    expect(await invoke('recovery:card', { orderNo, card, approved })).toMatchObject({ ok: true });
    await vi.waitFor(
      async () => {
        const queue = (await invoke('queue:list')) as { ok: true; value: Job[] };
        const job = queue.value.find((j) => j.orderNo === orderNo && j.method === 3);
        expect(job && (job.state === 'tracking' || SETTLED_JOB_STATES.includes(job.state))).toBe(true);
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(((await simulatorControl('requests', 'pay')) as { orderNo: string }[]).some((r) => r.orderNo === orderNo)).toBe(true);
    const logDir = path.join(userData, 'logs');
    const text = fs.readdirSync(logDir).map((f) => fs.readFileSync(path.join(logDir, f), 'utf8')).join('\n');
    expect(text).toContain('core started for training');
    expect(text).toContain(`atlas pay orderNo=${orderNo} method=3`);
    expect(text).not.toContain(PAN);
    expect(text).not.toMatch(/411111.?1111.?1111/);
    expect(text).not.toMatch(/cvv|\b482\b/i);
    expect(text).not.toContain(TRAINING_CLIENT_SECRET);
    expect(text).not.toContain('sandbox-secret-0042');
  });

  it('loads our page again when the renderer dies, tells the window, and stops reloading one that keeps dying', async () => {
    const reloads = () => win.loaded.filter((l) => l.target === APP_INDEX_URL).length - 1;
    // Whatever page the window showed, the crash brings back ours, never a reload of that page.
    win.webContents.url = foreignPage.senderFrame.url;
    win.webContents.renderProcessGone('crashed');
    expect(reloads()).toBe(1);
    expect(win.webContents.getURL()).toBe(APP_INDEX_URL);
    expect(await invoke('env:get')).toMatchObject({ ok: true, value: { windowRecovered: { reason: 'crashed', at: expect.any(String) } } });
    win.webContents.renderProcessGone('clean-exit'); // the window closing, not a crash
    expect(reloads()).toBe(1);
    win.webContents.renderProcessGone('oom');
    win.webContents.renderProcessGone('killed');
    win.webContents.renderProcessGone('crashed');
    expect(reloads()).toBe(3);
  });

  it('copies diagnostics to the clipboard from main, with no secret or card number in them', async () => {
    const result = (await invoke('env:diagnostics')) as { ok: true; value: { text: string } };
    expect(result.ok).toBe(true);
    const { text } = result.value;
    expect(clipboard.written).toEqual([text]);
    expect(text).toMatch(/^Atlas Retry Desk diagnostics\n/);
    expect(text).toContain('Version: 0.0.0-test');
    expect(text).toContain('Environment: training (Training mode)');
    expect(text).toContain('Window reloaded after its renderer stopped: ');
    expect(text).toMatch(/Queue: \d+ jobs?: .*\d/);
    expect(text).toContain(`Log file: ${path.join(userData, 'logs', 'desk.log')}`);
    expect(text).toContain('atlas pay orderNo=');
    expect(text).not.toContain(PAN);
    expect(text).not.toMatch(/cvv|\b482\b/i);
    expect(text).not.toContain(TRAINING_CLIENT_SECRET);
    expect(text).not.toContain('sandbox-secret-0042');
  });

  it('never lets the training client secret out through IPC answers, pushes or the log', () => {
    expect(answers.length).toBeGreaterThan(0);
    expect(JSON.stringify(answers)).not.toContain(TRAINING_CLIENT_SECRET);
    expect(JSON.stringify(win.webContents.sent)).not.toContain(TRAINING_CLIENT_SECRET);
    expect(logLines.some((line) => line.includes('core started for training'))).toBe(true);
    expect(logLines.join('\n')).not.toContain(TRAINING_CLIENT_SECRET);
  });

  it('drains the core on quit, then quits, stopping the simulator and leaving nothing running', async () => {
    const simulator = simulatorOrigin();
    const preventDefault = await quitApp();
    // The first before-quit is held back until the core has stopped; then app.quit() goes through.
    expect(preventDefault).toHaveBeenCalledOnce();
    expect(app.quitCalls).toBe(1);
    expect(app.exitCalls).toEqual([]);
    // No live core any more: core channels refuse instead of touching a closed database.
    expect(await invoke('queue:list')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Nothing main started keeps the process alive (servers, sockets, ref'd timers). Destroyed
    // sockets finish closing a few event-loop turns after stop() resolves: give them turns (not
    // time, and no timers of our own, which would count themselves).
    const grown = () => [...liveResources()].filter(([type, count]) => count > (resourcesBeforeBoot.get(type) ?? 0));
    for (let turn = 0; turn < 100 && grown().length > 0; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(grown()).toEqual([]);
    // The embedded simulator no longer listens.
    await expect(fetch(simulator)).rejects.toThrow();
  });
});
