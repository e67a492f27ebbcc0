// The window's side of the background desk: the "restart to update" banner (never mid-payment) and
// the opt-in "start at login" setting, by keyboard, in both languages.
import { act, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { SettingsScreen } from '../../renderer/src/components/SettingsScreen.tsx';
import { useEnv } from '../../renderer/src/stores/env.ts';
import { useHarness } from './harness.tsx';

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

describe('"start at login" setting', () => {
  const h = useHarness();

  it('is off by default and is switched on and saved with the keyboard alone', async () => {
    const user = userEvent.setup();
    const { fake } = h.renderUi(<SettingsScreen />);
    await act(() => useEnv.getState().load());
    const box = (await screen.findByTestId('settings-start-at-login')) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(screen.getByLabelText('Open the desk when I log in to this computer')).toBe(box);
    box.focus();
    await user.keyboard(' ');
    expect(box.checked).toBe(true);
    screen.getByTestId('settings-save').focus();
    await user.keyboard('{Enter}');
    await screen.findByText('Settings saved.');
    expect(fake.settings.startAtLogin).toBe(true);
    expect(fake.calls.find((c) => c.channel === 'settings:update')?.request).toMatchObject({ startAtLogin: true });
  });

  it('is labelled in Chinese', async () => {
    h.renderUi(<SettingsScreen />, { language: 'zh-CN' });
    await act(() => useEnv.getState().load());
    expect(await screen.findByLabelText('登录此电脑时自动打开工作台')).toBe(screen.getByTestId('settings-start-at-login'));
  });
});
