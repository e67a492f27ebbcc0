// The one door to the main process. Components and stores call `desk()` instead of touching
// `window.desk` directly, so component tests (and the browser preview) can inject a fake.
import type { DeskApi, IpcError, IpcResult } from '../../shared/ipc.ts';

declare global {
  interface Window {
    desk?: DeskApi;
  }
}

let injected: DeskApi | null = null;

/** Tests call this with a fake; `null` goes back to `window.desk`. */
export function setDesk(api: DeskApi | null): void {
  injected = api;
}

export function desk(): DeskApi {
  const api = injected ?? window.desk;
  if (!api) throw new Error('window.desk is missing: the preload did not run');
  return api;
}

/** Turns a thrown bridge error (IPC torn down, preload bug) into the same envelope as any other. */
export async function call<T>(run: (api: DeskApi) => Promise<IpcResult<T>>): Promise<IpcResult<T>> {
  try {
    return await run(desk());
  } catch (e) {
    const error: IpcError = { code: 'internal', message: e instanceof Error ? e.message : String(e) };
    return { ok: false, error };
  }
}
