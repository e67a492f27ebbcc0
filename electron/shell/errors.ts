// Maps anything thrown inside a handler to the contract's closed error union
// (docs/conventions.md "The result envelope"). Atlas failures are classified once by the client;
// here they only pick an IPC code.
import { failureOf } from '../atlas/api.ts';
import { storageProblemOf } from '../store/storage-errors.ts';
import type { AtlasErrorKind } from '../../shared/atlas.ts';
import type { IpcError, IpcErrorCode } from '../../shared/ipc.ts';
import { REFUSAL_REASONS, type RefusalReason } from '../../shared/reasons.ts';

const REFUSALS: ReadonlySet<unknown> = new Set(REFUSAL_REASONS);

// Codes a thrown error may carry by itself (duck-typed `code`: a DeskError, or a QueueError whose code is one of these).
const PASS_THROUGH: ReadonlySet<IpcErrorCode> = new Set(['not_found', 'conflict', 'no_credentials', 'offline', 'invalid_request', 'cancelled']);

export const GENERIC_INTERNAL_MESSAGE = 'Unexpected error in the desk; see the log.';

// Total: a new failure kind is a compile error here until it is given its IPC code.
const ATLAS_KIND_CODE: Record<AtlasErrorKind, IpcErrorCode> = {
  network: 'offline',
  timeout: 'offline',
  unauthorized: 'atlas_unauthorized',
  rate_limited: 'atlas_rate_limited',
  server: 'atlas_error',
  business: 'atlas_error',
  unknown_outcome: 'atlas_error',
  invalid_response: 'atlas_error',
};

export function toIpcError(error: unknown): IpcError {
  const failure = failureOf(error);
  if (failure) return { code: ATLAS_KIND_CODE[failure.kind], message: (error as Error).message };
  // SQLite's own words for these are fixed phrases ("database or disk is full"), safe to pass on.
  const problem = storageProblemOf(error);
  if (problem) return { code: 'storage', message: `The desk's database: ${problem} (${(error as Error).message})` };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && PASS_THROUGH.has(code as IpcErrorCode)) {
      // A DeskError's reason says which refusal it was, so the window says it in words as the CLI prints it.
      const reason = (error as { reason?: unknown }).reason;
      return { code: code as IpcErrorCode, message: error.message, ...(REFUSALS.has(reason) ? { reason: reason as RefusalReason } : {}) };
    }
  }
  return { code: 'internal', message: GENERIC_INTERNAL_MESSAGE };
}
