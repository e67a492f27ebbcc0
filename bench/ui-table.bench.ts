// UI table benchmark: filtering (time per keystroke in the search box) and sorting (time per
// header click) over 10,000 orders in Chromium, with the app's virtualized OrderTable against the
// same rows rendered without virtualization, measured in the same run and printed as a ratio.
// Run: node bench/ui-table.bench.ts [rows]      (not part of the test run)
//
// The renderer has no switch to turn virtualization off, so this file builds a bench-only page
// (vite, production React) from a virtual entry: it mounts the REAL OrderTable, filter and sort
// code (renderer/src), and beside it a "full" table that renders every row with the same cell
// markup and CSS classes, in normal flow. Each timing is event dispatch → React commit → forced
// style and layout (reading offsetHeight), so it does not depend on the frame clock.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build, type Plugin } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS, serveStatic } from '../test/e2e/harness.ts';

const ROWS = Number(process.argv[2] ?? 10_000);
const ROUNDS = 3; // each round types "lim/w" one key at a time, then deletes it key by key
const SORTS = 6;
const FULL_ROUNDS = 1;
const FULL_SORTS = 2;
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const src = (p: string) => JSON.stringify(path.join(ROOT, 'renderer/src', p));
const ENTRY = 'virtual:ui-table-bench';

// Page code: plain JS (createElement), importing the renderer's own modules by absolute path.
const entryCode = `
import { createElement as h, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { createI18n } from ${src('i18n.ts')};
import { OrderTable } from ${src('components/OrderTable.tsx')};
import { Countdown } from ${src('components/Countdown.tsx')};
import { StatusBadge } from ${src('components/StatusBadge.tsx')};
import { useUi } from ${src('stores/ui.ts')};
import { applyFilters, sortOrders, deadlineOf } from ${src('lib/order-view.ts')};
import { failureReason } from ${src('lib/explain.ts')};
import { formatDepDate, formatMoney } from ${src('lib/format.ts')};
import ${src('styles.css')};

const LAST = ['TAN', 'LIM', 'NGUYEN', 'SANTOS', 'WONG', 'CHEN', 'SUTANTO', 'GARCIA', 'KUMAR', 'LEE'];
const FIRST = ['WEI', 'MEI', 'ANH', 'JOSE', 'SITI', 'RAJ', 'LING', 'MARIA', 'ARIF', 'HUONG'];
const AIRLINES = ['5J', 'AK', 'VJ', 'TR', 'FD', 'QZ', 'JT'];
const CITIES = ['SIN', 'KUL', 'BKK', 'MNL', 'CGK', 'SGN', 'HAN', 'DPS'];
const CATS = ['B', 'A', 'attention', 'ticketing'];
const CODES = ['604', '613', '616', '623', '633'];
let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

function makeOrders(n) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const category = CATS[i % CATS.length];
    const pax = 1 + Math.floor(rand() * 3);
    const deadline = new Date(now + (rand() * 48 - 4) * 3600e3).toISOString();
    const orderNo = 'TESTA2026' + String(100000000000 + i * 7919).slice(0, 13);
    return {
      orderNo, category, attentionReason: category === 'attention' ? 'outcome_unknown' : null,
      details: {
        orderNo, pnrCode: Math.floor(rand() * 2 ** 30).toString(36).toUpperCase().padStart(6, 'X'),
        orderStatus: category === 'B' ? '-3' : category === 'ticketing' ? '1' : '0', ticketIssued: false,
        tktLimitTime: deadline, errorCode: category === 'B' ? pick(CODES) : null, errorMessage: null, airlineMessage: null,
        paymentMethod: null, paymentAttempted: category === 'A', paymentOptions: null, supportPaymentMethods: [1, 3],
        totalPrice: Math.round(rand() * 200000) / 100, currency: pick(['USD', 'CNY', 'EUR']), totalTransactionFee: 2,
        vendorTotalPrice: null, vendorCurrency: null, airlines: [pick(AIRLINES)], createdAt: null, paymentTimestamp: null,
        fromCity: pick(CITIES), toCity: pick(CITIES), depDate: '2026-12-' + String(1 + (i % 28)).padStart(2, '0'),
        passengers: Array.from({ length: pax }, () => ({ name: pick(LAST) + '/' + pick(FIRST), passengerType: 0, ticketNos: [], airlinePNRs: [] })),
      },
      plan: { action: 'regenerate_then_pay', methods: [], deadline, payOrderNo: null,
        reasons: [category === 'B' ? 'airline_payment_rejected' : category === 'A' ? 'unpaid_payable' : category === 'ticketing' ? 'ticketing_in_progress' : 'outcome_unknown'], warnings: [] },
      firstSeenAt: new Date(now).toISOString(), lastSyncedAt: new Date(now).toISOString(),
      markedFailed: category === 'A', regeneratedFrom: null, regeneratedInto: [], lastActor: null,
    };
  });
}

const COLUMNS = ['orderNo', 'pnr', 'route', 'departure', 'airline', 'passengers', 'amount'];

// Same cells and classes as OrderTable's rows, every row rendered, in normal flow.
function FullTable({ rows }) {
  const { t, i18n } = useTranslation();
  const setSort = useUi((s) => s.setSort);
  const selected = useUi((s) => s.selected);
  const head = h('div', { role: 'row', className: 'grid-row head' },
    h('div', { role: 'columnheader' }, h('input', { type: 'checkbox' })),
    ...COLUMNS.map((k) => h('div', { key: k, role: 'columnheader' }, h('button', { type: 'button', className: 'sort', 'data-testid': 'sort-' + k, onClick: () => setSort(k) }, t('orders.col.' + k)))),
    h('div', { role: 'columnheader' }, t('orders.col.reason')),
    h('div', { role: 'columnheader' }, h('button', { type: 'button', className: 'sort', 'data-testid': 'sort-deadline', onClick: () => setSort('deadline') }, t('orders.col.deadline'))),
    h('div', { role: 'columnheader' }, t('orders.col.status')));
  const body = rows.map((o) => {
    const d = o.details;
    return h('div', { key: o.orderNo, role: 'row', className: 'grid-row', style: { position: 'static', height: 44, borderBottom: '1px solid var(--border)' } },
      h('div', { role: 'gridcell' }, h('input', { type: 'checkbox', checked: selected.has(o.orderNo), onChange: () => undefined })),
      h('div', { role: 'gridcell', className: 'mono' }, o.orderNo),
      h('div', { role: 'gridcell', className: 'mono' }, d.pnrCode ?? '—'),
      h('div', { role: 'gridcell' }, d.fromCity + ' → ' + d.toCity),
      h('div', { role: 'gridcell' }, formatDepDate(d.depDate, i18n.language)),
      h('div', { role: 'gridcell' }, d.airlines.join(', ')),
      h('div', { role: 'gridcell', className: 'num' }, d.passengers.length),
      h('div', { role: 'gridcell', className: 'num money' }, formatMoney(d.totalPrice, d.currency, i18n.language)),
      h('div', { role: 'gridcell', className: 'reason' }, d.errorCode && h('span', { className: 'code' }, d.errorCode), ' ', failureReason(i18n, o)),
      h('div', { role: 'gridcell' }, h(Countdown, { deadline: deadlineOf(o) })),
      h('div', { role: 'gridcell' }, h(StatusBadge, { order: o })));
  });
  return h('div', { role: 'grid', className: 'order-grid', 'data-testid': 'orders-table' }, head, h('div', { className: 'grid-scroll' }, body));
}

function Bench({ mode, orders }) {
  const filters = useUi((s) => s.filters);
  const sort = useUi((s) => s.sort);
  const rows = useMemo(() => sortOrders(applyFilters(orders, filters), sort), [orders, filters, sort]);
  return h('div', { className: 'app' }, h('main', { className: 'main' },
    h('section', { className: 'orders-screen' },
      h('input', { type: 'search', className: 'search', 'data-testid': 'search', value: filters.search, onChange: (e) => useUi.getState().setFilters({ search: e.target.value }) }),
      h('div', { className: 'split' }, h('div', { className: 'list-pane' },
        h('span', { 'data-testid': 'row-count' }, rows.length),
        mode === 'virtual' ? h(OrderTable, { rows }) : h(FullTable, { rows }))))));
}

const i18n = createI18n('en');
const orders = makeOrders(${ROWS});
let root = null;
const settle = () => document.body.offsetHeight;
const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;

function mount(mode) {
  if (root) root.unmount();
  useUi.getState().reset();
  const el = document.getElementById('root');
  root = createRoot(el);
  // flushSync-free: wait for the first commit by polling the DOM.
  root.render(h(I18nextProvider, { i18n }, h(Bench, { mode, orders })));
  return new Promise((resolve) => {
    const check = () => (document.querySelector('[data-testid=row-count]') ? resolve() : requestAnimationFrame(check));
    check();
  });
}

// React flushes discrete updates in a microtask, so wait for the next macrotask (MessageChannel:
// no timer clamping), then force style and layout.
const channel = new MessageChannel();
const nextTask = () => new Promise((resolve) => { channel.port1.onmessage = () => resolve(); channel.port2.postMessage(0); });
async function timed(action) {
  const t0 = performance.now();
  action();
  await nextTask();
  settle();
  return performance.now() - t0;
}

window.__bench = async (mode, rounds, sorts) => {
  await mount(mode);
  settle();
  const input = document.querySelector('[data-testid=search]');
  const query = 'lim/w';
  const keys = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 1; i <= query.length; i++) keys.push(await timed(() => { setter.call(input, query.slice(0, i)); input.dispatchEvent(new Event('input', { bubbles: true })); }));
    for (let i = query.length - 1; i >= 0; i--) keys.push(await timed(() => { setter.call(input, query.slice(0, i)); input.dispatchEvent(new Event('input', { bubbles: true })); }));
  }
  const sortMs = [];
  for (let i = 0; i < sorts; i++) {
    const id = i % 2 === 0 ? 'sort-amount' : 'sort-airline';
    await nextTask();
    sortMs.push(await timed(() => document.querySelector('[data-testid=' + id + ']').click()));
  }
  const domRows = document.querySelectorAll('[role=row]').length - 1;
  return { keys, sortMs, domRows, total: orders.length };
};
`;

function entryPlugin(): Plugin {
  return {
    name: 'ui-table-bench-entry',
    resolveId: (id) => (id === ENTRY ? `\0${ENTRY}` : null),
    load: (id) => (id === `\0${ENTRY}` ? entryCode : null),
  };
}

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
    plugins: [react(), entryPlugin()],
    build: {
      outDir: out,
      emptyOutDir: true,
      modulePreload: { polyfill: false },
      rolldownOptions: { input: { bench: ENTRY }, output: { entryFileNames: 'bench.js', assetFileNames: '[name][extname]' } },
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
  await page.goto(`${server.origin}/index.html`);
  await page.waitForFunction(() => typeof (window as unknown as { __bench?: unknown }).__bench === 'function');

  type Result = { keys: number[]; sortMs: number[]; domRows: number; total: number };
  const run = (mode: 'virtual' | 'full', rounds: number, sorts: number) =>
    page.evaluate(([m, r, s]) => (window as unknown as { __bench(m: string, r: number, s: number): Promise<Result> }).__bench(m, r, s), [mode, rounds, sorts] as const);
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
