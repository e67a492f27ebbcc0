import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildsWindows, releaseArgs, ReleaseError } from '../../scripts/release.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));

type Target = { target: string; arch: string[] };
const targets = (list: Target[]) => Object.fromEntries(list.map((t) => [t.target, [...t.arch].sort()]));

describe('electron-builder.yml', () => {
  it('packages the built app only, inside asar', () => {
    expect(config.files).toEqual(['dist/**', 'dist-electron/**', 'package.json']);
    expect(config.asar).toBe(true);
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.productName).toBe('Atlas Retry Desk');
  });

  it('builds NSIS for Windows and dmg+zip for macOS, each for x64 and arm64', () => {
    expect(targets(config.win.target)).toEqual({ nsis: ['arm64', 'x64'] });
    expect(targets(config.mac.target)).toEqual({ dmg: ['arm64', 'x64'], zip: ['arm64', 'x64'] });
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      // The window loads from app://, never file://.
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('signs macOS with the hardened runtime and existing entitlements, and notarizes', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
    const plist = fs.readFileSync(path.join(root, config.mac.entitlements), 'utf8');
    expect(plist).toContain('com.apple.security.cs.allow-jit');
    expect(plist).not.toContain('<key>com.apple.security.cs.allow-unsigned-executable-memory</key>');
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
  });

  it('publishes a generic update feed whose URL comes from the environment', () => {
    expect(config.publish).toMatchObject({ provider: 'generic', url: '${env.ATLAS_DESK_UPDATE_URL}' });
  });

  it('verifies Windows updates against the publisher and offers no update feed to unsigned Linux builds', () => {
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    expect(config.linux).toHaveProperty('publish', null);
  });

  it('forces code signing for release builds only: npm run dist stays usable unsigned', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(config.forceCodeSigning ?? false).toBe(false);
    expect(pkg.scripts.dist).not.toContain('forceCodeSigning');
    expect(pkg.scripts['dist:release']).toBe('npm run build && node scripts/release.ts');
    const env = { ATLAS_DESK_UPDATE_URL: 'https://updates.agency.example/desk', ATLAS_DESK_WIN_PUBLISHER: 'Atlas Travel Pte. Ltd.' };
    expect(releaseArgs(env, ['--win'], 'linux')).toEqual([
      '--config',
      'electron-builder.yml',
      '-c.forceCodeSigning=true',
      '-c.win.signtoolOptions.publisherName=Atlas Travel Pte. Ltd.',
      '--win',
    ]);
    expect(releaseArgs(env, ['--mac'], 'darwin')).toEqual(['--config', 'electron-builder.yml', '-c.forceCodeSigning=true', '--mac']);
  });

  it('refuses a release without an https feed, or a Windows release without the publisher to verify against', () => {
    const publisher = { ATLAS_DESK_WIN_PUBLISHER: 'Atlas Travel Pte. Ltd.' };
    for (const feed of [undefined, '', 'http://updates.agency.example/desk', 'https://u:p@updates.agency.example', 'updates.agency.example']) {
      expect(() => releaseArgs({ ...publisher, ATLAS_DESK_UPDATE_URL: feed }, ['--mac'], 'darwin'), String(feed)).toThrow(ReleaseError);
    }
    expect(() => releaseArgs({ ATLAS_DESK_UPDATE_URL: 'https://updates.agency.example' }, ['--win'], 'darwin')).toThrow(/ATLAS_DESK_WIN_PUBLISHER/);
    expect(() => releaseArgs({ ATLAS_DESK_UPDATE_URL: 'https://updates.agency.example' }, [], 'win32')).toThrow(/ATLAS_DESK_WIN_PUBLISHER/);
    expect(buildsWindows(['--mac', '--win'], 'darwin')).toBe(true);
    expect(buildsWindows([], 'darwin')).toBe(false);
  });

  it('emits no source maps for the main process', async () => {
    const { default: viteConfig } = (await import('../../vite.electron.config.ts')) as { default: { build: { sourcemap?: unknown } } };
    expect(viteConfig.build.sourcemap).toBe(false);
  });

  it("validates against electron-builder's own configuration schema", async () => {
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const { Ajv } = (await import('ajv')) as unknown as { Ajv: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null } } };
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('ships the committed 1024×1024 icon, identical to what scripts/make-icon.ts draws', async () => {
    const file = fs.readFileSync(path.join(root, config.icon));
    expect(file.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([file.readUInt32BE(16), file.readUInt32BE(20)]).toEqual([1024, 1024]);
    const { drawIcon } = await import('../../scripts/make-icon.ts');
    expect(drawIcon().equals(file)).toBe(true);
  });

  it('points package.json main at the built main process', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist-electron/main.js');
  });
});
