// Another desk process (the CLI beside the app) may hold the queue lease of this database: the app
// says so plainly, in both languages, and drops the banner when the lease comes back to it.
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useHarness } from './harness.tsx';

describe('another desk process working the queue', () => {
  const h = useHarness();

  it('shows no banner while this desk runs the queue, one from queue:leaseChanged, and none once it takes over', async () => {
    const { fake } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    expect(screen.queryByTestId('banner-queue-elsewhere')).toBeNull();
    act(() => fake.emit('queue:leaseChanged', { runsHere: false, elsewhere: { pid: 4242, host: 'front-desk-2', since: '2026-11-26T08:00:00.000Z' } }));
    const banner = screen.getByTestId('banner-queue-elsewhere');
    expect(banner.textContent).toContain('Another desk process (process 4242 on front-desk-2');
    expect(banner.getAttribute('role')).toBe('status');
    act(() => fake.emit('queue:leaseChanged', { runsHere: true, elsewhere: null }));
    expect(screen.queryByTestId('banner-queue-elsewhere')).toBeNull();
  });

  it('reads the state at start-up, in Chinese too', async () => {
    const lease = { runsHere: false, elsewhere: { pid: 77, host: 'ops-pc', since: '2026-11-26T08:00:00.000Z' } };
    h.renderUi(<App />, { language: 'zh-CN', desk: { lease, settings: { language: 'zh-CN' } } });
    const banner = await screen.findByTestId('banner-queue-elsewhere');
    expect(banner.textContent).toContain('另一个工作台进程（ops-pc 上的进程 77');
  });
});
