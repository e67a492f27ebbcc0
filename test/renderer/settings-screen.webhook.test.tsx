// Settings → webhook receiver: where it may listen, the URL to register in ATRIP, a new secret path.
import { createServer, type AddressInfo } from 'node:net';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SettingsScreen } from '../../renderer/src/components/SettingsScreen.tsx';
import { useEnv } from '../../renderer/src/stores/env.ts';
import { useHarness } from './harness.tsx';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('webhook receiver settings', () => {
  const h = useHarness();

  const render = async (language: 'en' | 'zh-CN' = 'en', enabled = true) => {
    // The desk's receiver really listens: on a port nobody else uses now.
    const port = await freePort();
    const result = h.renderUi(<SettingsScreen />, {
      language,
      desk: { settings: { webhook: { enabled, host: '127.0.0.1', port }, webhookPublicUrl: enabled ? 'https://hooks.agency.example' : '' } },
    });
    await useEnv.getState().load();
    return result;
  };

  it('offers only loopback and this computer’s addresses, says TLS must be in front, and saves the public URL', async () => {
    const { desk } = await render('en', false);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: 'Receive Atlas webhooks' }));
    expect(screen.getByTestId('webhook-tls').textContent).toMatch(/plain HTTP.*TLS \(https\) proxy/);
    const host = screen.getByRole('combobox', { name: 'Listen on' });
    expect(within(host).getAllByRole('option').map((o) => o.getAttribute('value'))).toEqual(['127.0.0.1', '::1', '192.168.1.20']);
    expect(within(host).getByRole('option', { name: '127.0.0.1 — this computer only' })).toBeTruthy();
    await user.selectOptions(host, '192.168.1.20');
    await user.type(screen.getByRole('textbox', { name: "Public https address (the agency's TLS proxy)" }), 'https://desk.agency.example');
    await user.click(screen.getByTestId('settings-save'));
    const { settings } = await desk.ready();
    await waitFor(() => expect(settings.get().webhookPublicUrl).toBe('https://desk.agency.example'));
    expect(settings.get().webhook).toMatchObject({ enabled: true, host: '192.168.1.20' });
  });

  it('shows the URL to register in ATRIP and rotates the secret path only after staff confirm, by keyboard', async () => {
    const { desk } = await render();
    const user = userEvent.setup();
    const before = (await screen.findByTestId('webhook-public-url')).textContent;
    expect(before).toMatch(/^https:\/\/hooks\.agency\.example\/webhook\//);
    screen.getByTestId('webhook-rotate').focus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', { name: "Replace the webhook's secret path?" });
    expect(dialog.textContent).toMatch(/stops working at once.*register the new URL in ATRIP/);
    await user.keyboard('{Escape}');
    expect(desk.calls.filter((c) => c.channel === 'webhook:rotateToken')).toEqual([]);
    screen.getByTestId('webhook-rotate').focus();
    await user.keyboard('{Enter}');
    await screen.findByRole('dialog');
    await user.tab(); // Cancel has the focus first; then the confirming button
    expect(document.activeElement).toBe(screen.getByTestId('webhook-rotate-confirm'));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('webhook-public-url').textContent).not.toBe(before));
    expect(desk.calls.filter((c) => c.channel === 'webhook:rotateToken')).toHaveLength(1);
    expect(screen.getByRole('status').textContent).toBe('New secret path made. Register the new URL in ATRIP now.');
  });

  it('reads in Chinese too', async () => {
    await render('zh-CN');
    expect(await screen.findByTestId('webhook-rotate')).toHaveProperty('textContent', '更换密钥路径…');
    expect(screen.getByTestId('webhook-tls').textContent).toMatch(/TLS（https）代理/);
  });
});
