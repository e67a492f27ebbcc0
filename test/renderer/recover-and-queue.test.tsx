import { act, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
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

  it('queues a deposit recovery and follows the job live', async () => {
    const user = userEvent.setup();
    const { fake } = await openRecover(h, 'TA2611260003');
    await user.click(await screen.findByTestId('confirm-deposit'));
    const result = await screen.findByTestId('recover-result');
    expect(result.textContent).toMatch(/Queued/);
    act(() => fake.advance());
    expect(result.textContent).toMatch(/Running/);
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
    await fake.api.recovery.deposit({ orderNos: ['TA2611260001', 'TA2611260003'] });
    fake.jobs[1]!.state = 'needs_card';
    act(() => fake.emit('queue:changed', fake.jobs.map((j) => ({ ...j }))));
    await user.click(screen.getByTestId('nav-queue'));
    expect(within(screen.getByTestId('queue-group-queued')).getByText('TA2611260001')).toBeTruthy();
    await user.click(screen.getByTestId('cancel-job-1'));
    expect(await within(await screen.findByTestId('queue-group-cancelled')).findByText('TA2611260001')).toBeTruthy();
    await user.click(screen.getByTestId('provide-card-job-2'));
    expect(within(screen.getByTestId('provide-card-dialog')).getByTestId('card-form')).toBeTruthy();
  });
});
