// The desk host: one live core per environment, swapped on an environment change.
import { describe, expect, it, vi } from 'vitest';
import { createDeskHost } from '../../electron/shell/desk-host.ts';
import type { DeskCore } from '../../electron/core/contract.ts';

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
