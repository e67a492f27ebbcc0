// Browser end-to-end harness (docs/architecture.md "Test tiers"): the BUILT renderer (dist/) served
// from 127.0.0.1:0, Debian's Chromium driven by playwright-core, and `window.desk` wired to the desk
// stack in this process (test/support/desk-stack.ts: the REAL desk core on the REAL simulator over
// HTTP, the shell's real handlers, every call through the shell's own `dispatch` and every push
// through `forwardPushes`), so the page sees exactly what it would see behind the Electron preload.
// Switching environment is out of scope here (one core, training).
import http from 'node:http';
import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { DeskCore, TeamLink } from '../../electron/core/contract.ts';
import { CHANNEL_NAMES, PUSH_NAMES } from '../../electron/shell/channel-names.ts';
import type { RunningSimulator, SimulatorOptions } from '../../electron/simulator/index.ts';
import { channels } from '../../shared/ipc.ts';
import type { Channel, IpcResult, Language, Push, RequestOf, ResponseOf, Settings } from '../../shared/ipc.ts';
import { officeNetwork, startDeskStack, type DeskStack, type OfficeNetwork } from '../support/desk-stack.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
export const SCREENSHOTS = path.join(ROOT, 'test/artifacts/screenshots');
const LOGS = path.join(ROOT, 'test/artifacts/e2e-logs');

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---- static server for dist/ ----

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `dir` read-only on 127.0.0.1 (random port). Paths outside `dir` are 404. */
export async function serveStatic(dir: string): Promise<StaticServer> {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel = decodeURIComponent(url.pathname) === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    // Browsers ask for a favicon on their own; the app (loaded from file:// in Electron) has none.
    if (rel === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = path.resolve(root, `.${rel}`);
    let ok = file.startsWith(root + path.sep);
    try {
      ok = ok && statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static server has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- the in-page bridge: window.desk built from the contract's names ----

interface BridgeNames {
  channels: readonly string[];
  pushes: readonly string[];
}

/**
 * Runs in the page before any app script. Mirrors electron/shell/desk-bridge.ts `buildDeskApi`
 * (one method per contract channel, `on` only for contract pushes, returns an unsubscribe);
 * `bridgeShapeMatches` in the specs compares the result with buildDeskApi's output.
 */
function installBridge(names: BridgeNames): void {
  type Listener = (payload: unknown) => void;
  const w = window as unknown as {
    __deskInvoke(channel: string, request: unknown): Promise<unknown>;
    __deskPush?: (push: string, payload: unknown) => void;
    desk?: unknown;
  };
  const listeners = new Map<string, Set<Listener>>();
  w.__deskPush = (push, payload) => {
    for (const fn of [...(listeners.get(push) ?? [])]) {
      try {
        fn(payload);
      } catch (error) {
        console.error('desk push listener failed', error);
      }
    }
  };
  const api: Record<string, unknown> = {};
  for (const channel of names.channels) {
    const i = channel.indexOf(':');
    const domain = channel.slice(0, i);
    const verb = channel.slice(i + 1);
    const group = (api[domain] ??= {}) as Record<string, (request: unknown) => Promise<unknown>>;
    group[verb] = (request: unknown) => w.__deskInvoke(channel, request ?? {});
  }
  api.on = (push: string, listener: Listener) => {
    if (!names.pushes.includes(push)) throw new Error(`unknown push channel: ${String(push)}`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    const set = listeners.get(push) ?? new Set<Listener>();
    listeners.set(push, set);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };
  Object.defineProperty(window, 'desk', { value: Object.freeze(api), writable: false, configurable: false });
}

// ---- the harness ----

export interface E2EOptions {
  /** Name used for the log file. */
  name: string;
  simulator?: SimulatorOptions;
  settings?: Partial<Settings>;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** Team mode for the window's desk (test/e2e/team.e2e.test.ts). */
  team?: TeamLink;
}

export interface E2E {
  sim: RunningSimulator;
  network: OfficeNetwork;
  core: DeskCore;
  /** The whole desk behind the page (shell state, settings, `updateDownloaded`). */
  stack: DeskStack;
  context: BrowserContext;
  page: Page;
  origin: string;
  databasePath: string;
  /** Uncaught page errors and console errors seen so far. */
  pageErrors: string[];
  /** The same path the page uses (dispatch), for expectations; throws on an error result. */
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** The shell's view of the network (env:get `online`); pushes env:changed like the real shell. */
  setShellOnline(online: boolean): void;
  /** Full-page PNG under test/artifacts/screenshots/<name>.<lang>.png. */
  shot(name: string, lang: Language): Promise<string>;
  /** Opens (or reloads) the app and waits until it has talked to the core. */
  open(): Promise<void>;
  close(): Promise<void>;
}

export async function startE2E(options: E2EOptions): Promise<E2E> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const logLines: string[] = [];
  const log = (line: string) => logLines.push(`${new Date().toISOString()} ${line}`);
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`cleanup failed: ${(error as Error).message}`);
      }
    }
    mkdirSync(LOGS, { recursive: true });
    writeFileSync(path.join(LOGS, `${options.name}.log`), `${logLines.join('\n')}\n`);
  };

  try {
    const server = await serveStatic(DIST);
    cleanups.push(() => server.close());

    const network = officeNetwork();
    const stack = await startDeskStack({
      name: `e2e-${options.name}`,
      simulator: { scenario: 'training', seed: 7, ticketingDelayMs: 1500, ...options.simulator },
      settings: { staffName: 'E2E Staff', ...options.settings },
      // The browser tests run on real time, like the app.
      clock: { now: () => Date.now() },
      fetch: network.fetch,
      isTrustedSender: (url) => url.startsWith(`${server.origin}/`),
      deps: { osAccount: 'e2e-os' },
      ...(options.team ? { team: options.team } : {}),
      shell: { appVersion: '0.0.0-e2e', diagnostics: 'Atlas Retry Desk diagnostics (browser test)' },
      log,
    });
    cleanups.push(() => stack.close());
    const { sim, core } = stack;
    core.on('queue:changed', (jobs) =>
      log(`queue: ${jobs.filter((j) => j.state !== 'done').map((j) => `${j.orderNo}→${j.currentOrderNo} ${j.state}/${j.reason ?? ''}`).join(', ') || 'all done'}`),
    );

    const userDataDir = tempDir('desk-e2e-chromium-').dir;
    cleanups.push(() => removeDir(userDataDir));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1440, height: 900 },
      deviceScaleFactor: 1,
      locale: 'en-US',
      // Not Singapore on purpose: deadlines are SGT, the staff member's clock is not.
      timezoneId: 'Asia/Jakarta',
      colorScheme: options.colorScheme ?? 'light',
      reducedMotion: 'reduce',
    });
    cleanups.push(() => context.close());

    await context.exposeBinding('__deskInvoke', async (source, channel: unknown, request: unknown): Promise<IpcResult<unknown>> => {
      if (typeof channel !== 'string' || !Object.hasOwn(channels, channel)) {
        return { ok: false, error: { code: 'invalid_request', message: `unknown channel ${String(channel)}` } };
      }
      const frame = source.frame;
      const result = await stack.dispatch(channel as Channel, request, { url: frame.url(), parent: frame.parentFrame() });
      // Channel and outcome only: requests may hold card data.
      log(`ipc ${channel} -> ${result.ok ? 'ok' : result.error.code}`);
      return result;
    });
    await context.addInitScript(installBridge, { channels: [...CHANNEL_NAMES], pushes: [...PUSH_NAMES] } satisfies BridgeNames);

    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => {
      pageErrors.push(`pageerror: ${error.message}`);
      log(`page error: ${error.stack ?? error.message}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) pageErrors.push(`HTTP ${response.status()} for ${response.url()}`);
    });
    page.on('console', (message) => {
      log(`console.${message.type()}: ${message.text()}`);
      // Failed loads are reported with their URL by the response listener above.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(`console.error: ${message.text()}`);
    });

    // Pushes reach the page in the order the core emitted them.
    let pushChain: Promise<unknown> = Promise.resolve();
    const send = (push: Push, payload: unknown) => {
      pushChain = pushChain
        .then(() => page.evaluate(([p, x]) => (window as unknown as { __deskPush?: (p: string, x: unknown) => void }).__deskPush?.(p, x), [push, payload] as const))
        .catch((error: Error) => log(`push ${push} not delivered: ${error.message}`));
    };
    const stopPushes = stack.forward(send);
    cleanups.push(async () => {
      stopPushes();
      await pushChain;
    });

    const e2e: E2E = {
      sim,
      network,
      core,
      stack,
      context,
      page,
      origin: server.origin,
      databasePath: stack.databasePath,
      pageErrors,
      async call(channel, request) {
        const result = await stack.dispatch(channel, request, { url: `${server.origin}/index.html`, parent: null });
        if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
        return result.value as ResponseOf<typeof channel>;
      },
      setShellOnline: (online) => stack.setShellOnline(online),
      async shot(name, lang) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        const file = path.join(SCREENSHOTS, `${name}.${lang}.png`);
        // Countdowns tick every second: the screenshot is of a settled frame, never of a transition.
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
        return file;
      },
      async open() {
        await page.goto(`${server.origin}/index.html`);
        await page.getByTestId('env-chip').waitFor({ state: 'visible', timeout: 15_000 });
      },
      close,
    };
    return e2e;
  } catch (error) {
    await close();
    throw error;
  }
}
