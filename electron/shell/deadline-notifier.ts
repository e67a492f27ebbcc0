// After a sync, an OS notification for each failed order whose deadline is close, so a failure
// found by periodic sync reaches staff without a click. Failed = category B, or A (an unpaid order
// with evidence of a failed payment); the deadline is the plan's: the payment deadline for
// "pay the same order", the end of Atlas's regeneration window for "regenerate, then pay". Each
// order is announced once per run of the app, not on every sync.
import type { DeskOrder, SyncStatus } from '../../shared/desk.ts';
import type { Language } from '../../shared/ipc.ts';
import { notificationText } from '../../shared/notification-text.ts';

/** "Close": less than this left before the deadline. */
export const DEADLINE_NOTICE_MS = 60 * 60_000;
/** Lines in one notification before "…and N more". */
const MAX_LINES = 4;

export function createDeadlineNotifier(options: {
  /** The failed-orders list as the window shows it (orders:list { scope: 'failed' }). */
  listFailed: () => Promise<DeskOrder[]>;
  now: () => number;
  notify: (title: string, body: string) => void;
  language: () => Language;
  log?: (line: string) => void;
}): (status: SyncStatus) => Promise<void> {
  const announced = new Set<string>();
  let lastSync: string | null = null;

  return async (status) => {
    // Only a finished, successful sync has news; progress pushes and failures do not.
    if (status.running || status.error !== null || status.lastSyncAt === null || status.lastSyncAt === lastSync) return;
    lastSync = status.lastSyncAt;
    let orders: DeskOrder[];
    try {
      orders = await options.listFailed();
    } catch (error) {
      options.log?.(`deadline notifier: ${(error as Error).message}`);
      return;
    }
    const now = options.now();
    const lines: string[] = [];
    const language = options.language();
    for (const order of orders) {
      if (order.category !== 'A' && order.category !== 'B') continue;
      const { action, deadline } = order.plan;
      if (action !== 'pay_same_order' && action !== 'regenerate_then_pay') continue;
      const left = deadline === null ? NaN : Date.parse(deadline) - now;
      if (!(left > 0 && left <= DEADLINE_NOTICE_MS) || announced.has(order.orderNo)) continue;
      announced.add(order.orderNo);
      const params = { orderNo: order.orderNo, minutes: Math.max(1, Math.floor(left / 60_000)) };
      lines.push(notificationText(language, action === 'pay_same_order' ? 'deadlinePay' : 'deadlineRegenerate', params));
    }
    if (lines.length === 0) return;
    const body = lines.slice(0, MAX_LINES);
    if (lines.length > MAX_LINES) body.push(notificationText(language, 'more', { count: lines.length - MAX_LINES }));
    options.notify(notificationText(language, 'deadlineTitle', {}), body.join('\n'));
  };
}
