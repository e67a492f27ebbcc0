import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcErrorCode } from '../../shared/ipc.ts';
import { App } from '../../renderer/src/components/App.tsx';
import { AddOrdersDialog } from '../../renderer/src/components/AddOrdersDialog.tsx';
import { ErrorNote } from '../../renderer/src/components/ErrorNote.tsx';
import { useHarness } from './harness.tsx';

describe('error messages', () => {
  const h = useHarness();

  it.each<[IpcErrorCode, RegExp]>([
    ['offline', /You are offline.*input is kept/],
    ['atlas_unauthorized', /check the client ID and secret in Settings/i],
    ['atlas_rate_limited', /Wait a minute, then try again/],
    ['no_credentials', /Add them in Settings/],
    ['conflict', /order changed in the meantime/],
    ['not_found', /was not found/],
    ['invalid_request', /Check the highlighted fields/],
  ])('%s says what happened and what to do next', (code, text) => {
    h.renderUi(<ErrorNote error={{ code, message: 'english log text' }} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(text);
    expect(alert.textContent).not.toContain('english log text');
  });

  it('is translated into Chinese by code', () => {
    h.renderUi(<ErrorNote error={{ code: 'offline', message: 'x' }} />, { language: 'zh-CN' });
    expect(screen.getByRole('alert').textContent).toMatch(/当前离线/);
  });

  it('a failed list load keeps the rows already shown and offers a retry', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    (await desk.ready()).sim.control.createOrder({ orderNo: 'TA2611269999', orderStatus: 0 });
    desk.failNext('orders:list', 'atlas_rate_limited');
    await user.click(screen.getByTestId('add-orders'));
    await user.type(screen.getByTestId('add-text'), 'TA2611269999');
    await user.click(screen.getByTestId('add-submit'));
    // orders:changed triggers a reload; that reload fails.
    await screen.findByTestId('error-atlas_rate_limited');
    expect(screen.getByTestId('row-TA2611260001')).toBeTruthy();
  });

  it('keeps the pasted order numbers when adding fails', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<AddOrdersDialog onClose={() => undefined} />);
    desk.failNext('orders:add', 'offline');
    await user.type(screen.getByTestId('add-text'), 'TA2611260101, TA2611260102');
    await user.click(screen.getByTestId('add-submit'));
    await screen.findByTestId('error-offline');
    expect((screen.getByTestId('add-text') as HTMLTextAreaElement).value).toBe('TA2611260101, TA2611260102');
  });
});
