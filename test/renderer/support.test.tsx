// Settings → Support copies main's diagnostics text and shows it; the banner after a window reload
// says what happened, in both languages, until staff dismiss it.
import { act, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { useHarness } from './harness.tsx';

describe('support and recovery notices', () => {
  const h = useHarness();

  it('copies diagnostics from the keyboard and shows what was copied', async () => {
    const user = userEvent.setup();
    const { fake } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().setScreen('settings'));
    const button = await screen.findByTestId('settings-diagnostics');
    button.focus();
    await user.keyboard('{Enter}');
    expect((await screen.findByTestId('diagnostics-copied')).textContent).toBe('Diagnostics copied to the clipboard.');
    expect(screen.getByTestId('diagnostics-text').textContent).toMatch(/^Atlas Retry Desk diagnostics/);
    expect(fake.calls.filter((c) => c.channel === 'env:diagnostics')).toHaveLength(1);
  });

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
