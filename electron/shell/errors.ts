// Maps anything thrown inside a handler to the contract's closed error union (DESIGN.md §4.2).
// Atlas failures are classified once by the client; here they only pick an IPC code.
import { AtlasError } from '../atlas/api.ts';
import type { AtlasFailure } from '../../shared/atlas.ts';
import type { IpcError, IpcErrorCode } from '../../shared/ipc.ts';

// Codes a thrown error may carry by itself (duck-typed `code`: a DeskError, or a QueueError whose code is one of these).
const PASS_THROUGH: ReadonlySet<IpcErrorCode> = new Set(['not_found', 'conflict', 'no_credentials', 'offline', 'invalid_request', 'cancelled']);

export const GENERIC_INTERNAL_MESSAGE = 'Unexpected error in the desk; see the log.';

// Failure kinds with an IPC code of their own; every other kind is 'atlas_error'.
const ATLAS_KIND_CODE: Partial<Record<AtlasFailure['kind'], IpcErrorCode>> = {
  network: 'offline',
  timeout: 'offline',
  unauthorized: 'atlas_unauthorized',
  rate_limited: 'atlas_rate_limited',
};

export function toIpcError(error: unknown): IpcError {
  if (isAtlasError(error)) {
    return { code: ATLAS_KIND_CODE[error.failure.kind] ?? 'atlas_error', message: error.message };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && PASS_THROUGH.has(code as IpcErrorCode)) {
      // A DeskError's reason says which refusal it was, so the window can say it in words.
      const reason = (error as { reason?: unknown }).reason;
      return { code: code as IpcErrorCode, message: error.message, ...(typeof reason === 'string' ? { reason } : {}) };
    }
  }
  return { code: 'internal', message: GENERIC_INTERNAL_MESSAGE };
}

/** An AtlasError, also one from a second copy of the module (bundling). */
export function isAtlasError(error: unknown): error is AtlasError {
  if (error instanceof AtlasError) return true;
  return (
    error instanceof Error &&
    error.name === 'AtlasError' &&
    typeof (error as { failure?: { kind?: unknown } }).failure?.kind === 'string'
  );
}
