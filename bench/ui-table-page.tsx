// The page bench/ui-table.bench.ts measures in Chromium: the renderer's real OrderTable (virtualized)
// against the same rows rendered in full, both fed by the real filter and sort code. A real module,
// so the type-checker notices when the renderer's exports change. Rows come from `?rows=N`.
import { createElement as h, useMemo } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { Category, DeskOrder } from '../shared/desk.ts';
import { createI18n } from '../renderer/src/i18n.ts';
import { OrderTable } from '../renderer/src/components/OrderTable.tsx';
import { OrderDeadline } from '../renderer/src/components/Countdown.tsx';
import { StatusBadge } from '../renderer/src/components/StatusBadge.tsx';
import { useUi } from '../renderer/src/stores/ui.ts';
import { applyFilters, sortOrders } from '../renderer/src/lib/order-view.ts';
import { failureReason } from '../renderer/src/lib/explain.ts';
import { formatDepDate, formatMoney } from '../renderer/src/lib/format.ts';
import '../renderer/src/styles.css';

const LAST = ['TAN', 'LIM', 'NGUYEN', 'SANTOS', 'WONG', 'CHEN', 'SUTANTO', 'GARCIA', 'KUMAR', 'LEE'];
const FIRST = ['WEI', 'MEI', 'ANH', 'JOSE', 'SITI', 'RAJ', 'LING', 'MARIA', 'ARIF', 'HUONG'];
const AIRLINES = ['5J', 'AK', 'VJ', 'TR', 'FD', 'QZ', 'JT'];
const CITIES = ['SIN', 'KUL', 'BKK', 'MNL', 'CGK', 'SGN', 'HAN', 'DPS'];
const CATS: Category[] = ['B', 'A', 'attention', 'ticketing'];
const CODES = ['604', '613', '616', '623', '633'];
let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function makeOrders(n: number): DeskOrder[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i): DeskOrder => {
    const category = CATS[i % CATS.length]!;
    const pax = 1 + Math.floor(rand() * 3);
    const deadline = new Date(now + (rand() * 48 - 4) * 3600e3).toISOString();
    const orderNo = 'TESTA2026' + String(100000000000 + i * 7919).slice(0, 13);
    const reason =
      category === 'B' ? 'airline_payment_rejected' : category === 'A' ? 'unpaid_payable' : category === 'ticketing' ? 'ticketing_in_progress' : 'outcome_unknown';
    return {
      orderNo,
      category,
      attentionReason: category === 'attention' ? 'outcome_unknown' : null,
      details: {
        orderNo,
        pnrCode: Math.floor(rand() * 2 ** 30).toString(36).toUpperCase().padStart(6, 'X'),
        orderStatus: category === 'B' ? 'cancelled' : category === 'ticketing' ? 'ticketing' : 'unpaid',
        ticketIssued: false,
        tktLimitTime: deadline,
        errorCode: category === 'B' ? pick(CODES) : null,
        errorMessage: null,
        airlineMessage: null,
        paymentMethod: null,
        paymentAttempted: category === 'A',
        paymentOptions: null,
        supportPaymentMethods: [1, 3],
        totalPrice: Math.round(rand() * 200000) / 100,
        currency: pick(['USD', 'CNY', 'EUR']),
        totalTransactionFee: 2,
        vendorTotalPrice: null,
        vendorCurrency: null,
        airlines: [pick(AIRLINES)],
        createdAt: null,
        paymentTimestamp: null,
        fromCity: pick(CITIES),
        toCity: pick(CITIES),
        fromAirport: null,
        toAirport: null,
        depDate: '2026-12-' + String(1 + (i % 28)).padStart(2, '0'),
        passengers: Array.from({ length: pax }, () => ({ name: pick(LAST) + '/' + pick(FIRST), passengerType: 0 as const, ticketNos: [], airlinePNRs: [] })),
      },
      plan: { action: 'regenerate_then_pay', methods: [], deadline, payOrderNo: null, reasons: [reason], warnings: [] },
      firstSeenAt: new Date(now).toISOString(),
      lastSyncedAt: new Date(now).toISOString(),
      markedFailed: category === 'A',
      regeneratedFrom: null,
      regeneratedInto: [],
      lastActor: null,
      notChargedCheck: null,
    };
  });
}

const COLUMNS = ['orderNo', 'pnr', 'route', 'departure', 'airline', 'passengers', 'amount'] as const;

/** Same cells and classes as OrderTable's rows, every row rendered, in normal flow. */
function FullTable({ rows }: { rows: DeskOrder[] }) {
  const { t, i18n } = useTranslation();
  const setSort = useUi((s) => s.setSort);
  const selected = useUi((s) => s.selected);
  const head = h(
    'div',
    { role: 'row', className: 'grid-row head' },
    h('div', { role: 'columnheader' }, h('input', { type: 'checkbox' })),
    ...COLUMNS.map((k) =>
      h('div', { key: k, role: 'columnheader' }, h('button', { type: 'button', className: 'sort', 'data-testid': 'sort-' + k, onClick: () => setSort(k) }, t('orders.col.' + k))),
    ),
    h('div', { role: 'columnheader' }, t('orders.col.reason')),
    h('div', { role: 'columnheader' }, h('button', { type: 'button', className: 'sort', 'data-testid': 'sort-deadline', onClick: () => setSort('deadline') }, t('orders.col.deadline'))),
    h('div', { role: 'columnheader' }, t('orders.col.status')),
  );
  const body = rows.map((o) => {
    const d = o.details;
    return h(
      'div',
      { key: o.orderNo, role: 'row', className: 'grid-row', style: { position: 'static', height: 44, borderBottom: '1px solid var(--border)' } },
      h('div', { role: 'gridcell' }, h('input', { type: 'checkbox', checked: selected.has(o.orderNo), onChange: () => undefined })),
      h('div', { role: 'gridcell', className: 'mono' }, o.orderNo),
      h('div', { role: 'gridcell', className: 'mono' }, d.pnrCode ?? '—'),
      h('div', { role: 'gridcell' }, `${d.fromCity} → ${d.toCity}`),
      h('div', { role: 'gridcell' }, formatDepDate(d.depDate, i18n.language)),
      h('div', { role: 'gridcell' }, d.airlines.join(', ')),
      h('div', { role: 'gridcell', className: 'num' }, d.passengers.length),
      h('div', { role: 'gridcell', className: 'num money' }, formatMoney(d.totalPrice, d.currency, i18n.language)),
      h('div', { role: 'gridcell', className: 'reason' }, d.errorCode && h('span', { className: 'code' }, d.errorCode), ' ', failureReason(i18n, o)),
      h('div', { role: 'gridcell' }, h(OrderDeadline, { order: o })),
      h('div', { role: 'gridcell' }, h(StatusBadge, { order: o })),
    );
  });
  return h('div', { role: 'grid', className: 'order-grid', 'data-testid': 'orders-table' }, head, h('div', { className: 'grid-scroll' }, body));
}

function Bench({ mode, orders }: { mode: 'virtual' | 'full'; orders: DeskOrder[] }) {
  const filters = useUi((s) => s.filters);
  const sort = useUi((s) => s.sort);
  const rows = useMemo(() => sortOrders(applyFilters(orders, filters), sort), [orders, filters, sort]);
  return h(
    'div',
    { className: 'app' },
    h(
      'main',
      { className: 'main' },
      h(
        'section',
        { className: 'orders-screen' },
        h('input', {
          type: 'search',
          className: 'search',
          'data-testid': 'search',
          value: filters.search,
          onChange: (e: { target: { value: string } }) => useUi.getState().setFilters({ search: e.target.value }),
        }),
        h(
          'div',
          { className: 'split' },
          h('div', { className: 'list-pane' }, h('span', { 'data-testid': 'row-count' }, rows.length), mode === 'virtual' ? h(OrderTable, { rows }) : h(FullTable, { rows })),
        ),
      ),
    ),
  );
}

const i18n = createI18n('en');
const orders = makeOrders(Number(new URLSearchParams(location.search).get('rows') ?? 10_000));
let root: Root | null = null;
const settle = () => document.body.offsetHeight;
const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;

function mount(mode: 'virtual' | 'full'): Promise<void> {
  root?.unmount();
  useUi.getState().reset();
  root = createRoot(document.getElementById('root')!);
  root.render(h(I18nextProvider, { i18n }, h(Bench, { mode, orders })));
  // Wait for the first commit by polling the DOM.
  return new Promise((resolve) => {
    const check = () => (document.querySelector('[data-testid=row-count]') ? resolve() : requestAnimationFrame(check));
    check();
  });
}

// React flushes discrete updates in a microtask, so wait for the next macrotask (MessageChannel:
// no timer clamping), then force style and layout.
const channel = new MessageChannel();
const nextTask = () =>
  new Promise<void>((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

async function timed(action: () => void): Promise<number> {
  const t0 = performance.now();
  action();
  await nextTask();
  settle();
  return performance.now() - t0;
}

export interface BenchResult {
  keys: number[];
  sortMs: number[];
  domRows: number;
  total: number;
}

(window as unknown as { __bench: (mode: 'virtual' | 'full', rounds: number, sorts: number) => Promise<BenchResult> }).__bench = async (mode, rounds, sorts) => {
  await mount(mode);
  settle();
  const input = document.querySelector<HTMLInputElement>('[data-testid=search]')!;
  const type = (text: string) => {
    setValue.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const query = 'lim/w';
  const keys: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 1; i <= query.length; i++) keys.push(await timed(() => type(query.slice(0, i))));
    for (let i = query.length - 1; i >= 0; i--) keys.push(await timed(() => type(query.slice(0, i))));
  }
  const sortMs: number[] = [];
  for (let i = 0; i < sorts; i++) {
    const id = i % 2 === 0 ? 'sort-amount' : 'sort-airline';
    await nextTask();
    sortMs.push(await timed(() => document.querySelector<HTMLButtonElement>(`[data-testid=${id}]`)!.click()));
  }
  const domRows = document.querySelectorAll('[role=row]').length - 1;
  return { keys, sortMs, domRows, total: orders.length };
};
