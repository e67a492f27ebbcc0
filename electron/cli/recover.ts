// `recover`: turns the orders into jobs through the same core channels the app uses, then waits
// until every job is settled (done, blocked, attention, failed, cancelled — or waits for a card or
// an approval the CLI can no longer give) and reports one result per order. Before any job it
// tells what it approves for each order (docs/money-safety.md rule 9) and sends exactly that.
// `approve` gives a job that stopped for a new amount the amount it stopped at, then waits alike.
import type { CardDetails } from '../../shared/atlas.ts';
import { approvedFromOffer } from '../../shared/approval.ts';
import { paymentLimitCurrency } from '../../shared/card.ts';
import { SETTLED_JOB_STATES, type ApprovedAmounts, type DeskOrder, type Job } from '../../shared/desk.ts';
import type { DepositPreview } from '../../shared/ipc.ts';
import type { DeskCore } from '../core/contract.ts';
import { DeskError } from '../core/desk-error.ts';
import { orderCardProblems } from './card-input.ts';
import { UsageError } from './errors.ts';
import { approvedText, money, recoverJson, type ApproveJson, type RecoverJson, type RecoverOutcome } from './format.ts';

export interface RecoverRequest {
  orderNos: string[];
  method: 'deposit' | 'card';
  /** Required for method 'card'; the CLI wipes its copy afterwards. */
  card?: CardDetails;
  timeoutMs: number;
  /** Aborting (Ctrl+C) stops waiting; unsettled jobs stay queued for the next run. */
  signal?: AbortSignal;
  /** Progress worth telling a person while waiting (stderr), e.g. that Atlas is unreachable. */
  notice?: (line: string) => void;
  /** What is approved for each order, told before any job is queued (stdout, human output only). */
  approving?: (line: string) => void;
}

/** Follow at most this many original → new links. */
const MAX_CHAIN = 8;

/**
 * Refusals that say the order is already paid: a re-run after a crash (or staff naming an order
 * that was recovered) reports where the chain really ended, not "rejected".
 */
const PAID_ALREADY: Readonly<Record<string, RecoverOutcome>> = {
  ticketed: 'ticketed',
  ticketing_in_progress: 'paid_pending_ticket',
  paid_pnr_pending: 'paid_pending_ticket',
};

/** An order the deposit could pay, but not from this balance once the orders due sooner are paid. */
const BEYOND_DEPOSIT_BALANCE = 'beyond_deposit_balance';

/** The deposit plan in words, per currency: what is paid in which order, and what is left unpaid. */
function depositPlanLines(preview: DepositPreview): string[] {
  const lines: string[] = [];
  for (const total of preview.totals) {
    const mine = (list: DepositPreview['dues']) => list.filter((d) => d.dueFromDeposit.currency.toUpperCase() === total.currency);
    const balance = total.balance === null ? 'balance unknown (each payment is checked before it is sent)' : `balance ${money(total.balance, total.currency)}`;
    const left = total.left === null ? '' : `, ${money(total.left, total.currency)} left`;
    lines.push(`deposit ${total.currency}: ${balance}; pays ${total.orders} order(s), ${money(total.due, total.currency)}${left}, soonest deadline first: ${mine(preview.dues).map((d) => d.orderNo).join(', ') || 'none'}`);
    const beyond = mine(preview.beyondBalance);
    if (beyond.length > 0) {
      lines.push(`deposit ${total.currency}: not paid now, the balance does not cover them: ${beyond.map((d) => `${d.orderNo} (${money(d.dueFromDeposit.amount, d.dueFromDeposit.currency)})`).join(', ')}`);
    }
  }
  return lines;
}

function refusal(orderNo: string, reason: string, finalOrderNo: string): RecoverJson {
  return recoverJson(orderNo, null, { outcome: PAID_ALREADY[reason] ?? 'rejected', reason }, finalOrderNo);
}

/** The newest order of `orderNo`'s regeneration chain as the desk knows it (itself when never regenerated). */
async function newestOf(desk: DeskCore, orderNo: string): Promise<string> {
  let current = orderNo;
  for (let i = 0; i < MAX_CHAIN; i++) {
    let next: string | undefined;
    try {
      next = (await desk.handlers['orders:show']({ orderNo: current })).order.regeneratedInto.at(-1);
    } catch (error) {
      if (error instanceof DeskError && error.code === 'not_found') return current;
      throw error;
    }
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

/** Settled for the CLI: waiting for a card or an approval too, since this process can no longer be asked. */
function settled(job: Job): boolean {
  return SETTLED_JOB_STATES.includes(job.state) || job.state === 'needs_card' || job.state === 'needs_approval';
}

function outcomeOf(job: Job): { outcome: RecoverOutcome; reason: string | null } {
  if (!settled(job)) return { outcome: 'pending', reason: job.state };
  if (job.state === 'needs_card') return { outcome: 'not_recovered', reason: job.reason ?? 'card_missing' };
  if (job.state === 'needs_approval') return { outcome: 'not_recovered', reason: job.reason ?? 'price_changed' };
  if (job.state === 'done') return { outcome: job.outcome ?? 'paid_pending_ticket', reason: job.reason };
  if (job.outcome === 'cancelled_again') return { outcome: 'cancelled_again', reason: job.reason };
  return { outcome: 'not_recovered', reason: job.reason ?? job.state };
}

/** Resolves with the latest job list once all `jobIds` are settled, or at timeout / abort. */
function waitSettled(desk: DeskCore, jobIds: string[], timeoutMs: number, signal?: AbortSignal, notice?: (line: string) => void): Promise<Job[]> {
  let toldOffline = false;
  return new Promise((resolve) => {
    let finished = false;
    let off = () => {};
    const finish = (jobs: Job[] | null) => {
      if (finished) return;
      finished = true;
      off();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (jobs) resolve(jobs);
      else void desk.handlers['queue:list']({}).then(resolve, () => resolve([]));
    };
    const check = (jobs: Job[]) => {
      const mine = jobIds.map((id) => jobs.find((j) => j.id === id));
      if (mine.every((j) => j !== undefined && settled(j))) return finish(jobs);
      // Otherwise the wait could look like a hang for up to --timeout: say why, once.
      const offline = mine.filter((j) => j?.state === 'waiting_network').map((j) => j?.orderNo);
      if (offline.length > 0 && !toldOffline && notice) {
        toldOffline = true;
        notice(
          `desk: cannot reach Atlas; ${offline.join(' ')} queued, retrying until --timeout (${Math.round(timeoutMs / 1000)} s). ` +
            'Ctrl+C stops waiting; the next recover resumes.',
        );
      }
    };
    const onAbort = () => finish(null);
    off = desk.on('queue:changed', check);
    const timer = setTimeout(() => finish(null), timeoutMs);
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();
    // A job may have settled before we subscribed (e.g. blocked at once): look now too.
    void desk.handlers['queue:list']({}).then(check, () => {});
  });
}

/** The order as the desk knows it, read from Atlas first when it is new to the desk; null if Atlas has none. */
async function orderOf(desk: DeskCore, orderNo: string): Promise<DeskOrder | null> {
  const show = () => desk.handlers['orders:show']({ orderNo }).then(({ order }) => order);
  try {
    return await show();
  } catch (error) {
    if (!(error instanceof DeskError) || error.code !== 'not_found') throw error;
  }
  try {
    await desk.handlers['recovery:plan']({ orderNo });
    return await show();
  } catch (error) {
    if (error instanceof DeskError && error.code === 'not_found') return null;
    throw error;
  }
}

/**
 * Before any card job, for every order: the holder-address fields its airlines require (the app's
 * card form asks for them; a card sent without them may be declined by the airline, and Atlas then
 * cancels the order), and a paymentLimit exact in its card currency (100.005 USD, 1.5 JPY, or a
 * limit for an order whose card currency is unknown are refused, never rounded). Bad card input:
 * exit 2, nothing done.
 */
async function checkCardForOrders(desk: DeskCore, orderNos: string[], card: CardDetails): Promise<void> {
  for (const orderNo of orderNos) {
    const order = await orderOf(desk, orderNo);
    if (order === null) continue; // unknown to Atlas: recovery:card rejects it as not_found
    const { airlines } = order.details;
    const limitCurrency = paymentLimitCurrency(order.details, order.plan);
    const { paymentLimit, ...holder } = orderCardProblems(card, { airlines, limitCurrency });
    const missing = Object.keys(holder);
    if (missing.length > 0) {
      throw new UsageError(`the card lacks ${missing.join(', ')}, required by ${airlines.join('/')} for ${orderNo}; nothing was done`);
    }
    if (paymentLimit) {
      throw new UsageError(
        `card on stdin: paymentLimit (${paymentLimit}) does not fit ${orderNo}, card currency ${limitCurrency ?? 'unknown'}; nothing was done`,
      );
    }
  }
}

/** What the card method of `orderNo` charges now (card and deposit fee), from a fresh plan; null when none. */
async function cardDue(desk: DeskCore, orderNo: string): Promise<ApprovedAmounts | null> {
  try {
    const { plan } = await desk.handlers['recovery:plan']({ orderNo });
    const offer = plan.methods.find((m) => m.paymentMethod === 3);
    return offer ? approvedFromOffer(offer) : null;
  } catch (error) {
    if (error instanceof DeskError) return null; // recovery:card says why, with its own reason
    throw error;
  }
}

/**
 * One desk process runs a database's queue (docs/money-safety.md rule 10). When the app (or another
 * `recover`) holds it, deposit jobs are queued for that process and this command waits for its
 * results; card details cannot be handed over, so card jobs are refused there.
 */
function heldElsewhereNotice(other: { pid: number; host: string }, method: RecoverRequest['method']): string {
  const who = `another desk process (pid ${other.pid} on ${other.host}) is working this database's queue`;
  return method === 'deposit'
    ? `desk: ${who}; it runs these orders and this command waits for the results (Ctrl+C stops waiting; the jobs stay queued for it).`
    : `desk: ${who}; card details cannot be handed to it, so no card job was queued. Enter the card there, or run this again once it has stopped.`;
}

export async function recover(desk: DeskCore, request: RecoverRequest): Promise<RecoverJson[]> {
  const { elsewhere } = await desk.handlers['queue:lease']({});
  if (elsewhere) request.notice?.(heldElsewhereNotice(elsewhere, request.method));
  const results = new Map<string, RecoverJson>();
  const jobOf = new Map<string, string>();
  // An order that was regenerated is recovered as its chain's newest order: say so.
  const finalOf = new Map<string, string>();
  for (const orderNo of request.orderNos) {
    const newest = await newestOf(desk, orderNo);
    finalOf.set(orderNo, newest);
    if (newest !== orderNo) request.notice?.(`desk: ${orderNo} was regenerated into ${newest}; recovering ${newest}`);
  }
  const final = (orderNo: string) => finalOf.get(orderNo) ?? orderNo;
  // What is approved, per order actually recovered (the newest of its chain), told before any job.
  const approvedOf = new Map<string, ApprovedAmounts>();
  const tell = (target: string, approved: ApprovedAmounts) => {
    approvedOf.set(target, approved);
    request.approving?.(`${target}: approving ${approvedText(approved)}`);
  };
  if (request.method === 'deposit') {
    // The amounts the desk's preview shows are what staff approve, and exactly what is sent.
    const targets = [...new Set(request.orderNos.map(final))];
    const preview = await desk.handlers['recovery:previewDeposit']({ orderNos: targets });
    // The same plan as the app's bulk dialog: what the deposit covers, soonest deadline first; the
    // rest wait. One order the deposit covers needs no plan: its approval line says it all.
    const planned = preview.dues.length + preview.beyondBalance.length;
    if (planned > 1 || preview.beyondBalance.length > 0) for (const line of depositPlanLines(preview)) request.approving?.(line);
    for (const due of preview.dues) tell(due.orderNo, { dueFromDeposit: due.dueFromDeposit, dueFromCard: null });
    const rejected = [
      ...preview.ineligible,
      ...preview.beyondBalance.map((b) => ({ orderNo: b.orderNo, reason: BEYOND_DEPOSIT_BALANCE })),
    ];
    const sent = preview.eligible.length > 0 ? await desk.handlers['recovery:deposit']({ orderNos: preview.eligible, approvals: preview.dues }) : { jobs: [], rejected: [] };
    rejected.push(...sent.rejected);
    for (const r of rejected) {
      for (const orderNo of request.orderNos.filter((o) => final(o) === r.orderNo)) results.set(orderNo, refusal(orderNo, r.reason, r.orderNo));
    }
    const { jobs } = sent;
    // Jobs come back in the order of the accepted order numbers (a merged job included).
    const accepted = preview.eligible.filter((target) => !sent.rejected.some((r) => r.orderNo === target));
    accepted.forEach((target, i) => {
      const job = jobs[i];
      if (!job) return;
      for (const orderNo of request.orderNos.filter((o) => final(o) === target)) jobOf.set(orderNo, job.id);
    });
  } else {
    const card = request.card;
    if (!card) throw new Error('recover --card without a card');
    await checkCardForOrders(desk, request.orderNos.map(final), card);
    const dues = new Map<string, ApprovedAmounts | null>();
    for (const target of new Set(request.orderNos.map(final))) {
      const due = await cardDue(desk, target);
      dues.set(target, due);
      if (due) tell(target, due);
    }
    for (const orderNo of request.orderNos) {
      const approved = dues.get(final(orderNo)) ?? { dueFromDeposit: null, dueFromCard: null };
      try {
        // Each job gets its own copy in the vault, wiped when its pay.do answers. An order with an
        // unsettled job is refused (already_queued, the message names that job and its method):
        // replacing a job's method is the app's explicit choice, never a side effect here.
        const job = await desk.handlers['recovery:card']({ orderNo: final(orderNo), card: { ...card }, approved });
        jobOf.set(orderNo, job.id);
      } catch (error) {
        if (!(error instanceof DeskError)) throw error;
        results.set(orderNo, { ...refusal(orderNo, error.reason ?? error.code, final(orderNo)), detail: error.message });
      }
    }
  }
  const jobs = jobOf.size > 0 ? await waitSettled(desk, [...new Set(jobOf.values())], request.timeoutMs, request.signal, request.notice) : [];
  for (const [orderNo, jobId] of jobOf) {
    const job = jobs.find((j) => j.id === jobId) ?? null;
    results.set(orderNo, recoverJson(orderNo, job, job ? outcomeOf(job) : { outcome: 'pending', reason: 'unknown_job' }, final(orderNo)));
  }
  return request.orderNos.map((orderNo) => ({ ...(results.get(orderNo) as RecoverJson), approved: approvedOf.get(final(orderNo)) ?? null }));
}

export interface ApproveRequest {
  orderNos: string[];
  timeoutMs: number;
  signal?: AbortSignal;
  notice?: (line: string) => void;
  /** "old → new" per order, told before anything is approved (stdout, human output only). */
  approving?: (line: string) => void;
}

/**
 * `approve`: for each order, its job waiting in `needs_approval` gets the amount it stopped at —
 * printed as old → new first, then sent exactly (recovery:approve) — and the CLI waits for it.
 */
export async function approve(desk: DeskCore, request: ApproveRequest): Promise<ApproveJson[]> {
  // An approval needs no card: the process that holds the queue runs the job, and this one waits.
  const { elsewhere } = await desk.handlers['queue:lease']({});
  if (elsewhere) request.notice?.(heldElsewhereNotice(elsewhere, 'deposit'));
  const jobs = await desk.handlers['queue:list']({});
  const results = new Map<string, ApproveJson>();
  const waiting = new Map<string, Job>();
  for (const orderNo of request.orderNos) {
    const job = jobs.find((j) => j.state === 'needs_approval' && j.quote && (j.orderNo === orderNo || j.currentOrderNo === orderNo));
    if (!job?.quote) {
      results.set(orderNo, { ...recoverJson(orderNo, null, { outcome: 'rejected', reason: 'not_waiting_approval' }), previous: null, approved: null });
      continue;
    }
    const previous = job.approval ? { dueFromDeposit: job.approval.dueFromDeposit, dueFromCard: job.approval.dueFromCard } : null;
    request.approving?.(`${orderNo}: ${previous ? approvedText(previous) : 'nothing approved'} → ${approvedText(job.quote)} (${job.reason ?? 'price_changed'}${job.currentOrderNo !== orderNo ? `, order ${job.currentOrderNo}` : ''})`);
    waiting.set(orderNo, job);
  }
  const approvals = [...waiting.values()].map((j) => ({ jobId: j.id, dueFromDeposit: j.quote?.dueFromDeposit ?? null, dueFromCard: j.quote?.dueFromCard ?? null }));
  const answer = approvals.length > 0 ? await desk.handlers['recovery:approve']({ approvals }) : { jobs: [], rejected: [] };
  const refused = new Map(answer.rejected.map((r) => [r.jobId, r.reason]));
  const approvedIds: string[] = [];
  for (const [orderNo, job] of waiting) {
    const reason = refused.get(job.id);
    const amounts = { dueFromDeposit: job.quote?.dueFromDeposit ?? null, dueFromCard: job.quote?.dueFromCard ?? null };
    const previous = job.approval ? { dueFromDeposit: job.approval.dueFromDeposit, dueFromCard: job.approval.dueFromCard } : null;
    if (reason) results.set(orderNo, { ...recoverJson(orderNo, job, { outcome: 'rejected', reason }), previous, approved: null });
    else {
      approvedIds.push(job.id);
      results.set(orderNo, { ...recoverJson(orderNo, job, { outcome: 'pending', reason: null }), previous, approved: amounts });
    }
  }
  const after = approvedIds.length > 0 ? await waitSettled(desk, approvedIds, request.timeoutMs, request.signal, request.notice) : [];
  for (const [orderNo, result] of results) {
    const job = result.jobId && approvedIds.includes(result.jobId) ? after.find((j) => j.id === result.jobId) : undefined;
    if (job) results.set(orderNo, { ...result, ...recoverJson(orderNo, job, outcomeOf(job)) });
  }
  return request.orderNos.map((orderNo) => results.get(orderNo) as ApproveJson);
}
