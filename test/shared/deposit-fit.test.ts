import { describe, expect, it } from 'vitest';
import { fitDeposit, type DepositCandidate } from '../../shared/deposit-fit.ts';

const order = (orderNo: string, amount: number, currency: string, deadline: string | null): DepositCandidate => ({
  orderNo,
  due: { amount, currency },
  deadline,
});

describe('fitDeposit', () => {
  it('pays the soonest deadlines first and leaves what the balance cannot cover', () => {
    const fit = fitDeposit(
      [
        order('LATE', 100, 'USD', '2026-12-01T12:00:00Z'),
        order('SOON', 100, 'USD', '2026-12-01T09:00:00Z'),
        order('MID', 100, 'USD', '2026-12-01T10:00:00Z'),
      ],
      new Map([['USD', 250]]),
    );
    expect(fit).toEqual([{ currency: 'USD', balance: 250, fits: ['SOON', 'MID'], due: 200, beyond: ['LATE'], left: 50 }]);
  });

  it('passes over an order too big for what is left and still takes a later smaller one', () => {
    const [usd] = fitDeposit(
      [order('A', 60, 'USD', '2026-12-01T09:00:00Z'), order('BIG', 50, 'USD', '2026-12-01T10:00:00Z'), order('SMALL', 40, 'USD', '2026-12-01T11:00:00Z')],
      new Map([['USD', 100]]),
    );
    expect(usd).toMatchObject({ fits: ['A', 'SMALL'], beyond: ['BIG'], due: 100, left: 0 });
  });

  it('keeps currencies apart and counts exactly in minor units', () => {
    const fit = fitDeposit(
      [order('U1', 0.1, 'usd', null), order('J1', 15000, 'JPY', null), order('U2', 0.2, 'USD', null), order('J2', 1, 'JPY', null)],
      new Map([['USD', 0.3], ['JPY', 15000]]),
    );
    // 0.1 + 0.2 is exactly 0.30 of a 0.30 balance: both fit, nothing left.
    expect(fit).toEqual([
      { currency: 'USD', balance: 0.3, fits: ['U1', 'U2'], due: 0.3, beyond: [], left: 0 },
      { currency: 'JPY', balance: 15000, fits: ['J1'], due: 15000, beyond: ['J2'], left: 0 },
    ]);
  });

  it('leaves nothing out when the balance is unknown (the runner checks every payment)', () => {
    const [usd] = fitDeposit([order('A', 10, 'USD', null), order('B', 20, 'USD', null)], new Map([['USD', null]]));
    expect(usd).toMatchObject({ balance: null, fits: ['A', 'B'], beyond: [], due: 30, left: null });
  });

  it('takes orders with an unknown deadline last', () => {
    const [usd] = fitDeposit([order('UNKNOWN', 10, 'USD', null), order('KNOWN', 10, 'USD', '2026-12-01T09:00:00Z')], new Map([['USD', 10]]));
    expect(usd).toMatchObject({ fits: ['KNOWN'], beyond: ['UNKNOWN'] });
  });

  it('refuses an amount it cannot hold exactly rather than round it', () => {
    expect(() => fitDeposit([order('A', 10.001, 'USD', null)], new Map([['USD', 100]]))).toThrow(RangeError);
  });
});
