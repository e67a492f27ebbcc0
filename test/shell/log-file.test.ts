// The rotating log file: every line redacted before it is written, bounded size, recent lines for support.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDeskLog, LOG_FILE, redactLogLine } from '../../electron/shell/log-file.ts';
import { useTempDir } from '../support/temp-dir.ts';

const tmp = useTempDir('desk-log-');
let dir: string;
beforeEach(() => {
  dir = tmp();
});

const SECRET = 'sk_live_9f8e7d6c5b4a';
const allText = () => fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('');

describe('redactLogLine', () => {
  it('masks card numbers, removes CVVs, the secret header and every known secret, and keeps order numbers', () => {
    const line = redactLogLine(
      `pay TESTA20261126160804096 card 4111 1111 1111 1111 cvv=737 {"cardCVV":"1234"} x-atlas-client-secret: abc ${SECRET}`,
      [SECRET],
    );
    expect(line).toBe('pay TESTA20261126160804096 card 411111******1111 cvv=*** {"cardCVV":"***"} x-atlas-client-secret: [redacted] [redacted]');
  });

  it('folds line breaks, so one call is one line', () => {
    expect(redactLogLine('a\nforged 2026-01-01T00:00:00Z line\r\nb', [])).toBe('a ⏎ forged 2026-01-01T00:00:00Z line ⏎ b');
  });
});

describe('desk log file', () => {
  it('writes timestamped, redacted lines under the logs folder, and echoes the same redacted line', () => {
    const echoed: string[] = [];
    const log = createDeskLog({ dir: () => dir, secrets: () => [SECRET], now: () => new Date('2026-11-26T10:00:00Z'), echo: (l) => echoed.push(l) });
    log.write(`credentials ${SECRET} for card 5555555555554444`);
    expect(fs.readFileSync(path.join(dir, LOG_FILE), 'utf8')).toBe('2026-11-26T10:00:00.000Z credentials [redacted] for card 555555******4444\n');
    expect(echoed).toEqual(['credentials [redacted] for card 555555******4444']);
    expect(log.file()).toBe(path.join(dir, LOG_FILE));
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, LOG_FILE)).mode & 0o777).toBe(0o600);
  });

  it('rotates past the size limit and keeps a fixed number of files', () => {
    const log = createDeskLog({ dir: () => dir, secrets: () => [], maxBytes: 200, keep: 3 });
    for (let i = 0; i < 40; i++) log.write(`line ${String(i).padStart(2, '0')} ${'x'.repeat(40)}`);
    expect(fs.readdirSync(dir).sort()).toEqual(['desk.1.log', 'desk.2.log', LOG_FILE]);
    for (const file of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, file)).size).toBeLessThanOrEqual(200);
    expect(fs.readFileSync(path.join(dir, LOG_FILE), 'utf8')).toContain('line 39');
    expect(allText()).not.toContain('line 00');
  });

  it('gives the most recent lines across files, oldest first, redacted again with the secrets known now', () => {
    let secrets: string[] = [];
    const log = createDeskLog({ dir: () => dir, secrets: () => secrets, maxBytes: 120, keep: 4 });
    for (let i = 0; i < 10; i++) log.write(`event ${i} token-${i}`);
    secrets = ['token-9'];
    const recent = log.recent(3).map((l) => l.replace(/^\S+ /, ''));
    expect(recent).toEqual(['event 7 token-7', 'event 8 token-8', 'event 9 [redacted]']);
  });

  it('keeps logging to the console when the folder cannot be used', () => {
    const echoed: string[] = [];
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, '');
    const log = createDeskLog({ dir: () => blocker, secrets: () => [], echo: (l) => echoed.push(l) });
    log.write('still here');
    expect(echoed).toEqual(['still here']);
    expect(log.recent(5)).toEqual([]);
  });
});
