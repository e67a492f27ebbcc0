// `npm start` / `npm run dev`: build the renderer and the Electron side, then launch Electron.
// The Electron binary is fetched from GitHub on first use; registry-only machines cannot get it.
// We never `require('electron')` here (that would start the download and throw a stack trace):
// we look for the binary on disk, try the official installer once under a time limit, and
// otherwise explain in a few lines and exit 1.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dev = process.argv.includes('--dev');
const electronDir = path.join(root, 'node_modules', 'electron');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const INSTALL_TIMEOUT_MS = Number(process.env.ATLAS_DESK_ELECTRON_INSTALL_TIMEOUT_MS ?? 60_000);

/** Path of the Electron executable when it is already on disk, else null. */
export function findElectronBinary(dir = electronDir, env = process.env): string | null {
  const pathFile = path.join(dir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
    return fs.existsSync(candidate) ? candidate : null;
  }
  if (!relative) return null;
  const candidate = path.join(dir, 'dist', relative);
  return fs.existsSync(candidate) ? candidate : null;
}

function obtainElectron(): string | null {
  const found = findElectronBinary();
  if (found) return found;
  const installer = path.join(electronDir, 'install.js');
  if (!fs.existsSync(installer)) return null;
  console.log(`Electron binary not found; trying to download it (up to ${Math.round(INSTALL_TIMEOUT_MS / 1000)} s)…`);
  const result = spawnSync(process.execPath, [installer], { cwd: electronDir, stdio: 'ignore', timeout: INSTALL_TIMEOUT_MS, killSignal: 'SIGKILL' });
  if (result.error || result.status !== 0) return null;
  return findElectronBinary();
}

function explainMissingElectron(): never {
  console.error(
    [
      'Atlas Retry Desk: the Electron binary is not available on this machine.',
      'It is downloaded from GitHub on first use, and that download failed or is blocked here.',
      'What still works: `npm run build` (renderer + main), `npm test`, and the browser end-to-end tests.',
      'To run the app: use a machine with GitHub access, or unpack an Electron 45 build and set',
      'ELECTRON_OVERRIDE_DIST_PATH to its folder.',
    ].join('\n'),
  );
  process.exit(1);
}

function run(command: string, args: string[], extraEnv: Record<string, string> = {}): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`dev server did not answer at ${url}`);
}

async function main(): Promise<void> {
  const electron = obtainElectron();
  if (!electron) explainMissingElectron();

  const env: Record<string, string> = {};
  let devServer: ReturnType<typeof spawn> | null = null;
  if (dev) {
    const url = 'http://127.0.0.1:5173/';
    devServer = spawn(bin('vite'), ['--host', '127.0.0.1', '--port', '5173', '--strictPort'], { cwd: root, stdio: 'inherit' });
    await waitForServer(url, 30_000);
    env.VITE_DEV_SERVER_URL = url;
  } else {
    run(bin('vite'), ['build']);
  }
  run(bin('vite'), ['build', '--config', 'vite.electron.config.ts']);

  const app = spawn(electron, ['.'], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const stopDevServer = () => {
    if (devServer?.pid) devServer.kill();
  };
  process.on('SIGINT', () => app.kill('SIGINT'));
  process.on('SIGTERM', () => app.kill('SIGTERM'));
  app.on('exit', (code) => {
    stopDevServer();
    process.exit(code ?? 0);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`Atlas Retry Desk: could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
