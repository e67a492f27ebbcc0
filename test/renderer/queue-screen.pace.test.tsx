// The Queue screen says how many jobs may talk to Atlas at once right now, in both languages, and
// follows queue:paceChanged.
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { useHarness } from './harness.tsx';

describe('the Queue screen says how many jobs run at once', () => {
  const h = useHarness();

  it('shows the limit of the moment and follows queue:paceChanged', async () => {
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().setScreen('queue'));
    const line = await screen.findByTestId('queue-pace');
    expect(line.textContent).toBe('Running up to 4 jobs at a time now (at most 16, set in Settings).');
    act(() => desk.push('queue:paceChanged', { limit: 9, max: 16 }));
    expect(screen.getByTestId('queue-pace').textContent).toBe('Running up to 9 jobs at a time now (at most 16, set in Settings).');
    // Another desk process runs the queue: this one's pace says nothing about it.
    act(() => desk.push('queue:leaseChanged', { runsHere: false, elsewhere: { pid: 7, host: 'front-desk-2', since: '2026-11-26T08:00:00.000Z' } }));
    expect(screen.queryByTestId('queue-pace')).toBeNull();
  });

  it('in Chinese too', async () => {
    h.renderUi(<App />, { language: 'zh-CN', desk: { settings: { language: 'zh-CN' } } });
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().setScreen('queue'));
    expect((await screen.findByTestId('queue-pace')).textContent).toBe('当前最多同时执行 4 个任务（上限 16，可在设置中更改）。');
  });
});
