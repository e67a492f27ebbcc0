// What staff type into a search box, in the two forms the store searches with. The search columns
// are stored upper-case (orders-repo.ts), so the query is upper-cased the same way; a query of 3
// characters or more becomes an FTS5 phrase for the trigram index (orders_fts, migration 4), a
// shorter one has no trigram to look up and is matched by scanning with instr().

/** Fewer characters than this have no trigram: such queries scan. */
export const TRIGRAM_MIN_CHARS = 3;

/** Trimmed and upper-cased like the stored search columns; '' when there is nothing to find. */
export function searchText(text: string): string {
  return text.trim().toUpperCase();
}

/**
 * The FTS5 query matching `q` as a substring of any one search column, or null when `q` is too
 * short for the trigram index. Quoted as a phrase (a `"` is doubled), so nothing staff type is
 * read as FTS5 syntax. Characters are counted as the tokenizer counts them: code points.
 */
export function trigramPhrase(q: string): string | null {
  if ([...q].length < TRIGRAM_MIN_CHARS) return null;
  return `"${q.replaceAll('"', '""')}"`;
}
