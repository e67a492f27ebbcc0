import { describe, expect, it, vi } from 'vitest';
import { createQuitGuard } from '../../electron/shell/quit-guard.ts';
import { createUpdater, readUpdateConfig, updatePolicy } from '../../electron/shell/updater.ts';
import type { AutoUpdaterLike } from '../../electron/shell/updater.ts';
import { createDeskHost } from '../../electron/shell/desk-host.ts';
import type { DeskCore } from '../../electron/core/contract.ts';
import { createJobNotifier } from '../../electron/shell/notifications.ts';
import { createOnlineSignal } from '../../electron/shell/online.ts';
import { createConnectionManager } from '../../electron/shell/connection.ts';
import { startSimulator } from '../../electron/simulator/index.ts';
import { DEFAULT_SETTINGS } from '../../electron/shell/settings.ts';
import type { Settings } from '../../shared/ipc.ts';
import { job } from './fakes.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));

function guard(paymentInFlight: boolean, answer: boolean) {
  const calls: string[] = [];
  const g = createQuitGuard({
    paymentInFlight: () => paymentInFlight,
    confirmQuitDuringPayment: async () => {
      calls.push('ask');
      return answer;
    },
    stopCore: async () => {
      calls.push('stop');
    },
    afterStop: () => {
      calls.push('after');
    },
    quit: () => calls.push('quit'),
  });
  return { g, calls };
}

describe('quitting', () => {
  it('asks before quitting while a payment is in flight, and stays open when told to', async () => {
    const { g, calls } = guard(true, false);
    const event = { preventDefault: vi.fn() };
    g.onBeforeQuit(event);
    await flush();
    expect(event.preventDefault).toHaveBeenCalled();
    expect(calls).toEqual(['ask']);
    expect(g.state()).toBe('running');
  });

  it('quits after the core stopped when staff confirm during a payment', async () => {
    const { g, calls } = guard(true, true);
    g.onBeforeQuit({ preventDefault: vi.fn() });
    await flush();
    expect(calls).toEqual(['ask', 'stop', 'after', 'quit']);
    const second = { preventDefault: vi.fn() };
    g.onBeforeQuit(second); // the app.quit() we issued
    expect(second.preventDefault).not.toHaveBeenCalled();
  });

  it('does not ask when no payment is in flight, but still drains the core first', async () => {
    const { g, calls } = guard(false, false);
    g.onBeforeQuit({ preventDefault: vi.fn() });
    g.onBeforeQuit({ preventDefault: vi.fn() }); // a second Cmd+Q while stopping is absorbed
    await flush();
    expect(calls).toEqual(['stop', 'after', 'quit']);
  });

  it('gives up waiting for a stuck core after the time limit', async () => {
    const quit = vi.fn();
    const g = createQuitGuard({ paymentInFlight: () => false, confirmQuitDuringPayment: async () => true, stopCore: () => new Promise(() => {}), timeoutMs: 20, quit });
    g.onBeforeQuit({ preventDefault: () => {} });
    await new Promise((r) => setTimeout(r, 60));
    expect(quit).toHaveBeenCalledOnce();
  });
});

function fakeAutoUpdater() {
  const listeners: Record<string, (arg: never) => void> = {};
  const u = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    on: (event: string, fn: (arg: never) => void) => {
      listeners[event] = fn;
      return u;
    },
    checkForUpdates: vi.fn(async () => null),
    quitAndInstall: vi.fn(),
    downloaded: (version: string) => listeners['update-downloaded']!({ version } as never),
  };
  return u;
}

describe('auto-update', () => {
  it('never installs while a payment is in flight, and installs once the desk is idle', () => {
    const auto = fakeAutoUpdater();
    let paying = true;
    const updater = createUpdater({ autoUpdater: auto as unknown as AutoUpdaterLike, paymentInFlight: () => paying });
    expect(auto.autoInstallOnAppQuit).toBe(false);
    expect(updater.installIfSafe()).toBe(false); // nothing downloaded yet
    auto.downloaded('0.2.0');
    expect(updater.installIfSafe()).toBe(false);
    expect(auto.quitAndInstall).not.toHaveBeenCalled();
    paying = false;
    expect(updater.installIfSafe()).toBe(true);
    expect(auto.quitAndInstall).toHaveBeenCalledOnce();
  });
});

function fakeCore(name: string, events: string[]) {
  const listeners = new Map<string, (p: unknown) => void>();
  let paying = false;
  const core = {
    handlers: { 'queue:list': async () => [name] },
    on: (push: string, fn: (p: unknown) => void) => {
      listeners.set(push, fn);
      return () => listeners.delete(push);
    },
    start: async () => {
      events.push(`start ${name}`);
    },
    stop: async () => {
      events.push(`stop ${name}`);
    },
    paymentInFlight: () => paying,
    setPaying: (v: boolean) => (paying = v),
    emit: (push: string, p: unknown) => listeners.get(push)?.(p),
  };
  return core;
}

describe('desk host', () => {
  it('delegates to the live core, swaps cores on environment change, and forwards pushes of the live one only', async () => {
    const events: string[] = [];
    const cores: ReturnType<typeof fakeCore>[] = [];
    const host = createDeskHost({
      createCore: (mode) => {
        const c = fakeCore(mode, events);
        cores.push(c);
        return c as unknown as DeskCore;
      },
    });
    await expect(host.handlers['queue:list']({})).rejects.toMatchObject({ code: 'conflict' });
    await host.switchTo('training');
    expect(await host.handlers['queue:list']({})).toEqual(['training']);
    const seen = vi.fn();
    host.on('queue:changed', seen);
    await host.switchTo('sandbox', async () => {
      events.push('prepare');
    });
    expect(events).toEqual(['start training', 'stop training', 'prepare', 'start sandbox']);
    cores[0]!.emit('queue:changed', ['old']);
    cores[1]!.emit('queue:changed', ['new']);
    expect(seen).toHaveBeenCalledExactlyOnceWith(['new']);
  });

  it("passes on the queue snapshot a core pushes while starting (jobs resumed from the last run), and detaches from a core that failed to start", async () => {
    const seen = vi.fn();
    let fail = false;
    let started: ReturnType<typeof fakeCore> | null = null;
    const host = createDeskHost({
      createCore: (mode) => {
        const c = fakeCore(mode, []);
        c.start = async () => {
          c.emit('queue:changed', [`${mode} resumed`]);
          if (fail) throw new Error('database locked');
        };
        started = c;
        return c as unknown as DeskCore;
      },
    });
    host.on('queue:changed', seen);
    await host.switchTo('training');
    expect(seen).toHaveBeenCalledExactlyOnceWith(['training resumed']);
    fail = true;
    await expect(host.switchTo('sandbox')).rejects.toThrow('database locked');
    started!.emit('queue:changed', ['late']);
    expect(seen).toHaveBeenCalledTimes(2); // the failed core's start-up push, nothing after
    expect(host.mode()).toBe('training');
  });

  it('refuses to switch while a payment is in flight', async () => {
    const events: string[] = [];
    let core: ReturnType<typeof fakeCore> | null = null;
    const host = createDeskHost({ createCore: (mode) => (core = fakeCore(mode, events)) as unknown as DeskCore });
    await host.switchTo('production');
    core!.setPaying(true);
    await expect(host.switchTo('training')).rejects.toMatchObject({ code: 'conflict' });
    expect(host.mode()).toBe('production');
    expect(host.paymentInFlight()).toBe(true);
  });
});


describe('job notifications', () => {
  it('notify only for new outcomes while the window is hidden', () => {
    let hidden = false;
    const notify = vi.fn();
    const onJobs = createJobNotifier({ isWindowHidden: () => hidden, notify });
    onJobs([job('1', 'running'), job('2', 'done')]); // first snapshot: history, not news
    onJobs([job('1', 'done', { outcome: 'ticketed' }), job('2', 'done')]);
    expect(notify).not.toHaveBeenCalled(); // window visible
    hidden = true;
    onJobs([job('1', 'done'), job('2', 'done'), job('3', 'queued')]);
    expect(notify).not.toHaveBeenCalled(); // nothing changed
    onJobs([job('1', 'done'), job('2', 'done'), job('3', 'needs_card', { cardMask: '411111******1111' })]);
    expect(notify).toHaveBeenCalledExactlyOnceWith('Atlas Retry Desk: staff needed', 'ORDER3: card details needed again');
  });
});

describe('online signal', () => {
  it('re-checks on resume and tells listeners about changes only', () => {
    let up = true;
    const power: Record<string, () => void> = {};
    const signal = createOnlineSignal({ isOnline: () => up, powerMonitor: { on: (e, fn) => (power[e] = fn) }, pollMs: 60_000 });
    const seen: boolean[] = [];
    signal.onChange((v) => seen.push(v));
    power.resume!();
    up = false;
    power.resume!();
    power['unlock-screen']!();
    expect(seen).toEqual([false]);
    expect(signal.isOnline()).toBe(false);
    signal.stop();
  });
});

describe('training connection', () => {
  it('starts the simulator once on 127.0.0.1 port 0 when there are no credentials, and uses real hosts otherwise', async () => {
    const start = vi.fn(async (o: { port: 0; host: '127.0.0.1' }) => ({ baseUrl: `http://${o.host}:4321`, clientId: 'T', clientSecret: 'S', stop: vi.fn() }));
    let credentials: { clientId: string; clientSecret: string } | null = null;
    let settings = { ...DEFAULT_SETTINGS, environment: 'production' as const };
    const m = createConnectionManager({ settings: () => settings, credentials: () => credentials, startSimulator: start });
    await m.refresh();
    await m.refresh();
    expect(start).toHaveBeenCalledExactlyOnceWith({ port: 0, host: '127.0.0.1' });
    expect(m.training()).toBe(true);
    expect(m.current().baseUrl).toBe('http://127.0.0.1:4321');
    credentials = { clientId: 'agency', clientSecret: 'x' };
    await m.refresh();
    expect(m.training()).toBe(false);
    expect(m.current()).toMatchObject({ baseUrl: 'https://api-sg.atriptech.com', searchBaseUrl: 'https://search-sg.atriptech.com', clientId: 'agency' });
    settings = { ...settings, environment: 'training' as never };
    await m.refresh();
    expect(m.training()).toBe(true);
  });

  it('stops the simulator (and its control routes) as soon as the desk leaves Training, and starts a new one on return', async () => {
    const sim = await startSimulator({ port: 0, host: '127.0.0.1', scenario: 'empty' });
    const stop = vi.spyOn(sim, 'stop');
    const start = vi.fn(async () => sim);
    let credentials: { clientId: string; clientSecret: string } | null = null;
    const m = createConnectionManager({ settings: () => ({ ...DEFAULT_SETTINGS, environment: 'sandbox' }), credentials: () => credentials, startSimulator: start });
    await m.refresh();
    const control = () => fetch(`${sim.baseUrl}/__sim/now`, { method: 'POST', headers: { 'x-sim-control-token': sim.controlToken }, body: '[]' });
    expect((await control()).status).toBe(200);
    credentials = { clientId: 'agency', clientSecret: 'x' };
    await m.refresh();
    expect(m.training()).toBe(false);
    expect(stop).toHaveBeenCalledTimes(1);
    await expect(control()).rejects.toThrow();
    credentials = null;
    await m.refresh();
    expect(start).toHaveBeenCalledTimes(2);
    await m.stop();
  });

  it("lets credentials go only to the training simulator's own origin, the Atlas hosts, or the proxy staff switched on", async () => {
    const start = async () => ({ baseUrl: 'http://127.0.0.1:4321', clientId: 'T', clientSecret: 'S', stop: () => {} });
    const credentials = { clientId: 'agency', clientSecret: 'x' };
    let settings: Settings = { ...DEFAULT_SETTINGS, environment: 'training' };
    const m = createConnectionManager({ settings: () => settings, credentials: () => credentials, startSimulator: start });
    expect(m.allows('http://127.0.0.1:4321/pay.do')).toBe(false); // not refreshed yet: nothing is allowed
    await m.refresh();
    expect(m.allows('http://127.0.0.1:4321/pay.do')).toBe(true);
    expect(m.allows('http://127.0.0.1:4322/pay.do')).toBe(false);
    expect(m.allows('https://api-sg.atriptech.com/pay.do')).toBe(false);

    settings = { ...DEFAULT_SETTINGS, environment: 'production' };
    await m.refresh();
    expect(m.allows('https://api-sg.atriptech.com/pay.do')).toBe(true);
    expect(m.allows('https://api-sg.atriptech.com.evil.test/pay.do')).toBe(false);
    expect(m.allows('http://127.0.0.1:4321/pay.do')).toBe(false);
    // A base URL that slipped past settings (it cannot: the schema refuses it) still gets nothing.
    settings = { ...DEFAULT_SETTINGS, environment: 'production', productionBaseUrl: 'https://atriptech.com@evil.test' };
    await m.refresh();
    expect(m.allows(`${m.current().baseUrl}/pay.do`)).toBe(false);

    settings = { ...DEFAULT_SETTINGS, environment: 'sandbox', atlasProxy: { enabled: true, url: 'https://gw.agency.example/atlas' } };
    await m.refresh();
    expect(m.current().baseUrl).toBe('https://gw.agency.example/atlas');
    expect(m.allows('https://gw.agency.example/atlas/pay.do')).toBe(true);
    expect(m.allows('https://sandbox.atriptech.com/pay.do')).toBe(false);
  });
});

describe('update policy', () => {
  const signed = { url: 'https://updates.agency.example/desk', publisherName: ['Atlas Travel Pte. Ltd.'] };

  it('reads the feed and the publisher names from app-update.yml as electron-builder writes it', () => {
    const single = readUpdateConfig('owner: x\nprovider: generic\nurl: https://updates.agency.example/desk\nchannel: latest\nupdaterCacheDirName: atlas-retry-desk-updater\npublisherName: Atlas Travel Pte. Ltd.\n');
    expect(single).toEqual(signed);
    const list = readUpdateConfig("provider: generic\nurl: 'https://updates.agency.example/desk'\npublisherName:\n  - Atlas Travel Pte. Ltd.\n  - \"CN=Atlas Travel\"\nchannel: latest\n");
    expect(list).toEqual({ url: 'https://updates.agency.example/desk', publisherName: ['Atlas Travel Pte. Ltd.', 'CN=Atlas Travel'] });
    expect(readUpdateConfig('provider: generic\n')).toEqual({ url: null, publisherName: [] });
  });

  it('updates a signed, packaged Windows or macOS build from an https feed', () => {
    expect(updatePolicy({ isPackaged: true, platform: 'win32', config: signed })).toEqual({ enabled: true });
    expect(updatePolicy({ isPackaged: true, platform: 'darwin', config: { ...signed, publisherName: [] } })).toEqual({ enabled: true });
  });

  it('never updates unpackaged, on Linux, from a non-https feed, or on Windows without a publisher to verify against', () => {
    const off = (o: Parameters<typeof updatePolicy>[0]) => updatePolicy(o).enabled;
    expect(off({ isPackaged: false, platform: 'win32', config: signed })).toBe(false);
    expect(off({ isPackaged: true, platform: 'linux', config: signed })).toBe(false);
    expect(off({ isPackaged: true, platform: 'darwin', config: null })).toBe(false);
    expect(off({ isPackaged: true, platform: 'darwin', config: { ...signed, url: 'http://updates.agency.example/desk' } })).toBe(false);
    expect(off({ isPackaged: true, platform: 'darwin', config: { ...signed, url: 'https://u:p@updates.agency.example' } })).toBe(false);
    expect(off({ isPackaged: true, platform: 'darwin', config: { ...signed, url: 'not a url' } })).toBe(false);
    expect(off({ isPackaged: true, platform: 'win32', config: { ...signed, publisherName: [] } })).toBe(false);
  });
});
