// Settings explain the Atlas host rule before anything is sent (main enforces it again), offer
// the agency proxy only as an explicit, plainly worded switch, and say when the saved secret
// belongs to another address.
import { act, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { useHarness } from './harness.tsx';

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe('settings: where Atlas calls go', () => {
  const h = useHarness();

  async function openSettings(options: Parameters<typeof h.renderUi>[1] = {}) {
    const user = userEvent.setup();
    const rendered = h.renderUi(<App />, options);
    await screen.findByTestId('row-TA2611260001');
    act(() => useUi.getState().setScreen('settings'));
    await screen.findByTestId('settings-production-url');
    return { user, desk: rendered.desk };
  }

  it('names the problem with a foreign host and does not send the form', async () => {
    const { user, desk } = await openSettings();
    const field = input('settings-production-url');
    await user.clear(field);
    await user.type(field, 'https://api-sg.atriptech.com.evil.test');
    expect(screen.getByTestId('settings-production-url-error').textContent).toMatch(/Only Atlas addresses are allowed/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe(screen.getByTestId('settings-production-url-error').id);
    expect((screen.getByTestId('settings-save') as HTMLButtonElement).disabled).toBe(true);
    await user.clear(field);
    await user.type(field, 'https://api-eu.atriptech.com');
    expect(screen.queryByTestId('settings-production-url-error')).toBeNull();
    expect((screen.getByTestId('settings-save') as HTMLButtonElement).disabled).toBe(false);
    expect(desk.calls.some((c) => c.channel === 'settings:update')).toBe(false);
  });

  it('offers the proxy as its own switch with a plain warning, checked by keyboard too', async () => {
    // Main asks before calls go elsewhere; staff say yes in its dialog.
    const { user, desk } = await openSettings({ desk: { shell: { confirmTargetChange: true } } });
    expect(screen.queryByTestId('settings-proxy-url')).toBeNull();
    expect(screen.getByTestId('settings-proxy').textContent).toContain('with the client secret and card numbers');
    input('settings-proxy-enabled').focus();
    await user.keyboard(' ');
    expect(input('settings-proxy-enabled').checked).toBe(true);
    // On with no address: cannot be saved.
    expect((screen.getByTestId('settings-save') as HTMLButtonElement).disabled).toBe(true);
    await user.type(input('settings-proxy-url'), 'http://gw.agency.example');
    expect(screen.getByTestId('settings-proxy-url-error').textContent).toMatch(/only to this computer/);
    // Switched off again with a bad address: nothing hidden blocks saving.
    await user.click(input('settings-proxy-enabled'));
    expect((screen.getByTestId('settings-save') as HTMLButtonElement).disabled).toBe(false);
    await user.click(input('settings-proxy-enabled'));
    expect(input('settings-proxy-url').value).toBe('');
    await user.type(input('settings-proxy-url'), 'https://gw.agency.example/atlas');
    await user.click(screen.getByTestId('settings-save'));
    await screen.findByText('Settings saved.');
    const sent = desk.calls.filter((c) => c.channel === 'settings:update').at(-1)?.request as { atlasProxy: unknown };
    expect(sent.atlasProxy).toEqual({ enabled: true, url: 'https://gw.agency.example/atlas' });
  });

  it('says the proxy is in use whenever real Atlas calls go through it', async () => {
    const proxy = 'https://gw.agency.example';
    await openSettings({
      desk: {
        settings: { environment: 'sandbox', atlasProxy: { enabled: true, url: proxy } },
        credentials: { clientId: 'agency-7', clientSecret: 'sandbox-secret', boundTo: { environment: 'sandbox', baseUrl: proxy } },
      },
    });
    expect(screen.getByTestId('banner-proxy').textContent).toBe("Atlas calls go through the agency's proxy at https://gw.agency.example, not directly to Atlas.");
  });

  it('asks for the secret again when the saved one belongs to another address, in Chinese too', async () => {
    // Saved for an address calls no longer go to.
    const elsewhere = { environment: 'sandbox' as const, baseUrl: 'https://sandbox-eu.atriptech.com' };
    await openSettings({ language: 'zh-CN', desk: { settings: { language: 'zh-CN' }, credentials: { clientId: 'agency-7', clientSecret: 'sandbox-secret', boundTo: elsewhere } } });
    expect(screen.getByTestId('banner-reenter').textContent).toMatch(/重新输入/);
    expect(screen.getByTestId('credentials-state').textContent).toMatch(/另一个 Atlas 地址/);
  });
});
