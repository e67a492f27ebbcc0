// An unpaid order is not a failed order (docs/money-safety.md §1): staff must say its payment
// failed, with the consequence spelled out, before the desk offers to pay it.
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { useHarness } from './harness.tsx';

const UNPAID = 'TA2611260007';

describe('marking an unpaid order as payment-failed', () => {
  const h = useHarness();

  it('offers recovery only after staff confirm the payment failed, and then lists it as Scenario A', async () => {
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    useUi.getState().openDetail(UNPAID);
    await screen.findByTestId('mark-failed');
    expect((screen.getByTestId('detail-recover') as HTMLButtonElement).disabled).toBe(true);

    const user = userEvent.setup();
    await user.click(screen.getByTestId('mark-failed-start'));
    expect(screen.getByText(/Only confirm if you know a payment attempt for this order failed/)).toBeTruthy();
    expect(desk.calls.filter((c) => c.channel === 'orders:add')).toHaveLength(0);

    await user.click(screen.getByTestId('mark-failed-confirm'));
    await waitFor(() => expect((screen.getByTestId('detail-recover') as HTMLButtonElement).disabled).toBe(false));
    expect(desk.calls.filter((c) => c.channel === 'orders:add').map((c) => c.request)).toEqual([{ orderNos: [UNPAID], markFailed: true }]);
    expect(screen.queryByTestId('mark-failed')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('count-unpaid').textContent).toBe('1'));
  });

  it('is not offered for orders that are already on the failed list', async () => {
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    useUi.getState().openDetail('TA2611260001');
    await screen.findByTestId('detail-recover');
    expect(screen.queryByTestId('mark-failed')).toBeNull();
  });
});

describe('acknowledging an order whose payment outcome Atlas never confirmed', () => {
  const h = useHarness();
  const UNKNOWN = 'TA2611260003';

  it('explains why the desk stopped, and offers recovery again only after staff confirm they checked', async () => {
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId(`row-${UNKNOWN}`);
    // The connection drops after pay.do left; a query shows the order still unpaid: nobody can
    // tell whether Atlas is still taking the money, so the job stops for staff.
    (await desk.ready()).sim.control.setFault('pay', { kind: 'reset' }, { times: 1 });
    const [job] = await desk.recoverWithDeposit([UNKNOWN]);
    expect(job).toMatchObject({ state: 'attention', reason: 'outcome_unknown' });
    useUi.getState().openDetail(UNKNOWN);
    await screen.findByTestId('acknowledge');
    expect(screen.getByText(/Atlas never confirmed whether the last payment attempt went through/)).toBeTruthy();
    expect((screen.getByTestId('detail-recover') as HTMLButtonElement).disabled).toBe(true);

    const user = userEvent.setup();
    await user.click(screen.getByTestId('acknowledge-start'));
    await user.click(screen.getByTestId('acknowledge-confirm'));
    await waitFor(() => expect((screen.getByTestId('detail-recover') as HTMLButtonElement).disabled).toBe(false));
    expect(desk.calls.filter((c) => c.channel === 'orders:acknowledge').map((c) => c.request)).toEqual([{ orderNo: UNKNOWN }]);
    expect(screen.queryByTestId('acknowledge')).toBeNull();
  });
});
