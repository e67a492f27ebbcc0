// The banners: another desk process working the queue (the CLI beside the app), an app update ready
// to install (never mid-payment), and the window reloaded after its renderer stopped — in both languages.
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useEnv } from '../../renderer/src/stores/env.ts';
import { useHarness } from './harness.tsx';

describe('another desk process working the queue', () => {
  const h = useHarness();

  it('shows no banner while this desk runs the queue', async () => {
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    expect(screen.queryByTestId('banner-queue-elsewhere')).toBeNull();
  });

  it('says so while another process holds the queue lease, and not once this desk takes over', async () => {
    const { desk } = h.renderUi(<App />, { desk: { leaseHeldBy: { pid: 4242, host: 'front-desk-2' } } });
    const banner = await screen.findByTestId('banner-queue-elsewhere');
    expect(banner.textContent).toContain('Another desk process (process 4242 on front-desk-2');
    expect(banner.getAttribute('role')).toBe('status');
    // That process stops: this desk takes the lease over and main says so (queue:leaseChanged).
    await desk.releaseLease();
    await waitFor(() => expect(screen.queryByTestId('banner-queue-elsewhere')).toBeNull());
  });

  it('reads the state at start-up, in Chinese too', async () => {
    h.renderUi(<App />, { language: 'zh-CN', desk: { leaseHeldBy: { pid: 77, host: 'ops-pc' }, settings: { language: 'zh-CN' } } });
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
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    (await desk.ready()).updateDownloaded('0.2.0');
    const banner = await screen.findByTestId('banner-update');
    expect(banner.textContent).toContain('Version 0.2.0 is ready. Restart the desk to update.');
    screen.getByTestId('update-restart').focus();
    await user.keyboard('{Enter}');
    expect(desk.calls.filter((c) => c.channel === 'update:restart')).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId('banner-update').textContent).toBe('Restarting to install version 0.2.0…'));
  });

  it('says the update waits for the payments in progress, in Chinese too', async () => {
    const user = userEvent.setup();
    // The queue holds its jobs (another moment of a busy day): a queued job is about to talk to Atlas.
    const { desk } = h.renderUi(<App />, { language: 'zh-CN', desk: { runQueue: false, settings: { language: 'zh-CN' } } });
    await screen.findByTestId('row-TA2611260001');
    (await desk.ready()).updateDownloaded('0.2.0');
    expect((await screen.findByTestId('banner-update')).textContent).toContain('新版本 0.2.0 已下载');
    const preview = await desk.api.recovery.previewDeposit({ orderNos: ['TA2611260001'] });
    await desk.api.recovery.deposit({ orderNos: ['TA2611260001'], approvals: preview.ok ? preview.value.dues : [] });
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
    h.renderUi(<App />, { desk: { shell: { windowRecovered: { at: '2026-11-26T05:30:00Z', reason: 'oom' } } } });
    const banner = await screen.findByTestId('banner-window-recovered');
    expect(banner.textContent).toMatch(/^The desk's window stopped unexpectedly \(oom\) at .+ and was reloaded\./);
    await user.click(screen.getByTestId('banner-window-recovered-dismiss'));
    expect(screen.queryByTestId('banner-window-recovered')).toBeNull();
  });

  it('says it in Chinese too', async () => {
    h.renderUi(<App />, { language: 'zh-CN', desk: { settings: { language: 'zh-CN' }, shell: { windowRecovered: { at: '2026-11-26T05:30:00Z', reason: 'crashed' } } } });
    expect((await screen.findByTestId('banner-window-recovered')).textContent).toMatch(/意外停止（crashed），已重新加载/);
    expect(screen.getByTestId('banner-window-recovered-dismiss').textContent).toBe('关闭提示');
  });
});
