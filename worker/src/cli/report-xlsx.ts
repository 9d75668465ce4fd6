/** A report as an .xlsx: one sheet per table, header bold and frozen, columns sized to their text. */
import ExcelJS from 'exceljs';
import type { Row } from '../../../shared/src/cells';
import { maxOf } from '../../../shared/src/max-of';

/** Text cells stay text (exceljs makes formulas only from formula objects); numbers stay numbers. */
export async function xlsxBuffer(sheets: { name: string; header: string[]; rows: Row[] }[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'MOOC Desk';
  for (const { name, header, rows } of sheets) {
    const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(header).font = { bold: true };
    for (const r of rows) ws.addRow(r.map((v) => (v === '' ? null : v)));
    ws.columns.forEach(
      (c, i) =>
        (c.width = Math.min(
          40,
          maxOf(rows, (r) => String(r[i] ?? '').length + 2, Math.max(10, header[i].length + 2)),
        )),
    );
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
