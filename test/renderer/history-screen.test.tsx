import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { HistoryScreen } from '../../renderer/src/components/HistoryScreen.tsx';
import { suggestedCsvSeparator } from '../../renderer/src/lib/format.ts';
import { useHarness } from './harness.tsx';

describe('history CSV separator', () => {
  const h = useHarness();

  it('suggests ; where the decimal mark is a comma, and , elsewhere', () => {
    expect(suggestedCsvSeparator('de-DE')).toBe('semicolon');
    expect(suggestedCsvSeparator('fr-FR')).toBe('semicolon');
    expect(suggestedCsvSeparator('en-US')).toBe('comma');
    expect(suggestedCsvSeparator('zh-CN')).toBe('comma');
  });

  it('sends the separator staff chose with the export', async () => {
    const { desk } = h.renderUi(<HistoryScreen />);
    const user = userEvent.setup();
    const select = screen.getByRole('combobox', { name: 'CSV separator' });
    expect(select).toHaveProperty('value', suggestedCsvSeparator());
    await user.selectOptions(select, 'semicolon');
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(desk.calls.some((c) => c.channel === 'history:export')).toBe(true));
    expect(desk.calls.find((c) => c.channel === 'history:export')?.request).toMatchObject({ separator: 'semicolon' });
  });
});
