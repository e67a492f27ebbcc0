// Order numbers pasted or imported by staff: one per line, comma, semicolon, tab or space.
// CSV files may have a header and extra columns: we keep every token that looks like an order
// number candidate and let main validate (it answers added / not found / invalid).

const SEPARATORS = /[\s,;"']+/;

export function parseOrderNumbers(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(SEPARATORS)) {
    const token = raw.trim().toUpperCase();
    if (token) seen.add(token);
  }
  return [...seen];
}

/** CSV import: takes the column named like "order" when there is a header, else the first column. */
export function parseOrdersCsv(csv: string): string[] {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const cells = (line: string) => line.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, ''));
  const header = cells(lines[0] ?? '').map((c) => c.toLowerCase());
  let column = header.findIndex((c) => /order\s*(no|number|#)?|订单/.test(c));
  let body = lines;
  if (column >= 0) body = lines.slice(1);
  else column = 0;
  return parseOrderNumbers(body.map((l) => cells(l)[column] ?? '').join('\n'));
}
