// Is another order the same trip as the one the desk is about to regenerate — same travellers,
// route and departure date? (A look-alike booked after the original may be another desk's or
// ATRIP's regeneration, or the traveller's own re-booking: docs/money-safety.md rule 3.)
// Like is compared with like (docs/atlas-api.md §3.6): orderList rows carry CITY codes, the
// segments of queryOrderDetails AIRPORT codes (DMK is an airport of BKK); a comparison that cannot
// be made is "unknown", never "different" — the guard fails closed.
import type { OrderDetails, OrderSummary } from '../../shared/atlas.ts';

export interface Trip {
  paxNames: readonly string[];
  depDate: string | null;
  fromCity: string | null;
  toCity: string | null;
  fromAirport: string | null;
  toAirport: string | null;
}

/** `yes`/`no`; `unknown` when a needed fact is missing; `needs_details` when the other's queryOrderDetails may tell. */
export type Sameness = 'yes' | 'no' | 'unknown' | 'needs_details';

export function tripOf(order: OrderDetails): Trip {
  return {
    paxNames: order.passengers.map((p) => p.name),
    depDate: order.depDate,
    fromCity: order.fromCity,
    toCity: order.toCity,
    fromAirport: order.fromAirport ?? null,
    toAirport: order.toAirport ?? null,
  };
}

export function tripOfRow(row: OrderSummary): Trip {
  return { paxNames: row.paxNames, depDate: row.depDate, fromCity: row.fromCity, toCity: row.toCity, fromAirport: null, toAirport: null };
}

const paxKey = (names: readonly string[]) => [...names].map((n) => n.trim().toUpperCase()).sort().join('|');
const both = (a: string | null, b: string | null): a is string => a !== null && b !== null;

/** What the original lacks for any comparison to be made: staff are told (passengers, departure date, route). */
export function missingFacts(original: Trip): string[] {
  const missing: string[] = [];
  if (original.paxNames.length === 0) missing.push('passengers');
  if (original.depDate === null) missing.push('depDate');
  const cities = original.fromCity !== null && original.toCity !== null;
  const airports = original.fromAirport !== null && original.toAirport !== null;
  if (!cities && !airports) missing.push('route');
  return missing;
}

export function sameTrip(original: Trip, other: Trip): Sameness {
  if (original.paxNames.length === 0 || other.paxNames.length === 0) return 'unknown';
  if (paxKey(original.paxNames) !== paxKey(other.paxNames)) return 'no';
  let unknown = false;
  if (original.depDate !== null && other.depDate !== null) {
    if (original.depDate !== other.depDate) return 'no';
  } else unknown = true;
  const route = sameRoute(original, other);
  if (route === 'no') return 'no';
  if (unknown) return 'unknown';
  return route;
}

function sameRoute(a: Trip, b: Trip): Sameness {
  if (both(a.fromCity, b.fromCity) && both(a.toCity, b.toCity)) return a.fromCity === b.fromCity && a.toCity === b.toCity ? 'yes' : 'no';
  if (both(a.fromAirport, b.fromAirport) && both(a.toAirport, b.toAirport)) {
    return a.fromAirport === b.fromAirport && a.toAirport === b.toAirport ? 'yes' : 'no';
  }
  // A list row has no airports: its own queryOrderDetails may have what compares with ours.
  return b.fromAirport === null && b.toAirport === null ? 'needs_details' : 'unknown';
}
