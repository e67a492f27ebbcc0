// The recover dialog: methods allowed and why not, the deposit against what is due, refusals in words, and the live result it keeps.
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useOrders } from '../../renderer/src/stores/orders.ts';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { teamView } from '../support/team-view.ts';
import { useHarness } from './harness.tsx';

async function openRecover(h: ReturnType<typeof useHarness>, orderNo: string, balances?: Record<string, number>) {
  const r = h.renderUi(<App />, balances ? { desk: { balances } } : {});
  await screen.findByTestId('row-TA2611260001');
  act(() => useUi.getState().openDialog('recover', orderNo));
  return r;
}

describe('recover dialog', () => {
  const h = useHarness();

  it('disables the card option with the reason when the order does not take a card', async () => {
    await openRecover(h, 'TA2611260004');
    const card = await screen.findByTestId('choose-card');
    expect((card as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('card-disabled-reason').textContent).toBe('This order does not accept a card (VCC).');
  });

  it('shows the deposit balance against the amount due and warns when it is short', async () => {
    await openRecover(h, 'TA2611260003', { USD: 150 });
    const summary = await screen.findByTestId('deposit-summary');
    // USD 199.99 fare + USD 2.00 Atlas fee, against a USD 150.00 balance.
    expect(summary.textContent).toMatch(/USD\s*201\.99/);
    await within(summary).findByText(/USD\s*150\.00/);
    expect(summary.textContent).toMatch(/lower than the amount due/);
  });

  it('says in words why the desk refused to queue the order when it changed meanwhile', async () => {
    const user = userEvent.setup();
    const { desk } = await openRecover(h, 'TA2611260003');
    await screen.findByTestId('confirm-deposit');
    // Meanwhile it was paid in ATRIP, and the desk read it again (another window showed its plan):
    // the core refuses to queue it.
    await desk.paidElsewhere('TA2611260003');
    await desk.api.recovery.plan({ orderNo: 'TA2611260003' });
    await user.click(screen.getByTestId('confirm-deposit'));
    const refused = await screen.findByTestId('recover-refused');
    expect(refused.textContent).toMatch(/^The desk did not queue this order: /);
    expect(refused.textContent).not.toMatch(/ticketing_in_progress|_/);
    expect(screen.queryByTestId('error-conflict')).toBeNull();
  });

  for (const [language, words] of [
    ['en', 'Another desk of the team is recovering this order'],
    ['zh-CN', '团队中的另一台工作台正在处理此订单'],
  ] as const) {
    it(`says in words why the desk refused a card recovery (${language})`, async () => {
      const user = userEvent.setup();
      const team = teamView();
      const { desk } = h.renderUi(<App />, { language, desk: { settings: { language }, team } });
      await screen.findByTestId('row-TA2611260001');
      act(() => useUi.getState().openDialog('recover', 'TA2611260003'));
      await user.click(await screen.findByTestId('choose-card'));
      const v = {
        cardNumber: '4532015112830366', cardExpireMonth: '09', cardExpireYear: '2029', cardCVV: '123', cardHolderFirstName: 'Wei', cardHolderLastName: 'Tan',
        cardHolderCountry: 'US', cardHolderProvince: 'WA', cardHolderCity: 'Seattle', cardHolderPostCode: '98101', cardHolderAddress: '1 Pike St',
      };
      for (const [k, value] of Object.entries(v)) {
        const input = screen.queryByTestId(`card-${k}`);
        if (input) await user.type(input, value);
      }
      // Meanwhile another desk of the team took the order's chain: the desk refuses the card and says why.
      act(() => team.holdChain(['TA2611260003'], { deskId: 'desk-2', staff: 'Lin Mei', kind: 'claim', since: '2026-11-26T05:59:00.000Z' }));
      await user.click(screen.getByTestId('card-submit'));
      const note = await screen.findByTestId('error-conflict');
      expect(within(note).getByTestId('error-reason').textContent).toContain(words);
      expect(await desk.api.queue.list({})).toEqual({ ok: true, value: [] });
    });
  }

  it('queues a deposit recovery and follows the job live', async () => {
    const user = userEvent.setup();
    await openRecover(h, 'TA2611260003');
    await user.click(await screen.findByTestId('confirm-deposit'));
    const result = await screen.findByTestId('recover-result');
    expect(result.textContent).toMatch(/^Sent to the queue/);
    // The queue runs it: regenerate-free, paid from the deposit, ticketed — each step shown as it comes.
    await within(result).findByText(/Done/);
    expect(result.textContent).toMatch(/Done · Ticketed/);
  });

  it('keeps showing the live result after the order leaves the list, until staff close it', async () => {
    const user = userEvent.setup();
    await openRecover(h, 'TA2611260003');
    await user.click(await screen.findByTestId('confirm-deposit'));
    const result = await screen.findByTestId('recover-result');
    // Ticketed: the order is no longer a failed order, so the list drops it.
    await waitFor(() => expect(screen.queryByTestId('row-TA2611260003')).toBeNull());
    await within(result).findByText(/Done/);
    expect(screen.getByTestId('recover-result')).toBe(result);
    expect(result.textContent).toMatch(/Done · Ticketed/);
    await user.click(within(result).getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('recover-dialog')).toBeNull();
  });

  it('opens for an order that is not in the list by reading it from the desk', async () => {
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useOrders.setState({ orders: useOrders.getState().orders.filter((o) => o.orderNo !== 'TA2611260003') }));
    act(() => useUi.getState().openDialog('recover', 'TA2611260003'));
    const dialog = await screen.findByTestId('recover-dialog');
    expect(await within(dialog).findByTestId('confirm-deposit')).toBeTruthy();
    expect(desk.calls.some((c) => c.channel === 'orders:show' && (c.request as { orderNo: string }).orderNo === 'TA2611260003')).toBe(true);
  });

  it('suggests a card limit 10 % above the amount when the order is regenerated first (re-priced)', async () => {
    const user = userEvent.setup();
    await openRecover(h, 'TA2611260001'); // B order: regenerate_then_pay, the airline's price USD 412.40
    await user.click(await screen.findByTestId('choose-card'));
    expect((screen.getByTestId('card-paymentLimit') as HTMLInputElement).value).toBe('453.64');
    expect(screen.getByTestId('limit-hint').textContent).toMatch(/10 % above today's amount: regenerating re-prices/);
  });

  it('Esc closes the dialog and the detail panel keeps its place', async () => {
    const user = userEvent.setup();
    await openRecover(h, 'TA2611260003');
    await screen.findByTestId('recover-dialog');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('recover-dialog')).toBeNull();
  });
});
