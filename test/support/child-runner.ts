// Spawns test/support/crash-child.ts against a simulator in this process and follows its stdout
// line by line (the progress points it prints), for the crash-kill and lease tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunningSimulator } from '../../electron/simulator/index.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

export interface ChildLine {
  kind: string;
  /** For trace/hold lines: the point, job id and order number. */
  point: string;
  jobId: string;
  orderNo: string;
  raw: string;
}

export interface DeskChild {
  readonly process: ChildProcess;
  readonly pid: number;
  readonly lines: ChildLine[];
  /** Called for every line as it arrives. */
  onLine(listener: (line: ChildLine) => void): void;
  /** Resolves with the first line (already seen or still to come) that matches. */
  waitFor(match: (line: ChildLine) => boolean): Promise<ChildLine>;
  /** 'killed' after a SIGKILL, 'drained' after a clean exit 0; rejects on any other exit. */
  readonly ended: Promise<'killed' | 'drained'>;
  kill(): void;
  /** For a child booted without a database (see bootChild): start its work now. */
  go(dbPath: string, env?: Record<string, string>): void;
}

export interface ChildOptions {
  env?: Record<string, string>;
  /** V8 compile cache shared by all children of a test run: restarts boot faster. */
  compileCache?: string;
}

export function startChild(sim: RunningSimulator, dbPath: string, options: ChildOptions = {}): DeskChild {
  return spawnChild(sim, [dbPath], options);
}

/**
 * A child that loads its modules and then waits (`ready`) for go(): booting the next process while
 * the current one works keeps a kill loop from paying Node's start-up time on every kill.
 */
export function bootChild(sim: RunningSimulator, options: ChildOptions = {}): DeskChild {
  return spawnChild(sim, [], { ...options, env: { ...options.env, CRASH_WAIT_GO: '1' } });
}

function spawnChild(sim: RunningSimulator, args: string[], options: ChildOptions): DeskChild {
  const child = spawn(process.execPath, [CHILD, ...args], {
    env: {
      ...process.env,
      SIM_BASE_URL: sim.baseUrl,
      SIM_CLIENT_ID: sim.clientId,
      SIM_CLIENT_SECRET: sim.clientSecret,
      ...(options.compileCache ? { NODE_COMPILE_CACHE: options.compileCache } : {}),
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: ChildLine[] = [];
  const listeners: ((line: ChildLine) => void)[] = [];
  let stderr = '';
  let partial = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => {
    partial += d.toString();
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const raw of parts) {
      const [kind = '', point = '', jobId = '', orderNo = ''] = raw.split(' ');
      const line = { kind, point, jobId, orderNo, raw };
      lines.push(line);
      for (const l of [...listeners]) l(line);
    }
  });
  const ended = new Promise<'killed' | 'drained'>((resolve, reject) => {
    // 'close', not 'exit': every line the child wrote before it died has been read by then.
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('drained');
      else reject(new Error(`crash-child exited ${code ?? signal}: ${stderr.slice(0, 2000)}`));
    });
  });
  return {
    process: child,
    pid: child.pid as number,
    lines,
    onLine: (listener) => void listeners.push(listener),
    waitFor: (match) =>
      new Promise((resolve, reject) => {
        const found = lines.find(match);
        if (found) return resolve(found);
        const listener = (line: ChildLine) => {
          if (!match(line)) return;
          listeners.splice(listeners.indexOf(listener), 1);
          resolve(line);
        };
        listeners.push(listener);
        ended.then(
          () => reject(new Error(`crash-child ended before the awaited line; last lines: ${lines.slice(-5).map((l) => l.raw).join(' | ')}`)),
          reject,
        );
      }),
    ended,
    kill: () => void child.kill('SIGKILL'),
    go: (dbPath, env = {}) => void child.stdin?.write(`go ${JSON.stringify({ dbPath, env })}\n`),
  };
}
