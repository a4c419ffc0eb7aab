// Lists written out as files people open in a spreadsheet: CSV (UTF-8 with its mark, so Excel
// reads Cyrillic and Oʻzbek letters right) or XLSX through exceljs, loaded only when asked for.
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { tashkentDate } from './tashkent-time.js';

/** A cell: text as it is, a number as a number (XLSX sums it; CSV writes it plainly). */
export type Cell = string | number;

/** Where exported rows go one page at a time, so no export holds its rows as cells or objects. */
export type ExportSink = { add(rows: Cell[][]): void; finish(): Promise<Buffer> };

/** Rows an export reads and writes at a time. */
export const EXPORT_PAGE = 5000;
/** The most rows one export writes. */
export const EXPORT_MAX_ROWS = 200_000;

/**
 * Writes the rows `page(limit, offset)` reads, a page at a time, as `cells` lays them out, up to
 * EXPORT_MAX_ROWS; answers how many it wrote.
 */
export async function addPages<R>(
  sink: ExportSink,
  page: (limit: number, offset: number) => Promise<R[]>,
  cells: (row: R) => Cell[],
): Promise<number> {
  let exported = 0;
  while (exported < EXPORT_MAX_ROWS) {
    const rows = await page(Math.min(EXPORT_PAGE, EXPORT_MAX_ROWS - exported), exported);
    sink.add(rows.map(cells));
    exported += rows.length;
    if (rows.length < EXPORT_PAGE) break;
  }
  return exported;
}

export function csvCell(value: Cell): string {
  if (typeof value === 'number') return String(value);
  // A leading = + - @ would run as a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvSink(): ExportSink {
  const parts: Buffer[] = [Buffer.from('\uFEFF', 'utf8')];
  return {
    add(rows) {
      parts.push(Buffer.from(rows.map((r) => `${r.map(csvCell).join(',')}\r\n`).join(''), 'utf8'));
    },
    finish: async () => Buffer.concat(parts),
  };
}

/** XLSX through exceljs's streaming writer: each row is written out as it is added; the first is bold. */
export async function xlsxSink(sheetName: string): Promise<ExportSink> {
  const { default: ExcelJS } = await import('exceljs');
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName);
  let first = true;
  return {
    add(rows) {
      for (const values of rows) {
        const row = sheet.addRow(values);
        if (first) row.font = { bold: true };
        first = false;
        row.commit();
      }
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
      return Buffer.concat(chunks);
    },
  };
}

export const SPREADSHEET_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The format an export is asked for (`?format=`), CSV unless told. */
export const spreadsheetFormat = z.enum(['csv', 'xlsx']).default('csv');

/** What an export action answers: the file (a file route sends it as a download) and its rows. */
export const spreadsheetFileSchema = z.object({
  fileName: z.string(),
  contentType: z.string(),
  contentBase64: z.string(),
  rows: z.number().int(),
});

/**
 * The finished file of an export named `name-<date>.<format>` (today's date, unless `dated` is
 * false: a report that names its own period).
 */
export async function spreadsheetFile(
  sink: ExportSink,
  name: string,
  format: keyof typeof SPREADSHEET_TYPES,
  rows: number,
  dated = true,
): Promise<z.output<typeof spreadsheetFileSchema>> {
  const content = await sink.finish();
  return {
    fileName: `${dated ? `${name}-${tashkentDate()}` : name}.${format}`,
    contentType: SPREADSHEET_TYPES[format],
    contentBase64: content.toString('base64'),
    rows,
  };
}
