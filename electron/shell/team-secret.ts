// The team database URL at rest: it carries the database password, so it is kept exactly like the
// Atlas secret (./secrets.ts): encrypted with safeStorage's async API in its own small file, or in
// memory for this session only where the OS offers no real protection. Never shown again, never
// sent to the window: the window only learns whether one is set and which server it names.
import fs from 'node:fs';
import { writeFileAtomically } from '../store/atomic-file.ts';
import { parseTeamUrl, type TeamUrl } from '../team/team-url.ts';
import { encryptionUsable, type SafeStorageLike, type SecretStorage } from './secrets.ts';

export interface TeamSecretBox {
  load(): Promise<void>;
  get(): string | null;
  /** host:port/database of the stored URL, never the password. */
  server(): string | null;
  /** The password inside the URL, for the outbound guard to scrub. */
  password(): string | null;
  set(url: string): Promise<void>;
  clear(): Promise<void>;
  storage(): SecretStorage;
  /**
   * A team database URL is saved on this computer but could not be read at start (not decrypted,
   * or OS encryption unavailable): the desk still belongs to that team until staff enter the URL
   * again (set) or leave it (clear).
   */
  unreadable(): boolean;
}

export function createTeamSecretBox(options: { safeStorage: SafeStorageLike; platform: string; filePath: string; log?: (line: string) => void }): TeamSecretBox {
  const log = options.log ?? (() => {});
  let current: string | null = null;
  // Read once when the URL is taken: server() and password() feed every log line and IPC answer
  // (the scrub list).
  let facts: { server: string | null; password: string | null } | null = null;
  let encrypted = false;
  let unreadable = false;
  const take = (url: string, parsed: TeamUrl | null) => {
    const password = parsed ? parsed.config.password : passwordOf(url);
    facts = { server: parsed?.display ?? null, password: typeof password === 'string' && password !== '' ? password : null };
    current = url;
  };
  const removeFile = () => fs.rmSync(options.filePath, { force: true });
  const write = async (url: string) => writeFileAtomically(options.filePath, await options.safeStorage.encryptStringAsync(url), { mode: 0o600 });

  return {
    async load() {
      if (!fs.existsSync(options.filePath)) return;
      if (!(await encryptionUsable(options.safeStorage, options.platform))) {
        log('team: a stored team database URL exists but OS encryption is unavailable; enter it again for this session');
        unreadable = true;
        return;
      }
      let url: string;
      let reEncrypt = false;
      try {
        const { result, shouldReEncrypt } = await options.safeStorage.decryptStringAsync(fs.readFileSync(options.filePath));
        url = result;
        reEncrypt = shouldReEncrypt;
      } catch {
        // Never log the error itself: it may quote the decrypted URL.
        log('team: the stored team database URL could not be decrypted; it must be entered again');
        current = null;
        facts = null;
        encrypted = false;
        unreadable = true;
        return;
      }
      encrypted = true;
      // A failed re-encryption leaves the file as it was; the URL read from it still counts.
      if (reEncrypt) await write(url).catch(() => log('team: the stored team database URL could not be re-encrypted; it is kept as it was'));
      // Kept even when this build reads it differently: the desk stays in its team, unavailable
      // with the reason, until staff enter it again (team-session.ts); it never drops to solo.
      let parsed: TeamUrl | null = null;
      try {
        parsed = parseTeamUrl(url);
      } catch (error) {
        log(`team: the stored team database URL cannot be used: ${(error as Error).message}`);
      }
      take(url, parsed);
    },
    get: () => current,
    server: () => facts?.server ?? null,
    password: () => facts?.password ?? null,
    async set(raw) {
      const url = raw.trim();
      take(url, parseTeamUrl(url));
      unreadable = false;
      if (await encryptionUsable(options.safeStorage, options.platform)) {
        await write(url);
        encrypted = true;
      } else {
        removeFile();
        encrypted = false;
        log('team: OS encryption unavailable; the team database URL is kept in memory for this session only');
      }
    },
    async clear() {
      current = null;
      facts = null;
      encrypted = false;
      unreadable = false;
      removeFile();
    },
    storage: () => (current === null ? 'none' : encrypted ? 'encrypted' : 'memory_only'),
    unreadable: () => unreadable,
  };
}

/** The password of a URL the parser refuses, for the scrub list only. */
function passwordOf(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url.trim()).password);
  } catch {
    return null;
  }
}
