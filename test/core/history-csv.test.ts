import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOM, csvCell, historyToCsv, toCsv, writeHistoryCsv, HISTORY_COLUMNS } from '../../electron/core/history-csv.ts';
import type { DeskOrder } from '../../shared/desk.ts';
import { cancelledAfterPayment, passenger } from '../support/order-details.ts';
import { tempDir } from '../support/temp-dir.ts';

const cleanups: (() => void)[] = [];

/** A strict RFC 4180 reader (every cell quoted, CRLF rows), to check what a spreadsheet would see. */
function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') throw new Error(`unquoted cell at ${i}`);
    let cell = '';
    for (i++; ; i++) {
      if (text[i] === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (text[i] === '"') break;
      else if (i >= text.length) throw new Error('unterminated cell');
      else cell += text[i];
    }
    i++;
    row.push(cell);
    if (text[i] === separator) i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return rows;
}

afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function order(overrides: Partial<DeskOrder> = {}): DeskOrder {
  const details = cancelledAfterPayment('604', { orderNo: 'TESTA20250816160804096', pnrCode: 'PNR001',
    passengers: [passenger('ZHANG/WEI 张伟', ['ABC123']), passenger('=HYPERLINK("x")/EVIL')], });
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
  it('quotes every cell, doubling quotes, per RFC 4180', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(12.5)).toBe('"12.5"');
    expect(csvCell(false)).toBe('"false"');
  });

  it('defuses cells that a spreadsheet would run as formulas', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('+SUM(A1)')).toBe(`"'+SUM(A1)"`);
    expect(csvCell('-2')).toBe(`"'-2"`);
    expect(csvCell('@cmd')).toBe(`"'@cmd"`);
    expect(csvCell('\tx')).toBe(`"'\tx"`);
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('\nx')).toBe(`"'\nx"`);
    expect(csvCell('\0x')).toBe(`"'\0x"`);
    expect(csvCell('=a,b')).toBe(`"'=a,b"`);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('defuses full-width formula signs and signs after leading white space', () => {
    for (const nasty of ['＝1+1', '＋1', '－1', '＠SUM(A1)', ' =1+1', '   +1', '\u3000=1', '\u00a0@x', ' \t-1', '\0=1', ' ＝cmd|calc']) {
      expect(csvCell(nasty), JSON.stringify(nasty)).toBe(`"'${nasty}"`);
    }
  });

  it('leaves ordinary text alone, including signs that are not at the start', () => {
    for (const fine of ['ZHANG/WEI 张伟', 'a=b', 'x-1', 'mail@host', 'A - B', "O'Brien"]) expect(csvCell(fine)).toBe(`"${fine}"`);
  });

  it('writes numbers as numbers, with a decimal comma in the semicolon dialect', () => {
    expect(csvCell(-5)).toBe('"-5"');
    expect(csvCell(3088.5, 'semicolon')).toBe('"3088,5"');
    expect(csvCell(3088.5, 'comma')).toBe('"3088.5"');
    expect(csvCell(Number.NaN)).toBe('""');
  });

  it('masks PAN-looking digit runs to first 6 / last 4 but keeps order numbers', () => {
    expect(csvCell('card 4111111111111111 declined')).toBe('"card 411111******1111 declined"');
    expect(csvCell(4111111111111111)).toBe('"411111******1111"');
    expect(csvCell('TESTA20250816160804096')).toBe('"TESTA20250816160804096"');
    expect(csvCell('=4111111111111111')).toBe(`"'=411111******1111"`);
  });
});

describe('history CSV', () => {
  it('starts with a BOM, uses CRLF, and writes one row per entry under the header', () => {
    const csv = historyToCsv([{ order: order(), lastEventAt: '2026-11-20T01:00:00.000Z', lastOsAccount: 'ann.os' }]);
    expect(csv.startsWith(BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0]).toBe(HISTORY_COLUMNS.map((c) => `"${c}"`).join(','));
    expect(lines[1]).toContain('"2026-11-20T01:00:00.000Z","TESTA20250816160804096","B","","cancelled","604","PNR001","ABC123",');
    expect(lines[1]).toContain('"ZHANG/WEI 张伟; =HYPERLINK(""x"")/EVIL"');
    expect(lines[1]).toMatch(/,"regenerate_then_pay","ann","ann\.os"$/);
  });

  it('uses ; between cells and a decimal comma in the semicolon dialect, still with the BOM and no sep= line', () => {
    const csv = historyToCsv([{ order: order(), lastEventAt: '2026-11-20T01:00:00.000Z', lastOsAccount: 'ann.os' }], 'semicolon');
    expect(csv.startsWith(`${BOM}"last_activity_utc";"order_no";`)).toBe(true);
    expect(csv).not.toMatch(/sep=/);
    const row = parseCsv(csv.slice(1), ';')[1]!;
    expect(row).toHaveLength(HISTORY_COLUMNS.length);
    expect(row[HISTORY_COLUMNS.indexOf('total_price')]).toMatch(/^\d+(,\d+)?$/);
  });

  it('keeps every row the same width whatever the values hold (a parser sees no extra cells)', () => {
    const evil = order({ lastActor: 'a,b;c\r\n"=d"\t', attentionReason: null });
    for (const separator of ['comma', 'semicolon'] as const) {
      const rows = parseCsv(historyToCsv([{ order: evil, lastEventAt: '=1', lastOsAccount: null }], separator).slice(1), separator === 'comma' ? ',' : ';');
      expect(rows).toHaveLength(2);
      expect(rows[1]).toHaveLength(HISTORY_COLUMNS.length);
      expect(rows[1]![HISTORY_COLUMNS.indexOf('last_actor')]).toBe(`a,b;c\r\n"=d"\t`);
      expect(rows[1]![0]).toBe("'=1");
    }
  });

  it('writes the file as UTF-8 with BOM and returns the row count', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'history.csv');
    const rows = writeHistoryCsv(path, [
      { order: order(), lastEventAt: 'a', lastOsAccount: null },
      { order: order({ lastActor: '=evil()' }), lastEventAt: 'b', lastOsAccount: '=os()' },
    ]);
    expect(rows).toBe(2);
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain("'=evil()");
    expect(bytes.toString('utf8')).toContain(`"'=os()"`);
    expect(bytes.toString('utf8')).toContain('张伟');
  });

  it('defuses the first cell of a row as well', () => {
    expect(toCsv(['h'], [['=x']])).toBe(`${BOM}"h"\r\n"'=x"\r\n`);
  });
});
