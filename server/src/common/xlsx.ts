import type ExcelJS from 'exceljs';

/** Loaded on first use: exceljs is the heaviest module of the server and most processes never need it. */
const loadExcel = async () => (await import('exceljs')).default;

/**
 * Spreadsheet exports. A text cell that a spreadsheet would read as a formula (= + - @, or a
 * leading tab or carriage return) is prefixed with an apostrophe: CSV/formula injection (OWASP).
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export type CellValue = string | number | null | undefined;

export interface SheetSpec {
  name: string;
  columns: { header: string; key: string; width?: number; /** integer fen shown as yuan */ money?: boolean }[];
  rows: Record<string, CellValue>[];
  /** A last row of totals, in bold. */
  totals?: Record<string, CellValue>;
}

const safe = (v: CellValue, money: boolean | undefined): ExcelJS.CellValue => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return money ? v / 100 : v;
  return neutraliseFormula(v);
};

/** An .xlsx workbook of plain values (never formulas), money in yuan with two decimals. */
export async function buildWorkbook(sheets: SheetSpec[]): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  workbook.creator = 'StarFund';
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31));
    sheet.columns = spec.columns.map((c) => ({
      header: neutraliseFormula(c.header),
      key: c.key,
      width: c.width ?? 16,
      ...(c.money ? { style: { numFmt: '#,##0.00' } } : {}),
    }));
    sheet.getRow(1).font = { bold: true };
    const put = (r: Record<string, CellValue>) =>
      sheet.addRow(Object.fromEntries(spec.columns.map((c) => [c.key, safe(r[c.key], c.money)])));
    for (const r of spec.rows) put(r);
    if (spec.totals) put(spec.totals).font = { bold: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** CSV (RFC 4180, UTF-8 with BOM so that Excel reads Chinese), injection-neutralised too. */
export function buildCsv(header: string[], rows: CellValue[][]): string {
  const cell = (v: CellValue) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'number' ? String(v) : neutraliseFormula(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\ufeff${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Content-Disposition for a Chinese file name. */
export function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
