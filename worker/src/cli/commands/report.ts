/** `mooc-desk report recognition --workbook F.xlsx --out recognition.xlsx|.csv`: the registrar's credit recognition report. */
import path from 'node:path';
import { toCsv } from '../../../../shared/src/enrollment/csv';
import { recognitionReport } from '../../../../shared/src/enrollment/recognition';
import { existingWorkbook, readSnapshot, stagedFile } from '../admin-support';
import { parse, required } from '../args';
import { checkedOutputPath } from '../out-path';
import { CliError, EXIT, print, type Command } from '../io';
import { COMPARE_USAGE, runCompare } from '../report-compare';
import { xlsxBuffer } from '../report-xlsx';
import { runSessionsReport } from '../report-sessions';

const RECOGNITION_USAGE = 'mooc-desk report recognition --workbook FILE.xlsx --out REPORT.xlsx|REPORT.csv [--force]';
const SESSIONS_USAGE =
  'mooc-desk report sessions --workbook FILE.xlsx --out REPORT.xlsx|REPORT.csv [--force] [--as-of DATE]';
const USAGE = `${RECOGNITION_USAGE}\n       ${SESSIONS_USAGE}\n       ${COMPARE_USAGE}`;
const HELP = `${USAGE}

Every approval the Audit backs (Points, Letter, Approved by and Approved at equal the latest
approve or override entry), with an Override column giving an admin override's reason. Rows whose
approval cells do not match the audit are left out and listed apart: in an .xlsx on a second sheet
"Left out (unverified)", with a .csv in REPORT.unverified.csv beside it.

compare: per school, the change between two dates of the Summary history tab (each sync adds its
as-of day): the nearest date on or before --from and on or before --to.

sessions: the facilitated programme — per course, participants vs completed vs certified by
Category and by Field; the CEFR level spread per group; attendance per session. An .xlsx has one
sheet each; a .csv gets REPORT.cefr.csv and REPORT.attendance.csv beside it. --as-of (default
now) counts only completions on or before that date, for interim figures. The workbook's derived
cells (CEFR level, attendance, flags) are brought up to date first.`;
const UNVERIFIED_SHEET = 'Left out (unverified)';
const REPORTS = ['recognition', 'compare', 'sessions'];

export const run: Command = async (args, io) => {
  const { values, positionals } = parse(
    args,
    {
      workbook: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      'as-of': { type: 'string' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) return (print(io, HELP), EXIT.ok);
  if (positionals.length !== 1 || !REPORTS.includes(positionals[0])) {
    throw new CliError(`name the report (${REPORTS.join(', ')})\n\nUsage: ${USAGE}`, EXIT.usage);
  }
  const file = existingWorkbook(io, required(values.workbook, '--workbook', USAGE));
  if (positionals[0] === 'compare') return runCompare(io, file, values);
  const out = checkedOutputPath(io.cwd, required(values.out, '--out', USAGE), {
    flag: '--out',
    inputs: { workbook: file },
    force: values.force,
  });
  const ext = path.extname(out).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv')
    throw new CliError(`--out ${values.out}: write the report as .xlsx or .csv`, EXIT.usage);
  if (positionals[0] === 'sessions') return runSessionsReport(io, file, out, values['as-of']);
  const report = recognitionReport(await readSnapshot(file)); // a bad Settings, scale or catalog: exit 2 (main.ts)
  const { unverified } = report;
  const shown = (f: string) => path.relative(io.cwd, f) || f;
  const sideFile = out.slice(0, -ext.length) + '.unverified.csv';
  const files = [];
  if (ext === '.csv') {
    files.push(stagedFile(out, toCsv(report.header, report.rows)));
    if (unverified.rows.length) files.push(stagedFile(sideFile, toCsv(unverified.header, unverified.rows)));
  } else {
    files.push(
      stagedFile(
        out,
        await xlsxBuffer([
          { name: 'Recognition', ...report },
          ...(unverified.rows.length ? [{ name: UNVERIFIED_SHEET, ...unverified }] : []),
        ]),
      ),
    );
  }
  for (const f of files) f.commit();
  print(io, `Recognition report: ${report.rows.length} approved course result(s) → ${shown(out)}`);
  if (unverified.rows.length) {
    const where = ext === '.csv' ? shown(sideFile) : `sheet "${UNVERIFIED_SHEET}"`;
    const rows = unverified.rows.map((r) => r[0]).join(', ');
    print(
      io,
      `${unverified.rows.length} approvals left out: not matching the audit (rows ${rows}) → ${where}. An admin adopts one only by approving it again (mooc-desk approve).`,
    );
  }
  return EXIT.ok;
};
