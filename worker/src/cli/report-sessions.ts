/** `mooc-desk report sessions`: the facilitated programme's report (shared/src/facilitated/sessions-report.ts). */
import path from 'node:path';
import { toCsv } from '../../../shared/src/enrollment/csv';
import { derivedPlan } from '../../../shared/src/facilitated/derived';
import { sessionsReport } from '../../../shared/src/facilitated/sessions-report';
import { SETTINGS_TAB } from '../../../shared/src/layout';
import { readSettings } from '../../../shared/src/settings';
import { parseAsOf } from '../../../shared/src/sync-plan';
import { decideAndApply, stagedFile } from './admin-support';
import { EXIT, print, type CliIo } from './io';
import { xlsxBuffer } from './report-xlsx';

const asOfFrom = (text: string | undefined, timeZone: string): number =>
  text ? parseAsOf(text, timeZone) : Date.now();

/** Brings the derived cells up to date (one locked write), then writes the report file(s) after it. */
export async function runSessionsReport(io: CliIo, file: string, out: string, asOfText?: string): Promise<number> {
  const ext = path.extname(out).toLowerCase();
  const files: { commit(): void; discard(): void }[] = [];
  const decided = await decideAndApply(
    file,
    (snapshot) => {
      const settings = readSettings(snapshot[SETTINGS_TAB.name]);
      const asOf = asOfFrom(asOfText, settings.timeZone);
      const derived = derivedPlan(snapshot, { settings, asOf });
      return {
        plan: { tabs: derived.tabs },
        report: sessionsReport(snapshot, settings, asOf),
        problems: derived.problems,
      };
    },
    {
      beforeApply: async ({ report }) => {
        const tables = [report.courses, report.cefr, report.attendance];
        if (ext === '.csv') {
          const side = (suffix: string) => out.slice(0, -ext.length) + suffix;
          files.push(stagedFile(out, toCsv(report.courses.header, report.courses.rows)));
          files.push(stagedFile(side('.cefr.csv'), toCsv(report.cefr.header, report.cefr.rows)));
          files.push(stagedFile(side('.attendance.csv'), toCsv(report.attendance.header, report.attendance.rows)));
        } else files.push(stagedFile(out, await xlsxBuffer(tables)));
      },
    },
  ).catch((e: unknown) => {
    for (const f of files) f.discard();
    throw e;
  });
  for (const f of files) f.commit();
  const { report } = decided;
  const shown = path.relative(io.cwd, out) || out;
  print(
    io,
    [
      `Sessions report → ${shown}: ${report.courses.rows.filter((r) => r[2] === 'Total').length} course(s), ${report.cefr.rows.length - 1} group(s), ${report.attendance.rows.length} session(s)`,
      ...decided.problems.map((p) => `  Warning: ${p}`),
    ].join('\n'),
  );
  return EXIT.ok;
}
