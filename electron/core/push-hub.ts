// Listeners per push channel (orders:changed, queue:changed…): the core emits into one, and the
// shell's desk host re-emits the live core's pushes through another. A failing listener is logged
// and never stops the others (or the job step that caused the push).
import type { Push, PushPayload } from '../../shared/ipc.ts';

export interface PushHub {
  on<P extends Push>(push: P, listener: (payload: PushPayload<P>) => void): () => void;
  emit<P extends Push>(push: P, payload: PushPayload<P>): void;
}

export function createPushHub(log: (line: string) => void = () => {}): PushHub {
  const listeners = new Map<Push, Set<(payload: unknown) => void>>();
  return {
    on(push, listener) {
      const set = listeners.get(push) ?? new Set();
      listeners.set(push, set);
      const fn = listener as (payload: unknown) => void;
      set.add(fn);
      return () => {
        set.delete(fn);
      };
    },
    emit(push, payload) {
      for (const listener of listeners.get(push) ?? []) {
        try {
          listener(payload);
        } catch (error) {
          log(`${push} listener failed: ${(error as Error).message}`);
        }
      }
    },
  };
}
