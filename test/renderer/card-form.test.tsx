import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CardDetails } from '../../shared/atlas.ts';
import { App } from '../../renderer/src/components/App.tsx';
import { CardForm, type CardFormProps } from '../../renderer/src/components/CardForm.tsx';
import { useEnv } from '../../renderer/src/stores/env.ts';
import { useUi } from '../../renderer/src/stores/ui.ts';
import type { Environment } from '../../shared/ipc.ts';
import { NOW, useHarness } from './harness.tsx';
import { SANDBOX_VISA } from '../support/cards.ts';

const nowIso = () => new Date(NOW).toISOString();

function form(airlines: string[], onSubmit: CardFormProps['onSubmit'] = vi.fn(async () => null)) {
  return <CardForm airlines={airlines} vendorAmount={100} vendorCurrency="USD" submitLabel="Pay" onSubmit={onSubmit} onCancel={() => undefined} now={nowIso} />;
}

async function fillBasics(user: ReturnType<typeof userEvent.setup>, over: Partial<Record<string, string>> = {}) {
  const v = { cardNumber: SANDBOX_VISA, cardExpireMonth: '09', cardExpireYear: '2029', cardCVV: '123', cardHolderFirstName: 'Wei', cardHolderLastName: 'Tan', ...over };
  for (const [k, value] of Object.entries(v)) {
    const input = screen.getByTestId(`card-${k}`);
    await user.clear(input);
    if (value) await user.type(input, value);
  }
}

describe('card form', () => {
  const h = useHarness();

  it('rejects a card number with a bad check digit and does not submit', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async () => null);
    h.renderUi(form([], onSubmit));
    await fillBasics(user, { cardNumber: '4532015112830367' });
    await user.click(screen.getByTestId('card-submit'));
    expect(screen.getByTestId('card-error-cardNumber').textContent).toMatch(/check digit/);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('detects the brand as the number is typed', async () => {
    const user = userEvent.setup();
    h.renderUi(form([]));
    await user.type(screen.getByTestId('card-cardNumber'), '3714');
    expect(screen.getByTestId('card-brand').textContent).toBe('Amex');
  });

  it('says "Required" for an empty expiry month, not that the month is out of range', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async () => null);
    h.renderUi(form([], onSubmit));
    await fillBasics(user, { cardExpireMonth: '' });
    await user.click(screen.getByTestId('card-submit'));
    expect(screen.getByTestId('card-error-cardExpireMonth').textContent).toBe('Required');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('reads a one-digit expiry month as that month', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_card: CardDetails) => null);
    h.renderUi(form([], onSubmit));
    await fillBasics(user, { cardExpireMonth: '9' });
    await user.click(screen.getByTestId('card-submit'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]![0].cardExpireMonth).toBe('09');
  });

  it('rejects an expired card', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async () => null);
    h.renderUi(form([], onSubmit));
    await fillBasics(user, { cardExpireMonth: '10', cardExpireYear: '2026' }); // NOW is November 2026
    await user.click(screen.getByTestId('card-submit'));
    expect(screen.getByTestId('card-error-cardExpireYear').textContent).toMatch(/expired/);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('wants a 4-digit CVV for Amex and a 3-digit one for Visa', async () => {
    const user = userEvent.setup();
    h.renderUi(form([]));
    await fillBasics(user, { cardNumber: '378282246310005', cardCVV: '123' });
    await user.click(screen.getByTestId('card-submit'));
    expect(screen.getByTestId('card-error-cardCVV').textContent).toBe('CVV must be 4 digits');
    await fillBasics(user, { cardCVV: '1234' });
    expect(screen.getByTestId('card-error-cardCVV').textContent).toBe('CVV must be 3 digits');
  });

  it.each([
    ['NK', ['country', 'province', 'city', 'postCode', 'address']],
    ['DE', ['city']],
    ['H4', ['country']],
    ['JV', ['country', 'province', 'city']],
    ['SQ', []],
  ])('asks for exactly the holder-address fields %s requires', (airline, fields) => {
    h.renderUi(form([airline]));
    const labels = ['country', 'province', 'city', 'postCode', 'address'];
    const keyOf: Record<string, string> = { country: 'cardHolderCountry', province: 'cardHolderProvince', city: 'cardHolderCity', postCode: 'cardHolderPostCode', address: 'cardHolderAddress' };
    for (const f of labels) {
      const shown = screen.queryByTestId(`card-${keyOf[f]}`) !== null;
      expect(shown, `${airline} ${f}`).toBe(fields.includes(f));
    }
  });

  it('asks F9 for an address only when the card holder is in the US', async () => {
    const user = userEvent.setup();
    h.renderUi(form(['F9']));
    expect(screen.queryByTestId('card-cardHolderCity')).toBeNull();
    await user.type(screen.getByTestId('card-cardHolderCountry'), 'US');
    expect(screen.getByTestId('card-cardHolderCity')).toBeTruthy();
    expect(screen.getByTestId('card-cardHolderAddress')).toBeTruthy();
  });

  it('blocks submit until the required address fields are filled, then sends them', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_card: CardDetails) => null);
    h.renderUi(form(['DE'], onSubmit));
    await fillBasics(user, { cardNumber: '4532 0151 1283 0366' });
    await user.click(screen.getByTestId('card-submit'));
    expect(screen.getByTestId('card-error-cardHolderCity').textContent).toBe('Required');
    expect(onSubmit).not.toHaveBeenCalled();
    await user.type(screen.getByTestId('card-cardHolderCity'), 'Berlin');
    await user.click(screen.getByTestId('card-submit'));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const card = onSubmit.mock.calls[0]?.[0];
    expect(card).toMatchObject({ cardNumber: SANDBOX_VISA, cardHolderCity: 'Berlin', cardExpireMonth: '09', paymentLimit: 103 });
  });

  it('suggests a payment limit in the vendor currency', () => {
    h.renderUi(form([]));
    expect((screen.getByTestId('card-paymentLimit') as HTMLInputElement).value).toBe('103');
    expect(screen.getByTestId('limit-hint').textContent).toContain('103 USD');
  });

  it('clears every field right after a successful submit', async () => {
    const user = userEvent.setup();
    h.renderUi(form([]));
    await fillBasics(user);
    await user.click(screen.getByTestId('card-submit'));
    await waitFor(() => expect((screen.getByTestId('card-cardNumber') as HTMLInputElement).value).toBe(''));
    expect((screen.getByTestId('card-cardCVV') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('card-cardHolderLastName') as HTMLInputElement).value).toBe('');
  });

  it('after a failed submit wipes card number and CVV but keeps the holder name, and explains why', async () => {
    const user = userEvent.setup();
    h.renderUi(form([], vi.fn(async () => ({ code: 'offline' as const, message: 'x' }))));
    await fillBasics(user);
    await user.click(screen.getByTestId('card-submit'));
    await screen.findByTestId('error-offline');
    expect((screen.getByTestId('card-cardNumber') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('card-cardCVV') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('card-cardHolderLastName') as HTMLInputElement).value).toBe('Tan');
    expect(screen.getByRole('status').textContent).toMatch(/cleared/);
  });

  it('is empty again when the recover dialog is closed and reopened', async () => {
    const user = userEvent.setup();
    h.renderUi(<App />);
    const orderNo = 'TA2611260001';
    await screen.findByTestId(`row-${orderNo}`);
    const open = () => useUi.getState().openDialog('recover', orderNo);
    open();
    await user.click(await screen.findByTestId('choose-card'));
    await user.type(screen.getByTestId('card-cardNumber'), SANDBOX_VISA);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('recover-dialog')).toBeNull();
    open();
    await user.click(await screen.findByTestId('choose-card'));
    expect((within(screen.getByTestId('recover-dialog')).getByTestId('card-cardNumber') as HTMLInputElement).value).toBe('');
  });

  /** The env store as the shell reports it; `training` is what env:get says with no credentials. */
  async function inEnvironment(environment: Environment, training: boolean) {
    await act(() => useEnv.getState().load());
    act(() => useEnv.setState((s) => ({ info: s.info && { ...s.info, environment, training } })));
  }

  it.each([
    ['training', true, 'training', true],
    ['sandbox', true, 'sandbox', false],
    ['production', false, 'production', false],
    // Production chosen, but no credentials yet: the simulator answers, so it is Training.
    ['production without credentials', true, 'production', true],
  ] as const)("Atlas's sandbox test card with a wrong check digit, in %s, is accepted: %s", async (_label, accepted, environment, training) => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async () => null);
    h.renderUi(form([], onSubmit));
    await inEnvironment(environment, training);
    await fillBasics(user, { cardNumber: '4916931584764308' });
    await user.click(screen.getByTestId('card-submit'));
    if (accepted) await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    else {
      expect(screen.getByTestId('card-error-cardNumber').textContent).toMatch(/check digit/);
      expect(onSubmit).not.toHaveBeenCalled();
    }
  });

  it('checks in full until the environment is known', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async () => null);
    h.renderUi(form([], onSubmit));
    expect(useEnv.getState().info).toBeNull();
    await fillBasics(user, { cardNumber: '4916931584764308' });
    await user.click(screen.getByTestId('card-submit'));
    expect(screen.getByTestId('card-error-cardNumber').textContent).toMatch(/check digit/);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses a payment limit with more decimals than the airline currency has, and says how many it allows', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async (_card: CardDetails) => null);
    h.renderUi(form([], onSubmit));
    await fillBasics(user);
    await user.clear(screen.getByTestId('card-paymentLimit'));
    await user.type(screen.getByTestId('card-paymentLimit'), '103.005');
    await user.click(screen.getByTestId('card-submit'));
    expect(screen.getByTestId('card-error-paymentLimit').textContent).toBe('USD has at most 2 decimals');
    expect(onSubmit).not.toHaveBeenCalled();
    await user.clear(screen.getByTestId('card-paymentLimit'));
    await user.type(screen.getByTestId('card-paymentLimit'), '103.01');
    await user.click(screen.getByTestId('card-submit'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]![0].paymentLimit).toBe(103.01);
  });
});
