// Shared fixtures for store and sync tests: real temp directories, plausible orders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrderDetails, Passenger } from '../../shared/atlas.ts';
import { openDatabase, type DeskDatabase } from '../../electron/store/db.ts';

export interface TempStore {
  dir: string;
  path: string;
  store: DeskDatabase;
  cleanup(): void;
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'desk-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tempStore(): TempStore {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'desk.sqlite');
  const store = openDatabase(path);
  return {
    dir,
    path,
    store,
    cleanup: () => {
      store.close();
      cleanup();
    },
  };
}

export function passenger(name: string, airlinePNRs: string[] = []): Passenger {
  return { name, passengerType: 0, ticketNos: [], airlinePNRs };
}

/** An unpaid, payable order (deposit and card) created `createdAt`; override what the test is about. */
export function makeDetails(overrides: Partial<OrderDetails> & { orderNo: string }): OrderDetails {
  return {
    pnrCode: null,
    orderStatus: 'unpaid',
    ticketIssued: false,
    tktLimitTime: '2026-11-20T12:00:00.000Z',
    errorCode: null,
    errorMessage: null,
    airlineMessage: null,
    paymentMethod: null,
    paymentAttempted: null,
    paymentOptions: [
      {
        paymentMethod: 1,
        ticketFare: { amount: 100, currency: 'USD', deductFrom: 'DEPOSIT' },
        serviceFee: null,
        paymentFee: null,
      },
    ],
    supportPaymentMethods: [1, 3],
    totalPrice: 100,
    currency: 'USD',
    totalTransactionFee: 0,
    vendorTotalPrice: null,
    vendorCurrency: null,
    airlines: ['SQ'],
    createdAt: '2026-11-20T00:00:00.000Z',
    paymentTimestamp: null,
    fromCity: 'SIN',
    toCity: 'BKK',
    fromAirport: 'SIN',
    toAirport: 'BKK',
    depDate: '2026-12-01',
    passengers: [passenger('TAN/MEI')],
    ...overrides,
  };
}

/** A Scenario B order: cancelled by the airline with card error 604. */
export function cancelledB(orderNo: string, overrides: Partial<OrderDetails> = {}): OrderDetails {
  return makeDetails({
    orderNo,
    orderStatus: 'cancelled',
    errorCode: '604',
    errorMessage: 'card declined',
    paymentMethod: 3,
    paymentTimestamp: '2026-11-20T01:00:00.000Z',
    paymentOptions: null,
    ...overrides,
  });
}
