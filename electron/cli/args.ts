// Command-line parsing (node:util parseArgs), one strict option table per command. Everything
// here throws UsageError (exit 2); nothing touches Atlas or the store.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

export type Command =
  | { name: 'help' }
  | { name: 'sync' }
  | { name: 'failed'; includeUnpaid: boolean; json: boolean }
  | { name: 'show'; orderNo: string; json: boolean }
  | { name: 'recover'; orderNos: string[]; method: 'deposit' | 'card'; json: boolean; timeoutMs: number }
  | { name: 'add'; orderNos: string[]; markFailed: boolean }
  | { name: 'queue'; json: boolean }
  | { name: 'history'; since: string | null; json: boolean }
  | { name: 'export-history'; file: string }
  | { name: 'simulator'; args: string[] };

export const USAGE = `usage: npm run desk -- <command>
  sync                                   pull failed/unpaid/ticketing orders from Atlas
  failed [--include-unpaid] [--json]     orders that need staff, with the next safe step
  show <orderNo> [--json]                one order: details, plan, timeline
  recover <orderNo>... --deposit|--card [--json] [--timeout <s>]
                                         recover and wait; --card reads the card as JSON on stdin
  add <orderNo>... [--failed]            add orders by number (--failed: staff know payment failed)
  queue [--json]                         recovery jobs
  history [--since <date>] [--json]      orders with recent activity
  export-history <file.csv>              history as CSV (UTF-8 with BOM)
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
  return raw.map((value) => {
    const orderNo = value.trim().toUpperCase();
    if (!ORDER_NO.test(orderNo)) throw new UsageError(`"${value}" is not an order number (6–40 letters and digits)`);
    return orderNo;
  });
}

function noPositionals(positionals: string[], command: string): void {
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments (got "${positionals[0]}")`);
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
      const seconds = typeof values.timeout === 'string' ? Number(values.timeout) : DEFAULT_RECOVER_TIMEOUT_S;
      if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('--timeout must be a positive number of seconds');
      return {
        name,
        orderNos: [...new Set(orderNumbers(positionals, name))],
        method: values.deposit ? 'deposit' : 'card',
        json: values.json === true,
        timeoutMs: seconds * 1000,
      };
    }
    case 'add': {
      const { values, positionals } = parse(rest, { failed: { type: 'boolean' } });
      return { name, orderNos: orderNumbers(positionals, name), markFailed: values.failed === true };
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
      const { positionals } = parse(rest, {});
      if (positionals.length !== 1 || !positionals[0]) throw new UsageError('export-history needs one file name');
      return { name, file: resolve(positionals[0]) };
    }
    default:
      throw new UsageError(`unknown command "${name}" (try: npm run desk -- help)`);
  }
}
