// Small user settings in electron-store (conf underneath), behind our own interface. We do not use
// electron-store's own migrations (unsupported upstream: electron-store's README says they have
// known bugs): the file carries an explicit `version` and the pure `upgrades` below move it forward
// one step at a time. A corrupt file is moved aside (never silently overwritten), defaults are
// loaded, and the copy of the last file that loaded fine (settings.last-good.json) is kept
// untouched.
import fs from 'node:fs';
import { writeFileAtomically } from '../store/atomic-file.ts';
import path from 'node:path';
import { MAX_PRICE_TOLERANCE_PERCENT } from '../../shared/approval.ts';
import { CONCURRENCY_BOUNDS, settingsPatchSchema } from '../../shared/ipc.ts';
import type { Settings } from '../../shared/ipc.ts';

export const SETTINGS_VERSION = 3;
export const SETTINGS_FILE = 'settings';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  environment: 'training',
  sandboxBaseUrl: 'https://sandbox.atriptech.com',
  productionBaseUrl: 'https://api-sg.atriptech.com',
  productionSearchBaseUrl: 'https://search-sg.atriptech.com',
  staffName: '',
  language: null,
  maxConcurrency: CONCURRENCY_BOUNDS.default,
  syncIntervalMinutes: 5,
  // Never pay above what staff approved unless they choose a tolerance (docs/money-safety.md rule 9).
  priceTolerancePercent: 0,
  webhook: Object.freeze({ enabled: false, host: '127.0.0.1', port: 8787 }),
  atlasProxy: Object.freeze({ enabled: false, url: '' }),
  webhookPublicUrl: '',
  // A new key needs no upgrade: a file without it gets the default, one with it keeps staff's choice.
  startAtLogin: false,
}) as Readonly<Settings>;

type Raw = Record<string, unknown>;

/** The queue's fixed size before v3 (its default then). */
const OLD_FIXED_CONCURRENCY = 4;

/**
 * upgrades[n] turns a version-n file into version n+1. Pure: same input, same output, no I/O.
 * v0 → v1: a file written before versioning (or by hand): kept as is, just stamped.
 * v1 → v2: pre-release builds stored `concurrency`, `syncInterval` and `productionHost`; renamed.
 * v2 → v3: the fixed `queueConcurrency` (default 4) became the cap `maxConcurrency` of an adaptive
 *   limit (default 16). Every file holds the old value, chosen or not: one below the old default
 *   was a choice to go slower and stays the cap; any other gets the new default.
 */
export const upgrades: Readonly<Record<number, (old: Raw) => Raw>> = Object.freeze({
  0: (old: Raw): Raw => ({ ...old, version: 1 }),
  1: (old: Raw): Raw => {
    const { concurrency, syncInterval, productionHost, ...rest } = old;
    const next: Raw = { ...rest, version: 2 };
    if (concurrency !== undefined && rest.queueConcurrency === undefined) next.queueConcurrency = concurrency;
    if (syncInterval !== undefined && rest.syncIntervalMinutes === undefined) next.syncIntervalMinutes = syncInterval;
    if (productionHost !== undefined && rest.productionBaseUrl === undefined) next.productionBaseUrl = productionHost;
    return next;
  },
  2: (old: Raw): Raw => {
    const { queueConcurrency, ...rest } = old;
    const next: Raw = { ...rest, version: 3 };
    const slower = typeof queueConcurrency === 'number' && Number.isInteger(queueConcurrency) && queueConcurrency >= 1 && queueConcurrency < OLD_FIXED_CONCURRENCY;
    if (slower && rest.maxConcurrency === undefined) next.maxConcurrency = queueConcurrency;
    return next;
  },
});

export function versionOf(raw: Raw): number {
  const v = raw.version;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

/** Runs every upgrade from the file's version to SETTINGS_VERSION. */
export function upgradeSettings(raw: Raw): Raw {
  let current = raw;
  for (let v = versionOf(current); v < SETTINGS_VERSION; v = versionOf(current)) {
    const step = upgrades[v];
    if (!step) throw new Error(`no settings upgrade from version ${v}`);
    current = step(current);
  }
  return current;
}

/**
 * Keeps each known key whose value is valid, fills the rest from defaults, drops unknown keys. A
 * single bad value (hand edit) costs that value, not the whole file.
 */
export function normalizeSettings(raw: Raw): Settings {
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS, webhook: { ...DEFAULT_SETTINGS.webhook }, atlasProxy: { ...DEFAULT_SETTINGS.atlasProxy } };
  const shape = settingsPatchSchema.shape;
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (!(key in raw)) continue;
    const parsed = shape[key].safeParse(raw[key]);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out as unknown as Settings;
}

/**
 * Known keys whose stored value was refused, e.g. a hand-edited or tampered file naming a host that
 * is not Atlas's: the same rule as settings:update applies to the file read at start.
 */
export function refusedKeys(raw: Raw): string[] {
  const shape = settingsPatchSchema.shape;
  return (Object.keys(shape) as (keyof typeof shape)[]).filter((key) => key in raw && !shape[key].safeParse(raw[key]).success);
}

/** JSON Schema for electron-store/conf: a belt-and-braces check on every write. */
export const SETTINGS_JSON_SCHEMA = {
  version: { type: 'integer', minimum: 0 },
  environment: { enum: ['training', 'sandbox', 'production'] },
  sandboxBaseUrl: { type: 'string', pattern: '^https://' },
  productionBaseUrl: { type: 'string', pattern: '^https://' },
  productionSearchBaseUrl: { type: 'string', pattern: '^https://' },
  staffName: { type: 'string', maxLength: 80 },
  language: { enum: ['en', 'zh-CN', null] },
  maxConcurrency: { type: 'integer', minimum: CONCURRENCY_BOUNDS.min, maximum: CONCURRENCY_BOUNDS.max },
  syncIntervalMinutes: { type: 'integer', minimum: 0, maximum: 1440 },
  priceTolerancePercent: { type: 'number', minimum: 0, maximum: MAX_PRICE_TOLERANCE_PERCENT },
  webhook: {
    type: 'object',
    properties: {
      enabled: { type: 'boolean' },
      host: { type: 'string', minLength: 1, maxLength: 255 },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
    },
    required: ['enabled', 'host', 'port'],
  },
  atlasProxy: {
    type: 'object',
    properties: { enabled: { type: 'boolean' }, url: { type: 'string', maxLength: 2048 } },
    required: ['enabled', 'url'],
  },
  webhookPublicUrl: { type: 'string', pattern: '^(https://.*)?$', maxLength: 500 },
  startAtLogin: { type: 'boolean' },
} as const;

/** What we need from electron-store / conf. */
export interface KeyValueStore {
  readonly store: Raw;
  set(values: Raw): void;
  readonly path: string;
}

export interface StoreOptions {
  cwd: string;
  name: string;
  schema: typeof SETTINGS_JSON_SCHEMA;
  clearInvalidConfig: false;
}

export type StoreFactory = (options: StoreOptions) => KeyValueStore;

export interface SettingsStore {
  get(): Settings;
  update(patch: Partial<Settings>): Settings;
  /** The file was unreadable at start and was replaced by defaults. */
  readonly recovered: boolean;
  readonly path: string;
}

export interface OpenSettingsOptions {
  /** Absolute directory (app.getPath('userData')). */
  dir: string;
  createStore: StoreFactory;
  now?: () => Date;
  log?: (line: string) => void;
}

export function settingsPaths(dir: string) {
  return {
    file: path.join(dir, `${SETTINGS_FILE}.json`),
    lastGood: path.join(dir, `${SETTINGS_FILE}.last-good.json`),
    corrupt: (stamp: string) => path.join(dir, `${SETTINGS_FILE}.corrupt-${stamp}.json`),
    preUpgrade: (version: number) => path.join(dir, `${SETTINGS_FILE}.v${version}.bak.json`),
  };
}


type ReadResult = { kind: 'missing' } | { kind: 'ok'; raw: Raw } | { kind: 'corrupt' };

function readRaw(file: string): ReadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt' };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'corrupt' };
    return { kind: 'ok', raw: value as Raw };
  } catch {
    return { kind: 'corrupt' };
  }
}

export function openSettings(options: OpenSettingsOptions): SettingsStore {
  const log = options.log ?? (() => {});
  const paths = settingsPaths(options.dir);
  fs.mkdirSync(options.dir, { recursive: true });
  const stamp = () => (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');

  let recovered = false;
  let initial: Settings = { ...DEFAULT_SETTINGS };
  const found = readRaw(paths.file);
  if (found.kind === 'corrupt') {
    const aside = paths.corrupt(stamp());
    fs.renameSync(paths.file, aside);
    log(`settings: unreadable file moved to ${aside}; defaults loaded`);
    recovered = true;
  } else if (found.kind === 'ok') {
    const from = versionOf(found.raw);
    if (from < SETTINGS_VERSION) fs.copyFileSync(paths.file, paths.preUpgrade(from));
    try {
      const upgraded = upgradeSettings(found.raw);
      initial = normalizeSettings(upgraded);
      for (const key of refusedKeys(upgraded)) log(`settings: stored ${key} refused (not allowed); default used`);
    } catch (error) {
      log(`settings: upgrade failed (${(error as Error).message}); defaults loaded`);
      fs.renameSync(paths.file, paths.corrupt(stamp()));
      recovered = true;
    }
    // A file from a NEWER app version: keep a copy before we rewrite it in our shape.
    if (from > SETTINGS_VERSION) fs.copyFileSync(paths.file, paths.preUpgrade(from));
    // Rewrite in the current shape before the store reads it, so its schema check sees clean data.
    if (!recovered) writeFileAtomically(paths.file, JSON.stringify({ ...initial, version: SETTINGS_VERSION }, null, '\t'), { mode: 0o600 });
  }

  const storeOptions: StoreOptions = { cwd: options.dir, name: SETTINGS_FILE, schema: SETTINGS_JSON_SCHEMA, clearInvalidConfig: false };
  let store: KeyValueStore;
  try {
    store = options.createStore(storeOptions);
  } catch (error) {
    // conf rejected what we could parse (e.g. a schema violation we did not foresee): same recovery.
    if (fs.existsSync(paths.file)) fs.renameSync(paths.file, paths.corrupt(stamp()));
    log(`settings: store refused the file (${(error as Error).message}); defaults loaded`);
    recovered = true;
    initial = { ...DEFAULT_SETTINGS };
    store = options.createStore(storeOptions);
  }

  let current = initial;
  store.set({ ...current, version: SETTINGS_VERSION });
  // Refreshed only after a successful load or write, so a later reset never destroys it; whole or not at all.
  const keepLastGood = () => writeFileAtomically(paths.lastGood, fs.readFileSync(store.path), { mode: 0o600 });
  if (!recovered) keepLastGood();

  return {
    get: () => structuredClone(current),
    update(patch) {
      const next = normalizeSettings({ ...current, ...patch });
      store.set({ ...next, version: SETTINGS_VERSION });
      current = next;
      keepLastGood();
      return structuredClone(current);
    },
    recovered,
    path: store.path,
  };
}
