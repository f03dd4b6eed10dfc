import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

/**
 * A text cell a spreadsheet would read as a formula (= + - @, or a leading tab or carriage return)
 * gets a leading apostrophe, so it shows as text (OWASP "CSV injection"). Numbers stay numbers.
 */
export function spreadsheetSafe<T>(v: T): T | string {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export type Cell = string | number | null;

/**
 * A small table (aggregates, a report) as CSV with a byte-order mark, so spreadsheets read UTF-8;
 * every text cell spreadsheet-safe. Lists of many rows stream instead (residence-list.export).
 */
export function tableCsv(headers: string[], rows: Cell[][]): string {
  return stringify(
    rows.map((r) => r.map(spreadsheetSafe)),
    { header: true, bom: true, columns: headers.map((h) => String(spreadsheetSafe(h))) },
  );
}

export interface SheetSpec {
  name: string;
  headers: string[];
  rows: Cell[][];
  /** Excel number format per column index (e.g. money), where one applies. */
  numFmt?: Record<number, string>;
  /** Lines above the header (a title, the period, notes). */
  preamble?: string[];
}

/** Euros in a workbook: the reader's spreadsheet shows them in its own locale. */
export const EURO_FORMAT = '#,##0.00 [$€-x-euro1]';

/** Small tables as an XLSX workbook, one sheet each, header row bold; numbers stay numeric cells. */
export async function tablesXlsx(sheets: SheetSpec[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.replace(/[*?:\\/[\]]/g, ' ').slice(0, 31));
    for (const line of s.preamble ?? []) ws.addRow([spreadsheetSafe(line)]);
    if (s.preamble?.length) ws.addRow([]);
    const header = ws.addRow(s.headers.map(spreadsheetSafe));
    header.font = { bold: true };
    for (const r of s.rows) ws.addRow(r.map(spreadsheetSafe));
    for (const [i, fmt] of Object.entries(s.numFmt ?? {})) ws.getColumn(Number(i) + 1).numFmt = fmt;
    s.headers.forEach(
      (h, i) => (ws.getColumn(i + 1).width = Math.max(10, Math.min(40, h.length + 2))),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
