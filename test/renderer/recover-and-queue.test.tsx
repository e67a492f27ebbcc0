import { act, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useOrders } from '../../renderer/src/stores/orders.ts';
import { useUi } from '../../renderer/src/stores/ui.ts';
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
    expect(summary.textContent).toMatch(/USD\s*202\.99/);
    await within(summary).findByText(/USD\s*150\.00/);
    expect(summary.textContent).toMatch(/lower than the amount due/);
  });

  it('says in words why the desk refused to queue the order when it changed meanwhile', async () => {
    const user = userEvent.setup();
    const { fake } = await openRecover(h, 'TA2611260003');
    await screen.findByTestId('confirm-deposit');
    // Meanwhile the order stopped being payable (e.g. another desk paid it): the core refuses it.
    const order = fake.orders.get('TA2611260003')!;
    fake.orders.set('TA2611260003', { ...order, category: 'ticketing', plan: { ...order.plan, action: 'wait_ticketing', reasons: ['ticketing_in_progress'] } });
    await user.click(screen.getByTestId('confirm-deposit'));
    const refused = await screen.findByTestId('recover-refused');
    expect(refused.textContent).toMatch(/^The desk did not queue this order: /);
    expect(refused.textContent).not.toContain('ticketing_in_progress');
    expect(screen.queryByTestId('error-conflict')).toBeNull();
  });

  for (const [language, words] of [
    ['en', 'Another desk of the team is recovering this order'],
    ['zh-CN', '团队中的另一台工作台正在处理此订单'],
  ] as const) {
    it(`says in words why the desk refused a card recovery (${language})`, async () => {
      const user = userEvent.setup();
      const { fake } = h.renderUi(<App />, { language, desk: { settings: { language } } });
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
      const order = fake.orders.get('TA2611260003')!;
      fake.orders.set('TA2611260003', { ...order, claimedBy: { deskId: 'desk-2', staff: 'Lin Mei', kind: 'claim', since: '2026-11-26T05:59:00.000Z' } });
      await user.click(screen.getByTestId('card-submit'));
      const note = await screen.findByTestId('error-conflict');
      expect(within(note).getByTestId('error-reason').textContent).toContain(words);
      expect(fake.jobs).toEqual([]);
    });
  }

  it('queues a deposit recovery and follows the job live', async () => {
    const user = userEvent.setup();
    const { fake } = await openRecover(h, 'TA2611260003');
    await user.click(await screen.findByTestId('confirm-deposit'));
    const result = await screen.findByTestId('recover-result');
    expect(result.textContent).toMatch(/Queued/);
    act(() => fake.advance());
    expect(result.textContent).toMatch(/Running/);
  });

  it('keeps showing the live result after the order leaves the list, until staff close it', async () => {
    const user = userEvent.setup();
    const { fake } = await openRecover(h, 'TA2611260003');
    await user.click(await screen.findByTestId('confirm-deposit'));
    const result = await screen.findByTestId('recover-result');
    // Ticketed: the order is no longer a failed order, so the list reload drops it.
    fake.orders.delete('TA2611260003');
    await act(() => useOrders.getState().load());
    expect(screen.queryByTestId('row-TA2611260003')).toBeNull();
    act(() => { fake.advance(); fake.advance(); fake.advance(); });
    expect(screen.getByTestId('recover-result')).toBe(result);
    expect(result.textContent).toMatch(/Done · Ticketed/);
    await user.click(within(result).getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('recover-dialog')).toBeNull();
  });

  it('opens for an order that is not in the list by reading it from the desk', async () => {
    const { fake } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useOrders.setState({ orders: useOrders.getState().orders.filter((o) => o.orderNo !== 'TA2611260003') }));
    act(() => useUi.getState().openDialog('recover', 'TA2611260003'));
    const dialog = await screen.findByTestId('recover-dialog');
    expect(await within(dialog).findByTestId('confirm-deposit')).toBeTruthy();
    expect(fake.calls.some((c) => c.channel === 'orders:show' && (c.request as { orderNo: string }).orderNo === 'TA2611260003')).toBe(true);
  });

  it('suggests a card limit 10 % above the amount when the order is regenerated first (re-priced)', async () => {
    const user = userEvent.setup();
    await openRecover(h, 'TA2611260001'); // B order: regenerate_then_pay, vendor amount 400.03 USD
    await user.click(await screen.findByTestId('choose-card'));
    expect((screen.getByTestId('card-paymentLimit') as HTMLInputElement).value).toBe('440.04');
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

describe('queue screen', () => {
  const h = useHarness();

  it('groups jobs by state, cancels a queued job and asks for a card on needs_card', async () => {
    const user = userEvent.setup();
    const { fake } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    const approvals = ['TA2611260001', 'TA2611260003'].map((orderNo) => ({ orderNo, dueFromDeposit: { amount: 100, currency: 'USD' } }));
    await fake.api.recovery.deposit({ orderNos: ['TA2611260001', 'TA2611260003'], approvals });
    fake.jobs[1]!.state = 'needs_card';
    act(() => fake.emit('queue:changed', fake.jobs.map((j) => ({ ...j }))));
    await user.click(screen.getByTestId('nav-queue'));
    expect(within(screen.getByTestId('queue-group-queued')).getByText('TA2611260001')).toBeTruthy();
    await user.click(screen.getByTestId('cancel-job-1'));
    expect(await within(await screen.findByTestId('queue-group-cancelled')).findByText('TA2611260001')).toBeTruthy();
    await user.click(screen.getByTestId('provide-card-job-2'));
    expect(within(screen.getByTestId('provide-card-dialog')).getByTestId('card-form')).toBeTruthy();
  });

  it('says in words that staff checked an unconfirmed payment, never as a bare code', async () => {
    const user = userEvent.setup();
    const { fake } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    await fake.api.recovery.deposit({ orderNos: ['TA2611260003'], approvals: [{ orderNo: 'TA2611260003', dueFromDeposit: { amount: 202.99, currency: 'USD' } }] });
    Object.assign(fake.jobs[0]!, { state: 'attention', reason: 'outcome_checked_by_staff' });
    act(() => fake.emit('queue:changed', fake.jobs.map((j) => ({ ...j }))));
    await user.click(screen.getByTestId('nav-queue'));
    const row = within(screen.getByTestId('queue-group-attention')).getByTestId('job-job-1');
    expect(row.textContent).toContain('Staff checked in ATRIP that the unconfirmed payment took no money');
    expect(row.textContent).not.toContain('outcome_checked_by_staff');
  });

  it('asks for the card again when its limit was below the new fare: says why and pre-fills no limit', async () => {
    const user = userEvent.setup();
    const { fake } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    await fake.api.recovery.card({
      orderNo: 'TA2611260001',
      card: { cardNumber: '4532015112830366', cardCVV: '123', cardExpireMonth: '09', cardExpireYear: '2029', cardHolderFirstName: 'Wei', cardHolderLastName: 'Tan' },
      approved: { dueFromCard: { amount: 400, currency: 'USD' }, dueFromDeposit: { amount: 3, currency: 'USD' } },
    });
    Object.assign(fake.jobs[0]!, { state: 'needs_card', reason: 'card_limit_below_due' });
    act(() => fake.emit('queue:changed', fake.jobs.map((j) => ({ ...j }))));
    await user.click(screen.getByTestId('nav-queue'));
    await user.click(screen.getByTestId('provide-card-job-1'));
    const dialog = screen.getByTestId('provide-card-dialog');
    expect((await within(dialog).findByTestId('card-reason')).textContent).toMatch(/new fare is above the card's payment limit/);
    expect((within(dialog).getByTestId('card-paymentLimit') as HTMLInputElement).value).toBe('');
    expect(within(dialog).getByTestId('limit-hint').textContent).toMatch(/^Suggested: /);
  });
});
