// The queue screen: jobs grouped by state, cancelling a job that sent nothing, card details for a job that asks again.
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { manualTimers } from '../support/manual-timers.ts';
import { CARD } from '../support/cards.ts';
import { useHarness } from './harness.tsx';

/** A card with every holder field these airlines ask for. */
const card = { ...CARD, cardHolderProvince: 'Singapore' };

describe('queue screen', () => {
  const h = useHarness();

  it('groups jobs by state, cancels a queued job and asks for a card on needs_card', async () => {
    const user = userEvent.setup();
    const vaultTimers = manualTimers();
    // The queue holds still (another desk process would run it): jobs stay where they are.
    const { desk } = h.renderUi(<App />, { desk: { runQueue: false, deps: { cardTimers: vaultTimers } } });
    await screen.findByTestId('row-TA2611260001');
    const preview = await desk.api.recovery.previewDeposit({ orderNos: ['TA2611260001'] });
    const deposit = await desk.api.recovery.deposit({ orderNos: ['TA2611260001'], approvals: preview.ok ? preview.value.dues : [] });
    const plan = await desk.api.recovery.plan({ orderNo: 'TA2611260003' });
    const offer = plan.ok ? plan.value.plan.methods.find((m) => m.paymentMethod === 3) : undefined;
    const intent = await desk.api.recovery.card({
      orderNo: 'TA2611260003',
      card,
      approved: { dueFromCard: offer?.dueFromCard ?? null, dueFromDeposit: offer?.dueFromDeposit ?? null },
    });
    const depositJob = deposit.ok ? deposit.value.jobs[0]!.id : '';
    const cardJob = intent.ok ? intent.value.id : '';
    // The card's time in memory runs out before the job ran: it waits for staff to give it again.
    act(() => vaultTimers.fireAll());
    await user.click(screen.getByTestId('nav-queue'));
    expect(within(await screen.findByTestId('queue-group-queued')).getByText('TA2611260001')).toBeTruthy();
    await within(await screen.findByTestId('queue-group-needs_card')).findByText('TA2611260003');
    await user.click(screen.getByTestId(`cancel-${depositJob}`));
    expect(await within(await screen.findByTestId('queue-group-cancelled')).findByText('TA2611260001')).toBeTruthy();
    await user.click(screen.getByTestId(`provide-card-${cardJob}`));
    expect(within(screen.getByTestId('provide-card-dialog')).getByTestId('card-form')).toBeTruthy();
  });

  it('says in words that staff checked an unconfirmed payment, never as a bare code', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    // pay.do's answer is lost and a query shows the order unpaid: the job stops for staff, who
    // check in ATRIP that no money was taken.
    (await desk.ready()).sim.control.setFault('pay', { kind: 'reset' }, { times: 1 });
    const [job] = await desk.recoverWithDeposit(['TA2611260003']);
    await desk.api.orders.acknowledge({ orderNo: 'TA2611260003' });
    await user.click(screen.getByTestId('nav-queue'));
    const row = await within(await screen.findByTestId('queue-group-attention')).findByTestId(`job-${job!.id}`);
    await waitFor(() => expect(row.textContent).toContain('Staff checked in ATRIP that the unconfirmed payment took no money'));
    expect(row.textContent).not.toContain('outcome_checked_by_staff');
  });

  it('asks for the card again when its limit was below the new fare: says why and pre-fills no limit', async () => {
    const user = userEvent.setup();
    // Staff accept up to 10 % more than they approved; the card's own limit is today's fare exactly.
    const { desk } = h.renderUi(<App />, { desk: { deps: { priceTolerancePercent: () => 10 } } });
    await screen.findByTestId('row-TA2611260001');
    const plan = await desk.api.recovery.plan({ orderNo: 'TA2611260001' });
    const offer = plan.ok ? plan.value.plan.methods.find((m) => m.paymentMethod === 3) : undefined;
    const fare = offer?.dueFromCard?.amount ?? 0;
    // Regeneration re-prices the order 5 % up.
    (await desk.ready()).sim.control.setSwitches({ regenerateFareDelta: 0.05 });
    const intent = await desk.api.recovery.card({
      orderNo: 'TA2611260001',
      card: { ...card, paymentLimit: fare },
      approved: { dueFromCard: offer?.dueFromCard ?? null, dueFromDeposit: offer?.dueFromDeposit ?? null },
    });
    const jobId = intent.ok ? intent.value.id : '';
    // Above the card's limit: the job stops before paying.
    const [parked] = await desk.settled([jobId]);
    expect(parked).toMatchObject({ state: 'needs_card', reason: 'card_limit_below_due' });
    await user.click(screen.getByTestId('nav-queue'));
    await user.click(await screen.findByTestId(`provide-card-${jobId}`));
    const dialog = screen.getByTestId('provide-card-dialog');
    expect((await within(dialog).findByTestId('card-reason')).textContent).toMatch(/new fare is above the card's payment limit/);
    expect((within(dialog).getByTestId('card-paymentLimit') as HTMLInputElement).value).toBe('');
    expect(within(dialog).getByTestId('limit-hint').textContent).toMatch(/^Suggested: /);
  });
});
