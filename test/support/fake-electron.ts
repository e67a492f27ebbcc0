// A fake `electron` module rich enough to boot electron/main.ts (and electron-store) in plain Node.
// Use it per test file with `vi.mock('electron', () => import('../support/fake-electron.ts'))`, set
// `fakeElectron.userData` before importing main.ts, then drive it through `fakeElectron`:
// resolve `app.whenReady()`, read the recorded windows / IPC handlers / notifications, emit app
// events. Everything main.ts touches is recorded; nothing reaches a real OS service.
//
// Behaviour worth knowing:
// - `app.quit()` behaves like Electron's: it emits 'before-quit' with a preventable event and, if
//   nobody prevented it, 'will-quit' and 'quit', then resolves `fakeElectron.quitted`.
// - `net.fetch` delegates to Node's fetch and records each URL (so a test can find the simulator);
//   with `fakeElectron.networkDown` it fails like a cut network instead.
// - `safeStorage` is available (async API only) with a reversible, obviously fake "encryption",
//   unless `fakeElectron.safeStorageAvailable` is set to false.
// - `win.close()` emits a preventable 'close' first, like Electron (close-to-tray prevents it), then
//   'closed' and, for the last window, app 'window-all-closed'. `app.quit()` closes every window
//   after 'before-quit' (no 'window-all-closed' then); a window that stays open cancels the quit.
// - `Tray`, `Menu`, `nativeImage`, `powerSaveBlocker`, login items, the AppUserModelId and the
//   taskbar progress are recorded (`Tray.instances`, `powerSaveBlocker.active`, `app.loginItems`,
//   `app.appUserModelId`, `win.progress`); `tray.menu.click(label)` clicks a menu item.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';

type Listener = (...args: never[]) => unknown;

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface PreventableEvent {
  preventDefault(): void;
  readonly defaultPrevented: boolean;
}

export function preventableEvent(): PreventableEvent {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

/** A tiny typed-enough emitter: `on`/`once` return `this` like Electron's. */
class FakeEmitter {
  readonly emitter = new EventEmitter();
  on(event: string, listener: Listener): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }
  once(event: string, listener: Listener): this {
    this.emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }
  removeListener(event: string, listener: Listener): this {
    this.emitter.removeListener(event, listener as (...args: unknown[]) => void);
    return this;
  }
  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }
  emit(event: string, ...args: unknown[]): boolean {
    return this.emitter.emit(event, ...args);
  }
  listenerCount(event: string): number {
    return this.emitter.listenerCount(event);
  }
}

// ---------------------------------------------------------------- session

export class FakeSession {
  permissionRequestHandler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: ((webContents: unknown, permission: string) => boolean) | null = null;
  headersReceivedListeners: ((
    details: { url: string; responseHeaders?: Record<string, string[] | string> },
    callback: (response: { responseHeaders?: Record<string, string[] | string> }) => void,
  ) => void)[] = [];
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
  readonly webRequest = {
    onHeadersReceived: (listener: FakeSession['headersReceivedListeners'][number]) => {
      this.headersReceivedListeners.push(listener);
    },
  };
}

// ---------------------------------------------------------------- windows

export class FakeWebContents extends FakeEmitter {
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' } | { action: 'allow' }) | null = null;
  readonly session: FakeSession;
  destroyed = false;
  /** The page the window shows (BrowserWindow.loadURL sets it; a test may "navigate" it). */
  url = '';
  constructor(session: FakeSession) {
    super();
    this.session = session;
  }
  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, payload });
  }
  getURL(): string {
    return this.url;
  }
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Test helper: the renderer process dies, as Electron reports it. */
  renderProcessGone(reason: string, exitCode = 1): void {
    this.emit('render-process-gone', preventableEvent(), { reason, exitCode });
  }
}

export interface WindowOptions {
  webPreferences?: Record<string, unknown>;
  [key: string]: unknown;
}

export class BrowserWindow extends FakeEmitter {
  static readonly instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }

  readonly options: WindowOptions;
  readonly webContents: FakeWebContents;
  readonly loaded: { kind: 'file' | 'url'; target: string }[] = [];
  visible = false;
  minimized = false;
  destroyed = false;
  /** Every setProgressBar call, newest last. */
  readonly progress: { value: number; mode?: string }[] = [];

  constructor(options: WindowOptions = {}) {
    super();
    this.options = options;
    this.webContents = new FakeWebContents(session.defaultSession);
    BrowserWindow.instances.push(this);
    // Electron emits this on `app` for every new webContents.
    app.emit('web-contents-created', preventableEvent(), this.webContents);
    fakeElectron.windowCreated(this);
  }
  async loadFile(file: string): Promise<void> {
    this.loaded.push({ kind: 'file', target: file });
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push({ kind: 'url', target: url });
    this.webContents.url = url;
  }
  show(): void {
    this.visible = true;
    this.minimized = false;
  }
  hide(): void {
    this.visible = false;
  }
  minimize(): void {
    this.minimized = true;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {}
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Like Electron: 'close' may be prevented (the window stays); otherwise the window is destroyed. */
  close(): void {
    if (this.destroyed) return;
    const event = preventableEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }
  setProgressBar(value: number, options: { mode?: string } = {}): void {
    this.progress.push(options.mode === undefined ? { value } : { value, mode: options.mode });
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    // Electron says so when the user closed the last window, not while app.quit() closes them.
    if (!app.closingForQuit && BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}

// ---------------------------------------------------------------- app

class FakeApp extends FakeEmitter {
  readonly name = 'Atlas Retry Desk';
  isPackaged = false;
  /** Chromium's view of the command line: the switches in process.argv (`--name` or `--name=value`). */
  readonly commandLine = {
    hasSwitch: (name: string): boolean => process.argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`)),
  };
  ready = false;
  quitCalls = 0;
  readonly exitCalls: number[] = [];
  /** Every setLoginItemSettings call, newest last. */
  readonly loginItems: { openAtLogin?: boolean }[] = [];
  appUserModelId: string | null = null;
  /** True while quit() closes the windows. */
  closingForQuit = false;
  readonly #ready = deferred<void>();

  requestSingleInstanceLock(): boolean {
    return fakeElectron.singleInstanceLock;
  }
  whenReady(): Promise<void> {
    return this.#ready.promise;
  }
  isReady(): boolean {
    return this.ready;
  }
  /** Test control: what Electron does once it is initialised. */
  becomeReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.#ready.resolve();
    this.emit('ready');
  }
  logsPathSet = false;
  /** Like Electron on Windows and Linux: logs under userData unless a path is given. */
  setAppLogsPath(): void {
    this.logsPathSet = true;
  }
  getPath(name: string): string {
    if (name === 'userData' || name === 'appData' || name === 'sessionData') {
      if (!fakeElectron.userData) throw new Error('fake electron: set fakeElectron.userData before booting');
      return fakeElectron.userData;
    }
    if (name === 'temp') return fakeElectron.userData;
    if (name === 'logs') {
      if (!this.logsPathSet) throw new Error("fake electron: app.getPath('logs') before app.setAppLogsPath()");
      return `${this.getPath('userData')}/logs`;
    }
    if (name === 'crashDumps') return `${this.getPath('userData')}/Crashpad`;
    throw new Error(`fake electron: app.getPath(${name}) is not faked`);
  }
  getVersion(): string {
    return fakeElectron.version;
  }
  getName(): string {
    return this.name;
  }
  getLocale(): string {
    return fakeElectron.locale;
  }
  getSystemLocale(): string {
    return fakeElectron.locale;
  }
  setLoginItemSettings(settings: { openAtLogin?: boolean }): void {
    this.loginItems.push({ ...settings });
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: this.loginItems.at(-1)?.openAtLogin ?? false };
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  quit(): void {
    this.quitCalls += 1;
    const event = preventableEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    // Electron closes every window next; one that refuses to close cancels the quit.
    this.closingForQuit = true;
    for (const win of BrowserWindow.getAllWindows()) win.close();
    this.closingForQuit = false;
    if (BrowserWindow.getAllWindows().length > 0) return;
    const willQuit = preventableEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    this.emit('quit', preventableEvent(), 0);
    fakeElectron.quitDone();
  }
  exit(code = 0): void {
    this.exitCalls.push(code);
    fakeElectron.exited(code);
  }
}

export const app = new FakeApp();

// ---------------------------------------------------------------- ipcMain

type InvokeListener = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain extends FakeEmitter {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    // Electron throws on a second handler for the same channel; so do we.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  handleOnce(channel: string, listener: InvokeListener): void {
    this.handle(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Test helper: what `ipcRenderer.invoke(channel, request)` would get back. */
  async invoke(channel: string, event: unknown, request?: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, request);
  }
}

export const ipcMain = new FakeIpcMain();

// ---------------------------------------------------------------- dialog, shell, notifications

export const dialog = {
  errorBoxes: [] as { title: string; content: string }[],
  saveDialogs: [] as unknown[],
  messageBoxes: [] as unknown[],
  /** What showSaveDialog answers. */
  nextSavePath: null as string | null,
  /** Button index showMessageBox answers. */
  nextMessageBoxResponse: 0,
  showErrorBox(title: string, content: string): void {
    dialog.errorBoxes.push({ title, content });
    fakeElectron.failed(new Error(`${title}: ${content}`));
  },
  async showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    dialog.saveDialogs.push(args.at(-1));
    return dialog.nextSavePath ? { canceled: false, filePath: dialog.nextSavePath } : { canceled: true };
  },
  async showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    dialog.messageBoxes.push(args.at(-1));
    return { response: dialog.nextMessageBoxResponse, checkboxChecked: false };
  },
};

export const clipboard = {
  written: [] as string[],
  writeText(text: string): void {
    clipboard.written.push(text);
  },
};

/** Records how (and whether before `ready`) main started it; never writes or uploads anything. */
export const crashReporter = {
  started: [] as { options: Record<string, unknown>; beforeReady: boolean }[],
  start(options: Record<string, unknown>): void {
    crashReporter.started.push({ options, beforeReady: !app.ready });
  },
};

export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    shell.opened.push(url);
  },
  async openPath(): Promise<string> {
    return '';
  },
};

export class Notification extends FakeEmitter {
  static readonly shown: Notification[] = [];
  static supported = true;
  static #waiters: ((notification: Notification) => void)[] = [];
  static isSupported(): boolean {
    return Notification.supported;
  }
  /** Resolves with the next notification shown (that `matches`, when given). */
  static next(matches: (notification: Notification) => boolean = () => true): Promise<Notification> {
    return new Promise((resolve) => {
      const wait = (notification: Notification) => (matches(notification) ? resolve(notification) : Notification.#waiters.push(wait));
      Notification.#waiters.push(wait);
    });
  }
  readonly title: string;
  readonly body: string;
  constructor(options: { title?: string; body?: string } = {}) {
    super();
    this.title = options.title ?? '';
    this.body = options.body ?? '';
  }
  show(): void {
    Notification.shown.push(this);
    const waiters = Notification.#waiters.splice(0);
    waiters.forEach((resolve) => resolve(this));
  }
  /** Test helper: the user clicks the notification. */
  click(): void {
    this.emit('click');
  }
  close(): void {}
}

// ---------------------------------------------------------------- tray, menu, images, power

export class FakeNativeImage {
  readonly path: string;
  readonly size: { width: number; height: number };
  constructor(path: string, size: { width: number; height: number }) {
    this.path = path;
    this.size = size;
  }
  isEmpty(): boolean {
    return this.size.width === 0;
  }
  getSize(): { width: number; height: number } {
    return this.size;
  }
  resize(options: { width?: number; height?: number }): FakeNativeImage {
    return new FakeNativeImage(this.path, { width: options.width ?? this.size.width, height: options.height ?? options.width ?? this.size.height });
  }
}

export const nativeImage = {
  /** Like Electron, a missing file gives an empty image, not an error. */
  createFromPath(file: string): FakeNativeImage {
    return new FakeNativeImage(file, fs.existsSync(file) ? { width: 1024, height: 1024 } : { width: 0, height: 0 });
  },
};

export interface MenuItemOptions {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}

export class FakeMenu {
  readonly items: MenuItemOptions[];
  constructor(items: MenuItemOptions[]) {
    this.items = items;
  }
  /** Test helper: the user picks the item with this label. */
  click(label: string): void {
    const item = this.items.find((i) => i.label === label);
    if (!item) throw new Error(`no menu item "${label}" in [${this.labels().join(', ')}]`);
    if (item.enabled === false) throw new Error(`menu item "${label}" is disabled`);
    item.click?.();
  }
  labels(): string[] {
    return this.items.flatMap((i) => (i.label === undefined ? [] : [i.label]));
  }
}

export const Menu = {
  buildFromTemplate: (template: MenuItemOptions[]): FakeMenu => new FakeMenu(template),
};

export class Tray extends FakeEmitter {
  static readonly instances: Tray[] = [];
  readonly image: FakeNativeImage;
  tooltip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  constructor(image: FakeNativeImage) {
    super();
    if (!app.ready) throw new Error('fake electron: a Tray can only be created once the app is ready');
    this.image = image;
    Tray.instances.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Test helper: a left click on the icon. */
  click(): void {
    this.emit('click');
  }
}

export const powerSaveBlocker = {
  /** Blockers started and not stopped: id → type. */
  active: new Map<number, string>(),
  /** Every type ever started, in order. */
  started: [] as string[],
  nextId: 1,
  start(type: string): number {
    const id = powerSaveBlocker.nextId++;
    powerSaveBlocker.active.set(id, type);
    powerSaveBlocker.started.push(type);
    return id;
  },
  stop(id: number): void {
    powerSaveBlocker.active.delete(id);
  },
  isStarted(id: number): boolean {
    return powerSaveBlocker.active.has(id);
  },
};

// ---------------------------------------------------------------- net, powerMonitor, safeStorage, session

export const net = {
  fetched: [] as string[],
  isOnline: (): boolean => fakeElectron.online,
  fetch: (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    net.fetched.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (fakeElectron.networkDown) {
      // What a fetch rejects with when the route is gone: the request never left.
      const cause = Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH', syscall: 'connect' });
      return Promise.reject(new TypeError('fetch failed', { cause }));
    }
    return globalThis.fetch(input, init);
  },
};

export const powerMonitor = new FakeEmitter();

const FAKE_CIPHER_PREFIX = 'fake-safe-storage:v1:';

export const safeStorage = {
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return fakeElectron.safeStorageAvailable;
  },
  getSelectedStorageBackend(): string {
    return fakeElectron.safeStorageAvailable ? 'gnome_libsecret' : 'basic_text';
  },
  /** Reversible and recognisable: never mistake it for real protection. */
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!fakeElectron.safeStorageAvailable) throw new Error('Encryption is not available.');
    return Buffer.from(FAKE_CIPHER_PREFIX + Buffer.from(plainText, 'utf8').toString('base64').split('').reverse().join(''), 'utf8');
  },
  async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    const text = encrypted.toString('utf8');
    if (!text.startsWith(FAKE_CIPHER_PREFIX)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const reversed = text.slice(FAKE_CIPHER_PREFIX.length).split('').reverse().join('');
    return { result: Buffer.from(reversed, 'base64').toString('utf8'), shouldReEncrypt: false };
  },
};

export const session = { defaultSession: new FakeSession() };

// ---------------------------------------------------------------- protocol

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

/** Like Electron's: privileged schemes only before `ready`, handlers only after it, one per scheme. */
export const protocol = {
  privileged: [] as { scheme: string; privileges?: Record<string, boolean> }[],
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    if (app.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    if (!app.ready) throw new Error('protocol.handle can only be used after the ready event');
    if (protocol.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    protocol.handlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    protocol.handlers.delete(scheme);
  },
  isProtocolHandled(scheme: string): boolean {
    return protocol.handlers.has(scheme);
  },
  /** Test helper: what the window gets when it requests `url` from a handled scheme. */
  async request(url: string, init?: RequestInit): Promise<Response> {
    const handler = protocol.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`fake electron: no protocol handler for ${url}`);
    return handler(new Request(url, init));
  },
};

// ---------------------------------------------------------------- test control

const windowCreated = deferred<BrowserWindow>();
const quitted = deferred<void>();
const startupFailure = deferred<never>();
// A failure nobody awaits must not become an unhandled rejection.
startupFailure.promise.catch(() => {});

export const fakeElectron = {
  /** app.getPath('userData'): set by the test to a fresh temp dir before main.ts is imported. */
  userData: '',
  version: '0.0.0-test',
  locale: 'en-US',
  online: true,
  /** net.fetch fails as if the office network were cut (requests never leave). */
  networkDown: false,
  singleInstanceLock: true,
  safeStorageAvailable: true,
  /** Resolves with the first BrowserWindow main.ts constructs. */
  firstWindow: windowCreated.promise,
  /** Resolves when app.quit() went through (before-quit not prevented). */
  quitted: quitted.promise,
  /**
   * Resolves with the first window once startup finished; rejects if main reported a startup
   * failure (dialog.showErrorBox / app.exit) first.
   */
  booted: (): Promise<BrowserWindow> => Promise.race([windowCreated.promise, startupFailure.promise]),
  windowCreated: (win: BrowserWindow) => windowCreated.resolve(win),
  quitDone: () => quitted.resolve(),
  failed: (error: Error) => startupFailure.reject(error),
  exited: (code: number) => startupFailure.reject(new Error(`app.exit(${code}) during startup`)),
};

export default { app, BrowserWindow, clipboard, crashReporter, dialog, ipcMain, Menu, nativeImage, net, Notification, powerMonitor, powerSaveBlocker, protocol, safeStorage, session, shell, Tray };
