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
    { zh: '文件无法读取，请上传 CSV（UTF-8 或 GBK）或 .xlsx 文件', en: `The file cannot be read: ${en}` },
    { kind: 'invalid', field: 'content' },
  );

/**
 * How a CSV upload's bytes were read. Excel on Chinese Windows saves CSV as GBK (a subset of
 * GB18030), elsewhere as UTF-8 with or without a BOM; `text` is CSV that arrived as a JSON string.
 */
export const CSV_ENCODINGS = ['utf-8', 'utf-8-bom', 'gb18030', 'text'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];
/** The encoding of an upload: one of the CSV encodings, or `xlsx` (a workbook carries its own). */
export type UploadEncoding = CsvEncoding | 'xlsx';

/** How `content` arrives: CSV as text (the default) or the file's bytes as base64 (CSV or .xlsx). */
export type ContentEncoding = 'text' | 'base64';

/**
 * Decodes a CSV file's bytes: a UTF-8 BOM, else strict UTF-8, else GB18030 (which includes GBK
 * and GB2312). Valid UTF-8 is tried first because a GBK file of Chinese text is almost never
 * valid UTF-8, while the reverse guess would garble every UTF-8 file.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: Exclude<CsvEncoding, 'text'> } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    try {
      return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'gb18030' };
    } catch {
      throw unreadable('the CSV is neither UTF-8 nor GBK/GB18030');
    }
  }
}

/** Labels of the detected encodings, shown in import previews. */
export const UPLOAD_ENCODING_LABELS: Record<UploadEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8（带 BOM）',
  gb18030: 'GBK / GB18030',
  text: 'UTF-8（文本）',
  xlsx: 'Excel 工作簿',
};

/**
 * Reads an upload: the first sheet of a workbook, or a CSV given as text or as its bytes in base64
 * (UTF-8 with or without BOM, or GBK/GB18030, detected). Returns the rows of trimmed strings and
 * the encoding found. Unreadable input is a 400 naming `content`.
 */
export async function readUpload(
  format: TableFormat,
  content: string,
  contentEncoding: ContentEncoding = 'text',
): Promise<{ rows: string[][]; encoding: UploadEncoding }> {
  if (format === 'xlsx') return { rows: await readTable('xlsx', content), encoding: 'xlsx' };
  if (contentEncoding === 'text') return { rows: await readTable('csv', content), encoding: 'text' };
  const { text, encoding } = decodeCsvBytes(Buffer.from(content, 'base64'));
  return { rows: await readTable('csv', text), encoding };
}

/** The first sheet (or the CSV text) as rows of trimmed strings. Unreadable input is a 400 naming `content`. */
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
