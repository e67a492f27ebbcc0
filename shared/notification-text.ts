// The main process's own words (OS notifications, the quit-during-payment dialog) in both UI
// languages. Pure data plus one formatter, so the main process (electron/shell/notifications.ts)
// and tests share it without pulling i18next into main. Placeholders are `{name}`.
import type { Language } from './ipc.ts';

export interface NotificationParams {
  titleStaffNeeded: Record<string, never>;
  titleFinished: Record<string, never>;
  ticketed: { orderNo: string };
  finished: { orderNo: string };
  needsCard: { orderNo: string };
  needsApproval: { orderNo: string };
  attention: { orderNo: string };
  blocked: { orderNo: string; reason: string };
  blockedNoReason: { orderNo: string };
  failed: { orderNo: string };
  more: { count: number };
  quitTitle: Record<string, never>;
  quitMessage: Record<string, never>;
  quitDetail: Record<string, never>;
  quitKeepOpen: Record<string, never>;
  quitAnyway: Record<string, never>;
  hostTitle: Record<string, never>;
  hostMessage: { to: string };
  proxyMessage: { to: string };
  proxyWarning: Record<string, never>;
  secretDetail: { from: string };
  hostKeep: Record<string, never>;
  hostChange: Record<string, never>;
  teamTitle: Record<string, never>;
  teamJoin: { to: string };
  teamSwitch: { from: string; to: string };
  teamLeave: { from: string };
  teamRisk: Record<string, never>;
  teamKeep: Record<string, never>;
  teamApply: Record<string, never>;
  trayTooltip: Record<string, never>;
  trayTooltipWorking: { done: number; total: number };
  trayOpen: Record<string, never>;
  traySync: Record<string, never>;
  trayQuit: Record<string, never>;
  keptInTrayTitle: Record<string, never>;
  keptInTrayBody: Record<string, never>;
  deadlineTitle: Record<string, never>;
  deadlinePay: { orderNo: string; minutes: number };
  deadlineRegenerate: { orderNo: string; minutes: number };
}

export type NotificationKind = keyof NotificationParams;

export const NOTIFICATION_TEXT: Readonly<Record<Language, Readonly<Record<NotificationKind, string>>>> = Object.freeze({
  en: Object.freeze({
    titleStaffNeeded: 'Atlas Retry Desk: staff needed',
    titleFinished: 'Atlas Retry Desk: recoveries finished',
    ticketed: '{orderNo}: ticketed',
    finished: '{orderNo}: recovery finished',
    needsCard: '{orderNo}: card details needed again',
    needsApproval: '{orderNo}: the amount changed, approval needed',
    attention: '{orderNo}: needs attention',
    blocked: '{orderNo}: not recovered ({reason})',
    blockedNoReason: '{orderNo}: not recovered (blocked)',
    failed: '{orderNo}: recovery failed',
    more: '…and {count} more',
    quitTitle: 'Payment in progress',
    quitMessage: 'A payment is being sent to Atlas right now.',
    quitDetail:
      'If you quit now its outcome may be unknown. The desk will check the order with Atlas (never pay again blindly) the next time it starts.',
    quitKeepOpen: 'Keep the desk open',
    quitAnyway: 'Quit anyway',
    hostTitle: 'Change where Atlas calls go?',
    hostMessage: 'The desk will send Atlas calls, with the client secret and card numbers, to {to}.',
    proxyMessage: 'The desk will send every Atlas call, with the client secret and card numbers, to the proxy at {to} instead of to Atlas.',
    proxyWarning: 'That address is not Atlas. Continue only if your agency runs this proxy and it forwards the calls to Atlas.',
    secretDetail: 'The client secret saved for {from} will not be sent to the new address: enter the client secret again after the change.',
    hostKeep: 'Keep the current address',
    hostChange: 'Change the address',
    teamTitle: 'Change the team database?',
    teamJoin: 'This desk will take its claims on orders from the team database at {to} and share its history there.',
    teamSwitch: 'This desk will leave the team database at {from} and use the one at {to} instead.',
    teamLeave: 'This desk will leave the team database at {from} and work on its own.',
    teamRisk:
      'Desks on a different team database do not see what this desk is recovering, and it does not see theirs: two desks could then pay the same order. Continue only if IT asked for this change.',
    teamKeep: 'Keep the current team database',
    teamApply: 'Change the team database',
    trayTooltip: 'Atlas Retry Desk',
    trayTooltipWorking: 'Atlas Retry Desk: {done} of {total} recoveries finished',
    trayOpen: 'Open Atlas Retry Desk',
    traySync: 'Sync now',
    trayQuit: 'Quit',
    keptInTrayTitle: 'Atlas Retry Desk is still working',
    keptInTrayBody: 'Recoveries are still running, so the desk keeps working in the background. Use its tray icon to open it again or to quit.',
    deadlineTitle: 'Atlas Retry Desk: deadline close',
    deadlinePay: '{orderNo}: payment deadline in {minutes} min',
    deadlineRegenerate: '{orderNo}: regeneration window closes in {minutes} min',
  }),
  'zh-CN': Object.freeze({
    titleStaffNeeded: 'Atlas 重付工作台：需要人工处理',
    titleFinished: 'Atlas 重付工作台：恢复已完成',
    ticketed: '{orderNo}：已出票',
    finished: '{orderNo}：恢复已完成',
    needsCard: '{orderNo}：需要重新输入卡信息',
    needsApproval: '{orderNo}：金额已变化，需要批准',
    attention: '{orderNo}：需人工处理',
    blocked: '{orderNo}：未恢复（{reason}）',
    blockedNoReason: '{orderNo}：未恢复（已阻止）',
    failed: '{orderNo}：恢复失败',
    more: '……另有 {count} 项',
    quitTitle: '正在付款',
    quitMessage: '一笔付款正在发送到 Atlas。',
    quitDetail: '如果现在退出，这笔付款的结果可能无法确定。工作台下次启动时会先向 Atlas 查询该订单（绝不盲目重复付款）。',
    quitKeepOpen: '保持工作台打开',
    quitAnyway: '仍然退出',
    hostTitle: '更改 Atlas 调用的发送地址？',
    hostMessage: '工作台将把 Atlas 调用（包括客户端密钥和卡号）发送到 {to}。',
    proxyMessage: '工作台将把所有 Atlas 调用（包括客户端密钥和卡号）发送到代理 {to}，而不是直接发送到 Atlas。',
    proxyWarning: '该地址不是 Atlas。只有当这个代理由贵机构自己运营、并会把调用转发给 Atlas 时才继续。',
    secretDetail: '为 {from} 保存的客户端密钥不会发送到新地址：更改后请重新输入客户端密钥。',
    hostKeep: '保留当前地址',
    hostChange: '更改地址',
    teamTitle: '更改团队数据库？',
    teamJoin: '工作台将从位于 {to} 的团队数据库获取订单认领，并在那里共享其历史记录。',
    teamSwitch: '工作台将离开位于 {from} 的团队数据库，改用位于 {to} 的团队数据库。',
    teamLeave: '工作台将离开位于 {from} 的团队数据库，单独工作。',
    teamRisk: '使用其他团队数据库的工作台看不到本工作台正在恢复的订单，本工作台也看不到它们的：两个工作台可能为同一订单重复付款。只有在 IT 要求此更改时才继续。',
    teamKeep: '保留当前团队数据库',
    teamApply: '更改团队数据库',
    trayTooltip: 'Atlas 重付工作台',
    trayTooltipWorking: 'Atlas 重付工作台：已完成 {done}/{total} 项恢复',
    trayOpen: '打开 Atlas 重付工作台',
    traySync: '立即同步',
    trayQuit: '退出',
    keptInTrayTitle: 'Atlas 重付工作台仍在工作',
    keptInTrayBody: '恢复任务仍在进行，工作台会在后台继续工作。可通过托盘图标重新打开或退出。',
    deadlineTitle: 'Atlas 重付工作台：期限将至',
    deadlinePay: '{orderNo}：距付款截止还有 {minutes} 分钟',
    deadlineRegenerate: '{orderNo}：距重新生单时限结束还有 {minutes} 分钟',
  }),
});

/** The setting wins; "auto" (null) follows the OS locale: any `zh…` locale → zh-CN, else English. */
export function notificationLanguage(setting: Language | null, osLocale: string | null | undefined): Language {
  if (setting) return setting;
  return osLocale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function notificationText<K extends NotificationKind>(language: Language, kind: K, params: NotificationParams[K]): string {
  const template = (NOTIFICATION_TEXT[language] ?? NOTIFICATION_TEXT.en)[kind];
  const values = params as Record<string, string | number>;
  // One pass over the template: a value that itself contains `{…}` is never expanded again.
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/**
 * Words for the reasons a job is most often blocked with; any other code is shown as it is (the
 * window explains every code in full).
 */
const BLOCKED_REASON_TEXT: Readonly<Record<Language, Readonly<Record<string, string>>>> = Object.freeze({
  en: Object.freeze({
    deposit_below_due: 'deposit too low',
    method_not_supported: 'payment method not supported',
    not_marked_failed: 'not marked as payment failed',
    regeneration_window_closed: 'too late to regenerate',
    no_supported_method: 'no payment method available',
    cancelled_not_recoverable: 'cancelled for a reason payment cannot fix',
    deposit_below_fee: "deposit too low for Atlas's card fee",
    card_charge_unconfirmed: 'card charge not yet checked by staff',
    balance_currency_mismatch: 'deposit balance in another currency',
    amount_not_exact: 'an amount cannot be checked exactly',
  }),
  'zh-CN': Object.freeze({
    deposit_below_due: '预存款余额不足',
    method_not_supported: '不支持该支付方式',
    not_marked_failed: '未标记为支付失败',
    regeneration_window_closed: '已超过重新生单时限',
    no_supported_method: '没有可用的支付方式',
    cancelled_not_recoverable: '取消原因无法通过付款解决',
    deposit_below_fee: '预存款不足以支付卡支付服务费',
    card_charge_unconfirmed: '卡扣款尚未经工作人员核实',
    balance_currency_mismatch: '预存款余额币种不符',
    amount_not_exact: '金额无法精确核对',
  }),
});

export function blockedReasonText(language: Language, code: string): string {
  return (BLOCKED_REASON_TEXT[language] ?? BLOCKED_REASON_TEXT.en)[code] ?? code;
}
