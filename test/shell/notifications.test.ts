// OS notifications follow the staff's language: the `language` setting, or the OS locale when it
// is "auto" (null). The strings live in shared/notification-text.ts.
import { quitDuringPaymentDialog } from '../../electron/shell/quit-guard.ts';
import { describe, expect, it, vi } from 'vitest';
import { createJobNotifier, describeJob } from '../../electron/shell/notifications.ts';
import { job } from './fakes.ts';
import type { Language } from '../../shared/ipc.ts';
import { NOTIFICATION_TEXT, notificationLanguage, notificationText } from '../../shared/notification-text.ts';


const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const CJK = /[\u4e00-\u9fff]/;

describe('notification language', () => {
  it('follows the setting when staff chose a language, whatever the OS says', () => {
    expect(notificationLanguage('zh-CN', 'en-US')).toBe('zh-CN');
    expect(notificationLanguage('en', 'zh-CN')).toBe('en');
  });

  it('follows the OS locale when the setting is auto: any zh locale gives Chinese, anything else English', () => {
    for (const locale of ['zh-CN', 'zh', 'zh-TW', 'ZH-hk']) expect(notificationLanguage(null, locale)).toBe('zh-CN');
    for (const locale of ['en-US', 'ms-MY', 'th', '', undefined, null]) expect(notificationLanguage(null, locale)).toBe('en');
  });
});

describe('notification text', () => {
  it('has every message in both languages with the same placeholders, and the Chinese is Chinese', () => {
    const kinds = Object.keys(NOTIFICATION_TEXT.en).sort();
    expect(Object.keys(NOTIFICATION_TEXT['zh-CN']).sort()).toEqual(kinds);
    for (const kind of kinds as (keyof typeof NOTIFICATION_TEXT.en)[]) {
      expect(placeholders(NOTIFICATION_TEXT['zh-CN'][kind])).toEqual(placeholders(NOTIFICATION_TEXT.en[kind]));
      expect(NOTIFICATION_TEXT['zh-CN'][kind]).toMatch(CJK);
      expect(NOTIFICATION_TEXT.en[kind]).not.toMatch(CJK);
    }
  });

  it('fills placeholders once, so text inside a value is never expanded', () => {
    expect(notificationText('zh-CN', 'blocked', { orderNo: 'T1', reason: '{orderNo}' })).toBe('T1：未恢复（{orderNo}）');
    expect(notificationText('en', 'more', { count: 3 })).toBe('…and 3 more');
  });

  it('keeps the English sentences, with the common blocking reasons in words', () => {
    expect(describeJob(job('1', 'done', { outcome: 'ticketed' }))).toBe('ORDER1: ticketed');
    expect(describeJob(job('2', 'done'))).toBe('ORDER2: recovery finished');
    expect(describeJob(job('3', 'blocked', { reason: 'deposit_below_due' }))).toBe('ORDER3: not recovered (deposit too low)');
    expect(describeJob(job('3', 'blocked', { reason: 'deposit_below_due' }), 'zh-CN')).toBe('ORDER3：未恢复（预存款余额不足）');
    expect(describeJob(job('3', 'blocked', { reason: 'amount_not_exact' }))).toBe('ORDER3: not recovered (an amount cannot be checked exactly)');
    // A code without words is still shown, never dropped.
    expect(describeJob(job('3', 'blocked', { reason: 'pay_rejected_411' }))).toBe('ORDER3: not recovered (pay_rejected_411)');
    expect(describeJob(job('4', 'blocked'))).toBe('ORDER4: not recovered (blocked)');
    expect(describeJob(job('5', 'failed'))).toBe('ORDER5: recovery failed');
  });
});

describe('a job waiting for a new approval', () => {
  it('is news for staff: a staff-needed notification naming the order, in either language', () => {
    const notify = vi.fn();
    let language: Language = 'en';
    const onJobs = createJobNotifier({ isWindowHidden: () => true, notify, language: () => language });
    onJobs([job('1', 'running'), job('2', 'running')]);
    onJobs([job('1', 'needs_approval', { reason: 'price_changed' }), job('2', 'running')]);
    language = 'zh-CN';
    onJobs([job('1', 'needs_approval'), job('2', 'needs_approval')]);
    expect(notify.mock.calls).toEqual([
      ['Atlas Retry Desk: staff needed', 'ORDER1: the amount changed, approval needed'],
      ['Atlas 重付工作台：需要人工处理', 'ORDER2：金额已变化，需要批准'],
    ]);
  });
});

describe('job notifier in Chinese', () => {
  it('writes title, every line and the overflow line in Chinese when the language is zh-CN', () => {
    const notify = vi.fn();
    const onJobs = createJobNotifier({ isWindowHidden: () => true, notify, language: () => 'zh-CN' });
    const ids = ['1', '2', '3', '4', '5', '6'];
    onJobs(ids.map((id) => job(id, 'running')));
    onJobs([
      job('1', 'done', { outcome: 'ticketed' }),
      job('2', 'needs_card', { cardMask: '411111******1111' }),
      job('3', 'attention'),
      job('4', 'blocked'),
      job('5', 'failed'),
      job('6', 'done'),
    ]);
    expect(notify).toHaveBeenCalledExactlyOnceWith(
      'Atlas 重付工作台：需要人工处理',
      ['ORDER1：已出票', 'ORDER2：需要重新输入卡信息', 'ORDER3：需人工处理', 'ORDER4：未恢复（已阻止）', '……另有 2 项'].join('\n'),
    );
  });

  it('reads the language when it notifies, so a settings change applies to the next notification', () => {
    let language: Language = 'en';
    const notify = vi.fn();
    const onJobs = createJobNotifier({ isWindowHidden: () => true, notify, language: () => language });
    onJobs([job('1', 'running'), job('2', 'running')]);
    onJobs([job('1', 'done'), job('2', 'running')]);
    language = 'zh-CN';
    onJobs([job('1', 'done'), job('2', 'failed')]);
    expect(notify.mock.calls).toEqual([
      ['Atlas Retry Desk: recoveries finished', 'ORDER1: recovery finished'],
      ['Atlas 重付工作台：恢复已完成', 'ORDER2：恢复失败'],
    ]);
  });
});

describe('quit-during-payment dialog', () => {
  it('asks in the staff language and keeps the desk open by default', () => {
    const zh = quitDuringPaymentDialog('zh-CN');
    expect(zh.title).toBe('正在付款');
    expect(zh.buttons[zh.defaultId]).toBe('保持工作台打开');
    expect(zh.cancelId).toBe(zh.defaultId);
    const en = quitDuringPaymentDialog('en');
    expect(en.buttons).toEqual(['Keep the desk open', 'Quit anyway']);
  });
});

describe('job notifications', () => {
  it('notify only for new outcomes while the window is hidden', () => {
    let hidden = false;
    const notify = vi.fn();
    const onJobs = createJobNotifier({ isWindowHidden: () => hidden, notify });
    onJobs([job('1', 'running'), job('2', 'done')]); // first snapshot: history, not news
    onJobs([job('1', 'done', { outcome: 'ticketed' }), job('2', 'done')]);
    expect(notify).not.toHaveBeenCalled(); // window visible
    hidden = true;
    onJobs([job('1', 'done'), job('2', 'done'), job('3', 'queued')]);
    expect(notify).not.toHaveBeenCalled(); // nothing changed
    onJobs([job('1', 'done'), job('2', 'done'), job('3', 'needs_card', { cardMask: '411111******1111' })]);
    expect(notify).toHaveBeenCalledExactlyOnceWith('Atlas Retry Desk: staff needed', 'ORDER3: card details needed again');
  });
});
