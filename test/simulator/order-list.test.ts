// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { caller, start, T0, type Caller } from './helpers.ts';

let sim: RunningSimulator;
let call: Caller;
const made: Record<string, string> = {};
beforeAll(async () => {
  sim = await start();
  call = caller(sim);
  made.unpaid = sim.control.createOrder({ airline: 'AK', createdAt: T0 - 10 * 60_000, passengers: ['TAN/WEI'] }).orderNo;
  made.cancelled = sim.control.createOrder({ airline: 'VJ', orderStatus: -3, errorCode: '604', createdAt: T0 - 5 * 60 * 60_000, passengers: ['NGUYEN/ANH'], fromCity: 'SGN', toCity: 'HAN' }).orderNo;
  made.ticketed = sim.control.createOrder({ airline: 'AK', orderStatus: 2, createdAt: T0 - 2 * 60 * 60_000, passengers: ['LIM/MEI', 'LIM/KEVIN'] }).orderNo;
});
afterAll(() => sim.stop());

type ListBody = { status: number; page: number; pageSize: number; totalRecords: number; orders: Record<string, unknown>[] };
const list = async (body: unknown) => (await call('orderList', body)) as unknown as ListBody;

describe('orderList.do', () => {
  it('lists newest first with integer statuses, UTC timestamps and numeric paging', async () => {
    const r = await list({});
    expect(r).toMatchObject({ status: 0, page: 1, pageSize: 20, totalRecords: 3 });
    expect(r.orders.map((o) => o.orderNo)).toEqual([made.unpaid, made.ticketed, made.cancelled]);
    expect(r.orders[0]).toMatchObject({ orderStatus: 0, orderCreateTimestamp: '2026-11-26T07:50:00Z', paymentTimestamp: null, airlines: ['AK'] });
  });

  it('carries errorCode/errorMessage only on cancelled orders', async () => {
    const r = await list({});
    const byNo = Object.fromEntries(r.orders.map((o) => [o.orderNo, o]));
    expect(byNo[made.cancelled!]).toMatchObject({ orderStatus: -3, errorCode: '604', errorMessage: expect.any(String) });
    expect(byNo[made.unpaid!]).not.toHaveProperty('errorCode');
    expect(byNo[made.ticketed!]).not.toHaveProperty('errorCode');
  });

  it('filters by status, airline, pax name, cities, order number and creation range', async () => {
    const nos = async (body: unknown) => (await list(body)).orders.map((o) => o.orderNo);
    expect(await nos({ orderStatus: [-3, 0] })).toEqual([made.unpaid, made.cancelled]);
    expect(await nos({ airlines: ['VJ'] })).toEqual([made.cancelled]);
    expect(await nos({ paxName: 'lim/' })).toEqual([made.ticketed]);
    expect(await nos({ fromCity: 'SGN', toCity: 'HAN' })).toEqual([made.cancelled]);
    expect(await nos({ orderNo: made.ticketed })).toEqual([made.ticketed]);
    expect(await nos({ createTimeRangeFrom: '2026-11-26T05:00:00Z', createTimeRangeTo: '2026-11-26T07:00:00Z' })).toEqual([made.ticketed]);
  });

  it('answers 901 to a creation range that is not UTC yyyy-MM-dd\'T\'HH:mm:ss\'Z\'', async () => {
    for (const bad of ['2026-11-26 05:00:00', '2026-11-26T13:00:00+08:00', '2026-11-26', '2026-11-26T05:00:00.000Z']) {
      expect((await list({ createTimeRangeFrom: bad })).status).toBe(901);
    }
  });

  it('filters by airlinePNRs', async () => {
    const detail = await call('queryOrderDetails', { orderNo: made.ticketed });
    const pnr = (detail.paxTicketInfos as { airlinePNRs: string[] }[])[0]?.airlinePNRs[0];
    expect((await list({ airlinePNRs: [pnr] })).orders.map((o) => o.orderNo)).toEqual([made.ticketed]);
    expect((await list({ airlinePNRs: ['NOPE00'] })).totalRecords).toBe(0);
  });

  it('pages from 1 with totalRecords counting every match', async () => {
    const p2 = await list({ page: 2, pageSize: 2 });
    expect(p2).toMatchObject({ page: 2, pageSize: 2, totalRecords: 3 });
    expect(p2.orders.map((o) => o.orderNo)).toEqual([made.cancelled]);
    expect((await list({ page: 0 })).status).toBe(901);
  });
});
