// The Timeline component in the order panel: sentences with links, who acted and on which OS account.
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../shared/desk.ts';
import { App } from '../../renderer/src/components/App.tsx';
import { Timeline } from '../../renderer/src/components/Timeline.tsx';
import { useHarness } from './harness.tsx';

const ev = (kind: TimelineEvent['kind'], data: Record<string, unknown>): TimelineEvent => ({ id: 1, orderNo: 'TA2611260001', at: '2026-11-26T05:00:00Z', kind, actor: 'Mei Lin', osAccount: 'mlin', data });

describe('timeline in the detail panel', () => {
  const h = useHarness();

  it('reads as sentences with no raw keys, ids or field names', async () => {
    const user = userEvent.setup();
    const { fake } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260010');
    await fake.api.recovery.deposit({ orderNos: ['TA2611260010'], approvals: [{ orderNo: 'TA2611260010', dueFromDeposit: { amount: 143.2, currency: 'EUR' } }] });
    await user.click(screen.getByTestId('row-TA2611260010'));
    const timeline = await within(await screen.findByTestId('order-detail')).findByTestId('timeline');
    await within(timeline).findByText('Recovery requested: pay with Deposit');
    expect(timeline.textContent).toMatch(/created this order by regenerating/);
    expect(within(timeline).getByTestId('event-link-TA2611250099')).toBeTruthy();
    expect(timeline.textContent).not.toMatch(/job-\d|jobId|paymentMethod|orderStatus:|regenerated_by_desk/);
  });

  it('shows the OS account beside the staff name, in both languages', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const { unmount } = h.renderUi(<Timeline events={[{ ...ev('intent', { paymentMethod: 1 }), id: 7 }]} />, { language });
      const row = screen.getByTestId('event-7');
      expect(row.textContent).toContain('Mei Lin');
      expect(within(row).getByTestId('event-os-7').textContent).toBe(language === 'en' ? 'OS account mlin' : '系统账户 mlin');
      unmount();
    }
    h.renderUi(<Timeline events={[{ ...ev('seen', {}), id: 8, actor: null, osAccount: null }]} />);
    expect(screen.queryByTestId('event-os-8')).toBeNull();
  });
});
