// The Atlas client id/secret at rest (docs/money-safety.md rule 7): encrypted with safeStorage's
// ASYNC API and written atomically to a small file. When the OS offers no real protection (no async
// encryption, or Linux's `basic_text` backend, which encrypts with a hard-coded password) the
// secret is kept in memory for this session only and never written: EnvironmentInfo.secretStorage
// says 'memory_only'.
//
// The secret is bound to where it was entered for (docs/money-safety.md rule 14): the environment
// and base URL it goes to are stored beside it, and `usableFor` hands it out only for that same
// target. A host change therefore never carries the secret along; staff enter it again.
import fs from 'node:fs';
import { writeFileAtomically } from '../store/atomic-file.ts';

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

/** Where a secret may be sent: the environment and the base URL (Atlas host or agency proxy) it was entered for. */
export interface CredentialTarget {
  environment: 'sandbox' | 'production';
  baseUrl: string;
}

export function sameTarget(a: CredentialTarget | null, b: CredentialTarget | null): boolean {
  return a !== null && b !== null && a.environment === b.environment && a.baseUrl === b.baseUrl;
}

interface Stored extends Credentials {
  /** Null for a file written before secrets were bound: never usable, staff enter it again. */
  boundTo: CredentialTarget | null;
}

export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend?(): string;
}

export type SecretStorage = 'encrypted' | 'memory_only' | 'none';

export interface SecretBox {
  /** Reads the stored ciphertext, if any. Call once after app `ready`. */
  load(): Promise<void>;
  /** The stored credentials whatever their target: for scrubbing output, never for sending. */
  get(): Credentials | null;
  /** Where the stored secret may be sent, or null (none stored, or stored before binding). */
  boundTo(): CredentialTarget | null;
  /** The credentials, only when they were entered for exactly this target. */
  usableFor(target: CredentialTarget): Credentials | null;
  set(credentials: Credentials, target: CredentialTarget): Promise<void>;
  clear(): Promise<void>;
  storage(): SecretStorage;
}

export interface SecretBoxOptions {
  safeStorage: SafeStorageLike;
  /** process.platform */
  platform: string;
  /** Absolute path of the ciphertext file. */
  filePath: string;
  log?: (line: string) => void;
}

export async function encryptionUsable(safeStorage: SafeStorageLike, platform: string): Promise<boolean> {
  try {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return false;
    return true;
  } catch {
    return false;
  }
}

function isCredentials(value: unknown): value is Credentials {
  const v = value as Partial<Credentials> | null;
  return typeof v?.clientId === 'string' && typeof v.clientSecret === 'string' && v.clientId !== '' && v.clientSecret !== '';
}

function targetOf(value: unknown): CredentialTarget | null {
  const v = (value as { boundTo?: Partial<CredentialTarget> } | null)?.boundTo;
  if ((v?.environment !== 'sandbox' && v?.environment !== 'production') || typeof v.baseUrl !== 'string' || v.baseUrl === '') return null;
  return { environment: v.environment, baseUrl: v.baseUrl };
}

export function createSecretBox(options: SecretBoxOptions): SecretBox {
  const log = options.log ?? (() => {});
  let current: Stored | null = null;
  let encrypted = false;

  const write = async (credentials: Stored) => {
    const cipher = await options.safeStorage.encryptStringAsync(JSON.stringify(credentials));
    writeFileAtomically(options.filePath, cipher, { mode: 0o600 });
  };

  const removeFile = () => fs.rmSync(options.filePath, { force: true });

  return {
    async load() {
      if (!fs.existsSync(options.filePath)) return;
      if (!(await encryptionUsable(options.safeStorage, options.platform))) {
        log('secrets: stored credentials exist but OS encryption is unavailable; enter them again for this session');
        return;
      }
      try {
        const { result, shouldReEncrypt } = await options.safeStorage.decryptStringAsync(fs.readFileSync(options.filePath));
        const parsed: unknown = JSON.parse(result);
        if (!isCredentials(parsed)) throw new Error('unexpected content');
        current = { clientId: parsed.clientId, clientSecret: parsed.clientSecret, boundTo: targetOf(parsed) };
        encrypted = true;
        if (!current.boundTo) log('secrets: stored credentials are not bound to an Atlas host (older version); they must be entered again');
        if (shouldReEncrypt) await write(current); // the OS rotated its key
      } catch {
        // Never log the error itself: it may quote decrypted text.
        log('secrets: stored credentials could not be decrypted; they must be entered again');
        current = null;
        encrypted = false;
      }
    },
    get: () => (current ? { clientId: current.clientId, clientSecret: current.clientSecret } : null),
    boundTo: () => (current?.boundTo ? { ...current.boundTo } : null),
    usableFor: (target) =>
      current && sameTarget(current.boundTo, target) ? { clientId: current.clientId, clientSecret: current.clientSecret } : null,
    async set(credentials, target) {
      if (!isCredentials(credentials)) throw new Error('credentials must have a client id and a secret');
      current = { clientId: credentials.clientId, clientSecret: credentials.clientSecret, boundTo: { environment: target.environment, baseUrl: target.baseUrl } };
      if (await encryptionUsable(options.safeStorage, options.platform)) {
        await write(current);
        encrypted = true;
      } else {
        removeFile();
        encrypted = false;
        log('secrets: OS encryption unavailable; credentials kept in memory for this session only');
      }
    },
    async clear() {
      current = null;
      encrypted = false;
      removeFile();
    },
    storage: () => (current === null ? 'none' : encrypted ? 'encrypted' : 'memory_only'),
  };
}
