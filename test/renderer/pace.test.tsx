// The queue's adaptive concurrency in the window: Settings take its cap (1–64) by keyboard and say
// plainly what is wrong with a bad one; the Queue screen shows the limit of the moment, in both
// languages, and follows queue:paceChanged.
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
    return { user, fake: rendered.fake };
  }

  it('refuses a value outside 1–64 with a reason and no save, and saves a good one typed by keyboard', async () => {
    const { user, fake } = await openSettings();
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
    expect(fake.calls.filter((c) => c.channel === 'settings:update').at(-1)?.request).toMatchObject({ maxConcurrency: 32 });
  });

  it('explains the setting and its error in Chinese', async () => {
    const { user } = await openSettings('zh-CN');
    expect(screen.getByText('同时执行的任务数上限')).toBeTruthy();
    await user.clear(field());
    await user.type(field(), '100');
    expect(screen.getByTestId('settings-max-concurrency-error').textContent).toBe('请输入 1 到 64 之间的整数。');
  });
});

describe('the Queue screen says how many jobs run at once', () => {
  const h = useHarness();

  it('shows the limit of the moment and follows queue:paceChanged', async () => {
    const { fake } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().setScreen('queue'));
    const line = await screen.findByTestId('queue-pace');
    expect(line.textContent).toBe('Running up to 4 jobs at a time now (at most 16, set in Settings).');
    act(() => fake.emit('queue:paceChanged', { limit: 9, max: 16 }));
    expect(screen.getByTestId('queue-pace').textContent).toBe('Running up to 9 jobs at a time now (at most 16, set in Settings).');
    // Another desk process runs the queue: this one's pace says nothing about it.
    act(() => fake.emit('queue:leaseChanged', { runsHere: false, elsewhere: { pid: 7, host: 'front-desk-2', since: '2026-11-26T08:00:00.000Z' } }));
    expect(screen.queryByTestId('queue-pace')).toBeNull();
  });

  it('in Chinese too', async () => {
    h.renderUi(<App />, { language: 'zh-CN', desk: { settings: { language: 'zh-CN' } } });
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().setScreen('queue'));
    expect((await screen.findByTestId('queue-pace')).textContent).toBe('当前最多同时执行 4 个任务（上限 16，可在设置中更改）。');
  });
});
