// The desk's own database failing (disk full, read-only…) is a banner with what to do, in both
// languages; "Check again" asks the desk, and the banner goes only when the database passes.
// The problem itself is answered by the test (a full disk cannot be made in a test run); the check
// that clears it is the real desk's, on its real database.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import type { StorageStatus } from '../../shared/desk.ts';
import type { TestDesk } from '../support/test-desk.ts';
import { useHarness } from './harness.tsx';

const SINCE = '2026-11-26T06:01:00.000Z';

/** The desk reports `status` on storage:status and storage:check until `healed()`. */
function failingStorage(desk: TestDesk, status: StorageStatus): { healed(): void } {
  desk.answer('storage:status', () => status);
  desk.answer('storage:check', () => status);
  return {
    healed() {
      desk.answer('storage:status', null);
      desk.answer('storage:check', null);
    },
  };
}

describe('the storage banner', () => {
  const h = useHarness();

  it('appears from storage:changed with the problem in words, and stays while a check still fails', async () => {
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    expect(screen.queryByTestId('banner-storage')).toBeNull();
    const storage = failingStorage(desk, { problem: 'disk_full', since: SINCE });
    act(() => desk.push('storage:changed', { problem: 'disk_full', since: SINCE }));
    const banner = screen.getByTestId('banner-storage');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('The disk is full');
    expect(banner.textContent).toContain('Free space');

    fireEvent.click(screen.getByTestId('storage-check'));
    await waitFor(() => expect(desk.calls.filter((c) => c.channel === 'storage:check')).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId('storage-check').hasAttribute('disabled')).toBe(false));
    expect(screen.getByTestId('banner-storage').textContent).toContain('The disk is full');

    storage.healed();
    fireEvent.click(screen.getByTestId('storage-check'));
    await waitFor(() => expect(screen.queryByTestId('banner-storage')).toBeNull());
  });

  it('asks again when the desk restarts on another database (env:changed)', async () => {
    const { desk } = h.renderUi(<App />);
    const storage = failingStorage(desk, { problem: 'busy', since: SINCE });
    await screen.findByTestId('banner-storage');
    storage.healed();
    const env = await desk.api.env.get({});
    if (!env.ok) throw new Error('env:get failed');
    act(() => desk.push('env:changed', env.value));
    await waitFor(() => expect(screen.queryByTestId('banner-storage')).toBeNull());
  });

  it('reads the problem at start-up, in Chinese too', async () => {
    const { desk } = h.renderUi(<App />, { language: 'zh-CN', desk: { settings: { language: 'zh-CN' } } });
    failingStorage(desk, { problem: 'read_only', since: SINCE });
    const banner = await screen.findByTestId('banner-storage');
    expect(banner.textContent).toContain('工作台无法写入其数据库');
    expect(screen.getByTestId('storage-check').textContent).toBe('重新检查');
  });
});
