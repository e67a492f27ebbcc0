// Atlas speaks Singapore time (UTC+8, no daylight saving) for tktLimitTime and webhooks, and UTC for
// orderList timestamps. The desk stores and compares instants (ISO-8601 UTC) only.

const SGT_OFFSET_MS = 8 * 60 * 60 * 1000;
const SGT_WALL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** `yyyy-MM-dd HH:mm:ss` in SGT → ISO UTC instant, or null when the text is not that shape. */
export function sgtToInstant(wall: string): string | null {
  const m = SGT_WALL.exec(wall.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s) - SGT_OFFSET_MS;
  const date = new Date(utc);
  // Reject impossible dates such as 2026-02-31 instead of letting Date roll them over.
  const back = new Date(utc + SGT_OFFSET_MS);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return date.toISOString();
}

/** ISO instant (or epoch ms) → `yyyy-MM-dd HH:mm:ss` SGT wall time, as Atlas sends it. */
export function instantToSgt(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  const d = new Date(ms + SGT_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
