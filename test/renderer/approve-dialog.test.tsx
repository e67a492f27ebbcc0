// The window's side of issue 8's money-safety edges: the recover dialogs send what they showed as
// approved; a card for an order with a queued job says so (or replaces its method on request);
// a card charge Atlas started waits for staff in the order's panel; jobs that stopped for a new
// amount are approved from the order panel, a queue row or a selection, old → new.
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useUi } from '../../renderer/src/stores/ui.ts';
import type { Job } from '../../shared/desk.ts';
import type { TestDesk } from '../support/test-desk.ts';
import { useHarness } from './harness.tsx';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const CARD = { number: '4532 0151 1283 0366', cvv: '123', month: '09', year: '2029', first: 'Wei', last: 'Tan' };

/** Staff ask for deposit recoveries with the amounts the preview shows; the jobs as queued. */
async function recoverWithDeposit(desk: TestDesk, orderNos: string[]): Promise<Job[]> {
  const preview = await desk.api.recovery.previewDeposit({ orderNos });
  const made = await desk.api.recovery.deposit({ orderNos, approvals: preview.ok ? preview.value.dues : [] });
  return made.ok ? made.value.jobs : [];
}

/**
 * Two jobs stopped before paying, for real: B order 0001 (USD) waited for the office network for
 * more than an hour, and its approval aged out; B order 0010 (EUR) was regenerated at a 7 % higher
 * fare, above what staff approved. Resolves with [0001's job, 0010's job].
 */
async function twoWaitingJobs(desk: TestDesk): Promise<Job[]> {
  const { sim } = await desk.ready();
  sim.control.setSwitches({ regenerateFareDelta: 0.07 });
  desk.network.down();
  const [late] = await recoverWithDeposit(desk, ['TA2611260001']);
  sim.control.advanceClock(61 * 60_000);
  const [repriced] = await recoverWithDeposit(desk, ['TA2611260010']);
  desk.network.up();
  const stopped = await desk.settled([late!.id, repriced!.id]);
  // From now on Atlas's fares hold when an order is regenerated.
  sim.control.setSwitches({ regenerateFareDelta: 0 });
  return stopped;
}

describe('what the recover dialog approves', () => {
  const h = useHarness();

  it('sends the deposit amount it showed with the intent, and says so', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().openDialog('recover', 'TA2611260003'));
    expect((await screen.findByTestId('recover-approve-note')).textContent).toMatch(/^Confirming approves this amount/);
    await user.click(screen.getByTestId('confirm-deposit'));
    await screen.findByTestId('recover-result');
    const sent = desk.calls.find((c) => c.channel === 'recovery:deposit');
    expect(sent?.request).toEqual({ orderNos: ['TA2611260003'], approvals: [{ orderNo: 'TA2611260003', dueFromDeposit: usd(201.99) }] });
  });

  it('shows a card payment’s two parts and sends both as approved', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().openDialog('recover', 'TA2611260001'));
    await user.click(await screen.findByTestId('choose-card'));
    expect(screen.getByTestId('card-due').textContent).toMatch(/USD\s*412\.40/);
    expect(screen.getByTestId('card-fee').textContent).toMatch(/USD\s*4\.00/);
    await fillCard(user);
    await user.click(screen.getByTestId('card-submit'));
    await screen.findByTestId('recover-result');
    const sent = desk.calls.find((c) => c.channel === 'recovery:card')?.request as { approved: unknown; replaceJobId?: string };
    expect(sent.approved).toEqual({ dueFromCard: usd(412.4), dueFromDeposit: usd(4) });
    expect(sent.replaceJobId).toBeUndefined();
  });
});

async function fillCard(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  await user.type(screen.getByTestId('card-cardNumber'), CARD.number);
  await user.type(screen.getByTestId('card-cardExpireMonth'), CARD.month);
  await user.type(screen.getByTestId('card-cardExpireYear'), CARD.year);
  await user.type(screen.getByTestId('card-cardCVV'), CARD.cvv);
  await user.type(screen.getByTestId('card-cardHolderFirstName'), CARD.first);
  await user.type(screen.getByTestId('card-cardHolderLastName'), CARD.last);
  // The billing address the order's airline asks for, where it asks.
  const address = { cardHolderCountry: 'SG', cardHolderProvince: 'SG', cardHolderCity: 'Singapore', cardHolderPostCode: '018956', cardHolderAddress: '1 Marina Blvd' };
  for (const [field, value] of Object.entries(address)) {
    const input = screen.queryByTestId(`card-${field}`);
    if (input) await user.type(input, value);
  }
}

describe('a card for an order that already has a recovery job', () => {
  const h = useHarness();

  it('names the job and its method; the desk’s refusal is said in words; replacing is explicit', async () => {
    const user = userEvent.setup();
    // The queue holds still, so the deposit job waits where it is.
    const { desk } = h.renderUi(<App />, { desk: { runQueue: false } });
    await screen.findByTestId('row-TA2611260001');
    const [deposit] = await act(() => recoverWithDeposit(desk, ['TA2611260001']));
    const jobs = async () => {
      const list = await desk.api.queue.list({});
      return list.ok ? list.value.map((j) => [j.method, j.state]).sort() : [];
    };
    act(() => useUi.getState().openDialog('recover', 'TA2611260001'));
    expect((await screen.findByTestId('recover-queued-job')).textContent).toBe('This order already has a recovery job: Deposit, Queued.');
    await user.click(screen.getByTestId('choose-card'));

    await fillCard(user);
    await user.click(screen.getByTestId('card-submit'));
    expect((await screen.findByTestId('error-reason')).textContent).toMatch(/already has a recovery job/);
    expect(await jobs()).toEqual([[1, 'queued']]);

    await user.click(screen.getByTestId('replace-job'));
    await fillCard(user);
    await user.click(screen.getByTestId('card-submit'));
    await screen.findByTestId('recover-result');
    const sent = desk.calls.filter((c) => c.channel === 'recovery:card').at(-1)?.request as { replaceJobId?: string };
    expect(sent.replaceJobId).toBe(deposit!.id);
    expect(await jobs()).toEqual([[1, 'cancelled'], [3, 'queued']]);
  });
});

describe('a card charge Atlas started waits for staff (the order panel)', () => {
  const h = useHarness();

  it('asks staff to confirm the card was not charged, records it, and only then allows recovery', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await user.click(await screen.findByTestId('row-TA2611260012'));
    const panel = await screen.findByTestId('order-detail');
    const decision = within(panel).getByTestId('not-charged');
    expect(decision.textContent).toMatch(/Whether that card was charged is unknown/);
    expect((within(panel).getByTestId('detail-recover') as HTMLButtonElement).disabled).toBe(true);
    // The planner's warning is now true: the desk does wait for this check.
    expect(within(panel).getByTestId('plan').textContent).toMatch(/card charge was already started at the airline: it is checked before switching method/);

    await user.click(within(decision).getByTestId('not-charged-start'));
    expect(decision.textContent).toMatch(/Your name and the time are recorded/);
    await user.click(within(decision).getByTestId('not-charged-confirm'));

    expect((await within(panel).findByTestId('not-charged-by')).textContent).toMatch(/^Mei Lin confirmed at .+ that the card charge Atlas started took no money\.$/);
    expect(desk.calls.filter((c) => c.channel === 'orders:confirmNotCharged').map((c) => c.request)).toEqual([{ orderNo: 'TA2611260012' }]);
    expect(within(panel).queryByTestId('not-charged')).toBeNull();
    expect((within(panel).getByTestId('detail-recover') as HTMLButtonElement).disabled).toBe(false);
  });

  it('the recover dialog does not offer a payment for it until then', async () => {
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().openDialog('recover', 'TA2611260012'));
    expect((await screen.findByTestId('recover-charge-unconfirmed')).textContent).toMatch(/Confirm in the order's panel/);
    expect(screen.queryByTestId('confirm-deposit')).toBeNull();
    expect(screen.queryByTestId('card-form')).toBeNull();
  });
});

describe('approving the new amount of a stopped job', () => {
  const h = useHarness();

  it('from a queue row: old → new, totals per currency, and exactly the amounts shown are sent', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    const [late] = await twoWaitingJobs(desk);
    expect(late).toMatchObject({ state: 'needs_approval', reason: 'approval_expired' });
    await user.click(screen.getByTestId('nav-queue'));
    const group = await screen.findByTestId('queue-group-needs_approval');
    expect(within(group).getByText(/The amount due is above what staff approved, or the approval aged out/)).toBeTruthy();
    await user.click(within(group).getByTestId(`approve-${late!.id}`));

    const dialog = await screen.findByTestId('approve-dialog');
    expect(within(dialog).getByTestId('approve-before-TA2611260001').textContent).toMatch(/USD\s*416\.40 from the deposit/);
    expect(within(dialog).getByTestId('approve-now-TA2611260001').textContent).toMatch(/USD\s*416\.40 from the deposit/);
    expect(within(dialog).getByTestId('approve-total-USD').textContent).toMatch(/^USD1USD\s*416\.40$/);
    await user.click(within(dialog).getByTestId('approve-confirm'));

    expect(desk.calls.find((c) => c.channel === 'recovery:approve')?.request).toEqual({
      approvals: [{ jobId: late!.id, dueFromDeposit: usd(416.4), dueFromCard: null }],
    });
    // Approved again, the job goes on: regenerated, paid at the new approval, ticketed.
    const [paid] = await desk.settled([late!.id]);
    expect(paid).toMatchObject({ state: 'done', outcome: 'ticketed', approval: { dueFromDeposit: usd(416.4) } });
    await waitFor(() => expect(within(dialog).getByTestId('job-state-TA2611260001').textContent).toMatch(/Done · Ticketed/));
  });

  it('from a selection of orders: every waiting job, per-currency totals', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    const [late, repriced] = await twoWaitingJobs(desk);
    act(() => useUi.getState().setSelected(new Set(['TA2611260001', 'TA2611260010', 'TA2611260003']), null));
    const bulk = await screen.findByTestId('bulk-approve');
    expect(bulk.textContent).toBe('Approve new amounts (2)…');
    await user.click(bulk);
    const dialog = await screen.findByTestId('approve-dialog');
    expect(within(dialog).getByTestId('approve-total-USD').textContent).toMatch(/USD\s*416\.40$/);
    expect(within(dialog).getByTestId('approve-row-TA2611260001').textContent).toMatch(/approval has aged out/);
    expect(within(dialog).getByTestId('approve-row-TA2611260010').textContent).toMatch(/above what staff approved/);
    // The re-priced job pays the order regenerated from 0010.
    expect(within(dialog).getByTestId('approve-row-TA2611260010').textContent).toContain(`→ ${repriced!.quote!.orderNo}`);
    await user.click(within(dialog).getByTestId('approve-confirm'));
    const sent = desk.calls.find((c) => c.channel === 'recovery:approve')?.request as { approvals: { jobId: string }[] };
    expect(sent.approvals.map((a) => a.jobId)).toEqual([late!.id, repriced!.id]);
  });

  it('from the order’s panel, and by keyboard alone; Esc closes', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    const [, repriced] = await twoWaitingJobs(desk);
    // The regenerated original leaves the list; the new order, which waits, is in it.
    await waitFor(() => expect(screen.queryByTestId('row-TA2611260010')).toBeNull());
    await user.click(await screen.findByTestId(`row-${repriced!.quote!.orderNo}`));
    const box = await screen.findByTestId('waiting-approval');
    expect(box.textContent).toMatch(/waits for your approval: approved EUR\s*142\.04 from the deposit, Atlas now asks EUR\s*151\.85 from the deposit\./);
    within(box).getByTestId('detail-approve').focus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByTestId('approve-dialog');
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('approve-dialog')).toBeNull();
  });
});

describe('timeline words for approvals and checks', () => {
  const h = useHarness();

  it('says what was approved, both amounts of a price change, and who checked a card charge', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    const [, repriced] = await twoWaitingJobs(desk);
    await act(() => desk.api.orders.confirmNotCharged({ orderNo: 'TA2611260012' }));
    // The regenerated original has left the list: its panel opens from its number.
    act(() => useUi.getState().openDetail('TA2611260010'));
    const asked = await within(await screen.findByTestId('order-detail')).findByTestId('timeline');
    await within(asked).findByText(/Approved: EUR\s*142\.04 from the deposit/);
    // The order regenerated from it, which the job stopped before paying: both amounts.
    act(() => useUi.getState().openDetail(repriced!.quote!.orderNo));
    await waitFor(() => expect(within(screen.getByTestId('order-detail')).getByRole('heading', { level: 2 }).textContent).toBe(repriced!.quote!.orderNo));
    const stopped = await within(screen.getByTestId('order-detail')).findByTestId('timeline');
    await within(stopped).findByText(/From the deposit: approved EUR\s*142\.04, Atlas asks EUR\s*151\.85/);
    await user.click(screen.getByTestId('row-TA2611260012'));
    const other = await within(await screen.findByTestId('order-detail')).findByText('Confirmed the card charge started at the airline took no money');
    expect(other).toBeTruthy();
  });

  it('in Chinese too', async () => {
    const { desk } = h.renderUi(<App />, { language: 'zh-CN', desk: { settings: { language: 'zh-CN' } } });
    await screen.findByTestId('row-TA2611260001');
    const [, repriced] = await twoWaitingJobs(desk);
    act(() => useUi.getState().openDetail(repriced!.quote!.orderNo));
    const timeline = await within(await screen.findByTestId('order-detail')).findByTestId('timeline');
    await within(timeline).findByText(/从预存款扣除：已批准 EUR\s*142\.04，Atlas 要求 EUR\s*151\.85/);
    expect((await screen.findByTestId('waiting-approval')).textContent).toMatch(/正在等待您的批准：已批准 从预存款扣除 EUR\s*142\.04/);
  });
});

describe('price tolerance setting', () => {
  const h = useHarness();

  it('is saved as a percentage', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    await user.click(screen.getByTestId('nav-settings'));
    const field = await screen.findByTestId('settings-price-tolerance');
    await user.clear(field);
    await user.type(field, '2.5');
    await user.click(screen.getByTestId('settings-save'));
    await screen.findByText('Settings saved.');
    expect((await desk.ready()).settings.get().priceTolerancePercent).toBe(2.5);
  });
});
