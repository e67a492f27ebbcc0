import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOM, csvCell, historyToCsv, toCsv, writeHistoryCsv, HISTORY_COLUMNS } from '../../electron/core/history-csv.ts';
import type { DeskOrder } from '../../shared/desk.ts';
import { cancelledB, passenger, tempDir } from '../store/helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function order(overrides: Partial<DeskOrder> = {}): DeskOrder {
  const details = cancelledB('TESTA20250816160804096', {
    pnrCode: 'PNR001',
    passengers: [passenger('ZHANG/WEI 张伟', ['ABC123']), passenger('=HYPERLINK("x")/EVIL')],
  });
  return {
    orderNo: details.orderNo,
    category: 'B',
    attentionReason: null,
    details,
    plan: { action: 'regenerate_then_pay', methods: [], deadline: null, payOrderNo: null, reasons: ['airline_payment_rejected'], warnings: [] },
    firstSeenAt: '2026-11-20T00:00:00.000Z',
    lastSyncedAt: '2026-11-20T00:00:00.000Z',
    markedFailed: false,
    regeneratedFrom: null,
    regeneratedInto: [],
    lastActor: 'ann',
    notChargedCheck: null,
    ...overrides,
  };
}

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks per RFC 4180', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(false)).toBe('false');
  });

  it('defuses cells that a spreadsheet would run as formulas', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe('"\'\rx"');
    expect(csvCell('=a,b')).toBe('"\'=a,b"');
  });

  it('masks PAN-looking digit runs to first 6 / last 4 but keeps order numbers', () => {
    expect(csvCell('card 4111111111111111 declined')).toBe('card 411111******1111 declined');
    expect(csvCell(4111111111111111)).toBe('411111******1111');
    expect(csvCell('TESTA20250816160804096')).toBe('TESTA20250816160804096');
  });
});

describe('history CSV', () => {
  it('starts with a BOM, uses CRLF, and writes one row per entry under the header', () => {
    const csv = historyToCsv([{ order: order(), lastEventAt: '2026-11-20T01:00:00.000Z' }]);
    expect(csv.startsWith(BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0]).toBe(HISTORY_COLUMNS.join(','));
    expect(lines[1]).toContain('2026-11-20T01:00:00.000Z,TESTA20250816160804096,B,,cancelled,604,PNR001,ABC123,');
    expect(lines[1]).toContain('ZHANG/WEI 张伟; =HYPERLINK(""x"")/EVIL');
    expect(lines[1]).toContain(',regenerate_then_pay,ann');
  });

  it('writes the file as UTF-8 with BOM and returns the row count', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'history.csv');
    const rows = writeHistoryCsv(path, [
      { order: order(), lastEventAt: 'a' },
      { order: order({ lastActor: '=evil()' }), lastEventAt: 'b' },
    ]);
    expect(rows).toBe(2);
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain("'=evil()");
    expect(bytes.toString('utf8')).toContain('张伟');
  });

  it('defuses the first cell of a row as well', () => {
    expect(toCsv(['h'], [['=x']])).toBe(`${BOM}h\r\n'=x\r\n`);
  });
});
