// After a sync: one OS notification for the failed orders whose deadline is close, each order once.
import { describe, expect, it, vi } from 'vitest';
import { createDeadlineNotifier, DEADLINE_NOTICE_MS } from '../../electron/shell/deadline-notifier.ts';
import type { DeskOrder, SyncStatus } from '../../shared/desk.ts';
import type { Language } from '../../shared/ipc.ts';
import { at, cancelledAfterPayment, deskOrder, HOUR, order } from '../support/order-details.ts';

const NOW = Date.parse('2026-11-26T08:00:00.000Z');
const synced = (at: string): SyncStatus => ({ running: false, lastSyncAt: at, done: 5, total: 5, error: null });

const iso = (ms: number) => new Date(ms).toISOString();
const now = iso(NOW);
/** Unpaid, its payment deadline `hours` from NOW (created `createdHoursAgo` ago). */
const unpaid = (orderNo: string, hours: number, createdHoursAgo = 4) =>
  order({ orderNo, tktLimitTime: at(now, hours * HOUR), createdAt: at(now, -createdHoursAgo * HOUR) });
/** Scenario B, booked `createdHoursAgo` ago. */
const b604 = (orderNo: string, createdHoursAgo: number) => cancelledAfterPayment('604', { orderNo, createdAt: at(now, -createdHoursAgo * HOUR), paymentTimestamp: at(now, -createdHoursAgo * HOUR + 60_000) });

const ORDERS: DeskOrder[] = [
  // A, marked failed, pay deadline in 20 min: announced.
  deskOrder(unpaid('TA0000000001', 1 / 3), { now, markedFailed: true }),
  // A, deadline in 3 h: not close.
  deskOrder(unpaid('TA0000000002', 3), { now, markedFailed: true }),
  // B, created 23.5 h ago: Atlas's 24-hour regeneration window closes in 30 min: announced.
  deskOrder(b604('TA0000000003', 23.5), { now }),
  // B, created 5 h ago: 19 h left.
  deskOrder(b604('TA0000000004', 5), { now }),
  // Unpaid with no sign of a failed payment: not a failed order, however close its deadline.
  deskOrder(unpaid('TA0000000005', 0.1), { now }),
  // Deadline already passed (A, regenerate first) — the regeneration window is what counts then.
  deskOrder(unpaid('TA0000000006', -1, 2), { now, markedFailed: true }),
];

function setup(orders: DeskOrder[] = ORDERS, language: Language = 'en') {
  const notify = vi.fn();
  const listFailed = vi.fn(async () => orders);
  let now = NOW;
  const onSync = createDeadlineNotifier({ listFailed, now: () => now, notify, language: () => language });
  return { onSync, notify, listFailed, advance: (ms: number) => (now += ms) };
}

describe('deadline notifications after a sync', () => {
  it('announces failed orders (B, and A with evidence) whose payment deadline or regeneration window ends within the hour', async () => {
    expect(DEADLINE_NOTICE_MS).toBe(60 * 60_000);
    const { onSync, notify } = setup();
    await onSync(synced('2026-11-26T08:00:00.000Z'));
    expect(notify).toHaveBeenCalledExactlyOnceWith(
      'Atlas Retry Desk: deadline close',
      ['TA0000000001: payment deadline in 20 min', 'TA0000000003: regeneration window closes in 30 min'].join('\n'),
    );
  });

  it('announces each order once, and a later one when its deadline comes close', async () => {
    const { onSync, notify, advance } = setup();
    await onSync(synced('2026-11-26T08:00:00.000Z'));
    await onSync(synced('2026-11-26T08:05:00.000Z'));
    expect(notify).toHaveBeenCalledOnce();
    advance(2.5 * 60 * 60_000); // TA…02's deadline (3 h) is now 30 min away
    await onSync(synced('2026-11-26T10:30:00.000Z'));
    expect(notify).toHaveBeenCalledTimes(2);
    expect(notify.mock.calls[1]![1]).toBe('TA0000000002: payment deadline in 30 min');
  });

  it('looks only after a finished, successful sync it has not seen', async () => {
    const { onSync, notify, listFailed } = setup();
    await onSync({ ...synced('2026-11-26T08:00:00.000Z'), running: true });
    await onSync({ ...synced('2026-11-26T08:00:00.000Z'), error: 'network' });
    await onSync({ running: false, lastSyncAt: null, done: 0, total: 0, error: null });
    expect(listFailed).not.toHaveBeenCalled();
    await onSync(synced('2026-11-26T08:00:00.000Z'));
    await onSync(synced('2026-11-26T08:00:00.000Z')); // the same sync pushed again
    expect(listFailed).toHaveBeenCalledOnce();
    expect(notify).toHaveBeenCalledOnce();
  });

  it('speaks Chinese when staff chose it, and folds a long list', async () => {
    const many = Array.from({ length: 6 }, (_, i) => deskOrder(unpaid(`TA00000001${i}0`, 0.5), { now, markedFailed: true }));
    const { onSync, notify } = setup(many, 'zh-CN');
    await onSync(synced('2026-11-26T08:00:00.000Z'));
    const [title, body] = notify.mock.calls[0] as [string, string];
    expect(title).toBe('Atlas 重付工作台：期限将至');
    expect(body.split('\n')).toEqual([
      'TA0000000100：距付款截止还有 30 分钟',
      'TA0000000110：距付款截止还有 30 分钟',
      'TA0000000120：距付款截止还有 30 分钟',
      'TA0000000130：距付款截止还有 30 分钟',
      '……另有 2 项',
    ]);
  });

  it('stays quiet when the list cannot be read (the core is switching)', async () => {
    const notify = vi.fn();
    const log = vi.fn();
    const onSync = createDeadlineNotifier({ listFailed: async () => Promise.reject(new Error('switching')), now: () => NOW, notify, language: () => 'en', log });
    await onSync(synced('2026-11-26T08:00:00.000Z'));
    expect(notify).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('switching'));
  });
});
