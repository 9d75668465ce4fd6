/**
 * `mooc-desk demo [--workbook demo/progress.xlsx] [--json]`: the embedded default. Builds the demo
 * workbook (template + sample roster and course catalog) when missing, then syncs the real sample
 * export into it. No Google account, no Redis.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Cell } from '../../../../shared/src/cells';
import { indexColumns, SETTINGS_TAB } from '../../../../shared/src/layout';
import { templatePlan } from '../../../../shared/src/sync-plan';
import type { TabPlan } from '../../../../shared/src/workbook';
import { XlsxWorkbook, withWorkbookLock } from '../../adapters/xlsx-workbook';
import { checkWorkbookPath } from '../../sync/workbook-file';
import { parse } from '../args';
import { EXIT, print, type Command } from '../io';
import { run as sync } from './sync';

const DEMO_DIR = path.resolve(__dirname, '../../../../demo');
const USAGE = 'mooc-desk demo [--workbook demo/progress.xlsx] [--json]';
/** The sample is a 2020 cohort: judge it as of the end of its term, reproducibly. */
const DEMO_AS_OF = '2020-03-01';
const DEMO_SETTINGS: Record<string, Cell> = { 'Default deadline': '2020-03-31', Cohort: '2020 spring' };

function csvRows(file: string): string[][] {
  const rows: string[][] = parseCsv(fs.readFileSync(file), { bom: true, skip_empty_lines: true });
  return rows;
}

export const run: Command = async (args, io) => {
  const { values } = parse(
    args,
    { workbook: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    USAGE,
  );
  if (values.help) return (print(io, USAGE), EXIT.ok);
  const file = path.resolve(io.cwd, values.workbook ?? path.join(DEMO_DIR, 'progress.xlsx'));
  checkWorkbookPath(file, values.workbook);
  if (!fs.existsSync(file)) {
    await withWorkbookLock(file, async () => {
      const wb = await XlsxWorkbook.open(file, { create: true });
      const tabs: TabPlan[] = templatePlan({}).map((t) => {
        if (t.tab === SETTINGS_TAB.name) {
          const idx = indexColumns(SETTINGS_TAB, t.create!.header);
          return {
            ...t,
            appends: t.appends?.map((r) =>
              String(r[idx.setting]) in DEMO_SETTINGS ? [r[idx.setting], DEMO_SETTINGS[String(r[idx.setting])]] : r,
            ),
          };
        }
        const seed = { Roster: 'roster.csv', Courses: 'courses.csv' }[t.tab];
        if (!seed) return t;
        const [header, ...rows] = csvRows(path.join(DEMO_DIR, seed));
        const positions = t.create!.header.map((h) => header.indexOf(h));
        return {
          ...t,
          appends: rows.map((r) =>
            positions.map((p) =>
              p >= 0 ? (t.tab === 'Courses' && header[p] === 'Credits' ? Number(r[p]) : r[p] || null) : null,
            ),
          ),
        };
      });
      await wb.apply({ tabs });
    });
    if (!values.json)
      print(
        io,
        `Created ${path.relative(io.cwd, file)} with the sample roster (demo/roster.csv) and course catalog (demo/courses.csv).`,
      );
  }
  const exportFile = path.join(DEMO_DIR, 'usage-report_2020_19col_fpt.csv');
  return sync([exportFile, '--workbook', file, '--as-of', DEMO_AS_OF, ...(values.json ? ['--json'] : [])], io);
};
