// Aligned plain-text tables for human output: header, a rule, rows; columns padded to the widest cell.

export function table(header: readonly string[], rows: readonly (readonly (string | null | undefined)[])[]): string {
  const cells = [header, ...rows].map((row) => header.map((_, i) => (row[i] ?? '').replace(/\s+/g, ' ')));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] as string).length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const [head, ...body] = cells as string[][];
  return [line(head as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** "2026-11-20T08:05:00.000Z" → "2026-11-20 08:05Z"; empty for null. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')}Z` : iso;
}
