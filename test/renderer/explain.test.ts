// lib/explain.ts: another desk's hold and the reason column's title in words (every reason code's
// words: explain.reasons.test.ts).
import { describe, expect, it } from 'vitest';
import type { TeamHold } from '../../shared/desk.ts';
import { holdText, reasonTitleKey } from '../../renderer/src/lib/explain.ts';
import { createI18n } from '../../renderer/src/i18n.ts';

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
