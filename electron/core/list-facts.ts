// Facts that only orderList states (docs/atlas-api.md §3.6): when the order was created, and its
// route in CITY codes — the codes orderList lists and filters by. queryOrderDetails may carry
// neither, so the desk keeps them from the order's own list row and lays them over every read.
import type { OrderDetails, OrderSummary } from '../../shared/atlas.ts';

export interface ListFacts {
  createdAt: string | null;
  fromCity: string | null;
  toCity: string | null;
}

export function listFactsOf(source: Pick<OrderSummary | OrderDetails, 'createdAt' | 'fromCity' | 'toCity'>): ListFacts {
  return { createdAt: source.createdAt, fromCity: source.fromCity, toCity: source.toCity };
}

/** `details` with the list's facts where it has them (a list row is the authority on these three). */
export function withListFacts(details: OrderDetails, facts: ListFacts | null | undefined): OrderDetails {
  if (!facts) return details;
  return {
    ...details,
    createdAt: facts.createdAt ?? details.createdAt,
    fromCity: facts.fromCity ?? details.fromCity,
    toCity: facts.toCity ?? details.toCity,
  };
}

/** `details` with the gaps filled from facts kept earlier (a fresh read that states them wins). */
export function keepListFacts(details: OrderDetails, kept: ListFacts | null | undefined): OrderDetails {
  if (!kept) return details;
  return {
    ...details,
    createdAt: details.createdAt ?? kept.createdAt,
    fromCity: details.fromCity ?? kept.fromCity,
    toCity: details.toCity ?? kept.toCity,
  };
}

export function hasListFacts(order: ListFacts): boolean {
  return order.createdAt !== null && order.fromCity !== null && order.toCity !== null;
}
