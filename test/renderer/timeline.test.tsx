// The Timeline component in the order panel: sentences with links, who acted and on which OS account.
import { screen, waitFor, within } from '@testing-library/react';
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
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    // The desk regenerates the cancelled order and pays the new one, which the airline declines
    // again: it comes back to the list, linked to the order it was made from.
    (await desk.ready()).sim.control.setSwitches({ regeneratedTicketingOutcome: '604' });
    await desk.recoverWithDeposit(['TA2611260001']);
    const original = await desk.api.orders.show({ orderNo: 'TA2611260001' });
    const fresh = original.ok ? original.value.order.regeneratedInto[0]! : '';
    await user.click(await screen.findByTestId(`row-${fresh}`));
    const timeline = await within(await screen.findByTestId('order-detail')).findByTestId('timeline');
    await within(timeline).findByText(/created this order by regenerating/);
    expect(within(timeline).getByTestId('event-link-TA2611260001')).toBeTruthy();
    expect(timeline.textContent).not.toMatch(/jobId|paymentMethod|orderStatus:|regenerated_by_desk|[0-9a-f]{8}-[0-9a-f]{4}-/);
    // The original's own timeline: the request, in words, and a link to the new order.
    await user.click(within(screen.getByTestId('order-detail')).getByTestId('event-link-TA2611260001'));
    await waitFor(() => expect(within(screen.getByTestId('order-detail')).getByRole('heading', { level: 2 }).textContent).toBe('TA2611260001'));
    const first = within(screen.getByTestId('order-detail')).getByTestId('timeline');
    await within(first).findByText('Recovery requested: pay with Deposit');
    expect(within(first).getByTestId(`event-link-${fresh}`)).toBeTruthy();
    expect(first.textContent).not.toMatch(/jobId|paymentMethod|orderStatus:|[0-9a-f]{8}-[0-9a-f]{4}-/);
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
