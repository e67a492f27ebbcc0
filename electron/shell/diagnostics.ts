// "Copy diagnostics" (Settings → Support): one plain-text page for the agency's IT or Atlas support.
// What it holds: versions, system, environment and where Atlas calls go, credential state (never the
// secret), settings that change behaviour, queue counts by state (no order or card data), the last
// sync, where the log and crash reports are, and the recent log lines. The whole text is redacted
// line by line like the log file, so nothing the log would not hold can be copied out.
import os from 'node:os';
import type { Job, SyncStatus } from '../../shared/desk.ts';
import type { EnvironmentInfo, Settings } from '../../shared/ipc.ts';
import { redactLogLine } from './log-file.ts';
import type { WindowRecovered } from './renderer-recovery.ts';

export interface DiagnosticsInput {
  generatedAt: string;
  versions: { app: string; electron?: string; chrome?: string; node?: string };
  system: string;
  env: EnvironmentInfo;
  settings: Settings;
  /** null when the core is not live (switching environment). */
  jobs: Job[] | null;
  sync: SyncStatus | null;
  windowRecovered: WindowRecovered | null;
  logFile: string | null;
  /** The crash-report folder and what the start-up prune left there (./crash-dumps.ts). */
  crashDumps: { folder: string; kept: number; removedAtStart: number } | null;
  logLines: readonly string[];
}

/** Versions and system line for this process (Electron fills process.versions.electron/chrome). */
export function processFacts(appVersion: string): Pick<DiagnosticsInput, 'generatedAt' | 'versions' | 'system'> {
  const { electron, chrome, node } = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string };
  return {
    generatedAt: new Date().toISOString(),
    versions: { app: appVersion, electron, chrome, node },
    system: `${process.platform} ${os.release()} ${process.arch}`,
  };
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** Jobs by state, e.g. "done 2, queued 1"; never order numbers or card masks. */
export function queueSummary(jobs: readonly Job[] | null): string {
  if (jobs === null) return 'unavailable (the desk is switching environment)';
  if (jobs.length === 0) return 'empty';
  const counts = new Map<string, number>();
  for (const job of jobs) counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
  const byState = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([state, count]) => `${state} ${count}`);
  return `${jobs.length} job${jobs.length === 1 ? '' : 's'}: ${byState.join(', ')}`;
}

function whereCallsGo(env: EnvironmentInfo, settings: Settings): string {
  if (env.training) return 'the built-in training simulator (127.0.0.1)';
  if (settings.atlasProxy.enabled) return `the agency proxy ${settings.atlasProxy.url}`;
  return settings.environment === 'production'
    ? `${settings.productionBaseUrl} (search ${settings.productionSearchBaseUrl})`
    : settings.sandboxBaseUrl;
}

function credentialState(env: EnvironmentInfo): string {
  if (env.credentialsConfigured) return `set (${env.secretStorage})`;
  if (env.credentialsNeedReentry) return 'saved for another address: must be entered again';
  return 'none';
}

export function buildDiagnostics(input: DiagnosticsInput, secrets: readonly string[]): string {
  const { env, settings, versions } = input;
  const lines = [
    'Atlas Retry Desk diagnostics',
    `Generated: ${input.generatedAt}`,
    `Version: ${versions.app} (Electron ${versions.electron ?? '?'}, Chrome ${versions.chrome ?? '?'}, Node ${versions.node ?? '?'})`,
    `System: ${input.system}`,
    `Environment: ${env.environment}${env.training ? ' (Training mode)' : ''}; online: ${yesNo(env.online)}`,
    `Atlas calls go to: ${whereCallsGo(env, settings)}`,
    `Credentials: ${credentialState(env)}`,
    `Settings: at most ${settings.maxConcurrency} jobs at a time; sync every ${settings.syncIntervalMinutes} min; language ${settings.language ?? 'auto'}; webhook receiver ${settings.webhook.enabled ? 'on' : 'off'}`,
    `Settings reset at start: ${yesNo(env.settingsRecovered)}; database moved aside: ${env.databaseRecoveredFrom ?? 'no'}`,
    `Window reloaded after its renderer stopped: ${input.windowRecovered ? `${input.windowRecovered.at} (${input.windowRecovered.reason})` : 'no'}`,
    `Queue: ${queueSummary(input.jobs)}`,
    `Last sync: ${input.sync?.lastSyncAt ?? 'never'}${input.sync?.running ? ' (running)' : ''}; last error: ${input.sync?.error ?? 'none'}`,
    `Log file: ${input.logFile ?? 'unavailable'}`,
    `Crash reports (kept on this computer for a day, never uploaded): ${crashDumpLine(input.crashDumps)}`,
    '',
    `Recent log (${input.logLines.length} lines):`,
    ...input.logLines,
  ];
  return lines.map((line) => redactLogLine(line, secrets)).join('\n');
}

function crashDumpLine(dumps: DiagnosticsInput['crashDumps']): string {
  if (!dumps) return 'unavailable';
  return `${dumps.folder} (${dumps.kept} kept; ${dumps.removedAtStart} older removed at start)`;
}
