// Draws the app icon, build/icon.png (1024×1024; electron-builder derives the macOS .icns and the
// Windows .ico from it): a rounded blue square with a white "retry" arc and its arrowhead. Drawn
// with plain geometry so it needs no image tools. Run: node scripts/make-icon.ts
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;

/** Coverage 0..1 of pixel (x, y) by the icon's white mark, with 4×4 supersampling for smooth edges. */
function markCoverage(x: number, y: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const px = x + (sx + 0.5) / 4 - SIZE / 2;
      const py = y + (sy + 0.5) / 4 - SIZE / 2;
      if (inArc(px, py) || inArrowhead(px, py)) hits++;
    }
  }
  return hits / 16;
}

/** A ring from 40° to 320° (open at the right, like a refresh sign). */
function inArc(px: number, py: number): boolean {
  const r = Math.hypot(px, py);
  if (r < 250 || r > 340) return false;
  const angle = (Math.atan2(-py, px) * 180) / Math.PI;
  const a = angle < 0 ? angle + 360 : angle;
  return a >= 40 && a <= 320;
}

/**
 * A triangle on the arc's upper end (40°), its base across the ring and its tip pointing along the
 * ring towards the gap, the way a "retry" arrow turns. Screen coordinates: x right, y down.
 */
const END = (40 * Math.PI) / 180;
const radial = { x: Math.cos(END), y: -Math.sin(END) };
const along = { x: Math.sin(END), y: Math.cos(END) };
const mid = { x: 295 * radial.x, y: 295 * radial.y };
const ARROW = [
  { x: mid.x - 95 * radial.x, y: mid.y - 95 * radial.y },
  { x: mid.x + 95 * radial.x, y: mid.y + 95 * radial.y },
  { x: mid.x + 130 * along.x, y: mid.y + 130 * along.y },
] as const;

function inArrowhead(px: number, py: number): boolean {
  const [a, b, c] = ARROW;
  const side = (p: { x: number; y: number }, q: { x: number; y: number }) => (q.x - p.x) * (py - p.y) - (q.y - p.y) * (px - p.x);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
}

/** Inside the rounded square (corner radius 200, 40 px margin)? */
function inBackground(x: number, y: number): boolean {
  const margin = 40;
  const radius = 200;
  const cx = Math.min(Math.max(x, margin + radius), SIZE - margin - radius);
  const cy = Math.min(Math.max(y, margin + radius), SIZE - margin - radius);
  return Math.hypot(x - cx, y - cy) <= radius && x >= margin && y >= margin && x < SIZE - margin && y < SIZE - margin;
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function drawIcon(): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0, then RGBA
    for (let x = 0; x < SIZE; x++) {
      if (!inBackground(x, y)) continue;
      // A vertical blue gradient, the desk's accent colour.
      const t = y / SIZE;
      const bg = [Math.round(37 + 10 * t), Math.round(99 - 30 * t), Math.round(235 - 40 * t)];
      const w = markCoverage(x, y);
      const o = 1 + x * 4;
      row[o] = Math.round(bg[0]! * (1 - w) + 255 * w);
      row[o + 1] = Math.round(bg[1]! * (1 - w) + 255 * w);
      row[o + 2] = Math.round(bg[2]! * (1 - w) + 255 * w);
      row[o + 3] = 255;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../build/icon.png', import.meta.url), drawIcon());
  console.log('wrote build/icon.png');
}
