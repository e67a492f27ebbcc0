// An in-memory DeskApi for renderer component tests and for previewing the UI in a plain browser.
// Orders are realistic: built as Atlas would send them, planned and categorised by the real
// shared planner, so the UI sees the same plans it will see from the desk core.
import type { OrderDetails, Money, PaymentMethod, PaymentOption } from '../../shared/atlas.ts';
import { maskPan } from '../../shared/card.ts';
import { categoryOfPlan } from '../../shared/categorize.ts';
import { approvalProblem } from '../../shared/approval.ts';
import { SETTLED_JOB_STATES, type ApprovedAmounts, type DeskOrder, type Job, type JobState, type SyncStatus, type TimelineEvent } from '../../shared/desk.ts';
import { channels, splitChannel, type Channel, type DeskApi, type EnvironmentInfo, type IpcErrorCode, type IpcResult, type Push, type PushPayload, type QueueLeaseStatus, type RequestOf, type ResponseOf, type Settings, type UpdateStatus } from '../../shared/ipc.ts';
import { sumMoney } from '../../shared/money.ts';
import { cardChargeStarted, planRecovery } from '../../shared/planner.ts';
import { addDays, type ReportRange, type ReportSummary } from '../../shared/reports.ts';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

export interface OrderSeed {
  orderNo: string;
  status: OrderDetails['orderStatus'];
  errorCode?: string | null;
  airlines?: string[];
  from?: string;
  to?: string;
  depDate?: string;
  currency?: string;
  total?: number;
  pax?: string[];
  /** Hours from now to tktLimitTime (negative: passed). */
  deadlineInHours?: number | null;
  /** Hours ago the order was created. */
  createdHoursAgo?: number;
  methods?: (1 | 3)[];
  markedFailed?: boolean;
  paymentAttempted?: boolean | null;
  pnr?: string;
  regeneratedInto?: string[];
  regeneratedFrom?: string | null;
  unreconciled?: boolean;
}

function options(total: number, currency: string, methods: (1 | 3)[], vendor: Money): PaymentOption[] {
  return methods.map((m) =>
    m === 1
      ? { paymentMethod: 1, ticketFare: { amount: total, currency, deductFrom: 'DEPOSIT' }, serviceFee: { amount: 3, currency, deductFrom: 'DEPOSIT' }, paymentFee: null }
      : { paymentMethod: 3, ticketFare: { ...vendor, deductFrom: 'CARD' }, serviceFee: { amount: 3, currency, deductFrom: 'DEPOSIT' }, paymentFee: null },
  );
}

/** The same order after staff said its payment failed: re-planned with that evidence. */
function remarkFailed(order: DeskOrder, now: number, balances: Record<string, number>): DeskOrder {
  const plan = planRecovery(order.details, {
    now: iso(now),
    regeneratedInto: order.regeneratedInto,
    paymentFailureKnown: true,
    unreconciled: false,
    depositBalances: balances,
  });
  return { ...order, ...categoryOfPlan(plan), plan, markedFailed: true };
}

export function makeOrder(seed: OrderSeed, now: number, balances: Record<string, number> = {}): DeskOrder {
  const currency = seed.currency ?? 'USD';
  const total = seed.total ?? 420.5;
  const methods = seed.methods ?? [1, 3];
  const vendor = { amount: Math.round(total * 0.97 * 100) / 100, currency: currency === 'CNY' ? 'CNY' : 'USD' };
  const unpaid = seed.status === 'unpaid';
  const paidAt = seed.status === 'unpaid' ? null : iso(now - 2 * HOUR);
  const details: OrderDetails = {
    orderNo: seed.orderNo,
    pnrCode: seed.pnr ?? `P${seed.orderNo.slice(-5)}`,
    orderStatus: seed.status,
    ticketIssued: seed.status === 'ticketed',
    tktLimitTime: seed.deadlineInHours === null ? null : iso(now + (seed.deadlineInHours ?? 3) * HOUR),
    errorCode: seed.errorCode ?? null,
    errorMessage: seed.errorCode ? `ticket error ${seed.errorCode}` : null,
    airlineMessage: seed.errorCode === '604' ? 'DECLINED BY ISSUER' : null,
    paymentMethod: seed.status === 'unpaid' ? null : seed.errorCode === '617' ? 1 : 3,
    paymentAttempted: seed.paymentAttempted ?? null,
    paymentOptions: unpaid ? options(total, currency, methods, vendor) : null,
    supportPaymentMethods: methods as PaymentMethod[],
    totalPrice: total,
    currency,
    totalTransactionFee: 3,
    vendorTotalPrice: vendor.amount,
    vendorCurrency: vendor.currency,
    airlines: seed.airlines ?? ['NK'],
    createdAt: iso(now - (seed.createdHoursAgo ?? 4) * HOUR),
    paymentTimestamp: paidAt,
    fromCity: seed.from ?? 'SIN',
    toCity: seed.to ?? 'BKK',
    fromAirport: seed.from ?? 'SIN',
    toAirport: seed.to ?? 'BKK',
    depDate: seed.depDate ?? '2026-12-18',
    passengers: (seed.pax ?? ['TAN/WEI MING']).map((name) => ({ name, passengerType: 0, ticketNos: [], airlinePNRs: [] })),
  };
  const plan = planRecovery(details, {
    now: iso(now),
    regeneratedInto: seed.regeneratedInto ?? [],
    paymentFailureKnown: seed.markedFailed ?? false,
    unreconciled: seed.unreconciled ?? false,
    depositBalances: balances,
  });
  const { category, attentionReason } = categoryOfPlan(plan);
  return {
    orderNo: seed.orderNo,
    category,
    attentionReason,
    details,
    plan,
    firstSeenAt: iso(now - 3 * HOUR),
    lastSyncedAt: iso(now - 5 * 60_000),
    markedFailed: seed.markedFailed ?? false,
    regeneratedFrom: seed.regeneratedFrom ?? null,
    regeneratedInto: seed.regeneratedInto ?? [],
    lastActor: 'Mei Lin',
    notChargedCheck: null,
  };
}

/** Named orders the tests refer to, one per situation the UI must explain. */
export const SEEDS: OrderSeed[] = [
  { orderNo: 'TA2611260001', status: 'cancelled', errorCode: '604', airlines: ['NK'], from: 'LAX', to: 'LAS', currency: 'USD', total: 412.4, pax: ['SMITH/JOHN', 'SMITH/ANNA'], createdHoursAgo: 5 },
  { orderNo: 'TA2611260002', status: 'cancelled', errorCode: '633', airlines: ['TR'], from: 'SIN', to: 'NRT', currency: 'SGD', total: 780, pax: ['LIM/JIA HUI'], createdHoursAgo: 3 },
  { orderNo: 'TA2611260003', status: 'unpaid', markedFailed: true, airlines: ['AS'], from: 'SEA', to: 'SFO', currency: 'USD', total: 199.99, deadlineInHours: 1.5, pax: ['GARCIA/MARIA'] },
  { orderNo: 'TA2611260004', status: 'unpaid', markedFailed: true, airlines: ['H4'], from: 'CDG', to: 'PPT', currency: 'EUR', total: 1250, deadlineInHours: 0.3, pax: ['MARTIN/LUC'] , methods: [1] },
  { orderNo: 'TA2611260005', status: 'cancelled', errorCode: '608', airlines: ['VY'], from: 'BCN', to: 'LHR', currency: 'EUR', total: 96.3, pax: ['ROSSI/MARCO'] },
  { orderNo: 'TA2611260006', status: 'ticketing', airlines: ['5J'], from: 'MNL', to: 'HKG', currency: 'USD', total: 150, pax: ['REYES/ANA'] },
  { orderNo: 'TA2611260007', status: 'unpaid', airlines: ['NK'], from: 'MCO', to: 'BOS', currency: 'USD', total: 260, deadlineInHours: 6, pax: ['BROWN/LISA'] },
  { orderNo: 'TA2611260008', status: 'unpaid', airlines: ['MM'], from: 'KIX', to: 'TPE', currency: 'CNY', total: 1890, deadlineInHours: 20, pax: ['WANG/FANG', 'WANG/LEI'] },
  { orderNo: 'TA2611260009', status: 'cancelled', errorCode: '616', airlines: ['F9'], from: 'DEN', to: 'PHX', currency: 'USD', total: 88, pax: ['JONES/KATE'], methods: [3] },
  { orderNo: 'TA2611260010', status: 'cancelled', errorCode: '623', airlines: ['DY'], from: 'OSL', to: 'ARN', currency: 'EUR', total: 140.2, pax: ['HANSEN/ERIK'], regeneratedFrom: 'TA2611250099', createdHoursAgo: 23 },
  { orderNo: 'TA2611250099', status: 'cancelled', errorCode: '604', airlines: ['DY'], from: 'OSL', to: 'ARN', currency: 'EUR', total: 132.2, pax: ['HANSEN/ERIK'], regeneratedInto: ['TA2611260010'], createdHoursAgo: 26 },
  { orderNo: 'TA2611260011', status: 'unpaid', markedFailed: true, airlines: ['NK'], from: 'FLL', to: 'ATL', currency: 'USD', total: 175, deadlineInHours: -2, pax: ['DAVIS/TOM'] },
  // Atlas started a charge on a card and the order is still unpaid: staff check before any other payment.
  { orderNo: 'TA2611260012', status: 'unpaid', paymentAttempted: true, airlines: ['AK'], from: 'KUL', to: 'SIN', currency: 'USD', total: 152, deadlineInHours: 0.4, pax: ['TAN/MEI'] },
];

const CITIES = [['SIN', 'BKK'], ['HKG', 'TPE'], ['SYD', 'MEL'], ['LAX', 'SFO'], ['PVG', 'ICN'], ['KUL', 'DPS'], ['DXB', 'DOH'], ['AMS', 'BCN']];
const AIRLINES = ['NK', 'TR', 'AS', 'VY', '5J', 'DY', 'MM', 'JV', 'KM', 'G4'];
const CURRENCIES = ['USD', 'SGD', 'EUR', 'CNY', 'HKD'];
const NAMES = ['CHEN/XIAO', 'NGUYEN/AN', 'KIM/MIN JUN', 'PATEL/RAJ', 'MULLER/HANS', 'SATO/YUKI', 'LEE/SOO', 'ONG/KAI'];

/** Many plausible orders (deterministic) for scrolling, sorting and the benchmark. */
export function bulkSeeds(count: number): OrderSeed[] {
  const seeds: OrderSeed[] = [];
  for (let i = 0; i < count; i++) {
    const route = CITIES[i % CITIES.length] as string[];
    const kind = i % 5;
    seeds.push({
      orderNo: `TB26112${String(7000 + i).padStart(5, '0')}`,
      status: kind < 2 ? 'cancelled' : kind < 4 ? 'unpaid' : 'ticketing',
      errorCode: kind < 2 ? (['604', '613', '623', '633'][i % 4] as string) : null,
      markedFailed: kind === 2,
      airlines: [AIRLINES[i % AIRLINES.length] as string],
      from: route[0] as string,
      to: route[1] as string,
      depDate: `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`,
      currency: CURRENCIES[i % CURRENCIES.length] as string,
      total: Math.round((80 + ((i * 37) % 900)) * 100) / 100,
      deadlineInHours: 0.5 + ((i * 7) % 30),
      createdHoursAgo: 1 + (i % 20),
      pax: [NAMES[i % NAMES.length] as string],
    });
  }
  return seeds;
}

/** A report with something in every figure (three currencies, JPY without decimals), days counted back from `range.to`. */
export function sampleReport(range: ReportRange): ReportSummary {
  const day = (back: number) => addDays(range.to, -back);
  return {
    range,
    recoveredByDay: [
      { currency: 'CNY', day: day(4), orders: 1, amount: 2315.6 },
      { currency: 'JPY', day: day(2), orders: 2, amount: 148200 },
      { currency: 'USD', day: day(6), orders: 1, amount: 412.4 },
      { currency: 'USD', day: day(2), orders: 3, amount: 1088.75 },
      { currency: 'USD', day: day(0), orders: 1, amount: 199.99 },
    ],
    recovered: [
      { currency: 'CNY', orders: 1, amount: 2315.6 },
      { currency: 'JPY', orders: 2, amount: 148200 },
      { currency: 'USD', orders: 5, amount: 1701.14 },
    ],
    awaitingTicket: [{ currency: 'USD', orders: 1, amount: 150 }],
    failuresByAirline: [
      { airline: 'NK', a: 1, b: 3 },
      { airline: 'TR', a: 0, b: 2 },
      { airline: '5J', a: 2, b: 0 },
      { airline: 'DY', a: 0, b: 1 },
    ],
    failuresByCode: [
      { scenario: 'A', errorCode: null, orders: 3 },
      { scenario: 'B', errorCode: '604', orders: 3 },
      { scenario: 'B', errorCode: '633', orders: 2 },
      { scenario: 'B', errorCode: '623', orders: 1 },
    ],
    timeToTicket: { measured: 8, unmeasured: 0, medianMs: 25 * 60_000, p90Ms: 3 * HOUR + 10 * 60_000, buckets: [2, 2, 1, 1, 2, 0, 0, 0] },
  };
}

/** Nothing happened in the range. */
export function emptyReport(range: ReportRange): ReportSummary {
  return {
    range, recoveredByDay: [], recovered: [], awaitingTicket: [], failuresByAirline: [], failuresByCode: [],
    timeToTicket: { measured: 0, unmeasured: 0, medianMs: null, p90Ms: null, buckets: [0, 0, 0, 0, 0, 0, 0, 0] },
  };
}

export interface FakeDeskOptions {
  now?: number;
  seeds?: OrderSeed[];
  balances?: Record<string, number>;
  environment?: Partial<EnvironmentInfo>;
  settings?: Partial<Settings>;
  /** A downloaded app update (the "restart to update" banner); none by default. */
  update?: UpdateStatus;
  /** Another desk process holding the queue lease, from the start. */
  lease?: QueueLeaseStatus;
  /** Advance jobs and syncs on timers (browser preview); tests call advance() instead. */
  autoAdvance?: boolean;
  /** Jobs already waiting for a new approval: the order, and what Atlas asks now (its quote). */
  waitingApproval?: { orderNo: string; payOrderNo?: string; approved: ApprovedAmounts; quote: ApprovedAmounts; reason?: 'price_changed' | 'approval_expired' }[];
  /** What reports:summary answers for a range (default: sampleReport). */
  report?: (range: ReportRange) => ReportSummary;
}

type Handler = (request: never) => unknown;

export interface FakeDesk {
  api: DeskApi;
  orders: Map<string, DeskOrder>;
  timelines: Map<string, TimelineEvent[]>;
  jobs: Job[];
  balances: Record<string, number>;
  settings: Settings;
  env: EnvironmentInfo;
  update: UpdateStatus;
  /** What queue:lease answers (set it and emit queue:leaseChanged to show another desk working). */
  lease: QueueLeaseStatus;
  calls: { channel: Channel; request: unknown }[];
  /** The next call on `channel` answers with this error code. */
  failNext(channel: Channel, code: IpcErrorCode): void;
  emit<P extends Push>(push: P, payload: PushPayload<P>): void;
  listenerCount(push: Push): number;
  /** Moves every unsettled job one step along queued → running → tracking → done. */
  advance(): void;
}

const NEXT: Partial<Record<JobState, JobState>> = { queued: 'running', running: 'tracking', tracking: 'done', waiting_network: 'running' };

export function createFakeDesk(options: FakeDeskOptions = {}): FakeDesk {
  const now = options.now ?? Date.now();
  const balances: Record<string, number> = { USD: 5000, SGD: 600, EUR: 3000, CNY: 20000, HKD: 8000, ...options.balances };
  const orders = new Map<string, DeskOrder>();
  const timelines = new Map<string, TimelineEvent[]>();
  let eventId = 1;
  const addEvent = (orderNo: string, kind: TimelineEvent['kind'], data: Record<string, unknown> = {}, at = iso(now)) => {
    const list = timelines.get(orderNo) ?? [];
    list.push({ id: eventId++, orderNo, at, kind, actor: kind === 'seen' ? null : 'Mei Lin', osAccount: 'mlin', data });
    timelines.set(orderNo, list);
  };
  for (const seed of options.seeds ?? SEEDS) {
    const o = makeOrder(seed, now, balances);
    orders.set(o.orderNo, o);
    // Event data shaped like the desk core's (electron/core/sync.ts, queue.ts, recovery-steps.ts).
    addEvent(o.orderNo, 'seen', { orderStatus: o.details.errorCode ? 'unpaid' : o.details.orderStatus, errorCode: null, source: 'sync' }, iso(now - 3 * HOUR));
    if (o.details.errorCode) addEvent(o.orderNo, 'status_changed', { from: 'unpaid', fromErrorCode: null, to: o.details.orderStatus, errorCode: o.details.errorCode }, iso(now - HOUR));
    if (o.markedFailed) addEvent(o.orderNo, 'marked_failed', {}, iso(now - 2 * HOUR));
    for (const n of o.regeneratedInto) addEvent(o.orderNo, 'regenerated', { jobId: 'job-0', newOrderNo: n }, iso(now - 30 * 60_000));
    if (o.regeneratedFrom) addEvent(o.orderNo, 'marked_failed', { reason: 'regenerated_by_desk', from: o.regeneratedFrom }, iso(now - 29 * 60_000));
  }

  const settings: Settings = {
    environment: 'training',
    sandboxBaseUrl: 'https://sandbox.atriptech.com',
    productionBaseUrl: 'https://api.atriptech.com',
    productionSearchBaseUrl: 'https://search.atriptech.com',
    staffName: 'Mei Lin',
    language: null,
    queueConcurrency: 4,
    syncIntervalMinutes: 5,
    priceTolerancePercent: 0,
    webhook: { enabled: false, host: '127.0.0.1', port: 8787 },
    atlasProxy: { enabled: false, url: '' },
    webhookPublicUrl: '',
    startAtLogin: false,
    ...options.settings,
  };
  const update: UpdateStatus = { state: 'none', version: null, ...options.update };
  let webhookToken = '3f9c1e7a';
  const webhookStatus = () => ({
    enabled: settings.webhook.enabled,
    url: settings.webhook.enabled ? `http://${settings.webhook.host}:${settings.webhook.port}/webhook/${webhookToken}` : null,
    publicUrl: settings.webhook.enabled && settings.webhookPublicUrl ? `${settings.webhookPublicUrl.replace(/\/$/, '')}/webhook/${webhookToken}` : null,
    error: null,
  });
  const env: EnvironmentInfo = {
    environment: 'training', training: true, online: true, credentialsConfigured: true, credentialsNeedReentry: false,
    secretStorage: 'encrypted', settingsRecovered: false, databaseRecoveredFrom: null, windowRecovered: null, appVersion: '0.1.0', ...options.environment,
  };
  let sync: SyncStatus = { running: false, lastSyncAt: iso(now - 5 * 60_000), done: 0, total: 0, error: null };
  const jobs: Job[] = [];
  let jobSeq = 1;
  const calls: FakeDesk['calls'] = [];
  const failures = new Map<Channel, IpcErrorCode>();
  const listeners = new Map<Push, Set<(payload: unknown) => void>>();

  const emit = <P extends Push>(push: P, payload: PushPayload<P>) => {
    for (const l of listeners.get(push) ?? []) l(payload);
  };
  const pushJobs = () => emit('queue:changed', jobs.map((j) => ({ ...j })));

  const approval = (approved: ApprovedAmounts) => ({ ...approved, at: iso(now), by: settings.staffName, expiresAt: iso(now + HOUR) });
  const newJob = (orderNo: string, method: 1 | 3, cardMask: string | null, approved: ApprovedAmounts): Job => {
    const job: Job = {
      id: `job-${jobSeq++}`, orderNo, currentOrderNo: orderNo, method, cardMask, state: env.online ? 'queued' : 'waiting_network',
      outcome: null, reason: null, attempts: 0, createdAt: iso(now), updatedAt: iso(now), actor: settings.staffName,
      approval: approval(approved), quote: null,
    };
    jobs.push(job);
    addEvent(orderNo, 'intent', { jobId: job.id, paymentMethod: method, card: cardMask, approved });
    return job;
  };
  for (const w of options.waitingApproval ?? []) {
    const job = newJob(w.orderNo, 1, null, w.approved);
    const payOrderNo = w.payOrderNo ?? w.orderNo;
    Object.assign(job, { state: 'needs_approval', reason: w.reason ?? 'price_changed', currentOrderNo: payOrderNo, quote: { ...w.quote, orderNo: payOrderNo, at: iso(now) } });
    const changes = job.reason === 'price_changed' ? { changes: [{ source: 'deposit', approved: w.approved.dueFromDeposit, due: w.quote.dueFromDeposit }] } : {};
    addEvent(payOrderNo, 'note', { jobId: job.id, reason: job.reason, before: 'pay', ...changes });
  }
  const unsettledOf = (orderNo: string) => jobs.find((j) => !SETTLED_JOB_STATES.includes(j.state) && (j.orderNo === orderNo || j.currentOrderNo === orderNo));

  const advance = () => {
    for (const j of jobs) {
      const next = NEXT[j.state];
      if (!next) continue;
      j.state = next;
      j.attempts += next === 'running' ? 1 : 0;
      j.updatedAt = new Date().toISOString();
      if (next === 'done') j.outcome = 'ticketed';
    }
    pushJobs();
  };

  const plannable = (o: DeskOrder) => o.plan.action === 'pay_same_order' || o.plan.action === 'regenerate_then_pay';

  const lease: QueueLeaseStatus = options.lease ?? { runsHere: true, elsewhere: null };

  const handlers: { [C in Channel]: (request: RequestOf<C>) => ResponseOf<C> | { error: IpcErrorCode; reason?: string } } = {
    'env:get': () => env,
    'env:diagnostics': () => ({ text: `Atlas Retry Desk diagnostics\nVersion: ${env.appVersion}\nQueue: ${jobs.length} jobs` }),
    'orders:list': ({ scope }) =>
      [...orders.values()].filter((o) =>
        scope === 'all' ? true : scope === 'unpaid' ? o.category === 'unpaid' : ['B', 'A', 'attention', 'ticketing'].includes(o.category),
      ),
    'orders:show': ({ orderNo }) => {
      const order = orders.get(orderNo);
      return order ? { order, timeline: timelines.get(orderNo) ?? [] } : { error: 'not_found' };
    },
    'orders:add': ({ orderNos, markFailed }) => {
      const added: string[] = [];
      const notFound: string[] = [];
      const invalid: string[] = [];
      for (const raw of orderNos) {
        const no = raw.trim().toUpperCase();
        if (!/^[A-Z0-9]{6,40}$/.test(no)) invalid.push(raw);
        else if (!no.startsWith('TA') && !orders.has(no)) notFound.push(no);
        else {
          const o = makeOrder({ orderNo: no, status: 'unpaid', markedFailed: markFailed, deadlineInHours: 5 }, now, balances);
          const known = orders.get(no);
          // Staff's word re-plans a known order with the failure as evidence, like the core does.
          orders.set(no, known && markFailed && !known.markedFailed ? remarkFailed(known, now, balances) : (known ?? o));
          addEvent(no, markFailed ? 'marked_failed' : 'seen');
          added.push(no);
        }
      }
      if (added.length) emit('orders:changed', { orderNos: added });
      return { added, notFound, invalid };
    },
    'orders:confirmNotCharged': ({ orderNo }) => {
      const o = orders.get(orderNo);
      if (!o) return { error: 'not_found' as const };
      if (!cardChargeStarted(o.details)) return { error: 'conflict' as const, reason: 'nothing_to_confirm' };
      const checked = { ...o, notChargedCheck: { at: iso(now), by: settings.staffName } };
      orders.set(orderNo, checked);
      addEvent(orderNo, 'card_not_charged');
      emit('orders:changed', { orderNos: [orderNo] });
      return checked;
    },
    'orders:acknowledge': ({ orderNo }) => {
      const o = orders.get(orderNo);
      if (!o || o.attentionReason !== 'outcome_unknown') return { error: 'conflict' as const };
      const checked = remarkFailed(o, now, balances);
      orders.set(orderNo, checked);
      addEvent(orderNo, 'reconciled');
      emit('orders:changed', { orderNos: [orderNo] });
      return checked;
    },
        'orders:sync': () => {
      sync = { ...sync, running: true, done: 0, total: 40, error: null };
      emit('sync:changed', sync);
      if (options.autoAdvance) {
        const step = () => {
          sync = { ...sync, done: Math.min(sync.total, sync.done + 8) };
          if (sync.done >= sync.total) sync = { ...sync, running: false, lastSyncAt: new Date().toISOString() };
          emit('sync:changed', sync);
          if (sync.running) setTimeout(step, 300);
        };
        setTimeout(step, 300);
      }
      return sync;
    },
    'sync:status': () => sync,
    'recovery:plan': ({ orderNo }) => {
      const o = orders.get(orderNo);
      if (!o) return { error: 'not_found' };
      return { plan: o.plan, balances: Object.entries(balances).map(([currency, amount]) => ({ currency, amount })) };
    },
    'recovery:previewDeposit': ({ orderNos }) => {
      const eligible: string[] = [];
      const ineligible: { orderNo: string; reason: string }[] = [];
      const due: (Money & { orderNo: string })[] = [];
      for (const no of orderNos) {
        const o = orders.get(no);
        const offer = o?.plan.methods.find((m) => m.paymentMethod === 1)?.dueFromDeposit;
        if (!o) ineligible.push({ orderNo: no, reason: 'not_found' });
        else if (o.category === 'unpaid') ineligible.push({ orderNo: no, reason: 'not_marked_failed' });
        else if (!plannable(o)) ineligible.push({ orderNo: no, reason: o.plan.reasons[0] ?? 'no_supported_method' });
        else if (!offer) ineligible.push({ orderNo: no, reason: 'deposit_not_supported' });
        else {
          eligible.push(no);
          due.push({ ...offer, orderNo: no });
        }
      }
      const totals = (sumMoney(due) ?? []).map((m) => ({
        currency: m.currency, due: m.amount, balance: balances[m.currency] ?? null, orders: due.filter((d) => d.currency === m.currency).length,
      }));
      return { totals, eligible, ineligible, dues: due.map(({ orderNo, ...dueFromDeposit }) => ({ orderNo, dueFromDeposit })) };
    },
    'recovery:deposit': ({ orderNos, approvals }) => {
      const created: Job[] = [];
      const rejected: { orderNo: string; reason: string }[] = [];
      for (const no of orderNos) {
        const o = orders.get(no);
        const approved = approvals.find((a) => a.orderNo === no);
        if (!o || !plannable(o) || o.category === 'unpaid') rejected.push({ orderNo: no, reason: o?.plan.reasons[0] ?? 'not_found' });
        else if (!approved) rejected.push({ orderNo: no, reason: 'approval_missing' });
        else created.push(newJob(no, 1, null, { dueFromDeposit: approved.dueFromDeposit, dueFromCard: null }));
      }
      pushJobs();
      return { jobs: created.map((j) => ({ ...j })), rejected };
    },
    'recovery:card': ({ orderNo, card, approved, replaceJobId }) => {
      if (!orders.has(orderNo)) return { error: 'not_found' };
      const existing = unsettledOf(orderNo);
      if (existing && existing.id !== replaceJobId) return { error: 'conflict', reason: 'already_queued' };
      if (existing) {
        existing.state = 'cancelled';
        existing.reason = 'replaced_by_card';
      }
      const job = newJob(orderNo, 3, maskPan(card.cardNumber), approved);
      pushJobs();
      return { ...job };
    },
    'recovery:approve': ({ approvals }) => {
      const approvedJobs: Job[] = [];
      const rejected: { jobId: string; reason: string }[] = [];
      for (const { jobId, ...amounts } of approvals) {
        const job = jobs.find((j) => j.id === jobId);
        const problem = !job ? 'not_found' : job.state !== 'needs_approval' || !job.quote ? 'not_waiting_approval' : approvalProblem(job.quote, amounts);
        if (problem || !job) {
          rejected.push({ jobId, reason: problem ?? 'not_found' });
          continue;
        }
        Object.assign(job, { state: 'queued', reason: null, quote: null, approval: approval(amounts) });
        addEvent(job.currentOrderNo, 'approved', { jobId, approved: amounts });
        approvedJobs.push({ ...job });
      }
      pushJobs();
      return { jobs: approvedJobs, rejected };
    },
    'queue:list': () => jobs.map((j) => ({ ...j })),
    'queue:lease': () => lease,
    'queue:cancel': ({ jobId }) => {
      const job = jobs.find((j) => j.id === jobId);
      if (!job) return { error: 'not_found' };
      if (!['queued', 'waiting_network', 'needs_card', 'needs_approval'].includes(job.state)) return { error: 'conflict' };
      job.state = 'cancelled';
      job.reason = 'cancelled_by_staff';
      addEvent(job.orderNo, 'job_cancelled', { jobId });
      pushJobs();
      return { ...job };
    },
    'queue:provideCard': ({ jobId, card }) => {
      const job = jobs.find((j) => j.id === jobId);
      if (!job) return { error: 'not_found' };
      if (job.state !== 'needs_card') return { error: 'conflict' };
      job.state = 'queued';
      job.cardMask = maskPan(card.cardNumber);
      pushJobs();
      return { ...job };
    },
    'team:status': () => ({ enabled: false, connected: false, server: null, holds: [] }),
    'webhook:status': () => webhookStatus(),
    'webhook:rotateToken': () => {
      webhookToken = `${webhookToken}9`;
      return webhookStatus();
    },
    'balance:get': ({ currencies }) => currencies.filter((c) => c in balances).map((currency) => ({ currency, amount: balances[currency] as number })),
    'history:query': ({ search, since, until, limit }) => {
      const q = search?.toLowerCase() ?? '';
      return [...orders.values()]
        .map((order) => ({ order, lastEventAt: (timelines.get(order.orderNo) ?? []).map((e) => e.at).sort().at(-1) ?? order.lastSyncedAt, lastOsAccount: 'mlin' }))
        .filter((e) => !q || e.order.orderNo.toLowerCase().includes(q) || (e.order.details.pnrCode ?? '').toLowerCase().includes(q) || e.order.details.passengers.some((p) => p.name.toLowerCase().includes(q)))
        .filter((e) => (!since || e.lastEventAt >= since) && (!until || e.lastEventAt < until))
        .sort((a, b) => b.lastEventAt.localeCompare(a.lastEventAt))
        .slice(0, limit ?? 1000);
    },
    'history:export': () => ({ saved: true, path: '/home/staff/Documents/atlas-history.csv', rows: orders.size }),
    'reports:summary': (range) => (options.report ?? sampleReport)(range),
    'reports:export': (range) => ({ saved: true, path: `/home/staff/Documents/atlas-retry-desk-report-${range.from}-to-${range.to}.csv`, rows: 24 }),
    'settings:get': () => ({ ...settings }),
    'settings:update': (patch) => {
      Object.assign(settings, patch);
      return { ...settings };
    },
    'settings:webhookAddresses': () => [
      { address: '127.0.0.1', family: 'IPv4' as const, interface: 'loopback', loopback: true },
      { address: '::1', family: 'IPv6' as const, interface: 'loopback', loopback: true },
      { address: '192.168.1.20', family: 'IPv4' as const, interface: 'Ethernet', loopback: false },
    ],
    'credentials:set': () => {
      env.credentialsConfigured = true;
      return { ...env };
    },
    'credentials:test': () => ({ result: 'ok' as const }),
    'credentials:clear': () => {
      env.credentialsConfigured = false;
      return { ...env };
    },
    'update:status': () => ({ ...update }),
    'update:restart': () => {
      // Like main: waits while a job talks to Atlas, restarts when none does.
      if (update.state === 'none') return { ...update };
      update.state = jobs.some((j) => ['queued', 'running', 'reconciling', 'tracking'].includes(j.state)) ? 'waiting' : 'restarting';
      emit('update:changed', { ...update });
      return { ...update };
    },
    'credentials:setTeamDatabase': () => {
      env.teamDatabase = { configured: true, server: '127.0.0.1:5432/team', storage: 'encrypted' };
      return { ...env };
    },
    'credentials:testTeamDatabase': () => ({ result: 'ok' as const }),
    'credentials:clearTeamDatabase': () => {
      env.teamDatabase = { configured: false, server: null, storage: 'none' };
      return { ...env };
    },
  };

  const invoke = async (channel: Channel, request: unknown): Promise<IpcResult<unknown>> => {
    try {
      return await invokeUnsafe(channel, request);
    } catch (e) {
      // Like main's envelope: a bug in a handler is `internal`, never a rejected promise.
      console.error(`fake desk ${channel}:`, e);
      return { ok: false, error: { code: 'internal', message: String(e) } };
    }
  };
  const invokeUnsafe = async (channel: Channel, request: unknown): Promise<IpcResult<unknown>> => {
    calls.push({ channel, request });
    // Like the real boundary: the request must pass the contract's schema.
    const parsed = channels[channel].request.safeParse(request);
    if (!parsed.success) return { ok: false, error: { code: 'invalid_request', message: parsed.error.message } };
    const failure = failures.get(channel);
    if (failure) {
      failures.delete(channel);
      return { ok: false, error: { code: failure, message: `fake ${failure}` } };
    }
    const out = (handlers[channel] as Handler)(parsed.data as never);
    if (out && typeof out === 'object' && 'error' in out && Object.keys(out).every((k) => k === 'error' || k === 'reason')) {
      const { error, reason } = out as { error: IpcErrorCode; reason?: string };
      return { ok: false, error: { code: error, message: 'fake', ...(reason ? { reason } : {}) } };
    }
    // structuredClone: like contextBridge, the renderer never shares objects with "main".
    return { ok: true, value: structuredClone(out) };
  };

  const api: Record<string, unknown> = {
    on(push: Push, listener: (payload: unknown) => void) {
      const set = listeners.get(push) ?? new Set();
      set.add(listener);
      listeners.set(push, set);
      return () => set.delete(listener);
    },
  };
  for (const channel of Object.keys(channels) as Channel[]) {
    const [domain, verb] = splitChannel(channel);
    const target = (api[domain] ??= {}) as Record<string, unknown>;
    target[verb] = (request: unknown) => invoke(channel, request);
  }

  if (options.autoAdvance) setInterval(() => jobs.some((j) => NEXT[j.state]) && advance(), 1500);

  return {
    api: api as unknown as DeskApi,
    orders, timelines, jobs, balances, settings, env, update, lease, calls,
    failNext: (channel, code) => failures.set(channel, code),
    emit,
    listenerCount: (push) => listeners.get(push)?.size ?? 0,
    advance,
  };
}
