// Training connection: the embedded simulator on 127.0.0.1:0 without credentials, real hosts otherwise.
import { describe, expect, it, vi } from 'vitest';
import { createConnectionManager } from '../../electron/shell/connection.ts';
import { startSimulator } from '../../electron/simulator/index.ts';
import { DEFAULT_SETTINGS } from '../../electron/shell/settings.ts';
import type { Settings } from '../../shared/ipc.ts';

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
