// The banners: another desk process working the queue (the CLI beside the app), an app update ready
// to install (never mid-payment), and the window reloaded after its renderer stopped — in both languages.
import { act, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useEnv } from '../../renderer/src/stores/env.ts';
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

describe('"restart to update" banner', () => {
  const h = useHarness();

  it('is absent while there is no update', async () => {
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    expect(screen.queryByTestId('banner-update')).toBeNull();
  });

  it('appears when main says an update has downloaded, and restarts from the keyboard when nothing is being paid', async () => {
    const user = userEvent.setup();
    const { fake } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => fake.emit('update:changed', { state: 'ready', version: '0.2.0' }));
    fake.update.state = 'ready';
    fake.update.version = '0.2.0';
    const banner = await screen.findByTestId('banner-update');
    expect(banner.textContent).toContain('Version 0.2.0 is ready. Restart the desk to update.');
    screen.getByTestId('update-restart').focus();
    await user.keyboard('{Enter}');
    expect(fake.calls.filter((c) => c.channel === 'update:restart')).toHaveLength(1);
    expect((await screen.findByTestId('banner-update')).textContent).toBe('Restarting to install version 0.2.0…');
  });

  it('says the update waits for the payments in progress, in Chinese too', async () => {
    const user = userEvent.setup();
    const { fake } = h.renderUi(<App />, { language: 'zh-CN', desk: { settings: { language: 'zh-CN' }, update: { state: 'ready', version: '0.2.0' } } });
    expect((await screen.findByTestId('banner-update')).textContent).toContain('新版本 0.2.0 已下载');
    // A job now talks to Atlas.
    await fake.api.recovery.deposit({ orderNos: ['TA2611260001'], approvals: [{ orderNo: 'TA2611260001', dueFromDeposit: { amount: 100, currency: 'USD' } }] });
    await user.click(screen.getByRole('button', { name: '重启以更新' }));
    await screen.findByText(/正在进行的恢复任务完成后将安装版本 0\.2\.0/);
    expect(screen.queryByTestId('update-restart')).toBeNull();
    expect(useEnv.getState().update).toEqual({ state: 'waiting', version: '0.2.0' });
  });
});

describe('window reloaded notice', () => {
  const h = useHarness();

  it('says the window was reloaded after its renderer stopped, and hides it on Dismiss', async () => {
    const user = userEvent.setup();
    h.renderUi(<App />, { desk: { environment: { windowRecovered: { at: '2026-11-26T05:30:00Z', reason: 'oom' } } } });
    const banner = await screen.findByTestId('banner-window-recovered');
    expect(banner.textContent).toMatch(/^The desk's window stopped unexpectedly \(oom\) at .+ and was reloaded\./);
    await user.click(screen.getByTestId('banner-window-recovered-dismiss'));
    expect(screen.queryByTestId('banner-window-recovered')).toBeNull();
  });

  it('says it in Chinese too', async () => {
    h.renderUi(<App />, { language: 'zh-CN', desk: { settings: { language: 'zh-CN' }, environment: { windowRecovered: { at: '2026-11-26T05:30:00Z', reason: 'crashed' } } } });
    expect((await screen.findByTestId('banner-window-recovered')).textContent).toMatch(/意外停止（crashed），已重新加载/);
    expect(screen.getByTestId('banner-window-recovered-dismiss').textContent).toBe('关闭提示');
  });
});
