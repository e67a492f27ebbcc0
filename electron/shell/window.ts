// The one BrowserWindow, with the security baseline in its webPreferences
// (docs/conventions.md "The security baseline").
import type { SecurityOptions, WebContentsLike } from './security.ts';
import { hardenWebContents } from './security.ts';

/** Frozen so a test can snapshot it and nobody loosens a flag by accident. */
export function secureWebPreferences(preloadPath: string, devTools = true) {
  return Object.freeze({
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
  });
}

export interface WindowLike {
  webContents: WebContentsLike;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
}

export type WindowConstructor<W extends WindowLike> = new (options: {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: ReturnType<typeof secureWebPreferences>;
}) => W;

export interface CreateWindowOptions<W extends WindowLike> extends SecurityOptions {
  BrowserWindow: WindowConstructor<W>;
  preloadPath: string;
  title: string;
  /** Packaged builds turn devtools off. */
  devTools?: boolean;
}

export function createMainWindow<W extends WindowLike>(options: CreateWindowOptions<W>): W {
  const webPreferences = secureWebPreferences(options.preloadPath, options.devTools ?? true);
  const win = new options.BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: options.title,
    backgroundColor: '#ffffff',
    webPreferences,
  });
  hardenWebContents(win.webContents, options);
  win.once('ready-to-show', () => win.show());
  return win;
}
