// `recover --card` from a script reads the card as one JSON object on standard input (at a
// terminal, card-prompt.ts asks for it instead): never from arguments, which end up in shell
// history and `ps`. Validated with the IPC contract's own card schema. Error messages name fields
// only; they never echo what was typed.
import type { CardDetails } from '../../shared/atlas.ts';
import { HOLDER_FIELD_KEY as HOLDER_KEY, requiredHolderFieldsFor, validateCard, type CardErrorCode } from '../../shared/card.ts';
import { cardSchema, type Environment } from '../../shared/ipc.ts';
import { UsageError } from './errors.ts';

const MAX_BYTES = 16 * 1024;

/** The whole of a piped stdin (a terminal is asked field by field instead: card-prompt.ts). */
export async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
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

/** "cardNumber (luhn), cardExpireYear (expired)": field names and codes, never values. */
function problems(errors: Partial<Record<keyof CardDetails, string>>): string {
  return Object.entries(errors)
    .map(([field, code]) => `${field} (${code})`)
    .join(', ');
}

/**
 * The card JSON on stdin, checked like the app's card form checks it (number, Luhn — Atlas's
 * sandbox test cards pass outside Production —, CVV length, expiry as of `now`) before anything
 * talks to Atlas. Holder-address fields and the paymentLimit's currency depend on the order: see
 * orderCardProblems.
 */
export function parseCard(text: string, environment: Environment, now: string = new Date().toISOString()): CardDetails {
  if (text.trim() === '') {
    throw new UsageError('--card needs the card as one JSON object on stdin when stdin is not a terminal; stdin was empty');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError('card on stdin is not valid JSON');
  }
  return checkCard(raw, environment, now, 'card on stdin');
}

/** The contract's card schema, then the card form's checks; `subject` names the card in errors. */
export function checkCard(raw: unknown, environment: Environment, now: string, subject: string): CardDetails {
  const parsed = cardSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(card)'))];
    throw new UsageError(`${subject} is invalid: ${fields.join(', ')}`);
  }
  const checked = validateCard(parsed.data, { now, environment });
  if (!checked.ok) throw new UsageError(`${subject} is invalid: ${problems(checked.errors)}`);
  return parsed.data;
}

/**
 * What the card lacks for one order, field → code; empty when it can be sent: holder-address
 * fields that the order's airlines require (docs/atlas-api.md §3.1 matrix; without them the
 * airline may decline the card, and Atlas then cancels the order), and a paymentLimit that is not
 * exact in the order's card currency `limitCurrency`. parseCard has checked the rest.
 */
export function orderCardProblems(
  card: CardDetails,
  order: { airlines: readonly string[]; limitCurrency: string | null },
): Partial<Record<keyof CardDetails, CardErrorCode>> {
  // Only order-dependent fields are read here, so the environment (it matters to the number only) is moot.
  const checked = validateCard(card, { now: '1970-01-01T00:00:00Z', environment: 'production', ...order });
  if (checked.ok) return {};
  const wanted = new Set<string>([
    'paymentLimit',
    ...requiredHolderFieldsFor(order.airlines, { usAddress: card.cardHolderCountry?.trim() === 'US' }).map((f) => HOLDER_KEY[f]),
  ]);
  return Object.fromEntries(Object.entries(checked.errors).filter(([field]) => wanted.has(field)));
}

/** Overwrites the CLI's own copy once the vault holds one (docs/money-safety.md rule 6). */
export function wipeCard(card: CardDetails): void {
  const fields = card as unknown as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    fields[key] = typeof fields[key] === 'string' ? '0'.repeat((fields[key] as string).length) : null;
  }
}
