// Builds the renderer-facing `window.desk` object from the contract's names. Pure (no electron
// import) so the preload stays one tiny file and tests can check its exact shape.
import type { DeskApi, IpcResult } from '../../shared/ipc.ts';
import { CHANNEL_NAMES, PUSH_NAMES } from './channel-names.ts';

export interface BridgeTransport {
  invoke(channel: string, request: unknown): Promise<IpcResult<unknown>>;
  /** Subscribes to one push channel; returns the unsubscribe. */
  subscribe(push: string, listener: (payload: unknown) => void): () => void;
}

const pushNames: ReadonlySet<string> = new Set(PUSH_NAMES);

export function buildDeskApi(transport: BridgeTransport): DeskApi {
  const api: Record<string, Record<string, (request: unknown) => Promise<IpcResult<unknown>>>> = {};
  for (const channel of CHANNEL_NAMES) {
    const i = channel.indexOf(':');
    const domain = channel.slice(0, i);
    const verb = channel.slice(i + 1);
    // Each method is bound to exactly one channel: no way to reach an arbitrary channel from here.
    (api[domain] ??= {})[verb] = (request: unknown) => transport.invoke(channel, request ?? {});
  }
  const on = (push: string, listener: (payload: unknown) => void): (() => void) => {
    if (!pushNames.has(push)) throw new Error(`unknown push channel: ${String(push)}`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    return transport.subscribe(push, listener);
  };
  // The dynamic build cannot be typed per key; channel-names.ts guarantees the names match the contract.
  return { ...api, on } as unknown as DeskApi;
}
