// Settings → the cap of the queue's adaptive concurrency (1–64), by keyboard, with plain words for a
// bad value, in both languages.
import { act, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { useHarness } from './harness.tsx';

const field = () => screen.getByTestId('settings-max-concurrency') as HTMLInputElement;
const save = () => screen.getByTestId('settings-save') as HTMLButtonElement;

describe('max concurrency in Settings', () => {
  const h = useHarness();

  async function openSettings(language: 'en' | 'zh-CN' = 'en') {
    const user = userEvent.setup();
    const rendered = h.renderUi(<App />, { language, desk: { settings: { language } } });
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().setScreen('settings'));
    await screen.findByTestId('settings-max-concurrency');
    return { user, desk: rendered.desk };
  }

  it('refuses a value outside 1–64 with a reason and no save, and saves a good one typed by keyboard', async () => {
    const { user, desk } = await openSettings();
    expect(field().value).toBe('16');
    for (const bad of ['0', '65', '2.5']) {
      await user.clear(field());
      await user.type(field(), bad);
      const error = screen.getByTestId('settings-max-concurrency-error');
      expect(error.textContent).toBe('Enter a whole number from 1 to 64.');
      expect(field().getAttribute('aria-invalid')).toBe('true');
      expect(field().getAttribute('aria-describedby')).toContain(error.id);
      expect(save().disabled).toBe(true);
    }
    await user.clear(field());
    expect(screen.getByTestId('settings-max-concurrency-error')).toBeTruthy();
    await user.type(field(), '32');
    expect(screen.queryByTestId('settings-max-concurrency-error')).toBeNull();
    expect(field().getAttribute('aria-invalid')).toBe('false');
    await user.keyboard('{Enter}');
    await screen.findByText('Settings saved.');
    expect(desk.calls.filter((c) => c.channel === 'settings:update').at(-1)?.request).toMatchObject({ maxConcurrency: 32 });
  });

  it('explains the setting and its error in Chinese', async () => {
    const { user } = await openSettings('zh-CN');
    expect(screen.getByText('同时执行的任务数上限')).toBeTruthy();
    await user.clear(field());
    await user.type(field(), '100');
    expect(screen.getByTestId('settings-max-concurrency-error').textContent).toBe('请输入 1 到 64 之间的整数。');
  });
});
