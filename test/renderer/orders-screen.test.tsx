import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { NOW, useHarness } from './harness.tsx';

const rowNos = () => screen.queryAllByTestId(/^row-/).map((r) => r.getAttribute('data-testid')!.slice(4));

async function renderHome(h: ReturnType<typeof useHarness>) {
  const r = h.renderUi(<App />);
  await screen.findByTestId('row-TA2611260001');
  return r;
}

describe('failed orders screen', () => {
  const h = useHarness();

  it('counts orders per category and keeps unpaid out of "all failed"', async () => {
    await renderHome(h);
    const count = (c: string) => screen.getByTestId(`count-${c}`).textContent;
    // A: 0003, 0004, 0011 marked failed by staff, and 0012 with a card charge Atlas started.
    expect([count('failed'), count('B'), count('A'), count('attention'), count('ticketing'), count('unpaid')]).toEqual(['10', '4', '4', '1', '1', '2']);
    expect(rowNos()).not.toContain('TA2611260007');
    await userEvent.setup().click(screen.getByTestId('tab-unpaid'));
    expect(rowNos().sort()).toEqual(['TA2611260007', 'TA2611260008']);
    expect(screen.getByTestId('unpaid-note')).toBeTruthy();
  });

  it('shows the failure reason in words, the amount with its currency and a live countdown, urgent in words as well as red', async () => {
    const clock = vi.spyOn(Date, 'now').mockReturnValue(NOW);
    await renderHome(h);
    act(() => useUi.getState().tick(NOW));
    const row = screen.getByTestId('row-TA2611260001');
    expect(row.textContent).toContain('Card declined by the airline');
    expect(row.textContent).toMatch(/USD\s*412\.40/);
    const urgent = within(screen.getByTestId('row-TA2611260004'));
    expect(urgent.getByText(/left$/).textContent).toBe('Urgent 18m 00s left');
    expect(urgent.getByText(/left$/).closest('.countdown')!.getAttribute('title')).toMatch(/Singapore time, UTC\+8/);
    act(() => useUi.getState().tick(useUi.getState().now + 61_000));
    expect(urgent.getByText(/left$/).textContent).toBe('Urgent 16m 59s left');
    // Hours away is not urgent: no word, no red.
    const calm = within(screen.getByTestId('row-TA2611260001')).getByText(/left$/);
    expect(calm.textContent).not.toMatch(/Urgent/);
    expect(calm.closest('.countdown')!.classList.contains('critical')).toBe(false);
    clock.mockRestore();
  });

  it('filters by category, airline, currency and departure date', async () => {
    const user = userEvent.setup();
    await renderHome(h);
    await user.click(screen.getByTestId('tab-B'));
    expect(rowNos().sort()).toEqual(['TA2611260001', 'TA2611260002', 'TA2611260009', 'TA2611260010']);
    await user.selectOptions(screen.getByTestId('filter-currency'), 'EUR');
    expect(rowNos()).toEqual(['TA2611260010']);
    await user.click(screen.getByTestId('filters-clear'));
    await user.click(screen.getByTestId('tab-failed'));
    await user.selectOptions(screen.getByTestId('filter-airline'), 'NK');
    expect(rowNos().sort()).toEqual(['TA2611260001', 'TA2611260011']);
    await user.click(screen.getByTestId('filters-clear'));
    fireEvent.change(screen.getByTestId('filter-from'), { target: { value: '2026-12-19' } });
    expect(screen.getByTestId('orders-empty').textContent).toMatch(/No order matches/);
  });

  it('searches order number, PNR and passenger name', async () => {
    const user = userEvent.setup();
    const { desk } = await renderHome(h);
    const pnr = (await desk.ready()).sim.control.order('TA2611260002')!.pnrCode;
    const search = screen.getByTestId('search');
    await user.type(search, 'garcia');
    expect(rowNos()).toEqual(['TA2611260003']);
    await user.clear(search);
    await user.type(search, pnr);
    expect(rowNos()).toEqual(['TA2611260002']);
    await user.clear(search);
    await user.type(search, '260005');
    expect(rowNos()).toEqual(['TA2611260005']);
  });

  it('sorts by a column and flips direction on a second click', async () => {
    const user = userEvent.setup();
    await renderHome(h);
    await user.click(screen.getByTestId('sort-amount'));
    const asc = rowNos();
    expect(asc[0]).toBe('TA2611260009'); // 88 USD is the smallest amount
    await user.click(screen.getByTestId('sort-amount'));
    expect(rowNos()).toEqual([...asc].reverse());
    expect(screen.getByTestId('sort-amount').closest('[role=columnheader]')!.getAttribute('aria-sort')).toBe('descending');
  });

  it('selects a range with shift-click', async () => {
    const user = userEvent.setup();
    await renderHome(h);
    const rows = rowNos();
    const box = (no: string) => within(screen.getByTestId(`row-${no}`)).getByRole('checkbox');
    await user.click(box(rows[1]!));
    await user.keyboard('{Shift>}');
    await user.click(box(rows[4]!));
    await user.keyboard('{/Shift}');
    expect([...useUi.getState().selected].sort()).toEqual(rows.slice(1, 5).sort());
    expect(screen.getByTestId('selection-bar').textContent).toContain('4 orders selected');
  });

  it('moves with j/k, selects with x, opens with Enter and focuses search with /', async () => {
    const user = userEvent.setup();
    await renderHome(h);
    const rows = rowNos();
    await user.keyboard('jj');
    expect(screen.getByTestId(`row-${rows[2]}`).className).toContain('cursor');
    await user.keyboard('k');
    await user.keyboard('x');
    expect(useUi.getState().selected.has(rows[1]!)).toBe(true);
    await user.keyboard('{Enter}');
    const panel = await screen.findByTestId('order-detail');
    expect(within(panel).getByRole('heading', { level: 2 }).textContent).toBe(rows[1]);
    await user.keyboard('/');
    expect(document.activeElement).toBe(screen.getByTestId('search'));
  });

  it('opens the detail with the plan in words and links to the original order', async () => {
    const user = userEvent.setup();
    const { desk } = await renderHome(h);
    // The desk regenerated TA2611260001 and paid the new order; the airline declined that too.
    (await desk.ready()).sim.control.setSwitches({ regeneratedTicketingOutcome: '604' });
    await desk.recoverWithDeposit(['TA2611260001']);
    const shown = await desk.api.orders.show({ orderNo: 'TA2611260001' });
    const fresh = shown.ok ? shown.value.order.regeneratedInto[0]! : '';
    await user.click(await screen.findByTestId(`row-${fresh}`));
    const panel = await screen.findByTestId('order-detail');
    expect(within(panel).getByTestId('plan-action').textContent).toMatch(/Regenerate the order first/);
    await within(panel).findByTestId('timeline');
    await user.click(within(panel).getByTestId('link-TA2611260001'));
    await waitFor(() => expect(within(screen.getByTestId('order-detail')).getByRole('heading', { level: 2 }).textContent).toBe('TA2611260001'));
    expect(await within(screen.getByTestId('order-detail')).findByText(/pay the new order, never this one/)).toBeTruthy();
    expect(within(screen.getByTestId('order-detail')).getByTestId(`link-${fresh}`)).toBeTruthy();
  });

  it('reloads when main pushes orders:changed and unsubscribes every push on teardown', async () => {
    const { desk, unmount } = await renderHome(h);
    expect(desk.listenerCount('orders:changed')).toBe(1);
    expect(screen.queryByTestId('row-TA2611260007')).toBeNull();
    // Staff elsewhere (the CLI) say its payment failed: the core pushes orders:changed.
    await desk.api.orders.add({ orderNos: ['TA2611260007'], markFailed: true });
    await screen.findByTestId('row-TA2611260007');
    unmount();
    for (const p of ['orders:changed', 'queue:changed', 'queue:leaseChanged', 'queue:paceChanged', 'sync:changed', 'env:changed'] as const) expect(desk.listenerCount(p)).toBe(0);
  });

  it('keeps keyboard focus in the list when the last matching order leaves it, and when orders come back', async () => {
    const user = userEvent.setup();
    const { desk } = await renderHome(h);
    await user.type(screen.getByTestId('search'), 'garcia');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(rowNos()).toEqual(['TA2611260003']));
    screen.getByTestId('orders-table').focus();

    // Paid and ticketed: it leaves the list while the grid has focus.
    await desk.recoverWithDeposit(['TA2611260003']);
    await screen.findByTestId('orders-empty');
    expect(document.activeElement).toBe(screen.getByTestId('orders-empty'));

    // Another booking of hers whose payment failed comes in.
    (await desk.ready()).sim.control.createOrder({ orderNo: 'TA2611260013', orderStatus: 0, passengers: ['GARCIA/MARIA'], holdMinutes: 120 });
    await desk.api.orders.add({ orderNos: ['TA2611260013'], markFailed: true });
    await screen.findByTestId('row-TA2611260013');
    expect(document.activeElement).toBe(screen.getByTestId('orders-table'));
  });

  it('shows sync progress from sync:changed and the last sync time', async () => {
    const user = userEvent.setup();
    const { desk } = await renderHome(h);
    expect(screen.getByTestId('sync-last').textContent).toMatch(/^Last sync/);
    // Atlas answers each order slowly: the sync is seen running, order by order.
    (await desk.ready()).sim.control.setFault('queryOrderDetails', { kind: 'latency', ms: 200 });
    await user.click(screen.getByTestId('sync-now'));
    await waitFor(() => expect(screen.getByTestId('sync-progress').textContent).toMatch(/[1-9]\d* \/ \d+/));
    expect((screen.getByTestId('sync-now') as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(screen.queryByTestId('sync-progress')).toBeNull());
  });

  it('shows the training banner and the offline banner from env:changed', async () => {
    const { desk } = await renderHome(h);
    expect(screen.getByTestId('banner-training').textContent).toMatch(/Training mode — no real bookings/);
    // The shell sees the network go: env:changed.
    const stack = await desk.ready();
    act(() => stack.setShellOnline(false));
    expect(screen.getByTestId('banner-offline').textContent).toMatch(/resume by itself/);
  });

  it('says where an unreadable database was kept when the desk had to start a new one', async () => {
    const { desk } = h.renderUi(<App />, { desk: { unreadableDatabase: true } });
    const banner = await screen.findByTestId('banner-database');
    const keptAt = (await desk.ready()).core.databaseRecoveredFrom();
    expect(keptAt).toMatch(/desk-training\.sqlite/);
    expect(banner.textContent).toContain(keptAt);
  });

  it('shows no such notice when the database opened', async () => {
    await renderHome(h);
    expect(screen.queryByTestId('banner-database')).toBeNull();
  });
});
