// `recover --card` reads the card as one JSON object on standard input: never from arguments,
// which end up in shell history and `ps`. Validated with the IPC contract's own card schema.
// Error messages name fields only; they never echo what was typed.
import type { CardDetails } from '../../shared/atlas.ts';
import { cardSchema } from '../../shared/ipc.ts';
import { UsageError } from './errors.ts';

const MAX_BYTES = 16 * 1024;

export async function readStdin(stream: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (stream.isTTY) throw new UsageError('--card reads the card as JSON on stdin; pipe it in (e.g. < card.json)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BYTES) throw new UsageError('card input on stdin is too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  for (const chunk of chunks) chunk.fill(0);
  return text;
}

export function parseCard(text: string): CardDetails {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError('card on stdin is not valid JSON');
  }
  const parsed = cardSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(card)'))];
    throw new UsageError(`card on stdin is invalid: ${fields.join(', ')}`);
  }
  return parsed.data;
}

/** Overwrites the CLI's own copy once the vault holds one (DESIGN.md §2.6). */
export function wipeCard(card: CardDetails): void {
  const fields = card as unknown as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    fields[key] = typeof fields[key] === 'string' ? '0'.repeat((fields[key] as string).length) : null;
  }
}
