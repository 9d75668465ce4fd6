/** `mooc-desk report recognition --workbook F.xlsx --out recognition.xlsx|.csv`: the registrar's credit recognition report. */
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Row } from '../../../../shared/src/cells';
import { toCsv } from '../../../../shared/src/enrollment/csv';
import { recognitionReport } from '../../../../shared/src/enrollment/recognition';
import { existingWorkbook, readSnapshot, stagedFile } from '../admin-support';
import { parse, required } from '../args';
import { checkedOutputPath } from '../out-path';
import { CliError, EXIT, print, type Command } from '../io';
import { maxOf } from '../../../../shared/src/max-of';

const USAGE = 'mooc-desk report recognition --workbook FILE.xlsx --out REPORT.xlsx|REPORT.csv [--force]';
const REPORTS = ['recognition'];

export const run: Command = async (args, io) => {
  const { values, positionals } = parse(args, { workbook: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } }, USAGE);
  if (values.help) return print(io, USAGE), EXIT.ok;
  if (positionals.length !== 1 || !REPORTS.includes(positionals[0])) {
    throw new CliError(`name the report (${REPORTS.join(', ')})\n\nUsage: ${USAGE}`, EXIT.usage);
  }
  const file = existingWorkbook(io, required(values.workbook, '--workbook', USAGE));
  const out = checkedOutputPath(io.cwd, required(values.out, '--out', USAGE), { flag: '--out', inputs: { workbook: file }, force: values.force });
  const ext = path.extname(out).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv') throw new CliError(`--out ${values.out}: write the report as .xlsx or .csv`, EXIT.usage);
  const report = recognitionReport(await readSnapshot(file)); // a bad Settings, scale or catalog: exit 2 (main.ts)
  const data = ext === '.csv' ? toCsv(report.header, report.rows) : await xlsxBuffer(report.header, report.rows);
  stagedFile(out, data).commit();
  print(io, `Recognition report: ${report.rows.length} approved course result(s) → ${path.relative(io.cwd, out) || out}`);
  return EXIT.ok;
};

/** Text cells stay text (exceljs makes formulas only from formula objects); numbers stay numbers. */
async function xlsxBuffer(header: string[], rows: Row[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'MOOC Desk';
  const ws = book.addWorksheet('Recognition', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (v === '' ? null : v)));
  ws.columns.forEach((c, i) => (c.width = Math.min(40, maxOf(rows, (r) => String(r[i] ?? '').length + 2, Math.max(10, header[i].length + 2)))));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
  return Buffer.from(await book.xlsx.writeBuffer());
}
