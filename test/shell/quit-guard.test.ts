// Quitting: never mid-payment without asking; the core drains before the app quits.
import { describe, expect, it, vi } from 'vitest';
import { createQuitGuard } from '../../electron/shell/quit-guard.ts';

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
