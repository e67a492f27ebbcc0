// UI table benchmark: filtering (time per keystroke in the search box) and sorting (time per
// header click) over 10,000 orders in Chromium, with the app's virtualized OrderTable against the
// same rows rendered without virtualization, measured in the same run and printed as a ratio.
// Run: node bench/ui-table.bench.ts [rows]      (not part of the test run)
//
// The renderer has no switch to turn virtualization off, so this file builds a bench-only page
// (vite, production React) from bench/ui-table-page.tsx: it mounts the REAL OrderTable, filter and sort
// code (renderer/src), and beside it a "full" table that renders every row with the same cell
// markup and CSS classes, in normal flow. Each timing is event dispatch → React commit → forced
// style and layout (reading offsetHeight), so it does not depend on the frame clock.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import type { BenchResult } from './ui-table-page.tsx';
import { CHROMIUM, CHROMIUM_ARGS, serveStatic } from '../test/e2e/harness.ts';

const ROWS = Number(process.argv[2] ?? 10_000);
const ROUNDS = 3; // each round types "lim/w" one key at a time, then deletes it key by key
const SORTS = 6;
const FULL_ROUNDS = 1;
const FULL_SORTS = 2;
const ROOT = fileURLToPath(new URL('../', import.meta.url));
// The measured page is a real module (type-checked with the rest of the project).
const PAGE = path.join(ROOT, 'bench/ui-table-page.tsx');

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1] ?? NaN };
};
const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`;

const out = mkdtempSync(path.join(tmpdir(), 'ui-table-bench-'));
let server: Awaited<ReturnType<typeof serveStatic>> | null = null;
const userDataDir = mkdtempSync(path.join(tmpdir(), 'ui-table-bench-chromium-'));
let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | null = null;
try {
  const started = performance.now();
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir: out,
      emptyOutDir: true,
      modulePreload: { polyfill: false },
      rolldownOptions: { input: { bench: PAGE }, output: { entryFileNames: 'bench.js', assetFileNames: '[name][extname]' } },
    },
  });
  const css = readdirSync(out).filter((f) => f.endsWith('.css'));
  writeFileSync(
    path.join(out, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8">${css.map((f) => `<link rel="stylesheet" href="./${f}">`).join('')}</head>` +
      `<body><div id="root"></div><script type="module" src="./bench.js"></script></body></html>`,
  );
  console.log(`ui-table: page built in ${((performance.now() - started) / 1000).toFixed(1)} s; ${ROWS} rows, ${ROUNDS * 10}/${FULL_ROUNDS * 10} keystrokes and ${SORTS}/${FULL_SORTS} sorts (virtualized/full)`);

  server = await serveStatic(out);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${server.origin}/index.html?rows=${ROWS}`);
  await page.waitForFunction(() => typeof (window as unknown as { __bench?: unknown }).__bench === 'function');

    const run = (mode: 'virtual' | 'full', rounds: number, sorts: number) =>
    page.evaluate(([m, r, s]) => (window as unknown as { __bench(m: string, r: number, s: number): Promise<BenchResult> }).__bench(m, r, s), [mode, rounds, sorts] as const);
  // A warm-up pass (JIT, fonts), then the measured passes. The full table gets fewer samples: each
  // of its keystrokes takes seconds, and the ratio is what matters.
  await run('virtual', 1, 2);
  const virtual = await run('virtual', ROUNDS, SORTS);
  const full = await run('full', FULL_ROUNDS, FULL_SORTS);

  const v = { keys: stats(virtual.keys), sort: stats(virtual.sortMs) };
  const f = { keys: stats(full.keys), sort: stats(full.sortMs) };
  console.log(`rows in the DOM after the run: virtualized ${virtual.domRows}, full ${full.domRows} (of ${full.total})`);
  console.log('                         median        p95        max');
  console.log(`keystroke  virtualized ${ms(v.keys.median)} ${ms(v.keys.p95)} ${ms(v.keys.max)}`);
  console.log(`keystroke  full        ${ms(f.keys.median)} ${ms(f.keys.p95)} ${ms(f.keys.max)}`);
  console.log(`sort       virtualized ${ms(v.sort.median)} ${ms(v.sort.p95)} ${ms(v.sort.max)}`);
  console.log(`sort       full        ${ms(f.sort.median)} ${ms(f.sort.p95)} ${ms(f.sort.max)}`);
  console.log(`ratio full / virtualized (median): keystroke ×${(f.keys.median / v.keys.median).toFixed(1)}, sort ×${(f.sort.median / v.sort.median).toFixed(1)}`);
  console.log(`budget: a keystroke should stay under one frame-ish 50 ms at p95 — virtualized ${v.keys.p95 <= 50 ? 'meets it' : 'MISSES it'}`);
} finally {
  await context?.close();
  await server?.close();
  rmSync(out, { recursive: true, force: true });
  rmSync(userDataDir, { recursive: true, force: true });
}
