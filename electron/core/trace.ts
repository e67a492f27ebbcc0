// Progress points of the queue's work, reported synchronously to an optional `trace` dependency.
// The crash-kill tests use them to kill a desk process exactly between two of them; a log can use
// them for diagnostics. Without a `trace` dependency nothing is reported.

export type TracePoint =
  /** This process took the queue lease (it reconciles crash leftovers next). */
  | 'lease_taken'
  /** Crash leftovers are reconciled; other jobs may run from now on. */
  | 'leftovers_reconciled'
  /** This process lost the lease: it sends no further pay or regenerate call. */
  | 'lease_lost'
  /** One advance of a job starts. */
  | 'advance'
  /** That advance ended: whatever it journaled is recorded. */
  | 'advanced'
  /** Re-read and re-planned: the lease check and the journal write come next. */
  | 'pay_ready'
  /** The pay step is committed in the journal; the request has not left yet. */
  | 'pay_journaled'
  /** pay.do answered (or failed); the step's result is not recorded yet. */
  | 'pay_answered'
  | 'regenerate_ready'
  | 'regenerate_journaled'
  | 'regenerate_answered'
  /** The query that settles an unknown step answered; its record is not written yet. */
  | 'reconcile_read';

export interface TraceEvent {
  point: TracePoint;
  jobId?: string;
  orderNo?: string;
}

/** Must not throw; a throwing trace is ignored (it never stops a payment step). */
export type Trace = (event: TraceEvent) => void;

/** Calls `trace` if there is one, swallowing its errors. */
export function report(trace: Trace | undefined, event: TraceEvent): void {
  if (!trace) return;
  try {
    trace(event);
  } catch {
    // Diagnostics must never change what happens to money.
  }
}
