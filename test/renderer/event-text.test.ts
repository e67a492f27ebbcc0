// describeEvent: every timeline event kind as a sentence in words (both languages), with related
// orders as links and never an internal id.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../shared/desk.ts';
import { createI18n } from '../../renderer/src/i18n.ts';
import { describeEvent } from '../../renderer/src/lib/event-text.ts';

const JOB = '5accad20-d206-4d5e-ae68-d5dca68ea02e';
const ev = (kind: TimelineEvent['kind'], data: Record<string, unknown>): TimelineEvent => ({ id: 1, orderNo: 'TA2611260001', at: '2026-11-26T05:00:00Z', kind, actor: 'Mei Lin', osAccount: 'mlin', data });

describe('describeEvent', () => {
  const en = createI18n('en');
  const zh = createI18n('zh-CN');

  it('names the payment method instead of its number and never shows the job id', () => {
    const text = describeEvent(ev('intent', { jobId: JOB, paymentMethod: 1, card: null }), en);
    expect(text.text).toBe('Recovery requested: pay with Deposit');
    expect(JSON.stringify(text)).not.toContain(JOB);
    expect(describeEvent(ev('step_started', { jobId: JOB, step: 'pay', paymentMethod: 3, card: '411111******1111' }), en)).toMatchObject({
      text: 'Payment sent to Atlas (Card (VCC))',
      detail: 'Card 411111******1111',
    });
    expect(describeEvent(ev('intent', { jobId: JOB, paymentMethod: 1 }), zh).text).toBe('请求恢复：使用预存款支付');
  });

  it('explains an order the desk regenerated, with a link to the original instead of a raw reason code', () => {
    const text = describeEvent(ev('marked_failed', { reason: 'regenerated_by_desk', from: 'TA2611250099' }), en);
    expect(text.text).not.toContain('regenerated_by_desk');
    expect(text.text).toMatch(/created this order by regenerating/);
    expect(text.links).toEqual(['TA2611250099']);
    expect(describeEvent(ev('regenerated', { jobId: JOB, newOrderNo: 'TA2611260010' }), en)).toMatchObject({ text: 'Regenerated into', links: ['TA2611260010'] });
  });

  it('gives codes their meaning: ticket errors, Atlas refusals and a short deposit in amounts', () => {
    expect(describeEvent(ev('status_changed', { from: 'ticketing', fromErrorCode: null, to: 'cancelled', errorCode: '604' }), en)).toMatchObject({
      text: 'Status changed: Ticketing in progress → Cancelled',
      detail: '604 Card declined by the airline',
    });
    expect(describeEvent(ev('step_failed', { jobId: JOB, step: 'pay', kind: 'business', code: 411 }), en).text).toBe('Atlas refused the payment (code 411)');
    const note = describeEvent(ev('note', { jobId: JOB, reason: 'deposit_below_due', due: { amount: 202.99, currency: 'USD' }, balance: { amount: 150, currency: 'USD' } }), en);
    expect(note.text).toMatch(/deposit balance \(USD\s*150\.00\) is lower than the amount due \(USD\s*202\.99\)/);
    expect(describeEvent(ev('reconciled', { jobId: JOB, step: 'pay', paid: true, orderStatus: 'ticketing' }), en).text).toBe('Checked with Atlas: the payment went through');
  });

  it("says when a card job's fee was short only because of what the desk holds for its other payments", () => {
    const usd = (amount: number) => ({ amount, currency: 'USD' });
    const held = describeEvent(ev('note', { jobId: JOB, reason: 'deposit_below_fee', due: usd(2), balance: usd(401), reserved: usd(400) }), en);
    expect(held.text).toMatch(/deposit balance \(USD\s*401\.00\), less USD\s*400\.00 held for this desk's other payments, is lower than the amount due \(USD\s*2\.00\)/);
    const short = describeEvent(ev('note', { jobId: JOB, reason: 'deposit_below_fee', due: usd(2), balance: usd(1) }), zh);
    expect(short.text).toMatch(/不足以支付 Atlas 对卡支付收取的服务费/);
  });

  it('lists duplicate bookings from a refused or withheld regeneration as links', () => {
    const text = describeEvent(ev('step_failed', { jobId: JOB, step: 'regenerate', kind: 'business', code: 318, duplicateOrders: ['TA2611269999'] }), en);
    expect(text.text).toMatch(/code 318.*possible duplicate bookings/);
    expect(text.links).toEqual(['TA2611269999']);
    const lookAlikes = describeEvent(ev('note', { jobId: JOB, reason: 'look_alikes_found', duplicateOrders: ['TA2611260011', 'TA2611260012'] }), en);
    expect(lookAlikes.text).toMatch(/^Not regenerated: orders for the same travellers and flight were booked after this one/);
    expect(lookAlikes.links).toEqual(['TA2611260011', 'TA2611260012']);
  });

  it('shows the orders staff must check when a look-alike could not be compared, and what was missing, in both languages', () => {
    const data = { jobId: JOB, reason: 'look_alike_unverifiable', missing: ['route'], candidates: ['TA2611260013'] };
    expect(describeEvent(ev('note', data), en)).toEqual({
      text: 'Not regenerated: the desk could not compare these orders with this one. Check them before doing anything.',
      detail: 'Missing for the comparison: route',
      links: ['TA2611260013'],
    });
    expect(describeEvent(ev('note', data), zh)).toMatchObject({ detail: '比较所缺信息：航线', links: ['TA2611260013'] });
  });

  it('lists the candidates of a regeneration whose answer was lost as links', () => {
    const lost = ev('reconciled', { jobId: JOB, step: 'regenerate', candidates: ['TA2611260014'] });
    expect(describeEvent(lost, en)).toMatchObject({ text: expect.stringMatching(/could not tell which order, if any, the regeneration made/), links: ['TA2611260014'] });
    expect(describeEvent(lost, zh).text).toMatch(/无法确定/);
  });

  it('says how much of the deposit this desk holds for its other payments', () => {
    const note = ev('note', { jobId: JOB, reason: 'deposit_below_due', due: { amount: 402, currency: 'USD' }, balance: { amount: 598, currency: 'USD' }, reserved: { amount: 402, currency: 'USD' } });
    expect(describeEvent(note, en).text).toMatch(/balance \(USD\s*598\.00\), less USD\s*402\.00 held for this desk's other payments/);
  });
});
