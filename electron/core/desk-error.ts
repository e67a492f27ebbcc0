// The one error class for an expected refusal with a contract code, thrown by the core and the
// shell alike; the IPC registrar passes its code through to the window (shell/errors.ts).
import type { IpcErrorCode } from '../../shared/ipc.ts';

export class DeskError extends Error {
  readonly code: IpcErrorCode;
  /** Planner-style code (e.g. `not_marked_failed`) when the refusal is about an order. */
  readonly reason: string | null;
  constructor(code: IpcErrorCode, message: string, reason: string | null = null) {
    super(message);
    this.name = 'DeskError';
    this.code = code;
    this.reason = reason;
  }
}
