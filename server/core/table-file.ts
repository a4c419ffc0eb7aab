// Tables people upload (CSV or XLSX) read into rows of text, for every module's import: the
// first row names the columns. exceljs is loaded only when a file is XLSX.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError, ruleViolation } from './errors.js';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_ROWS = 50_000;

/** An uploaded file as JSON: its name and its bytes in base64 (at most MAX_FILE_BYTES). */
export const uploadedFileFields = {
  fileName: z.string().trim().min(1).max(200),
  contentBase64: z
    .string()
    .min(1)
    .max(Math.ceil((MAX_FILE_BYTES * 4) / 3) + 8),
};

/** RFC 4180 CSV with the delimiter guessed from the header line (, ; or tab). */
export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = [';', '\t', ','].reduce(
    (best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best),
    ',',
  );
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      rows.push(row);
      row = [];
      if (rows.length > MAX_ROWS + 1) throw new AppError(413, 'IMPORT_TOO_LARGE');
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

type CellValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | { text?: string; result?: unknown; richText?: { text: string }[] };

function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if (Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if (typeof value.text === 'string') return value.text;
    if (value.result !== undefined) return String(value.result);
    return '';
  }
  return String(value);
}

/**
 * Streams the first sheet's rows: a loaded workbook holds every cell as an object (a 2 MB file
 * of 50 000 rows took 750 MB of heap), the stream only the rows kept here.
 */
async function parseXlsx(buffer: Buffer): Promise<string[][]> {
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // dates are numbers styled as dates
    worksheets: 'emit',
    entries: 'emit',
  });
  const rows: string[][] = [];
  for await (const sheet of reader) {
    for await (const row of sheet) {
      if (rows.length >= MAX_ROWS + 1) throw new AppError(413, 'IMPORT_TOO_LARGE');
      const cells: string[] = [];
      for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value as CellValue).trim());
      rows.push(cells);
    }
    break; // the first sheet only
  }
  return rows.filter((r) => r.some((cell) => cell !== ''));
}

/** Names an import accepts; a name without an extension is judged by its content. */
const FILE_NAME = /\.(csv|tsv|txt|xlsx)$/i;

/** Not a table we read: another extension (.xls, .pdf, .docx), or binary content that is not XLSX. */
function wrongFileType(fileName: string, buffer: Buffer, isZip: boolean): boolean {
  if (/\.[a-z0-9]{1,5}$/i.test(fileName) && !FILE_NAME.test(fileName)) return true;
  return !isZip && buffer.subarray(0, 8192).includes(0);
}

export async function readTable(fileName: string, buffer: Buffer): Promise<string[][]> {
  if (buffer.length > MAX_FILE_BYTES)
    throw new AppError(413, 'IMPORT_TOO_LARGE', { details: { field: 'file', maxBytes: MAX_FILE_BYTES } });
  const isZip = buffer.length > 4 && buffer[0] === 0x50 && buffer[1] === 0x4b;
  if (wrongFileType(fileName, buffer, isZip))
    throw new AppError(400, 'IMPORT_FILE_TYPE', { details: { field: 'file', allowed: ['.csv', '.xlsx'] } });
  try {
    if (isZip || /\.xlsx$/i.test(fileName)) return await parseXlsx(buffer);
    return parseCsv(buffer.toString('utf8'));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw ruleViolation('IMPORT_FILE_INVALID');
  }
}

/**
 * The file's columns (named by its first row; blank or repeated names made unique) and its
 * rows, each cell trimmed and one per column. An empty file is IMPORT_FILE_INVALID.
 */
export async function readUploadedTable(
  fileName: string,
  contentBase64: string,
): Promise<{ columns: string[]; rows: string[][] }> {
  const table = await readTable(fileName, Buffer.from(contentBase64, 'base64'));
  if (table.length === 0) throw ruleViolation('IMPORT_FILE_INVALID');
  const header = table[0]!.map((h, i) => h.trim() || `#${i + 1}`);
  const columns = header.map((h, i) => (header.indexOf(h) === i ? h : `${h} (${i + 1})`));
  const rows = table.slice(1).map((r) => columns.map((_, i) => (r[i] ?? '').trim()));
  if (rows.length > MAX_ROWS) throw new AppError(413, 'IMPORT_TOO_LARGE');
  return { columns, rows };
}

/** A header as compared with known words: lower case, without apostrophes and underscores. */
export function headerKey(column: string): string {
  return column
    .trim()
    .toLowerCase()
    .replace(/[ʻʼ'`‘’_]/g, '');
}

/** The field each column names (by its own name or a synonym), each field for one column only. */
export function suggestColumnMapping<F extends string>(
  columns: string[],
  fields: readonly F[],
  synonyms: Record<F, string[]>,
): Record<string, F | null> {
  const used = new Set<F>();
  const mapping: Record<string, F | null> = {};
  for (const column of columns) {
    const key = headerKey(column);
    const field =
      fields.find((f) => !used.has(f) && (f.toLowerCase() === key || synonyms[f].includes(key))) ?? null;
    if (field) used.add(field);
    mapping[column] = field;
  }
  return mapping;
}
