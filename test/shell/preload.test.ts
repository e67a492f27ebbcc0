import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channels, pushes } from '../../shared/ipc.ts';

// The preload's only import is `electron`: replace its two objects with recorders.
const exposed = new Map<string, unknown>();
const ipc = {
  invoke: vi.fn(async (channel: string, request: unknown) => ({ ok: true, value: { channel, request } })),
  on: vi.fn(),
  removeListener: vi.fn(),
};
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: ipc,
}));

type Api = Record<string, Record<string, (req?: unknown) => Promise<unknown>>> & {
  on: (push: string, fn: (p: unknown) => void) => () => void;
};

describe('preload', () => {
  beforeEach(async () => {
    exposed.clear();
    vi.resetModules();
    await import('../../electron/preload.ts');
  });

  it('exposes only window.desk', () => {
    expect([...exposed.keys()]).toEqual(['desk']);
  });

  it("exposes exactly the contract's channels as domain.verb methods, plus on()", () => {
    const desk = exposed.get('desk') as Api;
    const methods = Object.entries(desk)
      .filter(([k]) => k !== 'on')
      .flatMap(([domain, verbs]) => Object.keys(verbs).map((verb) => `${domain}:${verb}`));
    expect(methods.sort()).toEqual(Object.keys(channels).sort());
    expect(typeof desk.on).toBe('function');
    // No raw ipcRenderer and no free-form invoke anywhere in the exposed tree.
    const text = JSON.stringify(desk, (_k, v) => (typeof v === 'function' ? 'fn' : v));
    expect(text).not.toMatch(/invoke|send|ipcRenderer|sendSync/);
  });

  it('sends each method to its own channel only', async () => {
    const desk = exposed.get('desk') as Api;
    for (const channel of Object.keys(channels)) {
      const [domain, verb] = channel.split(':') as [string, string];
      ipc.invoke.mockClear();
      await desk[domain]![verb]!({ probe: channel });
      expect(ipc.invoke).toHaveBeenCalledExactlyOnceWith(channel, { probe: channel });
    }
  });

  it('subscribes to contract pushes only, hands listeners the payload alone, and unsubscribes', () => {
    const desk = exposed.get('desk') as Api;
    expect(() => desk.on('some-internal-channel', () => {})).toThrow(/unknown push/);
    for (const push of Object.keys(pushes)) {
      ipc.on.mockClear();
      const listener = vi.fn();
      const off = desk.on(push, listener);
      const [channel, wrapped] = ipc.on.mock.calls[0] as [string, (event: unknown, payload: unknown) => void];
      expect(channel).toBe(push);
      wrapped({ sender: 'ipcRenderer would leak here' }, { hello: 1 });
      expect(listener).toHaveBeenCalledExactlyOnceWith({ hello: 1 });
      off();
      expect(ipc.removeListener).toHaveBeenCalledWith(push, wrapped);
    }
  });
});
