// A plain-object AtlasApi for sync tests: an in-memory order book with scripted failures.
import type { Money, OrderDetails, OrderListPage, OrderListQuery, OrderSummary, PayAccepted, RegeneratedOrder } from '../../shared/atlas.ts';
import { AtlasError, type AtlasApi } from '../../electron/atlas/api.ts';
import type { AtlasFailure } from '../../shared/atlas.ts';

export function atlasError(failure: Omit<AtlasFailure, 'endpoint'>, endpoint: AtlasFailure['endpoint'] = 'queryOrderDetails'): AtlasError {
  return new AtlasError({ endpoint, ...failure });
}

export class FakeAtlas implements AtlasApi {
  readonly book = new Map<string, OrderDetails>();
  readonly listCalls: OrderListQuery[] = [];
  readonly queryCalls: string[] = [];
  /** Errors thrown by the next listOrders calls, in order. */
  readonly listFailures: AtlasError[] = [];
  /** Errors thrown by the next queryOrder call for that order. */
  readonly queryFailures = new Map<string, AtlasError[]>();
  /** When set, queryOrder waits for it (to observe concurrency and coalescing). */
  gate: Promise<void> | null = null;
  inFlight = 0;
  maxInFlight = 0;

  put(details: OrderDetails): void {
    this.book.set(details.orderNo, details);
  }

  async listOrders(query: OrderListQuery): Promise<OrderListPage> {
    this.listCalls.push(query);
    const failure = this.listFailures.shift();
    if (failure) throw failure;
    const from = query.createdFrom ? Date.parse(query.createdFrom) : -Infinity;
    const to = query.createdTo ? Date.parse(query.createdTo) : Infinity;
    const all = [...this.book.values()]
      .filter((d) => !query.orderNo || d.orderNo === query.orderNo)
      .filter((d) => !query.orderStatus || query.orderStatus.includes(d.orderStatus))
      .filter((d) => d.createdAt !== null && Date.parse(d.createdAt) >= from && Date.parse(d.createdAt) <= to)
      .sort((a, b) => a.orderNo.localeCompare(b.orderNo));
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    return {
      page,
      pageSize,
      totalRecords: all.length,
      orders: all.slice((page - 1) * pageSize, page * pageSize).map(summaryOf),
    };
  }

  async queryOrder(orderNo: string): Promise<OrderDetails> {
    this.queryCalls.push(orderNo);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.gate) await this.gate;
      else await Promise.resolve();
      const failure = this.queryFailures.get(orderNo)?.shift();
      if (failure) throw failure;
      const details = this.book.get(orderNo);
      if (!details) throw atlasError({ kind: 'business', code: 800, meaning: 'order not found' });
      // Like the real endpoint, queryOrderDetails does not carry the creation time.
      return { ...structuredClone(details), createdAt: null };
    } finally {
      this.inFlight--;
    }
  }

  async pay(): Promise<PayAccepted> {
    throw new Error('sync must never pay');
  }
  async regenerate(): Promise<RegeneratedOrder> {
    throw new Error('sync must never regenerate');
  }
  async balance(): Promise<Money> {
    throw new Error('not used by sync');
  }
}

function summaryOf(d: OrderDetails): OrderSummary {
  return {
    orderNo: d.orderNo,
    pnrCode: d.pnrCode,
    airlinePNRs: d.passengers.flatMap((p) => p.airlinePNRs),
    orderStatus: d.orderStatus,
    depDate: d.depDate,
    airlines: d.airlines,
    createdAt: d.createdAt,
    paymentTimestamp: d.paymentTimestamp,
    paxNames: d.passengers.map((p) => p.name),
    contactEmail: null,
    fromCity: d.fromCity,
    toCity: d.toCity,
    errorCode: d.errorCode,
    errorMessage: d.errorMessage,
  };
}
