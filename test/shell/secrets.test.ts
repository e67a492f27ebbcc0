import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../electron/shell/secrets.ts';
import type { SafeStorageLike } from '../../electron/shell/secrets.ts';
import { useTempDir } from '../support/temp-dir.ts';

// A reversible fake cipher: enough to tell plaintext from ciphertext on disk.
function fakeSafeStorage(over: Partial<SafeStorageLike> & { available?: boolean; rotate?: boolean } = {}): SafeStorageLike & { encryptions: number } {
  const fake = {
    encryptions: 0,
    isAsyncEncryptionAvailable: async () => over.available ?? true,
    encryptStringAsync: async (plain: string) => {
      fake.encryptions++;
      return Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a));
    },
    decryptStringAsync: async (cipher: Buffer) => ({ result: Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8'), shouldReEncrypt: over.rotate ?? false }),
    getSelectedStorageBackend: over.getSelectedStorageBackend ?? (() => 'gnome_libsecret'),
  };
  return fake;
}

const tmp = useTempDir('desk-secrets-');
let dir: string;
let file: string;
beforeEach(() => {
  dir = tmp();
  file = path.join(dir, 'credentials.bin');
});

const creds = { clientId: 'agency-7', clientSecret: 'very-secret-value-123' };
const sandbox = { environment: 'sandbox', baseUrl: 'https://sandbox.atriptech.com' } as const;

describe('secret box', () => {
  it('stores credentials encrypted, never as plaintext, and reads them back after a restart', async () => {
    const safeStorage = fakeSafeStorage();
    const box = createSecretBox({ safeStorage, platform: 'win32', filePath: file });
    await box.set(creds, sandbox);
    expect(box.storage()).toBe('encrypted');
    expect(fs.readFileSync(file).toString('latin1')).not.toContain(creds.clientSecret);
    const again = createSecretBox({ safeStorage, platform: 'win32', filePath: file });
    await again.load();
    expect(again.get()).toEqual(creds);
    expect(again.storage()).toBe('encrypted');
  });

  it('keeps the secret in memory only when async encryption is unavailable', async () => {
    const lines: string[] = [];
    const box = createSecretBox({ safeStorage: fakeSafeStorage({ available: false }), platform: 'darwin', filePath: file, log: (l) => lines.push(l) });
    await box.set(creds, sandbox);
    expect(box.get()).toEqual(creds);
    expect(box.storage()).toBe('memory_only');
    expect(fs.existsSync(file)).toBe(false);
    expect(lines.join('\n')).not.toContain(creds.clientSecret);
  });

  it("keeps the secret in memory only on Linux's basic_text backend", async () => {
    const box = createSecretBox({ safeStorage: fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' }), platform: 'linux', filePath: file });
    await box.set(creds, sandbox);
    expect(box.storage()).toBe('memory_only');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('treats an undecryptable file as "no credentials" without crashing or logging its content', async () => {
    fs.writeFileSync(file, Buffer.from('garbage'));
    const lines: string[] = [];
    const box = createSecretBox({ safeStorage: fakeSafeStorage(), platform: 'win32', filePath: file, log: (l) => lines.push(l) });
    await box.load();
    expect(box.get()).toBeNull();
    expect(box.storage()).toBe('none');
    expect(lines.join()).toMatch(/entered again/);
  });

  it('re-encrypts when the OS asks (key rotation) and clears completely', async () => {
    await createSecretBox({ safeStorage: fakeSafeStorage(), platform: 'win32', filePath: file }).set(creds, sandbox);
    const rotating = fakeSafeStorage({ rotate: true });
    const box = createSecretBox({ safeStorage: rotating, platform: 'win32', filePath: file });
    await box.load();
    expect(rotating.encryptions).toBe(1);
    await box.clear();
    expect(box.get()).toBeNull();
    expect(box.storage()).toBe('none');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('binds the secret to the environment and base URL it was entered for, across a restart', async () => {
    const safeStorage = fakeSafeStorage();
    await createSecretBox({ safeStorage, platform: 'win32', filePath: file }).set(creds, sandbox);
    const box = createSecretBox({ safeStorage, platform: 'win32', filePath: file });
    await box.load();
    expect(box.boundTo()).toEqual(sandbox);
    expect(box.usableFor(sandbox)).toEqual(creds);
    // Another host, the same host for another environment, or a proxy: not handed out.
    expect(box.usableFor({ environment: 'sandbox', baseUrl: 'https://api-sg.atriptech.com' })).toBeNull();
    expect(box.usableFor({ environment: 'production', baseUrl: 'https://sandbox.atriptech.com' })).toBeNull();
    expect(box.usableFor({ environment: 'sandbox', baseUrl: 'https://gw.agency.example' })).toBeNull();
    // The binding is inside the ciphertext, not beside it in plain text.
    expect(fs.readFileSync(file).toString('latin1')).not.toContain('sandbox.atriptech.com');
  });

  it('never hands out a secret saved before secrets were bound; staff enter it again', async () => {
    const safeStorage = fakeSafeStorage();
    fs.writeFileSync(file, await safeStorage.encryptStringAsync(JSON.stringify(creds)));
    const lines: string[] = [];
    const box = createSecretBox({ safeStorage, platform: 'win32', filePath: file, log: (l) => lines.push(l) });
    await box.load();
    expect(box.get()).toEqual(creds); // still known, so output can be scrubbed of it
    expect(box.boundTo()).toBeNull();
    expect(box.usableFor(sandbox)).toBeNull();
    expect(lines.join('\n')).toMatch(/not bound to an Atlas host.*entered again/);
    expect(lines.join('\n')).not.toContain(creds.clientSecret);
  });
});
