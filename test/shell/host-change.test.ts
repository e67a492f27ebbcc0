// The native question main asks before Atlas calls go somewhere else (docs/money-safety.md rule 14).
import { describe, expect, it } from 'vitest';
import { hostChangeDialog, targetChangeToConfirm } from '../../electron/shell/host-change.ts';
import { DEFAULT_SETTINGS } from '../../electron/shell/settings.ts';
import type { Settings } from '../../shared/ipc.ts';

const production: Settings = { ...DEFAULT_SETTINGS, environment: 'production' };
const bound = { environment: 'production', baseUrl: 'https://api-sg.atriptech.com' } as const;

describe('targetChangeToConfirm', () => {
  it('asks nothing when calls keep their target, or move between Atlas hosts with no saved secret to withhold', () => {
    expect(targetChangeToConfirm(production, { ...production, staffName: 'Mei' }, bound)).toBeNull();
    expect(targetChangeToConfirm(production, { ...production, productionSearchBaseUrl: 'https://search-eu.atriptech.com' }, bound)).toBeNull();
    expect(targetChangeToConfirm(production, { ...production, productionBaseUrl: 'https://api-eu.atriptech.com' }, null)).toBeNull();
    // Training probes sandbox, so training ↔ sandbox is not a move.
    expect(targetChangeToConfirm({ ...DEFAULT_SETTINGS }, { ...DEFAULT_SETTINGS, environment: 'sandbox' }, { environment: 'sandbox', baseUrl: 'https://sandbox.atriptech.com' })).toBeNull();
  });

  it('asks when the saved secret would be withheld, and always for the proxy', () => {
    expect(targetChangeToConfirm(production, { ...production, productionBaseUrl: 'https://api-eu.atriptech.com' }, bound)).toEqual({
      to: { environment: 'production', baseUrl: 'https://api-eu.atriptech.com' },
      viaProxy: false,
      savedFor: bound,
    });
    expect(targetChangeToConfirm(production, { ...production, atlasProxy: { enabled: true, url: 'https://gw.agency.example' } }, null)).toEqual({
      to: { environment: 'production', baseUrl: 'https://gw.agency.example' },
      viaProxy: true,
      savedFor: null,
    });
  });
});

describe('hostChangeDialog', () => {
  it('keeps the current address by default and on Esc, and names both addresses', () => {
    const dialog = hostChangeDialog('en', { to: { environment: 'production', baseUrl: 'https://api-eu.atriptech.com' }, viaProxy: false, savedFor: bound });
    expect(dialog).toMatchObject({ type: 'warning', defaultId: 0, cancelId: 0, buttons: ['Keep the current address', 'Change the address'] });
    expect(dialog.message).toBe('The desk will send Atlas calls, with the client secret and card numbers, to https://api-eu.atriptech.com.');
    expect(dialog.detail).toBe('The client secret saved for https://api-sg.atriptech.com will not be sent to the new address: enter the client secret again after the change.');
  });

  it('says plainly, in Chinese too, that the proxy is not Atlas', () => {
    const change = { to: { environment: 'sandbox', baseUrl: 'https://gw.agency.example' }, viaProxy: true, savedFor: null } as const;
    expect(hostChangeDialog('en', change).detail).toMatch(/^That address is not Atlas\./);
    const zh = hostChangeDialog('zh-CN', change);
    expect(zh.message).toContain('https://gw.agency.example');
    expect(zh.detail).toMatch(/^该地址不是 Atlas/);
    expect(zh.buttons).toEqual(['保留当前地址', '更改地址']);
  });
});
