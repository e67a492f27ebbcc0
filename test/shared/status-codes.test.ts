import { describe, expect, it } from 'vitest';
import { NEVER_PAY_AGAIN_CODES, PAY_CODES, describeStatus, isPayOutcomeUnknown, isRegenerateOutcomeUnknown } from '../../shared/status-codes.ts';

describe('status code tables', () => {
  it('describes codes per endpoint, falling back to the general table', () => {
    expect(describeStatus('pay', 404)).toBe('order already paid');
    expect(describeStatus('regenerateOrder', 314)).toMatch(/ticketing or ticketed/);
    expect(describeStatus('queryOrderDetails', 800)).toBe('order does not exist');
    expect(describeStatus('balance', 900)).toMatch(/unauthorised/);
    expect(describeStatus('queryOrderDetails', 404)).toBeUndefined();
  });

  it('treats 406, 411, 615, system errors and every undocumented pay.do code as an unknown outcome', () => {
    for (const code of [406, 411, 615, -1, 9999, 2, 499, 777]) expect(isPayOutcomeUnknown(code), String(code)).toBe(true);
  });

  it('treats the documented definitive pay.do rejections as known outcomes', () => {
    for (const code of [400, 401, 402, 403, 404, 407, 412, 415, 100, 900]) expect(isPayOutcomeUnknown(code), String(code)).toBe(false);
    expect(isPayOutcomeUnknown(0)).toBe(false);
  });

  it('treats regenerate 330 and undocumented codes as unknown, 314 and 318 as known', () => {
    expect(isRegenerateOutcomeUnknown(330)).toBe(true);
    expect(isRegenerateOutcomeUnknown(9999)).toBe(true);
    expect(isRegenerateOutcomeUnknown(555)).toBe(true);
    expect(isRegenerateOutcomeUnknown(314)).toBe(false);
    expect(isRegenerateOutcomeUnknown(318)).toBe(false);
  });

  it('never-pay-again covers 318, 402, 404, 615 and 406, and every one but 318 is a pay.do code', () => {
    expect([...NEVER_PAY_AGAIN_CODES].sort()).toEqual([318, 402, 404, 406, 615]);
    for (const code of [402, 404, 406, 615]) expect(code in PAY_CODES).toBe(true);
  });
});
