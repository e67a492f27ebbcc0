// Settings: the opt-in "start at login" setting and "Copy diagnostics" for support, by keyboard, in both languages.
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
