import Conf from 'conf';
import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTINGS_VERSION, normalizeSettings, openSettings, settingsPaths, upgradeSettings, upgrades } from '../../electron/shell/settings.ts';
import type { KeyValueStore, StoreFactory } from '../../electron/shell/settings.ts';
import { useTempDir } from '../support/temp-dir.ts';

// conf is electron-store's base and runs in plain Node with an absolute cwd.
const createStore: StoreFactory = (o) =>
  new Conf({ cwd: o.cwd, configName: o.name, projectName: 'atlas-retry-desk-test', schema: o.schema as never, clearInvalidConfig: false }) as unknown as KeyValueStore;

const tmp = useTempDir('desk-settings-');
let dir: string;
beforeEach(() => {
  dir = tmp();
});

const open = () => openSettings({ dir, createStore, now: () => new Date('2026-11-26T10:00:00Z') });
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('settings', () => {
  it('starts in training with the documented defaults', () => {
    const s = open();
    expect(s.get()).toEqual({
      environment: 'training',
      sandboxBaseUrl: 'https://sandbox.atriptech.com',
      productionBaseUrl: 'https://api-sg.atriptech.com',
      productionSearchBaseUrl: 'https://search-sg.atriptech.com',
      staffName: '',
      language: null,
      maxConcurrency: 16,
      syncIntervalMinutes: 5,
      priceTolerancePercent: 0,
      webhook: { enabled: false, host: '127.0.0.1', port: 8787 },
      atlasProxy: { enabled: false, url: '' },
      webhookPublicUrl: '',
      startAtLogin: false,
    });
    expect(s.recovered).toBe(false);
    expect(readJson(s.path).version).toBe(SETTINGS_VERSION);
  });

  it('persists updates across restarts', () => {
    open().update({ staffName: 'Mei', maxConcurrency: 2, webhook: { enabled: true, host: '127.0.0.1', port: 9000 } });
    expect(open().get()).toMatchObject({ staffName: 'Mei', maxConcurrency: 2, webhook: { enabled: true, port: 9000 } });
  });

  it('moves a corrupt file aside, loads defaults, reports recovery and keeps the last good copy', () => {
    open().update({ staffName: 'Mei' });
    const paths = settingsPaths(dir);
    const lastGood = fs.readFileSync(paths.lastGood, 'utf8');
    fs.writeFileSync(paths.file, '{"environment": "sandbox", "staffNa');
    const s = open();
    expect(s.recovered).toBe(true);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    const aside = paths.corrupt('2026-11-26T10-00-00-000Z');
    expect(fs.readFileSync(aside, 'utf8')).toBe('{"environment": "sandbox", "staffNa');
    expect(fs.readFileSync(paths.lastGood, 'utf8')).toBe(lastGood);
    expect(readJson(paths.lastGood).staffName).toBe('Mei');
  });

  it('treats a file holding JSON that is not an object as corrupt', () => {
    fs.writeFileSync(settingsPaths(dir).file, '[1,2,3]');
    expect(open().recovered).toBe(true);
  });

  it('keeps valid values and replaces only an invalid one from a hand-edited file', () => {
    fs.writeFileSync(settingsPaths(dir).file, JSON.stringify({ version: SETTINGS_VERSION, staffName: 'Ravi', maxConcurrency: 65, sandboxBaseUrl: 'http://insecure' }));
    const s = open();
    expect(s.recovered).toBe(false);
    expect(s.get()).toMatchObject({ staffName: 'Ravi', maxConcurrency: 16, sandboxBaseUrl: 'https://sandbox.atriptech.com' });
  });

  it('keeps a price tolerance from 0 to 10 % in hundredths; anything else falls back to 0 (never pay above approval)', () => {
    fs.writeFileSync(settingsPaths(dir).file, JSON.stringify({ version: SETTINGS_VERSION, priceTolerancePercent: 2.5 }));
    expect(open().get().priceTolerancePercent).toBe(2.5);
    for (const bad of [25, -1, 1.234, '3']) {
      fs.writeFileSync(settingsPaths(dir).file, JSON.stringify({ version: SETTINGS_VERSION, priceTolerancePercent: bad }));
      expect(open().get().priceTolerancePercent, String(bad)).toBe(0);
    }
  });

  it('applies the Atlas host rule to a tampered file: a foreign host is refused, logged, and the default used', () => {
    const tampered = {
      version: SETTINGS_VERSION,
      environment: 'production',
      staffName: 'Ravi',
      productionBaseUrl: 'https://api-sg.atriptech.com.evil.test',
      sandboxBaseUrl: 'https://atriptech.com@evil.test',
      productionSearchBaseUrl: 'https://search-sg.atriptech.com',
      atlasProxy: { enabled: true, url: 'http://evil.test' },
    };
    fs.writeFileSync(settingsPaths(dir).file, JSON.stringify(tampered));
    const lines: string[] = [];
    const s = openSettings({ dir, createStore, log: (line) => lines.push(line) });
    expect(s.get()).toMatchObject({
      environment: 'production',
      staffName: 'Ravi',
      productionBaseUrl: 'https://api-sg.atriptech.com',
      sandboxBaseUrl: 'https://sandbox.atriptech.com',
      atlasProxy: { enabled: false, url: '' },
    });
    expect(lines).toEqual([
      'settings: stored sandboxBaseUrl refused (not allowed); default used',
      'settings: stored productionBaseUrl refused (not allowed); default used',
      'settings: stored atlasProxy refused (not allowed); default used',
    ]);
    // The file on disk is rewritten without the foreign host.
    expect(fs.readFileSync(s.path, 'utf8')).not.toContain('evil.test');
  });

  it('stores Atlas hosts and the proxy URL in their normalised form and refuses foreign hosts on update', () => {
    const s = open();
    expect(s.update({ productionBaseUrl: 'HTTPS://API-EU.atriptech.com/' }).productionBaseUrl).toBe('https://api-eu.atriptech.com');
    expect(s.update({ atlasProxy: { enabled: true, url: 'https://gw.agency.example/atlas/' } }).atlasProxy).toEqual({ enabled: true, url: 'https://gw.agency.example/atlas' });
    // The IPC schema refuses these before update(); if one got this far it would still not be stored.
    s.update({ sandboxBaseUrl: 'https://api-eu.atriptech.com' });
    expect(s.update({ sandboxBaseUrl: 'https://sandbox.atriptech.com.evil.test' }).sandboxBaseUrl).toBe('https://sandbox.atriptech.com');
    expect(s.update({ atlasProxy: { enabled: true, url: '' } }).atlasProxy).toEqual({ enabled: false, url: '' });
    expect(fs.readFileSync(s.path, 'utf8')).not.toContain('evil.test');
  });

  it('keeps staff choices from a file written before "start at login" existed, and adds it switched off', () => {
    const before = { ...DEFAULT_SETTINGS, startAtLogin: undefined, version: SETTINGS_VERSION, environment: 'production', syncIntervalMinutes: 0, maxConcurrency: 2 };
    fs.writeFileSync(settingsPaths(dir).file, JSON.stringify(before));
    expect(open().get()).toMatchObject({ environment: 'production', syncIntervalMinutes: 0, maxConcurrency: 2, startAtLogin: false });
    open().update({ startAtLogin: true, syncIntervalMinutes: 10 });
    expect(open().get()).toMatchObject({ startAtLogin: true, syncIntervalMinutes: 10, environment: 'production' });
  });

  it('upgrades an old file and backs it up first', () => {
    const v1 = { version: 1, environment: 'sandbox', concurrency: 8, syncInterval: 15, productionHost: 'https://api-eu.atriptech.com' };
    fs.writeFileSync(settingsPaths(dir).file, JSON.stringify(v1));
    const s = open();
    expect(s.get()).toMatchObject({ environment: 'sandbox', maxConcurrency: 16, syncIntervalMinutes: 15, productionBaseUrl: 'https://api-eu.atriptech.com' });
    expect(readJson(settingsPaths(dir).preUpgrade(1))).toEqual(v1);
    expect(readJson(s.path)).not.toHaveProperty('concurrency');
    expect(readJson(s.path)).not.toHaveProperty('queueConcurrency');
  });

  it('turns the old fixed queue size into the cap only when staff had chosen to go slower', () => {
    const v2 = (queueConcurrency: number) => ({ ...DEFAULT_SETTINGS, maxConcurrency: undefined, version: 2, queueConcurrency });
    fs.writeFileSync(settingsPaths(dir).file, JSON.stringify(v2(2)));
    expect(open().get().maxConcurrency).toBe(2);
    expect(readJson(settingsPaths(dir).file)).not.toHaveProperty('queueConcurrency');
    for (const old of [4, 9]) {
      fs.writeFileSync(settingsPaths(dir).file, JSON.stringify(v2(old)));
      expect(open().get().maxConcurrency).toBe(16);
    }
  });
});

describe('settings upgrade functions', () => {
  it('are pure: they do not modify their input and give the same output twice', () => {
    const input = Object.freeze({ version: 1, concurrency: 3 });
    expect(upgrades[1]!(input)).toEqual(upgrades[1]!(input));
    expect(input).toEqual({ version: 1, concurrency: 3 });
  });

  it('chain from an unversioned file to the current version', () => {
    expect(upgradeSettings({ staffName: 'A' })).toEqual({ staffName: 'A', version: SETTINGS_VERSION });
    expect(upgradeSettings({ version: 1, syncInterval: 0 })).toEqual({ version: 3, syncIntervalMinutes: 0 });
    expect(upgradeSettings({ version: 1, concurrency: 1 })).toEqual({ version: 3, maxConcurrency: 1 });
  });

  it('never let a renamed key override a value already in the new name', () => {
    expect(upgrades[1]!({ version: 1, concurrency: 9, queueConcurrency: 2 })).toEqual({ version: 2, queueConcurrency: 2 });
  });

  it('normalisation drops unknown keys and bad values', () => {
    const s = normalizeSettings({ bogus: 1, language: 'fr', environment: 'production' });
    expect(s).not.toHaveProperty('bogus');
    expect(s.language).toBeNull();
    expect(s.environment).toBe('production');
  });
});
