// Small fakes shared by the shell tests: an ipcMain that records handlers, and a trusted sender.
import type { IpcMainLike, InvokeEventLike } from '../../electron/shell/ipc-registrar.ts';
import type { Job } from '../../shared/desk.ts';
import type { Channel, CoreChannel, Handlers } from '../../shared/ipc.ts';
import { channels } from '../../shared/ipc.ts';

export const APP_URL = 'app://desk/index.html';
export const trusted = (url: string) => url === APP_URL;
export const ownPage: InvokeEventLike = { senderFrame: { url: APP_URL, parent: null } };

export function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

/** Every channel answers with whatever it was given: the worst case for leaks. */
export function echoHandlers(): Handlers {
  return Object.fromEntries(
    (Object.keys(channels) as Channel[]).map((c) => [c, async (request: unknown) => ({ channel: c, echo: request })]),
  ) as unknown as Handlers;
}

export type { CoreChannel };

/** A queue job as the notifier sees it. */
export const job = (id: string, state: Job['state'], extra: Partial<Job> = {}): Job => ({
  id,
  orderNo: `ORDER${id}`,
  currentOrderNo: `ORDER${id}`,
  method: 1,
  cardMask: null,
  state,
  outcome: null,
  reason: null,
  attempts: 1,
  createdAt: '2026-11-26T00:00:00Z',
  updatedAt: '2026-11-26T00:00:00Z',
  actor: 'Mei',
  approval: null,
  quote: null,
  ...extra,
});
