// lib/explain.ts: every reason code the desk core can put on a job reads as words in both languages,
// never as the "code X (no description yet)" fallback; another desk's hold and the reason column's
// title in words.
import { describe, expect, it } from 'vitest';
import type { TeamHold } from '../../shared/desk.ts';
import { codeText, holdText, reasonTitleKey } from '../../renderer/src/lib/explain.ts';
import { createI18n } from '../../renderer/src/i18n.ts';

/** Reasons set by electron/core/queue.ts and recovery-steps.ts (plan reasons come through as they are). */
const CORE_JOB_REASONS = [
  'cancelled_by_staff',
  'offline',
  'rate_limited',
  'outcome_unknown',
  'card_missing',
  'paid_elsewhere',
  'method_not_supported',
  'unauthorized',
  'ticketing_pending',
  'internal_error',
  'card_limit_below_due',
  'record_unreadable',
  'deposit_below_due',
  'amount_not_exact',
  'duplicate_booking',
  'paid_pnr_pending',
  'not_marked_failed',
  'pay_rejected_411',
  'regenerate_rejected_314',
  'read_business_800',
  '604',
  // Team mode (electron/core/chain-claims.ts).
  'claimed_by_other_desk',
  'team_offline',
  'other_desk_outcome_unknown',
  'look_alike_unverifiable',
  'order_keeps_changing',
  'cancelled_unpaid',
  'created_at_unknown',
  'deadline_passed_unconfirmed',
  // Staff's approval and staff's checks (recovery-steps.ts #staffGate, #fundsShort; queue.ts).
  'price_changed',
  'approval_expired',
  'deposit_below_fee',
  'balance_currency_mismatch',
  'card_charge_unconfirmed',
  'replaced_by_card',
  'already_queued',
  'not_replaceable',
  'approval_missing',
  'approval_currency',
  'not_waiting_approval',
  'nothing_to_confirm',
];

describe('job reason wording', () => {
  for (const language of ['en', 'zh-CN'] as const) {
    it(`gives every core job reason a sentence in ${language}`, () => {
      const i18n = createI18n(language);
      const fallback = (code: string) => i18n.t('common.unknownCode', { code });
      for (const code of CORE_JOB_REASONS) {
        const text = codeText(i18n, code);
        expect(text, code).not.toBe(fallback(code));
        expect(text, code).not.toContain('jobReason.');
      }
    });
  }

  it('keeps the Atlas code in reasons that carry one', () => {
    const i18n = createI18n('en');
    expect(codeText(i18n, 'pay_rejected_411')).toContain('411');
    expect(codeText(i18n, 'regenerate_rejected_314')).toContain('314');
    expect(codeText(i18n, 'read_business_800')).toContain('business_800');
  });
});

describe('holdText', () => {
  const hold = (kind: TeamHold['kind']): TeamHold => ({ deskId: 'desk-2', staff: 'Lin Mei', kind, since: '2026-11-26T05:00:00Z' });

  it('names the staff member of the other desk, for a claim and for a call left open, in both languages', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const i18n = createI18n(language);
      const claim = holdText(i18n.t, hold('claim'));
      const open = holdText(i18n.t, hold('open_step'));
      expect(claim).toContain('Lin Mei');
      expect(open).toContain('Lin Mei');
      expect(claim).not.toBe(open);
    }
    expect(holdText(createI18n('en').t, hold('claim'))).toBe('Being recovered by Lin Mei');
  });
});

describe('reasonTitleKey', () => {
  it('gives unpaid and ticketing orders, which have not failed, a neutral column title', () => {
    expect(reasonTitleKey('unpaid')).toBe('orders.col.reasonNeutral');
    expect(reasonTitleKey('ticketing')).toBe('orders.col.reasonNeutral');
    for (const failed of ['B', 'A', 'attention', 'failed'] as const) expect(reasonTitleKey(failed)).toBe('orders.col.reason');
  });
});
