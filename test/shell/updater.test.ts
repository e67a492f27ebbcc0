// Auto-update: installs only when no payment is in flight, and only where the update policy allows.
import { describe, expect, it, vi } from 'vitest';
import { createUpdater, readUpdateConfig, updatePolicy } from '../../electron/shell/updater.ts';
import type { AutoUpdaterLike } from '../../electron/shell/updater.ts';

function fakeAutoUpdater() {
  const listeners: Record<string, (arg: never) => void> = {};
  const u = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    on: (event: string, fn: (arg: never) => void) => {
      listeners[event] = fn;
      return u;
    },
    checkForUpdates: vi.fn(async () => null),
    quitAndInstall: vi.fn(),
    downloaded: (version: string) => listeners['update-downloaded']!({ version } as never),
  };
  return u;
}

describe('auto-update', () => {
  it('never installs while a payment is in flight, and installs once the desk is idle', () => {
    const auto = fakeAutoUpdater();
    let paying = true;
    const updater = createUpdater({ autoUpdater: auto as unknown as AutoUpdaterLike, paymentInFlight: () => paying });
    expect(auto.autoInstallOnAppQuit).toBe(false);
    expect(updater.installIfSafe()).toBe(false); // nothing downloaded yet
    auto.downloaded('0.2.0');
    expect(updater.installIfSafe()).toBe(false);
    expect(auto.quitAndInstall).not.toHaveBeenCalled();
    paying = false;
    expect(updater.installIfSafe()).toBe(true);
    expect(auto.quitAndInstall).toHaveBeenCalledOnce();
  });
});

describe('update policy', () => {
  const signed = { url: 'https://updates.agency.example/desk', publisherName: ['Atlas Travel Pte. Ltd.'] };

  it('reads the feed and the publisher names from app-update.yml as electron-builder writes it', () => {
    const single = readUpdateConfig('owner: x\nprovider: generic\nurl: https://updates.agency.example/desk\nchannel: latest\nupdaterCacheDirName: atlas-retry-desk-updater\npublisherName: Atlas Travel Pte. Ltd.\n');
    expect(single).toEqual(signed);
    const list = readUpdateConfig("provider: generic\nurl: 'https://updates.agency.example/desk'\npublisherName:\n  - Atlas Travel Pte. Ltd.\n  - \"CN=Atlas Travel\"\nchannel: latest\n");
    expect(list).toEqual({ url: 'https://updates.agency.example/desk', publisherName: ['Atlas Travel Pte. Ltd.', 'CN=Atlas Travel'] });
    expect(readUpdateConfig('provider: generic\n')).toEqual({ url: null, publisherName: [] });
  });

  it('updates a signed, packaged Windows or macOS build from an https feed', () => {
    expect(updatePolicy({ isPackaged: true, platform: 'win32', config: signed })).toEqual({ enabled: true });
    expect(updatePolicy({ isPackaged: true, platform: 'darwin', config: { ...signed, publisherName: [] } })).toEqual({ enabled: true });
  });

  it('never updates unpackaged, on Linux, from a non-https feed, or on Windows without a publisher to verify against', () => {
    const off = (o: Parameters<typeof updatePolicy>[0]) => updatePolicy(o).enabled;
    expect(off({ isPackaged: false, platform: 'win32', config: signed })).toBe(false);
    expect(off({ isPackaged: true, platform: 'linux', config: signed })).toBe(false);
    expect(off({ isPackaged: true, platform: 'darwin', config: null })).toBe(false);
    expect(off({ isPackaged: true, platform: 'darwin', config: { ...signed, url: 'http://updates.agency.example/desk' } })).toBe(false);
    expect(off({ isPackaged: true, platform: 'darwin', config: { ...signed, url: 'https://u:p@updates.agency.example' } })).toBe(false);
    expect(off({ isPackaged: true, platform: 'darwin', config: { ...signed, url: 'not a url' } })).toBe(false);
    expect(off({ isPackaged: true, platform: 'win32', config: { ...signed, publisherName: [] } })).toBe(false);
  });
});
