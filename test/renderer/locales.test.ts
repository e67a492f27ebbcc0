import { describe, expect, it } from 'vitest';
import en from '../../renderer/src/locales/en.json' with { type: 'json' };
import zh from '../../renderer/src/locales/zh-CN.json' with { type: 'json' };
import { STORAGE_PROBLEMS, type AttentionReason, type EventKind, type JobState } from '../../shared/desk.ts';
import type { IpcErrorCode } from '../../shared/ipc.ts';
import type { PlanAction, PlanReason, PlanWarning } from '../../shared/plan.ts';
import { TICKET_ERROR_MEANINGS } from '../../shared/ticket-errors.ts';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
function get(obj: object, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

// `satisfies Record<Union, true>` makes the compiler fail when a shared union grows and we miss it.
const ACTIONS = Object.keys({ pay_same_order: true, regenerate_then_pay: true, wait_ticketing: true, reconcile_first: true, no_action: true, blocked: true } satisfies Record<PlanAction, true>);
const REASONS = Object.keys({
  unpaid_payable: true, unpaid_expired: true, airline_payment_rejected: true, ticketing_in_progress: true, ticketed: true,
  paid_pnr_pending: true, duplicate_booking: true, already_regenerated: true, regeneration_window_closed: true,
  cancelled_not_recoverable: true, outcome_unknown: true, no_supported_method: true, not_marked_failed: true,
  deposit_low_at_ticketing: true, deadline_unknown: true, amount_not_exact: true, deadline_passed_unconfirmed: true,
  created_at_unknown: true,
} satisfies Record<PlanReason, true>);
const WARNINGS = Object.keys({
  deposit_below_due: true, payment_attempted: true, regeneration_window_closing: true, deadline_close: true,
  card_not_supported: true, deposit_not_supported: true, regenerate_may_fail: true, price_may_change: true,
} satisfies Record<PlanWarning, true>);
const ERRORS = Object.keys({
  invalid_request: true, forbidden_sender: true, not_found: true, offline: true, atlas_unauthorized: true,
  atlas_rate_limited: true, atlas_error: true, no_credentials: true, conflict: true, cancelled: true, storage: true, internal: true,
} satisfies Record<IpcErrorCode, true>);
const JOB_STATES = Object.keys({
  queued: true, running: true, waiting_network: true, needs_card: true, needs_approval: true, reconciling: true, tracking: true,
  done: true, blocked: true, attention: true, failed: true, cancelled: true,
} satisfies Record<JobState, true>);
const EVENTS = Object.keys({
  seen: true, status_changed: true, webhook_hint: true, marked_failed: true, intent: true, step_started: true,
  step_succeeded: true, step_failed: true, step_unknown: true, reconciled: true, regenerated: true, ticketed: true,
  cancelled: true, job_cancelled: true, approved: true, card_not_charged: true, note: true,
} satisfies Record<EventKind, true>);
const ATTENTION = Object.keys({
  duplicate_booking: true, paid_pnr_pending: true, outcome_unknown: true, regeneration_window_closed: true,
  cancelled_not_recoverable: true, no_supported_method: true, created_at_unknown: true,
} satisfies Record<AttentionReason, true>);

describe('locales', () => {
  it('en and zh-CN have exactly the same keys', () => {
    const a = keys(en).sort();
    const b = keys(zh).sort();
    expect(b.filter((k) => !a.includes(k)), 'only in zh-CN').toEqual([]);
    expect(a.filter((k) => !b.includes(k)), 'only in en').toEqual([]);
  });

  it('no string is empty and zh-CN is actually translated (not copied English)', () => {
    for (const k of keys(en)) expect(String(get(en, k)).trim(), k).not.toBe('');
    const same = keys(en).filter((k) => get(en, k) === get(zh, k) && /[a-z]{4,}/.test(String(get(en, k)).replace(/\{\{\w+\}\}/g, "")));
    expect(same).toEqual([]);
  });

  it.each([
    ['plan.action', ACTIONS], ['plan.reason', REASONS], ['plan.warning', WARNINGS], ['errors', ERRORS],
    ['queue.state', JOB_STATES], ['queue.stateHint', JOB_STATES], ['event', EVENTS], ['attention', ATTENTION],
    ['storage', [...STORAGE_PROBLEMS]],
  ])('every %s code has a sentence in both languages', (ns, codes) => {
    for (const code of codes) {
      expect(get(en, `${ns}.${code}`), `en ${ns}.${code}`).toBeTypeOf('string');
      expect(get(zh, `${ns}.${code}`), `zh ${ns}.${code}`).toBeTypeOf('string');
    }
  });

  it('every published ticket error code has a translated meaning', () => {
    const unpublished = ['629', '630', '698']; // Atlas publishes no meaning: the UI says "code N".
    for (const code of Object.keys(TICKET_ERROR_MEANINGS).filter((c) => !unpublished.includes(c))) {
      expect(get(en, `ticketError.${code}`), code).toBeTypeOf('string');
    }
  });
});
