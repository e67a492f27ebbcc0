// Sandboxed preload: bundled into one CommonJS file (dist-electron/preload.cjs) that requires only
// `electron`. Exposes `window.desk` (typed DeskApi) — never ipcRenderer, never a free-form invoke.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { DeskApi, IpcResult } from '../shared/ipc.ts';
import { buildDeskApi } from './shell/desk-bridge.ts';

const desk = buildDeskApi({
  invoke: (channel, request) => ipcRenderer.invoke(channel, request) as Promise<IpcResult<unknown>>,
  subscribe: (push, listener) => {
    // Hand the page only the payload: the event object carries `sender`, i.e. ipcRenderer itself.
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(push, wrapped);
    return () => {
      ipcRenderer.removeListener(push, wrapped);
    };
  },
}) satisfies DeskApi;

contextBridge.exposeInMainWorld('desk', desk);
