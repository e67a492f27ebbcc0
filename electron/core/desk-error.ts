// The one error class for an expected refusal with a contract code, thrown by the core and the
// shell alike; the IPC registrar passes its code through to the window (shell/errors.ts).
import type { IpcErrorCode } from '../../shared/ipc.ts';
import type { RefusalReason } from '../../shared/reasons.ts';

export class DeskError extends Error {
  readonly code: IpcErrorCode;
  /** Why, when the refusal is about an order or a job (e.g. `not_marked_failed`): the window and the CLI say it in words. */
  readonly reason: RefusalReason | null;
  constructor(code: IpcErrorCode, message: string, reason: RefusalReason | null = null) {
    super(message);
    this.name = 'DeskError';
    this.code = code;
    this.reason = reason;
  }
}
