import type ExcelJS from 'exceljs';

/** Loaded on first use: exceljs is the heaviest module of the server and most processes never need it. */
const loadExcel = async () => (await import('exceljs')).default;
import { DomainError } from './errors.js';

/** Spreadsheet uploads (registry, paper forms): CSV text or an .xlsx workbook as base64. */
export type TableFormat = 'csv' | 'xlsx';

/**
 * RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF), with a UTF-8 BOM tolerated.
 * Throws on an unterminated quote.
 */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new SyntaxError('unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value);
}

const unreadable = (en: string) =>
  new DomainError(
    'IMPORT_UNREADABLE',
    { zh: '文件无法读取，请上传 CSV（UTF-8）或 .xlsx 文件', en: `The file cannot be read: ${en}` },
    { kind: 'invalid', field: 'content' },
  );

/** The first sheet (or the CSV) as rows of trimmed strings. Unreadable input is a 400 naming `content`. */
export async function readTable(format: TableFormat, content: string): Promise<string[][]> {
  if (format === 'csv') {
    try {
      return parseCsv(content);
    } catch (e) {
      throw unreadable((e as Error).message);
    }
  }
  const workbook = new (await loadExcel()).Workbook();
  try {
    const buffer = Buffer.from(content, 'base64');
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw unreadable((e as Error).message);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('the workbook has no sheet');
  const rows: string[][] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value).trim());
    rows[n - 1] = cells;
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return rows;
}
