// Main's log: one line per event, on the console and in a rotating file under the OS logs folder
// (app.getPath('logs')), where support can find it. Every line passes through redactLogLine first,
// so no client secret, card number or CVV reaches the file, whatever a caller hands in
// (docs/money-safety.md rules 6 and 7).
//
// A small writer rather than electron-log: one synchronous append per line (the last lines before
// a crash are on disk), the redaction is the only way in, and it runs in plain Node under test.
import fs from 'node:fs';
import path from 'node:path';
import { maskCardNumbers } from '../../shared/redaction.ts';

export const LOG_FILE = 'desk.log';

/** `name=123` / `"cardCVV":"123"` style values next to a CVV-like key. */
const CVV_VALUE = /\b(card_?cvv|cvv2?|cvc|security_?code)(["'\s:=]{0,4})\d{3,4}\b/gi;
/** The secret header, should a caller ever log one. */
const SECRET_HEADER = /(x-atlas-client-secret["'\s:=]{0,4})[^\s"',}]+/gi;

/**
 * A line safe for disk: card-length digit runs masked 6/4 (the disk policy: a false positive costs
 * nothing), CVV-like values and the secret header's value removed, every known secret replaced,
 * and line breaks folded so one call is one line (nobody can forge a line).
 */
export function redactLogLine(text: string, secrets: readonly string[]): string {
  let safe = text.replace(/[\r\n\u2028\u2029]+/g, ' ⏎ ');
  for (const secret of secrets) if (secret.length > 0) safe = safe.split(secret).join('[redacted]');
  safe = maskCardNumbers(safe, 'any_card_length');
  return safe.replace(CVV_VALUE, '$1$2***').replace(SECRET_HEADER, '$1[redacted]');
}

export interface DeskLogOptions {
  /** The folder, asked on first write (app.getPath('logs')). */
  dir: () => string;
  /** Exact strings that must never be written (the client secret), read at every write. */
  secrets: () => readonly string[];
  /** Rotate when desk.log would grow past this. Default 1 MiB. */
  maxBytes?: number;
  /** Files kept: desk.log, desk.1.log … desk.(keep-1).log. Default 5. */
  keep?: number;
  now?: () => Date;
  /** Also print each (redacted) line, e.g. console.log. */
  echo?: (line: string) => void;
}

export interface DeskLog {
  write(line: string): void;
  /** The last `limit` lines of the files, oldest first, redacted again with today's secrets. */
  recent(limit: number): string[];
  /** Where desk.log is, once known. */
  file(): string | null;
}

export function createDeskLog(options: DeskLogOptions): DeskLog {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = Math.max(1, options.keep ?? 5);
  let dir: string | null = null;
  let size = -1;
  let failed = false;

  const pathOf = (index: number) => path.join(dir as string, index === 0 ? LOG_FILE : `desk.${index}.log`);

  const open = (): boolean => {
    if (dir) return true;
    try {
      dir = options.dir();
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      size = fs.existsSync(pathOf(0)) ? fs.statSync(pathOf(0)).size : 0;
      return true;
    } catch {
      dir = null;
      return false;
    }
  };

  const rotate = () => {
    fs.rmSync(pathOf(keep - 1), { force: true });
    for (let i = keep - 2; i >= 0; i--) if (fs.existsSync(pathOf(i))) fs.renameSync(pathOf(i), pathOf(i + 1));
    size = 0;
  };

  return {
    write(line) {
      const safe = redactLogLine(line, options.secrets());
      options.echo?.(safe);
      if (!open()) return;
      const entry = `${(options.now?.() ?? new Date()).toISOString()} ${safe}\n`;
      const bytes = Buffer.byteLength(entry);
      try {
        if (size > 0 && size + bytes > maxBytes) rotate();
        fs.appendFileSync(pathOf(0), entry, { mode: 0o600 });
        size += bytes;
        failed = false;
      } catch (error) {
        // Say so once; the console still has every line.
        if (!failed) options.echo?.(`log file: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
        failed = true;
      }
    },
    recent(limit) {
      if (!open()) return [];
      const lines: string[] = [];
      for (let i = 0; i < keep && lines.length < limit; i++) {
        let text: string;
        try {
          text = fs.readFileSync(pathOf(i), 'utf8');
        } catch {
          break;
        }
        const fileLines = text.split('\n').filter((l) => l !== '');
        lines.unshift(...fileLines.slice(-(limit - lines.length)));
      }
      const secrets = options.secrets();
      return lines.map((line) => redactLogLine(line, secrets));
    },
    file: () => (open() ? pathOf(0) : null),
  };
}
