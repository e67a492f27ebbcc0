// Team mode's hold on an order's regeneration chain, as the runner sees it (the implementation is
// electron/team/, constructed by the composition roots). A desk without team mode has none, and
// the runner then behaves exactly as it always did.
//
// The runner asks `acquire` at the start of every pre-payment advance and `assertHeld` right
// before it journals a pay/regenerate step: the second is the proof (the database's clock and a
// fencing token, in one round trip) that no other desk can be acting on the chain. A claim that
// cannot be proven is never acted on: the job waits, like it waits for Atlas when offline.
import type { JobReason, RefusalReason } from '../../shared/reasons.ts';

export interface ClaimHolder {
  /** The other desk's id and the staff name it works under ("being recovered by Lin Mei"). */
  deskId: string;
  staff: string;
}

/**
 * `needsStaff`: another desk's pay/regenerate on this chain ended with an outcome only a human can
 * settle (its desk shows it in attention); this job stops for staff too instead of waiting.
 */
export type ClaimAnswer = { held: true } | { held: false; holder: ClaimHolder | null; retryMs: number; needsStaff?: boolean };

/** The team database cannot be reached or could not answer: nothing may be sent. */
export class TeamUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamUnavailable';
  }
}

export interface ChainClaims {
  /**
   * Takes (or renews) the claim of the chain of `job.currentOrderNo` for this job. On success the
   * chain's regeneration links known to the team are in the local store before it resolves, so
   * the runner follows another desk's regeneration instead of regenerating again.
   * Throws TeamUnavailable when the team database cannot answer.
   */
  acquire(job: { id: string; orderNo: string; currentOrderNo: string }): Promise<ClaimAnswer>;
  /**
   * Proves the claim is still this job's at this instant and records the mutating step as open in
   * the team database. Only after `{ held: true }` may the step be journaled and sent.
   */
  assertHeld(jobId: string, step: { kind: 'pay' | 'regenerate'; orderNo: string }): Promise<ClaimAnswer>;
  /** A cheap round trip: the queue's prober resumes only when this (and Atlas) answer. */
  reachable(): Promise<boolean>;
}

/** Job reasons the runner sets in team mode (words in both languages in the renderer). */
export const CLAIMED_BY_OTHER_DESK = 'claimed_by_other_desk' as const satisfies JobReason & RefusalReason;
export const TEAM_OFFLINE = 'team_offline' as const satisfies JobReason;
export const OTHER_DESK_OUTCOME_UNKNOWN = 'other_desk_outcome_unknown' as const satisfies JobReason;
