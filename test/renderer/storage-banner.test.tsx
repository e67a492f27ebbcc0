// The desk's own database failing (disk full, read-only…) is a banner with what to do, in both
// languages; "Check again" asks the desk, and the banner goes only when the database passes.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { useHarness } from './harness.tsx';

describe('the storage banner', () => {
  const h = useHarness();

  it('appears from storage:changed with the problem in words, and stays while a check still fails', async () => {
    const { fake } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    expect(screen.queryByTestId('banner-storage')).toBeNull();
    fake.storage.problem = 'disk_full';
    act(() => fake.emit('storage:changed', { problem: 'disk_full', since: '2026-11-26T06:01:00.000Z' }));
    const banner = screen.getByTestId('banner-storage');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('The disk is full');
    expect(banner.textContent).toContain('Free space');

    fireEvent.click(screen.getByTestId('storage-check'));
    await waitFor(() => expect(fake.calls.filter((c) => c.channel === 'storage:check')).toHaveLength(1));
    expect(screen.getByTestId('banner-storage').textContent).toContain('The disk is full');

    fake.storage.problem = null;
    fake.storage.since = null;
    fireEvent.click(screen.getByTestId('storage-check'));
    await waitFor(() => expect(screen.queryByTestId('banner-storage')).toBeNull());
  });

  it('asks again when the desk restarts on another database (env:changed)', async () => {
    const { fake } = h.renderUi(<App />, { desk: { storage: { problem: 'busy', since: '2026-11-26T06:01:00.000Z' } } });
    await screen.findByTestId('banner-storage');
    fake.storage.problem = null;
    fake.storage.since = null;
    act(() => fake.emit('env:changed', { ...fake.env, environment: 'sandbox', training: false }));
    await waitFor(() => expect(screen.queryByTestId('banner-storage')).toBeNull());
  });

  it('reads the problem at start-up, in Chinese too', async () => {
    h.renderUi(<App />, { language: 'zh-CN', desk: { storage: { problem: 'read_only', since: '2026-11-26T06:01:00.000Z' }, settings: { language: 'zh-CN' } } });
    const banner = await screen.findByTestId('banner-storage');
    expect(banner.textContent).toContain('工作台无法写入其数据库');
    expect(screen.getByTestId('storage-check').textContent).toBe('重新检查');
  });
});
