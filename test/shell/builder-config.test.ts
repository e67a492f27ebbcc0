import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

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
