// Registers one ipcMain.handle per contract channel (docs/conventions.md "The boundary"): sender
// check → zod validation → handler → result envelope. Never throws back into Electron: every path
// resolves to an IpcResult. Everything sent out is scrubbed (outbound-guard.ts).
import { channels, pushes } from '../../shared/ipc.ts';
import type { Channel, Handlers, IpcResult, Push, PushPayload } from '../../shared/ipc.ts';
import { toIpcError } from './errors.ts';
import { scrubOutbound, maskCardNumbers } from './outbound-guard.ts';

export interface SenderFrameLike {
  url: string;
  /** Non-null for subframes; only the top frame of our page may call in. */
  parent?: unknown;
}

export interface InvokeEventLike {
  senderFrame: SenderFrameLike | null | undefined;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegistrarOptions {
  ipcMain: IpcMainLike;
  handlers: Handlers;
  isTrustedSender: (url: string) => boolean;
  /** Strings that must never leave main (the client secret), read at send time. */
  secrets?: () => readonly string[];
  log?: (line: string) => void;
}

export const CONTRACT_CHANNELS = Object.keys(channels) as Channel[];
export const CONTRACT_PUSHES = Object.keys(pushes) as Push[];

/** One invocation, end to end. Exported for tests and the browser-test bridge. */
export async function dispatch(
  channel: Channel,
  event: InvokeEventLike,
  raw: unknown,
  options: Omit<RegistrarOptions, 'ipcMain'>,
): Promise<IpcResult<unknown>> {
  const log = options.log ?? (() => {});
  try {
    const frame = event?.senderFrame;
    if (!frame || typeof frame.url !== 'string' || (frame.parent ?? null) !== null || !options.isTrustedSender(frame.url)) {
      log(`ipc: rejected ${channel} from a foreign sender`);
      return { ok: false, error: { code: 'forbidden_sender', message: 'Request from an untrusted page.' } };
    }
    const parsed = channels[channel].request.safeParse(raw);
    if (!parsed.success) {
      // Paths only: issue messages could quote the input, which may hold card data.
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      return { ok: false, error: { code: 'invalid_request', message: `Invalid request for ${channel}: ${where}` } };
    }
    const handler = options.handlers[channel] as (request: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    return { ok: true, value: scrubOutbound(value, options.secrets?.() ?? []) };
  } catch (error) {
    const ipcError = toIpcError(error);
    log(`ipc: ${channel} failed: ${maskCardNumbers(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}`);
    return { ok: false, error: scrubOutbound(ipcError, options.secrets?.() ?? []) as typeof ipcError };
  }
}

/** Registers every contract channel; returns a function that removes them all. */
export function registerIpc(options: RegistrarOptions): () => void {
  for (const channel of CONTRACT_CHANNELS) {
    options.ipcMain.handle(channel, (event, ...args) => dispatch(channel, event, args[0], options));
  }
  return () => {
    for (const channel of CONTRACT_CHANNELS) options.ipcMain.removeHandler(channel);
  };
}

export interface PushSource {
  on<P extends Push>(push: P, listener: (payload: PushPayload<P>) => void): () => void;
}

/** Forwards every contract push from `source` to `send` (webContents.send), scrubbed. */
export function forwardPushes(
  source: PushSource,
  send: (push: Push, payload: unknown) => void,
  secrets: () => readonly string[] = () => [],
): () => void {
  const offs = CONTRACT_PUSHES.map((push) => source.on(push, (payload) => send(push, scrubOutbound(payload, secrets()))));
  return () => offs.forEach((off) => off());
}
