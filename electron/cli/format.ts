// What the CLI prints. The `--json` shapes are a public interface, documented in the top-level README:
// add fields if needed, never rename or remove one.
import type { ApprovedAmounts, DeskOrder, Job, SyncStatus, TimelineEvent } from '../../shared/desk.ts';
import type { HistoryEntry } from '../../shared/ipc.ts';
import { displayDigits } from '../../shared/money.ts';
import type { MethodOffer, Plan } from '../../shared/plan.ts';
import { shortTime, table } from './table.ts';

export type Scenario = 'A' | 'B' | 'attention' | 'ticketing' | 'unpaid';

export interface PlanJson {
  action: Plan['action'];
  methods: MethodOffer[];
  reasons: Plan['reasons'];
  warnings: Plan['warnings'];
  deadline: string | null;
}

export interface FailedJson {
  orderNo: string;
  scenario: Scenario;
  attentionReason: DeskOrder['attentionReason'];
  orderStatus: DeskOrder['details']['orderStatus'];
  errorCode: string | null;
  pnrCode: string | null;
  totalPrice: number;
  currency: string;
  paymentDeadline: string | null;
  markedFailed: boolean;
  regeneratedFrom: string | null;
  regeneratedInto: string[];
  plan: PlanJson;
}

/** Outcomes of `recover`: the job's outcome, or why no job ran. */
export type RecoverOutcome =
  | 'ticketed'
  | 'paid_pending_ticket'
  | 'cancelled_again'
  | 'not_recovered'
  | 'rejected' // the desk refused before any job (reason says why)
  | 'pending'; // still running when --timeout ran out; the job stays queued

export interface HistoryJson {
  orderNo: string;
  lastEventAt: string;
  category: DeskOrder['category'];
  orderStatus: DeskOrder['details']['orderStatus'];
  errorCode: string | null;
  plan: PlanJson;
  lastActor: DeskOrder['lastActor'];
  regeneratedFrom: string | null;
  regeneratedInto: string[];
  /** OS account of the latest event. */
  lastOsAccount: string | null;
}

export interface RecoverJson {
  orderNo: string;
  outcome: RecoverOutcome;
  /** The order that was paid or last worked on (differs after regeneration). */
  finalOrderNo: string;
  reason: string | null;
  jobId: string | null;
  state: Job['state'] | null;
  /** What the CLI approved for the order and sent with the intent (null when it approved nothing). */
  approved?: ApprovedAmounts | null;
  /** Why it was refused, in English, when that says more than the reason code (e.g. which job). */
  detail?: string;
}

/** `approve`: the result of a job that waited for a new approval, with the amounts before and now. */
export interface ApproveJson extends RecoverJson {
  previous: ApprovedAmounts | null;
  approved: ApprovedAmounts | null;
}

export const RECOVERED: readonly RecoverOutcome[] = ['ticketed', 'paid_pending_ticket'];

export function planJson(plan: Plan): PlanJson {
  return { action: plan.action, methods: plan.methods, reasons: plan.reasons, warnings: plan.warnings, deadline: plan.deadline };
}

export function failedJson(order: DeskOrder): FailedJson {
  const d = order.details;
  return {
    orderNo: order.orderNo,
    scenario: order.category as Scenario,
    attentionReason: order.attentionReason,
    orderStatus: d.orderStatus,
    errorCode: d.errorCode,
    pnrCode: d.pnrCode,
    totalPrice: d.totalPrice,
    currency: d.currency,
    paymentDeadline: d.tktLimitTime,
    markedFailed: order.markedFailed,
    regeneratedFrom: order.regeneratedFrom,
    regeneratedInto: order.regeneratedInto,
    plan: planJson(order.plan),
  };
}

export function historyJson(entry: HistoryEntry): HistoryJson {
  const o = entry.order;
  return {
    orderNo: o.orderNo,
    lastEventAt: entry.lastEventAt,
    category: o.category,
    orderStatus: o.details.orderStatus,
    errorCode: o.details.errorCode,
    plan: planJson(o.plan),
    lastActor: o.lastActor,
    regeneratedFrom: o.regeneratedFrom,
    regeneratedInto: o.regeneratedInto,
    lastOsAccount: entry.lastOsAccount,
  };
}

export function recoverJson(
  orderNo: string,
  job: Job | null,
  fallback: { outcome: RecoverOutcome; reason: string | null },
  finalOrderNo: string = orderNo,
): RecoverJson {
  return {
    orderNo,
    outcome: fallback.outcome,
    finalOrderNo: job?.currentOrderNo ?? finalOrderNo,
    reason: fallback.reason,
    jobId: job?.id ?? null,
    state: job?.state ?? null,
  };
}

/** 3088.5 CNY → "3,088.50 CNY", 6928000 IDR → "6,928,000.00 IDR": ISO 4217 decimals (never fewer than the amount has), code after. */
export function money(amount: number, currency: string): string {
  const code = currency.trim().toUpperCase();
  const digits = displayDigits(amount, code);
  return `${new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount)} ${code}`;
}

/** "152.00 USD from the deposit", "440.00 MYR on the card + 2.00 USD from the deposit". */
export function approvedText(a: ApprovedAmounts): string {
  const parts = [
    ...(a.dueFromCard ? [`${money(a.dueFromCard.amount, a.dueFromCard.currency)} on the card`] : []),
    ...(a.dueFromDeposit ? [`${money(a.dueFromDeposit.amount, a.dueFromDeposit.currency)} from the deposit`] : []),
  ];
  return parts.join(' + ') || 'nothing';
}

/** "deposit 3,088.50 CNY, card 6,928,000.00 IDR + 14.20 CNY deposit": a card payment's fee comes from the deposit. */
export function methodsText(plan: Plan): string {
  return plan.methods
    .map((m) => {
      if (m.paymentMethod === 1) return m.dueFromDeposit ? `deposit ${money(m.dueFromDeposit.amount, m.dueFromDeposit.currency)}` : 'deposit';
      const parts = [
        ...(m.dueFromCard ? [money(m.dueFromCard.amount, m.dueFromCard.currency)] : []),
        ...(m.dueFromDeposit ? [`${money(m.dueFromDeposit.amount, m.dueFromDeposit.currency)} deposit`] : []),
      ];
      return ['card', parts.join(' + ')].filter(Boolean).join(' ');
    })
    .join(', ');
}

export function failedTable(orders: DeskOrder[]): string {
  if (orders.length === 0) return 'No orders need staff.';
  return table(
    ['ORDER', 'SCN', 'STATUS', 'ERR', 'DEADLINE', 'NEXT STEP', 'METHODS', 'WHY / WARNINGS'],
    orders.map((o) => [
      o.orderNo,
      o.category,
      o.details.orderStatus,
      o.details.errorCode,
      shortTime(o.plan.deadline ?? o.details.tktLimitTime),
      o.plan.action,
      methodsText(o.plan),
      [...o.plan.reasons, ...o.plan.warnings].join(' '),
    ]),
  );
}

export function showText(order: DeskOrder, timeline: TimelineEvent[]): string {
  const d = order.details;
  const lines = [
    `Order      ${order.orderNo}${order.regeneratedFrom ? ` (regenerated from ${order.regeneratedFrom})` : ''}`,
    `Category   ${order.category}${order.attentionReason ? ` (${order.attentionReason})` : ''}${order.markedFailed ? ', marked failed' : ''}`,
    `Status     ${d.orderStatus}${d.errorCode ? ` errorCode ${d.errorCode}` : ''}${d.errorMessage ? ` — ${d.errorMessage}` : ''}`,
    `PNR        ${d.pnrCode ?? ''}  ${d.fromCity ?? d.fromAirport ?? ''}→${d.toCity ?? d.toAirport ?? ''} ${d.depDate ?? ''}  ${d.airlines.join(' ')}`,
    `Passengers ${d.passengers.map((p) => p.name).join('; ')}`,
    `Price      ${money(d.totalPrice, d.currency)} + ${money(d.totalTransactionFee, d.currency)} fee`,
    `Deadline   ${shortTime(d.tktLimitTime)}`,
    ...(order.regeneratedInto.length > 0 ? [`Regenerated into ${order.regeneratedInto.join(', ')}`] : []),
    '',
    `Next step  ${order.plan.action}${order.plan.deadline ? ` before ${shortTime(order.plan.deadline)}` : ''}`,
    `Reasons    ${order.plan.reasons.join(' ')}`,
    ...(order.plan.warnings.length > 0 ? [`Warnings   ${order.plan.warnings.join(' ')}`] : []),
    ...(order.plan.methods.length > 0 ? [`Methods    ${methodsText(order.plan)}`] : []),
    '',
    table(
      ['WHEN', 'EVENT', 'BY', 'OS ACCOUNT', 'DETAILS'],
      timeline.map((e) => [shortTime(e.at), e.kind, e.actor, e.osAccount, compact(e.data)]),
    ),
  ];
  return lines.join('\n');
}

function compact(data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}

export function jobsTable(jobs: Job[]): string {
  if (jobs.length === 0) return 'The queue is empty.';
  return table(
    ['JOB', 'ORDER', 'PAYING', 'METHOD', 'STATE', 'OUTCOME', 'REASON', 'BY', 'UPDATED'],
    jobs.map((j) => [
      j.id.slice(0, 8),
      j.orderNo,
      j.currentOrderNo === j.orderNo ? '' : j.currentOrderNo,
      j.method === 1 ? 'deposit' : `card ${j.cardMask ?? ''}`,
      j.state,
      j.outcome,
      j.reason,
      j.actor,
      shortTime(j.updatedAt),
    ]),
  );
}

/** Outcomes in words where the code could be misread (paid is not ticketed). */
const OUTCOME_WORDS: Partial<Record<RecoverOutcome, string>> = { paid_pending_ticket: 'paid, ticket pending' };

export function recoverTable(results: RecoverJson[]): string {
  const lines = [
    table(
      ['ORDER', 'OUTCOME', 'FINAL ORDER', 'REASON'],
      results.map((r) => [r.orderNo, OUTCOME_WORDS[r.outcome] ?? r.outcome, r.finalOrderNo === r.orderNo ? '' : r.finalOrderNo, r.reason]),
    ),
    ...results.flatMap((r) => (r.detail ? [`${r.orderNo}: ${r.detail}`] : [])),
  ];
  const waiting = results.filter((r) => r.state === 'needs_approval').map((r) => r.orderNo);
  if (waiting.length > 0) lines.push(`Waiting for a new approval: npm run desk -- approve ${waiting.join(' ')}`);
  return lines.join('\n');
}

export function approveTable(results: ApproveJson[]): string {
  return table(
    ['ORDER', 'APPROVED', 'OUTCOME', 'FINAL ORDER', 'REASON'],
    results.map((r) => [
      r.orderNo,
      r.approved ? approvedText(r.approved) : '',
      OUTCOME_WORDS[r.outcome] ?? r.outcome,
      r.finalOrderNo === r.orderNo ? '' : r.finalOrderNo,
      r.reason,
    ]),
  );
}

export function historyTable(entries: HistoryEntry[]): string {
  if (entries.length === 0) return 'No activity.';
  return table(
    ['LAST ACTIVITY', 'ORDER', 'CATEGORY', 'STATUS', 'NEXT STEP', 'BY'],
    entries.map((e) => [shortTime(e.lastEventAt), e.order.orderNo, e.order.category, e.order.details.orderStatus, e.order.plan.action, e.order.lastActor]),
  );
}

export function syncText(status: SyncStatus, failed: DeskOrder[], unpaid: number): string {
  const counts = new Map<string, number>();
  for (const o of failed) counts.set(o.category, (counts.get(o.category) ?? 0) + 1);
  const parts = ['B', 'A', 'attention', 'ticketing'].map((c) => `${c} ${counts.get(c) ?? 0}`).join(', ');
  const head = status.error ? `Sync stopped (${status.error}) after ${status.done} orders; the next sync resumes there.` : `Synced ${status.done} orders.`;
  return `${head}\nNeed staff: ${failed.length} (${parts}); unpaid, not marked failed: ${unpaid}.`;
}
