// What reports:summary answers when a Reports screen test needs every figure filled (three
// currencies, JPY without decimals, every failure kind): the figures themselves are computed and
// tested in the core (test/core/reports.test.ts, desk.reports.test.ts).
import { addDays, type ReportRange, type ReportSummary } from '../../shared/reports.ts';

const HOUR = 3_600_000;

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
