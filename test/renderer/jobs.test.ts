// lib/jobs.ts: every job state has its group on the queue screen, only jobs that sent nothing may
// be cancelled, and a reason that repeats the state is not shown twice.
import { describe, expect, it } from 'vitest';
import type { Job, JobState } from '../../shared/desk.ts';
import type { JobReason } from '../../shared/reasons.ts';
import { CANCELLABLE, jobReasonShown, STATE_ORDER } from '../../renderer/src/lib/jobs.ts';

// `satisfies Record<JobState, true>`: a new job state stops this compiling until it has a group.
const ALL_STATES = Object.keys({
  queued: true, running: true, waiting_network: true, needs_card: true, needs_approval: true, reconciling: true, tracking: true,
  done: true, blocked: true, attention: true, failed: true, cancelled: true,
} satisfies Record<JobState, true>);

const job = (state: JobState, reason: JobReason | null): Job => ({
  id: 'job-1', orderNo: 'TA2611260001', currentOrderNo: 'TA2611260001', method: 1, cardMask: null, state, outcome: null, reason,
  attempts: 1, createdAt: '2026-11-26T05:00:00Z', updatedAt: '2026-11-26T05:00:00Z', actor: 'Mei Lin', approval: null, quote: null,
});

describe('job display rules', () => {
  it('gives every job state exactly one group, staff-waiting ones first', () => {
    expect([...STATE_ORDER].sort()).toEqual([...ALL_STATES].sort());
    expect(STATE_ORDER.slice(0, 2)).toEqual(['needs_approval', 'needs_card']);
  });

  it('lets only jobs that have sent nothing be cancelled', () => {
    expect([...CANCELLABLE].sort()).toEqual(['needs_approval', 'needs_card', 'queued', 'waiting_network']);
  });

  it('hides a reason that only repeats the state, and shows any other', () => {
    expect(jobReasonShown(job('waiting_network', 'offline'))).toBeNull();
    expect(jobReasonShown(job('tracking', 'ticketing_pending'))).toBeNull();
    expect(jobReasonShown(job('waiting_network', 'rate_limited'))).toBe('rate_limited');
    expect(jobReasonShown(job('blocked', 'deposit_below_due'))).toBe('deposit_below_due');
    expect(jobReasonShown(job('queued', null))).toBeNull();
  });
});
