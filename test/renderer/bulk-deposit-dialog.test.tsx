// The bulk deposit dialog: what the deposit covers and in which order, who cannot and why, unpaid
// orders never included, and per-row results as the real jobs run.
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { useHarness } from './harness.tsx';

async function openBulk(h: ReturnType<typeof useHarness>, orderNos: string[], balances?: Record<string, number>) {
  const r = h.renderUi(<App />, balances ? { desk: { balances } } : {});
  await screen.findByTestId('row-TA2611260001');
  act(() => useUi.getState().setSelected(new Set(orderNos), null));
  await userEvent.setup().click(screen.getByTestId('bulk-deposit'));
  await screen.findByTestId('bulk-totals');
  return r;
}

// TA2611260003 must be paid within 1.5 h, TA2611260001 (cancelled) may be regenerated for 19 h more;
// TA2611260004's deadline is 0.3 h away, TA2611260010's window closes in 18 h. Per currency, soonest
// first; the currencies come in the order the list shows them (which the desk's updates may change).
const PAID = { USD: ['TA2611260003'], EUR: ['TA2611260004', 'TA2611260010'] };
const inCurrency = (orderNos: string[], currency: keyof typeof PAID) => orderNos.filter((no) => PAID[currency].includes(no));
const FIRST_USD = { due: 'USD 201.99', left: 'USD 298.01' };
const LATER_USD = 'TA2611260001 — USD 416.40';

describe('bulk recovery with deposit', () => {
  const h = useHarness();

  it('pays only the orders the deposit covers, soonest deadline first, and says which are left', async () => {
    const { desk } = await openBulk(h, ['TA2611260001', 'TA2611260003', 'TA2611260010', 'TA2611260004'], { USD: 500, EUR: 3000 });
    // 416.40 + 201.99 USD (fares and Atlas's fees) are due against 500 USD: only one fits — the one due first.
    expect(screen.getByTestId('bulk-count').textContent).toBe('3 orders will be paid with deposit.');
    const usd = screen.getByTestId('bulk-total-USD');
    expect([...usd.querySelectorAll('td')].map((td) => td.textContent?.replace(/\u00a0/g, ' '))).toEqual(['USD', '1', FIRST_USD.due, 'USD 500.00', FIRST_USD.left]);
    const beyond = screen.getByTestId('bulk-beyond');
    expect(within(beyond).getAllByRole('listitem').map((li) => li.textContent?.replace(/\u00a0/g, ' '))).toEqual([LATER_USD]);
    expect(screen.getByText(/^1 order is not paid now: the deposit does not cover it/)).toBeDefined();
    const eur = screen.getByTestId('bulk-total-EUR');
    expect(eur.textContent).toMatch(/EUR\s*1,393\.88/); // 140.20 + 1,250.00 fares, EUR 1.84 each in Atlas's fees
    // What is paid, in the order it is paid.
    const paid = within(screen.getByTestId('bulk-fits')).getAllByRole('listitem').map((li) => li.textContent?.split(' — ')[0] ?? '');
    expect([...paid].sort()).toEqual([...PAID.USD, ...PAID.EUR].sort());
    expect(inCurrency(paid, 'USD')).toEqual(PAID.USD);
    expect(inCurrency(paid, 'EUR')).toEqual(PAID.EUR);
    await userEvent.setup().click(screen.getByTestId('bulk-confirm'));
    await screen.findByTestId('bulk-results');
    const sent = desk.calls.find((c) => c.channel === 'recovery:deposit')?.request as { orderNos: string[] };
    expect(sent.orderNos).toEqual(paid);
    // The results still name the order left out, and why, next to the ones paid.
    const left = LATER_USD.split(' — ')[0]!;
    expect(screen.getByTestId(`bulk-result-${left}`).textContent).toBe(left + 'Not paid now The deposit did not cover it once the orders due sooner were paid: top up and recover it again, or pay by card.');
    expect(screen.getByTestId('bulk-summary').textContent).toMatch(/Not recovered: 1$/);
  });

  it('leaves unpaid orders out, says so, and never sends them', async () => {
    const { desk } = await openBulk(h, ['TA2611260001', 'TA2611260007', 'TA2611260008']);
    expect(screen.getByTestId('bulk-unpaid-excluded').textContent).toMatch(/^2 unpaid orders were left out/);
    const preview = desk.calls.find((c) => c.channel === 'recovery:previewDeposit');
    expect(preview?.request).toEqual({ orderNos: ['TA2611260001'] });
    await userEvent.setup().click(screen.getByTestId('bulk-confirm'));
    await screen.findByTestId('bulk-results');
    const sent = desk.calls.find((c) => c.channel === 'recovery:deposit');
    // With each order's amount as previewed: what staff approved by confirming.
    expect(sent?.request).toEqual({ orderNos: ['TA2611260001'], approvals: [{ orderNo: 'TA2611260001', dueFromDeposit: { amount: 416.4, currency: 'USD' } }] });
  });

  it('lists the selected orders that cannot use deposit, with the reason', async () => {
    await openBulk(h, ['TA2611260001', 'TA2611260009', 'TA2611260005']);
    const list = screen.getByTestId('bulk-ineligible');
    expect(within(list).getByText('TA2611260009').parentElement!.textContent).toMatch(/does not accept deposit/);
    expect(within(list).getByText('TA2611260005').parentElement!.textContent).toMatch(/duplicate booking/);
    expect(screen.getByTestId('bulk-confirm').textContent).toBe('Pay 1 order with deposit');
  });

  it('streams per-row results in from queue:changed', async () => {
    const user = userEvent.setup();
    await openBulk(h, ['TA2611260001', 'TA2611260003']);
    await user.click(screen.getByTestId('bulk-confirm'));
    const results = await screen.findByTestId('bulk-results');
    // TA2611260001 is regenerated first, then paid; TA2611260003 is paid as it is.
    await waitFor(() => expect(within(results).getByTestId('job-state-TA2611260003').textContent).toMatch(/Done · Ticketed/));
    await waitFor(() => expect(within(results).getByTestId('job-state-TA2611260001').textContent).toMatch(/Done · Ticketed/));
    expect(within(results).getByTestId('job-state-TA2611260001').textContent).toMatch(/→ TESTA/);
    expect(screen.getByTestId('bulk-summary').textContent).toBe('Done: 2 · In progress: 0 · Not recovered: 0');
  });

  it('after confirming, keeps its own list of the confirmed orders with one clean result row each', async () => {
    const user = userEvent.setup();
    const { desk } = await openBulk(h, ['TA2611260001', 'TA2611260003']);
    // The office network goes down before the jobs start: they wait for it.
    desk.network.down();
    await user.click(screen.getByTestId('bulk-confirm'));
    const results = await screen.findByTestId('bulk-results');
    // Starting clears the list's selection; the dialog still talks about the confirmed orders.
    expect(useUi.getState().selected.size).toBe(0);
    expect(screen.queryByTestId('bulk-nothing')).toBeNull();
    // In the order they are paid: TA2611260003's deadline comes first.
    expect(within(results).getAllByTestId(/^bulk-result-/).map((r) => r.getAttribute('data-testid'))).toEqual(['bulk-result-TA2611260003', 'bulk-result-TA2611260001']);
    // Offline: the state already says "waiting for network"; the row does not say it twice.
    const waiting = within(results).getByTestId('bulk-result-TA2611260001');
    await waitFor(() => expect(waiting.textContent).toMatch(/Waiting for network/));
    await waitFor(() => expect(within(results).getByTestId('bulk-result-TA2611260003').textContent).toMatch(/Waiting for network/));
    expect(waiting.textContent).not.toMatch(/Waiting for the network/);
    expect(screen.getByTestId('bulk-summary').textContent).toBe('Done: 0 · In progress: 2 · Not recovered: 0');
  });
});
