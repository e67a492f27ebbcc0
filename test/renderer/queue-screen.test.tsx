// The queue screen: jobs grouped by state, cancelling a job that sent nothing, card details for a job that asks again.
import { act, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useHarness } from './harness.tsx';

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
