// Nothing staff typed is lost when a request fails: the fake desk fails the call, the form keeps
// every field (except the card number and CVV, which are never kept after a submit).
import { act, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AddOrdersDialog } from '../../renderer/src/components/AddOrdersDialog.tsx';
import { App } from '../../renderer/src/components/App.tsx';
import { useEnv } from '../../renderer/src/stores/env.ts';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { useHarness } from './harness.tsx';

const value = (testId: string) => (screen.getByTestId(testId) as HTMLInputElement).value;

describe('input survives a failed request', () => {
  const h = useHarness();

  it('add orders: the pasted numbers and the "payment failed" choice stay after a failure, and resend as typed', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<AddOrdersDialog onClose={() => undefined} />);
    await user.type(screen.getByTestId('add-text'), 'TA2611260101\nTA2611260102');
    await user.click(screen.getByTestId('add-mark-failed'));
    desk.failNext('orders:add', 'atlas_error');
    await user.click(screen.getByTestId('add-submit'));
    await screen.findByRole('alert');
    expect(value('add-text')).toBe('TA2611260101\nTA2611260102');
    expect((screen.getByTestId('add-mark-failed') as HTMLInputElement).checked).toBe(false);
    await user.click(screen.getByTestId('add-submit'));
    await screen.findByTestId('add-result');
    const sent = desk.calls.filter((c) => c.channel === 'orders:add').map((c) => c.request);
    expect(sent.at(-1)).toEqual({ orderNos: ['TA2611260101', 'TA2611260102'], markFailed: false });
  });

  it('settings: the edited form stays as typed after a failed save, and the saved settings are unchanged', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().setScreen('settings'));
    const staff = await screen.findByTestId('settings-staff');
    const before = useEnv.getState().settings?.staffName;
    await user.clear(staff);
    await user.type(staff, 'Chen Jing');
    await user.selectOptions(screen.getByTestId('settings-language'), 'zh-CN');
    desk.failNext('settings:update', 'offline');
    await user.click(screen.getByTestId('settings-save'));
    await screen.findByTestId('error-offline');
    expect(value('settings-staff')).toBe('Chen Jing');
    expect(value('settings-language')).toBe('zh-CN');
    expect(useEnv.getState().settings?.staffName).toBe(before);
    // The UI did not switch language for a save that did not happen.
    expect(screen.getByTestId('nav-orders').textContent).toBe('Failed orders');
  });

  it('credentials: client ID and secret stay after a failed save, and are cleared once saved', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().setScreen('settings'));
    const box = within(await screen.findByTestId('settings-credentials'));
    await user.type(box.getByLabelText('Client ID'), 'agency-42');
    await user.type(screen.getByTestId('client-secret'), 's3cret');
    desk.failNext('credentials:set', 'offline');
    await user.click(screen.getByTestId('credentials-save'));
    await box.findByTestId('error-offline');
    expect((box.getByLabelText('Client ID') as HTMLInputElement).value).toBe('agency-42');
    expect(value('client-secret')).toBe('s3cret');
    await user.click(screen.getByTestId('credentials-save'));
    await box.findByTestId('credentials-result');
    expect(value('client-secret')).toBe('');
  });

  it('recover by card: holder name and address stay after a failed payment request; card number and CVV do not', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().openDialog('recover', 'TA2611260001'));
    await user.click(await screen.findByTestId('choose-card'));
    const typed: Record<string, string> = {
      cardNumber: '4532015112830366', cardExpireMonth: '09', cardExpireYear: '2029', cardCVV: '123',
      cardHolderFirstName: 'John', cardHolderLastName: 'Smith',
      cardHolderCountry: 'US', cardHolderProvince: 'CA', cardHolderCity: 'Los Angeles', cardHolderPostCode: '90001', cardHolderAddress: '1 World Way',
    };
    // The holder-address fields appear as the airline (and a US card) requires them.
    for (const [k, v] of Object.entries(typed)) {
      const input = screen.queryByTestId(`card-${k}`);
      if (input) await user.type(input, v);
    }
    const holderShown = Object.keys(typed).filter((k) => k.startsWith('cardHolder') && screen.queryByTestId(`card-${k}`));
    expect(holderShown.length).toBeGreaterThan(2);
    desk.failNext('recovery:card', 'atlas_error');
    await user.click(screen.getByTestId('card-submit'));
    await screen.findByRole('alert');
    for (const k of holderShown) expect(value(`card-${k}`), k).toBe(typed[k]);
    expect(value('card-cardExpireMonth')).toBe('09');
    expect(value('card-cardNumber')).toBe('');
    expect(value('card-cardCVV')).toBe('');
  });

  it('settings: a failed load says so with a retry instead of loading for ever', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    desk.failNext('settings:get', 'internal');
    await act(() => useEnv.getState().load());
    act(() => useEnv.setState({ settings: null }));
    act(() => useUi.getState().setScreen('settings'));
    const alert = await screen.findByTestId('error-internal');
    await user.click(within(alert).getByRole('button'));
    expect(await screen.findByTestId('settings-staff')).toBeTruthy();
  });
});
