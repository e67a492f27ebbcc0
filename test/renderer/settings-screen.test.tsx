// Settings: the opt-in "start at login" setting, "Copy diagnostics" for support, and a team database saved but unreadable — by keyboard, in both languages.
import { act, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { SettingsScreen } from '../../renderer/src/components/SettingsScreen.tsx';
import { useEnv } from '../../renderer/src/stores/env.ts';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { useHarness } from './harness.tsx';

describe('"start at login" setting', () => {
  const h = useHarness();

  it('is off by default and is switched on and saved with the keyboard alone', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<SettingsScreen />);
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
    expect((await desk.ready()).settings.get().startAtLogin).toBe(true);
    expect(desk.calls.find((c) => c.channel === 'settings:update')?.request).toMatchObject({ startAtLogin: true });
  });

  it('is labelled in Chinese', async () => {
    h.renderUi(<SettingsScreen />, { language: 'zh-CN' });
    await act(() => useEnv.getState().load());
    expect(await screen.findByLabelText('登录此电脑时自动打开工作台')).toBe(screen.getByTestId('settings-start-at-login'));
  });
});

describe('support', () => {
  const h = useHarness();

  it('copies diagnostics from the keyboard and shows what was copied', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().setScreen('settings'));
    const button = await screen.findByTestId('settings-diagnostics');
    button.focus();
    await user.keyboard('{Enter}');
    expect((await screen.findByTestId('diagnostics-copied')).textContent).toBe('Diagnostics copied to the clipboard.');
    expect(screen.getByTestId('diagnostics-text').textContent).toMatch(/^Atlas Retry Desk diagnostics/);
    expect(desk.calls.filter((c) => c.channel === 'env:diagnostics')).toHaveLength(1);
  });
});

describe('team database saved but unreadable at start', () => {
  const h = useHarness();

  it.each([
    ['en', /could not be read .*Nothing is paid until you enter the URL again, or clear it/],
    ['zh-CN', /无法读取.*不会支付任何款项/],
  ] as const)('says so (%s) instead of "works on its own", and offers to clear it, not to test it', async (language, text) => {
    h.renderUi(<SettingsScreen />, { language });
    await act(() => useEnv.getState().load());
    const info = useEnv.getState().info!;
    act(() => useEnv.getState().setInfo({ ...info, teamDatabase: { configured: true, server: null, storage: 'none', unreadable: true } }));
    expect((await screen.findByTestId('team-state')).textContent).toMatch(text);
    expect((screen.getByTestId('team-clear') as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByTestId('team-test') as HTMLButtonElement).disabled).toBe(true);
  });
});
