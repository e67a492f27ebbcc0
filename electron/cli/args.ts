// Command-line parsing (node:util parseArgs), one strict option table per command. Everything
// here throws UsageError (exit 2); nothing touches Atlas or the store.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { looksLikeCardNumber, normalizePan } from '../../shared/card.ts';
import type { CsvSeparator } from '../../shared/ipc.ts';
import { UsageError } from './errors.ts';

export type Command =
  | { name: 'help' }
  | { name: 'sync' }
  | { name: 'failed'; includeUnpaid: boolean; json: boolean }
  | { name: 'show'; orderNo: string; json: boolean }
  | { name: 'recover'; orderNos: string[]; method: 'deposit' | 'card'; json: boolean; timeoutMs: number }
  | { name: 'approve'; orderNos: string[]; json: boolean; timeoutMs: number }
  | { name: 'add'; orderNos: string[]; markFailed: boolean }
  | { name: 'acknowledge'; orderNo: string }
  | { name: 'confirm-not-charged'; orderNo: string }
  | { name: 'queue'; json: boolean }
  | { name: 'history'; since: string | null; json: boolean }
  | { name: 'export-history'; file: string; separator: CsvSeparator }
  | { name: 'simulator'; args: string[] };

export const USAGE = `usage: npm run desk -- <command>
  sync                                   pull failed/unpaid/ticketing orders from Atlas
  failed [--include-unpaid] [--json]     orders that need staff, with the next safe step
  show <orderNo> [--json]                one order: details, plan, timeline
  recover <orderNo>... --deposit|--card [--json] [--timeout <s>]
                                         approve the amounts shown, recover and wait; --card asks
                                         for the card at a terminal (scripts: card JSON piped on stdin)
  approve <orderNo>... [--json] [--timeout <s>]
                                         approve the new amount a stopped job asks (old → new), and wait
  add <orderNo>... [--failed]            add orders by number (--failed: staff know payment failed)
  acknowledge <orderNo>                  you checked in ATRIP that an unconfirmed payment was not taken
  confirm-not-charged <orderNo>          you checked that the card charge Atlas started took no money
  queue [--json]                         recovery jobs
  history [--since <date>] [--json]      orders with recent activity
  export-history <file.csv> [--separator comma|semicolon]
                                         history as CSV (UTF-8 with BOM); semicolon for Excel
                                         where the decimal mark is a comma
  simulator [--port N] [--seed N] [--json]  run the Training simulator standalone`;

type OptionSpec = Record<string, { type: 'boolean' } | { type: 'string' }>;

const ORDER_NO = /^[A-Z0-9]{6,40}$/;
/** recover waits this long by default for every job to settle (ticketing polls last ~2 min). */
export const DEFAULT_RECOVER_TIMEOUT_S = 900;

function parse(args: string[], options: OptionSpec) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs messages are one line and name the offending option; keep them.
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

function orderNumbers(raw: string[], command: string): string[] {
  if (raw.length === 0) throw new UsageError(`${command} needs at least one order number`);
  // A card number typed as an argument must be neither looked up in Atlas nor echoed back.
  if (raw.some(looksLikeCardNumber)) {
    throw new UsageError('an argument looks like a card number; it was not used. Run recover --card at a terminal and type the card when asked');
  }
  return raw.map((value) => {
    const orderNo = value.trim().toUpperCase();
    if (!ORDER_NO.test(orderNo)) {
      // Long digit runs may be card data: name the problem without repeating them.
      const shown = /\d{8,}/.test(normalizePan(value)) ? 'an argument' : `"${value}"`;
      throw new UsageError(`${shown} is not an order number (6–40 letters and digits)`);
    }
    return orderNo;
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The CSV's folder must exist before anything is synced or written. */
function exportFile(raw: string): string {
  const file = resolve(raw);
  const folder = dirname(file);
  if (!isDirectory(folder)) throw new UsageError(`export-history: folder ${folder} does not exist`);
  if (isDirectory(file)) throw new UsageError(`export-history: ${file} is a folder; give a file name such as history.csv`);
  return file;
}

function noPositionals(positionals: string[], command: string): void {
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments (got "${positionals[0]}")`);
}

/** --timeout in seconds (default DEFAULT_RECOVER_TIMEOUT_S) → ms. */
function timeoutMs(value: string | boolean | undefined): number {
  const seconds = typeof value === 'string' ? Number(value) : DEFAULT_RECOVER_TIMEOUT_S;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('--timeout must be a positive number of seconds');
  return seconds * 1000;
}

/** Exactly one order number: a staff check is made per order, never in bulk. */
function oneOrder(positionals: string[], command: string, why: string): string {
  const [orderNo, ...more] = orderNumbers(positionals, command);
  if (more.length > 0 || !orderNo) throw new UsageError(`${command} takes exactly one order number: ${why}`);
  return orderNo;
}

/** "2026-11-20" (UTC midnight) or a full ISO instant → ISO UTC instant. */
export function parseSince(value: string): string {
  const text = value.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso);
  const t = ok ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(t)) throw new UsageError(`--since must be a date like 2026-11-20 or 2026-11-20T08:00:00Z, not "${value}"`);
  return new Date(t).toISOString();
}

export function parseCommand(argv: string[]): Command {
  const [name, ...rest] = argv;
  switch (name) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { name: 'help' };
    case 'simulator':
      return { name: 'simulator', args: rest };
    case 'sync': {
      const { positionals } = parse(rest, {});
      noPositionals(positionals, name);
      return { name };
    }
    case 'failed': {
      const { values, positionals } = parse(rest, { 'include-unpaid': { type: 'boolean' }, json: { type: 'boolean' } });
      noPositionals(positionals, name);
      return { name, includeUnpaid: values['include-unpaid'] === true, json: values.json === true };
    }
    case 'show': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
      if (positionals.length !== 1) throw new UsageError('show needs exactly one order number');
      return { name, orderNo: orderNumbers(positionals, name)[0] as string, json: values.json === true };
    }
    case 'recover': {
      const { values, positionals } = parse(rest, {
        deposit: { type: 'boolean' },
        card: { type: 'boolean' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
      });
      if (values.deposit === values.card) throw new UsageError('recover needs exactly one of --deposit or --card');
      return {
        name,
        orderNos: [...new Set(orderNumbers(positionals, name))],
        method: values.deposit ? 'deposit' : 'card',
        json: values.json === true,
        timeoutMs: timeoutMs(values.timeout),
      };
    }
    case 'approve': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' }, timeout: { type: 'string' } });
      return { name, orderNos: [...new Set(orderNumbers(positionals, name))], json: values.json === true, timeoutMs: timeoutMs(values.timeout) };
    }
    case 'add': {
      const { values, positionals } = parse(rest, { failed: { type: 'boolean' } });
      return { name, orderNos: orderNumbers(positionals, name), markFailed: values.failed === true };
    }
    case 'acknowledge': {
      const { positionals } = parse(rest, {});
      return { name, orderNo: oneOrder(positionals, name, 'check each order in ATRIP first') };
    }
    case 'confirm-not-charged': {
      const { positionals } = parse(rest, {});
      return { name, orderNo: oneOrder(positionals, name, 'check each order’s card charge first') };
    }
    case 'queue': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
      noPositionals(positionals, name);
      return { name, json: values.json === true };
    }
    case 'history': {
      const { values, positionals } = parse(rest, { since: { type: 'string' }, json: { type: 'boolean' } });
      noPositionals(positionals, name);
      const since = typeof values.since === 'string' ? parseSince(values.since) : null;
      return { name, since, json: values.json === true };
    }
    case 'export-history': {
      const { values, positionals } = parse(rest, { separator: { type: 'string' } });
      if (positionals.length !== 1 || !positionals[0]) throw new UsageError('export-history needs one file name');
      const separator = values.separator ?? 'comma';
      if (separator !== 'comma' && separator !== 'semicolon') throw new UsageError('--separator must be comma or semicolon');
      return { name, file: exportFile(positionals[0]), separator };
    }
    default:
      throw new UsageError(`unknown command "${name}" (try: npm run desk -- help)`);
  }
}
