// "Copy diagnostics" and the window's crash recovery: what support gets, and what it never gets.
import { describe, expect, it, vi } from 'vitest';
import { buildDiagnostics, queueSummary } from '../../electron/shell/diagnostics.ts';
import type { DiagnosticsInput } from '../../electron/shell/diagnostics.ts';
import { createRendererRecovery } from '../../electron/shell/renderer-recovery.ts';
import { DEFAULT_SETTINGS } from '../../electron/shell/settings.ts';
import type { EnvironmentInfo } from '../../shared/ipc.ts';
import { job } from './fakes.ts';

const SECRET = 'prod-secret-7f3a9c';
const env: EnvironmentInfo = {
  environment: 'production',
  training: false,
  online: true,
  credentialsConfigured: true,
  credentialsNeedReentry: false,
  secretStorage: 'encrypted',
  settingsRecovered: false,
  databaseRecoveredFrom: null,
  windowRecovered: null,
  appVersion: '1.2.3',
};

const input = (over: Partial<DiagnosticsInput> = {}): DiagnosticsInput => ({
  generatedAt: '2026-11-26T10:00:00.000Z',
  versions: { app: '1.2.3', electron: '45.5.0', chrome: '142.0', node: '24.11.0' },
  system: 'win32 10.0.22631 x64',
  env,
  settings: { ...DEFAULT_SETTINGS, environment: 'production' },
  jobs: [job('1', 'done', { cardMask: '411111******1111' }), job('2', 'done'), job('3', 'needs_card')],
  sync: { running: false, lastSyncAt: '2026-11-26T09:55:00.000Z', done: 0, total: 0, error: null },
  windowRecovered: null,
  logFile: 'C:\\Users\\mei\\AppData\\Roaming\\Atlas Retry Desk\\logs\\desk.log',
  crashDumps: { folder: 'C:\\Users\\mei\\AppData\\Roaming\\Atlas Retry Desk\\Crashpad', kept: 1, removedAtStart: 2 },
  logLines: [
    '2026-11-26T09:59:00.000Z atlas pay orderNo=TESTA20261126160804096 method=3 -> ok 812ms',
    `2026-11-26T09:59:01.000Z a careless line with 4111111111111111, cvv 737 and ${SECRET}`,
  ],
  ...over,
});

describe('diagnostics', () => {
  it('say what support needs: version, system, where calls go, credentials state, queue counts, log and crash folders', () => {
    const text = buildDiagnostics(input(), [SECRET]);
    expect(text.split('\n').slice(0, 15)).toEqual([
      'Atlas Retry Desk diagnostics',
      'Generated: 2026-11-26T10:00:00.000Z',
      'Version: 1.2.3 (Electron 45.5.0, Chrome 142.0, Node 24.11.0)',
      'System: win32 10.0.22631 x64',
      'Environment: production; online: yes',
      'Atlas calls go to: https://api-sg.atriptech.com (search https://search-sg.atriptech.com)',
      'Credentials: set (encrypted)',
      'Settings: at most 16 jobs at a time; sync every 5 min; language auto; webhook receiver off',
      'Settings reset at start: no; database moved aside: no',
      'Window reloaded after its renderer stopped: no',
      'Queue: 3 jobs: done 2, needs_card 1',
      'Last sync: 2026-11-26T09:55:00.000Z; last error: none',
      'Log file: C:\\Users\\mei\\AppData\\Roaming\\Atlas Retry Desk\\logs\\desk.log',
      'Crash reports (kept on this computer for a day, never uploaded): C:\\Users\\mei\\AppData\\Roaming\\Atlas Retry Desk\\Crashpad (1 kept; 2 older removed at start)',
      '',
    ]);
  });

  it('never hold the secret, a card number, a CVV or a card mask, even when a log line does', () => {
    const text = buildDiagnostics(input(), [SECRET]);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('4111111111111111');
    expect(text).not.toMatch(/cvv\W*737/);
    expect(text).toContain('a careless line with 411111******1111, cvv ***');
    // The queue is counted, never listed: no order numbers or masks from jobs.
    expect(queueSummary(input().jobs)).toBe('3 jobs: done 2, needs_card 1');
    expect(queueSummary([])).toBe('empty');
    expect(queueSummary(null)).toMatch(/^unavailable/);
  });

  it('name the proxy when calls go through it, and Training when they go to the simulator', () => {
    const viaProxy = buildDiagnostics(input({ settings: { ...DEFAULT_SETTINGS, environment: 'sandbox', atlasProxy: { enabled: true, url: 'https://gw.agency.example' } } }), []);
    expect(viaProxy).toContain('Atlas calls go to: the agency proxy https://gw.agency.example');
    const training = buildDiagnostics(input({ env: { ...env, environment: 'training', training: true, credentialsConfigured: false, credentialsNeedReentry: true } }), []);
    expect(training).toContain('Environment: training (Training mode)');
    expect(training).toContain('Atlas calls go to: the built-in training simulator (127.0.0.1)');
    expect(training).toContain('Credentials: saved for another address: must be entered again');
  });
});

describe('renderer recovery', () => {
  it('reloads after a crash, remembers when and why, and ignores a clean exit', () => {
    const reload = vi.fn();
    const recovery = createRendererRecovery({ reload, now: () => Date.parse('2026-11-26T10:00:00Z') });
    expect(recovery.onGone({ reason: 'clean-exit', exitCode: 0 })).toBe(false);
    expect(recovery.last()).toBeNull();
    expect(recovery.onGone({ reason: 'oom', exitCode: -1 })).toBe(true);
    expect(reload).toHaveBeenCalledOnce();
    expect(recovery.last()).toEqual({ at: '2026-11-26T10:00:00.000Z', reason: 'oom' });
  });

  it('stops reloading a renderer that keeps dying, and reloads again once things calm down', () => {
    let now = 0;
    const lines: string[] = [];
    const reload = vi.fn();
    const recovery = createRendererRecovery({ reload, now: () => now, log: (l) => lines.push(l), maxReloads: 3, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      recovery.onGone({ reason: 'crashed' });
      now += 1_000;
    }
    expect(reload).toHaveBeenCalledTimes(3);
    expect(lines.at(-1)).toMatch(/not reloading again/);
    now += 120_000;
    expect(recovery.onGone({ reason: 'crashed' })).toBe(true);
    expect(reload).toHaveBeenCalledTimes(4);
  });
});
