// Every reason the desk can give — on a job (JobReason) or for a refusal (RefusalReason) — reads as
// words in both languages, never as the "code X (no description yet)" fallback. The lists come
// from shared/reasons.ts, so a reason added there without words fails here.
import { describe, expect, it } from 'vitest';
import { codeText } from '../../renderer/src/lib/explain.ts';
import { createI18n } from '../../renderer/src/i18n.ts';
import { ATLAS_ERROR_KINDS } from '../../shared/atlas.ts';
import {
  cancelledAgain,
  JOB_REASONS,
  jobReasonOf,
  payRejected,
  readFailed,
  REFUSAL_REASONS,
  regenerateRejected,
  type JobReason,
} from '../../shared/reasons.ts';
import { ORDER_CODES, PAY_CODES } from '../../shared/status-codes.ts';
import { TICKET_ERROR_MEANINGS } from '../../shared/ticket-errors.ts';

const codes = (table: object) => Object.keys(table).map(Number);

/** The reasons that carry an Atlas code, for every code the desk knows of (and none). */
const CODED: { reason: JobReason; code: string }[] = [
  ...[...codes(PAY_CODES), undefined].map((code) => ({ reason: payRejected(code), code: String(code ?? 'unknown') })),
  ...[...codes(ORDER_CODES), undefined].map((code) => ({ reason: regenerateRejected(code), code: String(code ?? 'unknown') })),
  ...ATLAS_ERROR_KINDS.flatMap((kind) => [
    { reason: readFailed({ kind }), code: kind },
    { reason: readFailed({ kind, code: 800 }), code: `${kind}_800` },
  ]),
  ...Object.keys(TICKET_ERROR_MEANINGS).map((code) => ({ reason: cancelledAgain(code), code })),
];

describe('reason wording', () => {
  for (const language of ['en', 'zh-CN'] as const) {
    const i18n = createI18n(language);
    const fallback = (code: string) => i18n.t('common.unknownCode', { code });
    const words = (code: string) => {
      const text = codeText(i18n, code);
      expect(text, code).not.toBe(fallback(code));
      expect(text, code).not.toMatch(/^(jobReason|refusal|plan|attention)\./);
      expect(text.trim(), code).not.toBe('');
      return text;
    };

    it(`gives every job reason words in ${language}`, () => {
      for (const reason of JOB_REASONS) words(reason);
    });

    it(`gives every job reason that carries an Atlas code words with the code in ${language}`, () => {
      expect(CODED.length).toBeGreaterThan(40);
      for (const { reason, code } of CODED) {
        const text = words(reason);
        // A ticket errorCode reads as what it means; the others name their code.
        if (!(code in TICKET_ERROR_MEANINGS)) expect(text, reason).toContain(code);
      }
      expect(words(cancelledAgain(null))).toBe(codeText(i18n, 'cancelled'));
    });

    it(`gives every refusal reason words in ${language}`, () => {
      for (const reason of REFUSAL_REASONS) words(reason);
    });

    it(`says in words why staff checked an unconfirmed payment, in ${language}`, () => {
      expect(words('outcome_checked_by_staff')).toContain('ATRIP');
    });
  }
});

describe('jobReasonOf', () => {
  it('knows every reason the desk writes', () => {
    for (const reason of [...JOB_REASONS, ...CODED.map((c) => c.reason), cancelledAgain(null)]) expect(jobReasonOf(reason), reason).toBe(reason);
  });

  it('knows nothing else', () => {
    for (const value of ['', 'some_new_code', 'read_meltdown', 'pay_rejected_', 'pay_rejected_x', 'PAY_REJECTED_411', '604 ', null, 411, undefined]) {
      expect(jobReasonOf(value), String(value)).toBeNull();
    }
  });
});
