// Maps anything thrown inside a handler to the contract's closed error union (DESIGN.md §4.2).
// Atlas failures are classified once by the client; here they only pick an IPC code.
import { AtlasError } from '../atlas/api.ts';
import type { IpcError, IpcErrorCode } from '../../shared/ipc.ts';


// Codes a thrown error may carry by itself (duck-typed `code`: a DeskError, or a QueueError whose code is one of these).
const PASS_THROUGH: ReadonlySet<IpcErrorCode> = new Set(['not_found', 'conflict', 'no_credentials', 'offline', 'invalid_request']);

export const GENERIC_INTERNAL_MESSAGE = 'Unexpected error in the desk; see the log.';

export function toIpcError(error: unknown): IpcError {
  if (error instanceof AtlasError || isAtlasErrorLike(error)) {
    const kind = error.failure.kind;
    const code: IpcErrorCode =
      kind === 'network' || kind === 'timeout'
        ? 'offline'
        : kind === 'unauthorized'
          ? 'atlas_unauthorized'
          : kind === 'rate_limited'
            ? 'atlas_rate_limited'
            : 'atlas_error';
    return { code, message: error.message };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && PASS_THROUGH.has(code as IpcErrorCode)) {
      return { code: code as IpcErrorCode, message: error.message };
    }
  }
  return { code: 'internal', message: GENERIC_INTERNAL_MESSAGE };
}

// An AtlasError from a second copy of the module (bundling) still counts.
function isAtlasErrorLike(error: unknown): error is AtlasError {
  return (
    error instanceof Error &&
    error.name === 'AtlasError' &&
    typeof (error as { failure?: { kind?: unknown } }).failure?.kind === 'string'
  );
}
