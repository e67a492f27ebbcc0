// lib/parse-orders.ts: order numbers from pasted text and from a CSV.
import { describe, expect, it } from 'vitest';
import { parseOrderNumbers, parseOrdersCsv } from '../../renderer/src/lib/parse-orders.ts';

describe('parsing order numbers', () => {
  it('splits pasted numbers on lines, commas and spaces, upper-cases and de-duplicates them', () => {
    expect(parseOrderNumbers('ta2611260101\nTA2611260102, TA2611260103  ta2611260101;')).toEqual(['TA2611260101', 'TA2611260102', 'TA2611260103']);
  });

  it('reads the order-number column of a CSV with a header, or the first column without one', () => {
    expect(parseOrdersCsv('\uFEFFPNR,Order No,Pax\nABC123,TA2611260101,LEE\nXYZ789,TA2611260102,ONG\n')).toEqual(['TA2611260101', 'TA2611260102']);
    expect(parseOrdersCsv('TA2611260101,foo\nTA2611260102,bar')).toEqual(['TA2611260101', 'TA2611260102']);
  });
});
