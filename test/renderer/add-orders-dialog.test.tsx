// The add-orders dialog: what was added, not found or invalid stays visible; numbers from a CSV file.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AddOrdersDialog } from '../../renderer/src/components/AddOrdersDialog.tsx';
import { useHarness } from './harness.tsx';

describe('adding orders', () => {
  const h = useHarness();

  it('reports added, not found and invalid numbers, marked as payment failed', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<AddOrdersDialog onClose={() => undefined} />);
    // Atlas has TA2611260101, not ZZ2611260999; "bad!" is no order number at all.
    (await desk.ready()).sim.control.createOrder({ orderNo: 'TA2611260101', orderStatus: 0 });
    await user.type(screen.getByTestId('add-text'), 'TA2611260101 ZZ2611260999 bad!');
    expect(screen.getByTestId('add-count').textContent).toBe('3 order numbers');
    await user.click(screen.getByTestId('add-submit'));
    expect((await screen.findByTestId('add-added')).textContent).toBe('1 order added.');
    expect(screen.getByTestId('add-notfound').textContent).toContain('ZZ2611260999');
    expect(screen.getByTestId('add-invalid').textContent).toContain('BAD!');
    expect(desk.calls.find((c) => c.channel === 'orders:add')?.request).toEqual({ orderNos: ['TA2611260101', 'ZZ2611260999', 'BAD!'], markFailed: true });
    // What still needs fixing stays in the box.
    expect((screen.getByTestId('add-text') as HTMLTextAreaElement).value).toBe('ZZ2611260999\nBAD!');
    // The desk stored it as staff said: payment failed.
    expect(await desk.api.orders.show({ orderNo: 'TA2611260101' })).toMatchObject({ ok: true, value: { order: { markedFailed: true } } });
  });

  it('imports order numbers from a CSV file', async () => {
    h.renderUi(<AddOrdersDialog onClose={() => undefined} />);
    const file = new File(['order_no\nTA2611260201\nTA2611260202\n'], 'orders.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByTestId('add-file'), { target: { files: [file] } });
    await waitFor(() => expect((screen.getByTestId('add-text') as HTMLTextAreaElement).value).toBe('TA2611260201\nTA2611260202'));
  });
});
