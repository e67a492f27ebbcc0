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

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * "2026-11-20T08:05:00.000Z" → "2026-11-20 16:05 +08:00": this machine's local time (TZ), with its
 * offset so a pasted line is never ambiguous; empty for null. (`--json` keeps ISO UTC instants.)
 */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  const d = new Date(t);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} ${zone}`;
}
