// Assembles what the UI sees (DeskOrder, HistoryEntry) from the store. Category and plan depend on
// `now` and on local facts (links, marked failed, unreconciled steps), so they are computed here
// rather than trusted from a stored copy.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { OrderDetails } from '../../shared/atlas.ts';
import type { DeskOrder } from '../../shared/desk.ts';
import type { HistoryEntry, HistoryQuery } from '../../shared/ipc.ts';
import type { PlanContext } from '../../shared/plan.ts';
import { categorize, type Categorized } from '../../shared/categorize.ts';
import { planRecovery } from '../../shared/planner.ts';
import type { JobReason } from '../../shared/reasons.ts';
import { EventsRepo } from '../store/events-repo.ts';
import { JobsRepo, RECORD_UNREADABLE } from '../store/jobs-repo.ts';
import { LinksRepo } from '../store/links-repo.ts';
import { OrdersRepo, type ListOptions, type OrderRecord, type OrderScope } from '../store/orders-repo.ts';
import { ChargeChecks } from './charge-check.ts';
import type { Clock } from './contract.ts';

/** The job reason for an outcome reconciliation could not settle; staff clear it with orders:acknowledge. */
export const OUTCOME_UNKNOWN = 'outcome_unknown' as const satisfies JobReason;
/** What the reason becomes once staff checked the order themselves. */
export const OUTCOME_CHECKED = 'outcome_checked_by_staff' as const satisfies JobReason;
/** Job reasons that keep an order in attention until staff say they checked it in ATRIP. */
export const NEEDS_STAFF_CHECK = [OUTCOME_UNKNOWN, RECORD_UNREADABLE] as const;
/** `marked_failed` reason: the desk's own regenerated order, marked before the desk pays it. */
export const REGENERATED_BY_DESK = 'regenerated_by_desk';
/** `note` reason: a read found Atlas's paymentAttempted flag on an unpaid order (rule 12 evidence). */
export const PAYMENT_ATTEMPTED_NOTE = 'payment_attempted';

export interface OrderViewDeps {
  db: DatabaseSync;
  clock: Clock;
  depositBalances?: () => Record<string, number> | undefined;
  /** Atlas's clock now at its earliest (ISO), as the runner plans with it; null when unknown. */
  atlasNow?: () => string | null;
}

export class OrderView {
  readonly orders: OrdersRepo;
  readonly links: LinksRepo;
  readonly events: EventsRepo;
  readonly #clock: Clock;
  readonly #unreconciled: (orderNo: string) => boolean;
  readonly #balances: () => Record<string, number> | undefined;
  readonly #atlasNow: () => string | null;
  readonly #jobs: JobsRepo;
  readonly #checks: ChargeChecks;

  constructor(deps: OrderViewDeps) {
    this.orders = new OrdersRepo(deps.db);
    this.links = new LinksRepo(deps.db);
    this.events = new EventsRepo(deps.db, deps.clock);
    this.#clock = deps.clock;
    this.#balances = deps.depositBalances ?? (() => undefined);
    this.#atlasNow = deps.atlasNow ?? (() => null);
    this.#jobs = new JobsRepo(deps.db);
    this.#checks = new ChargeChecks(this.events, this.#jobs);
    // Unreconciled: a step whose outcome is unknown, or a job that ended needing a human because
    // reconciliation could not settle it (docs/money-safety.md rule 2), or whose record could not
    // be read back, and nobody has said they checked yet. Until then the order stays in
    // `attention`: a bulk click is not that human decision.
    const stmt: StatementSync = deps.db.prepare(
      `SELECT 1 AS x FROM steps WHERE order_no = ?1 AND state IN ('unknown', 'in_flight')
       UNION ALL
       SELECT 1 FROM jobs WHERE current_order_no = ?1 AND state = 'attention'
         AND reason IN (${NEEDS_STAFF_CHECK.map((r) => `'${r}'`).join(', ')})
       LIMIT 1`,
    );
    this.#unreconciled = (orderNo) => stmt.get(orderNo) !== undefined;
  }

  now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  /** Category for `details` given what the desk knows locally (used by sync before upserting). */
  categoryOf(details: OrderDetails, markedFailed: boolean): Categorized {
    return categorize(details, {
      paymentFailureKnown: markedFailed,
      unreconciled: this.#unreconciled(details.orderNo),
      regeneratedInto: this.links.regeneratedInto(details.orderNo),
      now: this.now(),
      ...this.#clockFacts(details.orderNo),
    });
  }

  /**
   * What the runner plans with beyond the order, so the plan staff see is the one it will follow:
   * Atlas's clock, Atlas's own 401 for the order, and when its chain began (docs/money-safety.md
   * rules 3 and 11).
   */
  #clockFacts(orderNo: string): Pick<PlanContext, 'atlasNow' | 'payRefusedAsExpired' | 'chainRootCreatedAt'> {
    const root = this.links.ancestors(orderNo).pop();
    return {
      atlasNow: this.#atlasNow(),
      payRefusedAsExpired: this.#jobs.payRefusedAsExpired(orderNo),
      ...(root !== undefined ? { chainRootCreatedAt: this.orders.get(root)?.details.createdAt ?? null } : {}),
    };
  }

  /** Recomputes and stores an order's category (after marking failed, linking, reconciling). */
  recategorize(orderNo: string): DeskOrder | null {
    const rec = this.orders.get(orderNo);
    if (!rec) return null;
    const { category, attentionReason } = this.categoryOf(rec.details, rec.markedFailed);
    if (category !== rec.category || attentionReason !== rec.attentionReason) {
      this.orders.setCategory(orderNo, category, attentionReason, this.now());
    }
    return this.toDeskOrder({ ...rec, category, attentionReason });
  }

  toDeskOrder(rec: OrderRecord): DeskOrder {
    const orderNo = rec.details.orderNo;
    const regeneratedInto = this.links.regeneratedInto(orderNo);
    const balances = this.#balances();
    const plan = planRecovery(rec.details, {
      now: this.now(),
      regeneratedInto,
      paymentFailureKnown: rec.markedFailed,
      unreconciled: this.#unreconciled(orderNo),
      ...this.#clockFacts(orderNo),
      ...(balances ? { depositBalances: balances } : {}),
    });
    return {
      orderNo,
      category: rec.category,
      attentionReason: rec.attentionReason,
      details: rec.details,
      plan,
      firstSeenAt: rec.firstSeenAt,
      lastSyncedAt: rec.lastSyncedAt,
      markedFailed: rec.markedFailed,
      regeneratedFrom: this.links.regeneratedFrom(orderNo),
      regeneratedInto,
      lastActor: rec.lastActor,
      notChargedCheck: this.#checks.check(orderNo),
    };
  }

  get(orderNo: string): DeskOrder | null {
    const rec = this.orders.get(orderNo);
    return rec ? this.toDeskOrder(rec) : null;
  }

  list(scope: OrderScope, options?: ListOptions): DeskOrder[] {
    return this.orders.list(scope, options).map((r) => this.toDeskOrder(r));
  }

  /** history:query — orders with activity in the window, most recent first. */
  history(query: HistoryQuery = {}): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    for (const hit of this.events.history(query)) {
      const rec = this.orders.get(hit.orderNo);
      // Events may name an order the desk never stored (e.g. a failed manual add): skip those.
      if (rec) out.push({ order: this.toDeskOrder(rec), lastEventAt: hit.lastEventAt, lastOsAccount: hit.osAccount });
    }
    return out;
  }
}
