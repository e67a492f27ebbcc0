// `recover --card` at a terminal: asks for each card field, with the card number and CVV typed
// blind (the terminal is in raw mode and nothing is echoed, not even asterisks), so the card never
// has to sit in a file, in shell history or on screen. Scripts pipe the card as JSON instead
// (card-input.ts). Prompts go to stderr, so `--json` output on stdout stays clean.
import type { CardDetails } from '../../shared/atlas.ts';
import { normalizePan } from '../../shared/card.ts';
import type { Environment } from '../../shared/ipc.ts';
import { checkCard } from './card-input.ts';
import { UsageError } from './errors.ts';

export interface PromptIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: NodeJS.WritableStream;
}

interface Field {
  key: keyof CardDetails;
  label: string;
  hidden?: boolean;
  optional?: boolean;
  clean?: (value: string) => string;
}

const FIELDS: readonly Field[] = [
  { key: 'cardNumber', label: 'Card number (not shown)', hidden: true, clean: normalizePan },
  { key: 'cardCVV', label: 'CVV (not shown)', hidden: true },
  { key: 'cardExpireMonth', label: 'Expiry month (MM)', clean: (v) => v.padStart(2, '0') },
  { key: 'cardExpireYear', label: 'Expiry year (YYYY)' },
  { key: 'cardHolderFirstName', label: 'Holder first name' },
  { key: 'cardHolderLastName', label: 'Holder last name' },
  { key: 'cardHolderCountry', label: 'Holder country, 2 letters (optional)', optional: true, clean: (v) => v.toUpperCase() },
  { key: 'cardHolderProvince', label: 'Holder state or province (optional)', optional: true },
  { key: 'cardHolderCity', label: 'Holder city (optional)', optional: true },
  { key: 'cardHolderPostCode', label: 'Holder post code (optional)', optional: true },
  { key: 'cardHolderAddress', label: 'Holder street address (optional)', optional: true },
];

const CANCELLED = 'card entry cancelled; nothing was done';

/** Reads keystrokes from a terminal in raw mode, one answer per Enter. */
class KeyReader {
  #pending = '';
  #wake: (() => void) | null = null;
  #ended = false;
  readonly #io: PromptIo;
  readonly #onData = (chunk: Buffer | string) => {
    this.#pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (typeof chunk !== 'string') chunk.fill(0);
    this.#wake?.();
  };
  readonly #onEnd = () => {
    this.#ended = true;
    this.#wake?.();
  };

  constructor(io: PromptIo) {
    this.#io = io;
    // Raw before anything is asked: in cooked mode the terminal itself would echo what is typed.
    io.input.setRawMode?.(true);
    io.input.on('data', this.#onData);
    io.input.on('end', this.#onEnd);
    io.input.resume();
  }

  close(): void {
    this.#io.input.off('data', this.#onData);
    this.#io.input.off('end', this.#onEnd);
    this.#io.input.setRawMode?.(false);
    this.#io.input.pause();
    this.#pending = '';
  }

  /** One line; `echo` false shows nothing of it. Ctrl+C, or Ctrl+D / end of input, cancels. */
  async line(echo: boolean): Promise<string> {
    let value = '';
    for (;;) {
      while (this.#pending === '') {
        if (this.#ended) throw new UsageError(CANCELLED);
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = null;
      }
      const ch = this.#pending[0] as string;
      this.#pending = this.#pending.slice(1);
      if (ch === '\r' || ch === '\n') {
        // A CRLF pair (pasted text) is one Enter.
        if (ch === '\r' && this.#pending[0] === '\n') this.#pending = this.#pending.slice(1);
        this.#io.output.write('\n');
        return value;
      }
      if (ch === '\u0003' || (ch === '\u0004' && value === '')) {
        this.#io.output.write('\n');
        throw new UsageError(CANCELLED);
      }
      if (ch === '\u007f' || ch === '\b') {
        if (value !== '') {
          value = [...value].slice(0, -1).join('');
          if (echo) this.#io.output.write('\b \b');
        }
        continue;
      }
      if (ch === '\u001b') {
        // Arrow keys and the like: drop the escape sequence.
        this.#pending = this.#pending.replace(/^\[[0-9;]*[A-Za-z~]?/, '');
        continue;
      }
      if (ch < ' ') continue;
      value += ch;
      if (echo) this.#io.output.write(ch);
    }
  }
}

/**
 * Asks for the card at the terminal and checks it like the app's card form (and like piped JSON):
 * a bad card ends with exit 2 and names the fields, never their values.
 */
export async function promptCard(io: PromptIo, environment: Environment, now: string = new Date().toISOString()): Promise<CardDetails> {
  const reader = new KeyReader(io);
  const raw: Record<string, string> = {};
  try {
    io.output.write('Card details for this recovery (kept in memory only; Ctrl+C cancels).\n');
    for (const field of FIELDS) {
      if (field.key === 'cardHolderCountry') io.output.write('Some airlines require the holder address; press Enter to skip a line.\n');
      io.output.write(`${field.label}: `);
      const answer = (await reader.line(!field.hidden)).trim();
      if (answer === '' && field.optional) continue;
      raw[field.key] = field.clean ? field.clean(answer) : answer;
    }
  } finally {
    reader.close();
  }
  return checkCard(raw, environment, now, 'card');
}
