import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildCsv, buildWorkbook, neutraliseFormula } from './xlsx.js';

const INJECTIONS = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];

describe('spreadsheet exports neutralise formula injection', () => {
  it('prefixes every formula trigger with an apostrophe and leaves ordinary text alone', () => {
    for (const s of INJECTIONS) expect(neutraliseFormula(s)).toBe(`'${s}`);
    expect(neutraliseFormula('长白社区')).toBe('长白社区');
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });

  it('CSV: neutralised cells, RFC 4180 quoting, a BOM for Excel, numbers untouched', () => {
    const csv = buildCsv(
      ['名称', '金额'],
      [
        [INJECTIONS[0]!, 123],
        ['含,逗号', -5],
        ['引"号', null],
      ],
    );
    expect(csv.startsWith('\ufeff')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")",123`);
    expect(lines[2]).toBe('"含,逗号",-5');
    expect(lines[3]).toBe('"引""号",');
  });

  it('xlsx: no cell of the workbook is a formula, headers included', async () => {
    const buffer = await buildWorkbook([
      {
        name: 'x',
        columns: [
          { header: '=evil()', key: 'a' },
          { header: '金额', key: 'b', money: true },
        ],
        rows: INJECTIONS.map((s, i) => ({ a: s, b: i * 100 })),
      },
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const values: unknown[] = [];
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.formula).toBeFalsy();
        values.push(cell.value);
      }),
    );
    expect(values).toContain("'=evil()");
    expect(values).toContain(`'${INJECTIONS[0]}`);
  });
});
