import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { spreadsheetSafe } from '../../../web/spreadsheet';
import type { ListKind } from './residence-list.filter';
import type { ListRow } from './residence-list.queries';

export type ExportColumn =
  | 'personalCode'
  | 'givenName'
  | 'familyName'
  | 'birthDate'
  | 'address'
  | 'declaredFrom'
  | 'status'
  | 'children'
  | 'personsDeclared';

/** The columns of one list kind: given and family name apart; declarations count the persons declared, not children. */
export function exportColumns(kind: ListKind): readonly ExportColumn[] {
  const common: ExportColumn[] = [
    'personalCode',
    'givenName',
    'familyName',
    'birthDate',
    'address',
    'declaredFrom',
    'status',
  ];
  return [...common, kind === 'declarations' ? 'personsDeclared' : 'children'];
}

const cells = (columns: readonly ExportColumn[], r: ListRow): (string | number | null)[] =>
  columns.map((c) => spreadsheetSafe(r[c]));

/** Streams batches as CSV through csv-stringify, honouring back-pressure (memory stays flat). */
export async function writeCsv(
  out: Writable,
  columns: readonly ExportColumn[],
  headers: string[],
  batches: AsyncIterable<ListRow[]>,
): Promise<void> {
  const csv = stringify({ header: true, columns: headers.map(spreadsheetSafe), bom: true });
  csv.pipe(out);
  for await (const batch of batches) {
    for (const r of batch) {
      if (!csv.write(cells(columns, r))) await once(csv, 'drain');
    }
  }
  csv.end();
  await once(out, 'finish');
}

const DATE_COLUMNS = new Set<ExportColumn>(['birthDate', 'declaredFrom']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** In a workbook, dates are date cells (sortable, filterable, shown in the reader's locale), not text. */
const xlsxCells = (
  columns: readonly ExportColumn[],
  r: ListRow,
): (string | number | Date | null)[] =>
  columns.map((c) => {
    const v = r[c];
    if (DATE_COLUMNS.has(c) && typeof v === 'string' && ISO_DATE.test(v))
      return new Date(`${v}T00:00:00Z`);
    return spreadsheetSafe(v);
  });

/** Streams batches into an XLSX workbook (exceljs WorkbookWriter: rows are committed as written). */
export async function writeXlsx(
  out: Writable,
  sheetName: string,
  columns: readonly ExportColumn[],
  headers: string[],
  batches: AsyncIterable<ListRow[]>,
): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  ws.columns = columns.map((c) => (DATE_COLUMNS.has(c) ? { style: { numFmt: 'yyyy-mm-dd' } } : {}));
  ws.addRow(headers.map(spreadsheetSafe)).commit();
  for await (const batch of batches) {
    for (const r of batch) ws.addRow(xlsxCells(columns, r)).commit();
  }
  ws.commit();
  await wb.commit();
}
