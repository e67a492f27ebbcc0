import { act, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { formatDepDate } from '../../renderer/src/lib/format.ts';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { NOW, useHarness } from './harness.tsx';

const row = (no: string) => screen.getByTestId(`row-${no}`);

describe('deadline column', () => {
  const h = useHarness();

  it('shows no alarm for orders the desk will not pay (608 duplicate, ticketing)', async () => {
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260005');
    act(() => useUi.getState().tick(NOW));
    for (const no of ['TA2611260005', 'TA2611260006']) {
      expect(row(no).textContent).not.toMatch(/Deadline passed/);
      expect(row(no).querySelector('.countdown')).toBeNull();
      expect(within(row(no)).getByText(/No deadline applies/)).toBeTruthy();
    }
  });

  it('labels the clock: "pay by" for an order paid as it is, "regenerate by" for one regenerated first', async () => {
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().tick(NOW));
    expect(row('TA2611260003').querySelector('.countdown-at')!.textContent).toMatch(/^Pay by /);
    const regenerate = row('TA2611260001').querySelector('.countdown')!;
    expect(regenerate.querySelector('.countdown-at')!.textContent).toMatch(/^Regenerate by /);
    expect(regenerate.getAttribute('title')).toMatch(/within 24 hours of its creation/);
  });

  it('says in the detail panel that no deadline applies to a paid-without-PNR style order', async () => {
    const user = userEvent.setup();
    h.renderUi(<App />);
    await user.click(await screen.findByTestId('row-TA2611260005'));
    const panel = await screen.findByTestId('order-detail');
    expect(panel.textContent).toMatch(/No deadline applies: the desk will not pay this order/);
    expect(panel.textContent).not.toMatch(/Deadline passed/);
  });
});

describe('columns', () => {
  const h = useHarness();

  it('titles the reason column neutrally on the Unpaid tab', async () => {
    const user = userEvent.setup();
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    expect(screen.getByTestId('col-reason').textContent).toBe('Why it failed');
    await user.click(screen.getByTestId('tab-unpaid'));
    expect(screen.getByTestId('col-reason').textContent).toBe("Why it's here");
  });

  it('shows Chinese departure dates in a compact form that fits the column', async () => {
    expect(formatDepDate('2026-12-18', 'zh-CN', true)).toBe('2026/12/18');
    expect(formatDepDate('2026-12-18', 'zh-CN')).toBe('2026年12月18日');
    h.renderUi(<App />, { language: 'zh-CN', desk: { settings: { language: 'zh-CN' } } });
    expect((await screen.findByTestId('row-TA2611260001')).textContent).toContain('2026/12/18');
  });

  it('keeps each method\'s card charge and deposit share together on its own row', async () => {
    const user = userEvent.setup();
    h.renderUi(<App />);
    await user.click(await screen.findByTestId('row-TA2611260003'));
    const card = await within(await screen.findByTestId('order-detail')).findByTestId('method-3');
    // Atlas's fee for one traveller (USD 2.00) comes from the deposit, the fare from the card.
    expect(card.textContent).toMatch(/^Card \(VCC\)USD\s*199\.99 charged to the card \+ USD\s*2\.00 from deposit$/);
  });
});
