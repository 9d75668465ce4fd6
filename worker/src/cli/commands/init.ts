/** `mooc-desk init --workbook FILE.xlsx`: a new progress workbook from the template. */
import fs from 'node:fs';
import { templatePlan } from '../../../../shared/src/sync-plan';
import { XlsxWorkbook, withWorkbookLock } from '../../adapters/xlsx-workbook';
import { parse, required } from '../args';
import { CliError, EXIT, print, type Command } from '../io';

const USAGE = 'mooc-desk init --workbook FILE.xlsx';

export const run: Command = async (args, io) => {
  const { values } = parse(args, { workbook: { type: 'string' }, help: { type: 'boolean' } }, USAGE);
  if (values.help) return (print(io, USAGE), EXIT.ok);
  const file = required(values.workbook, '--workbook', USAGE);
  if (fs.existsSync(file)) throw new CliError(`${file} already exists; init never overwrites a workbook`, EXIT.usage);
  await withWorkbookLock(file, async () => {
    const wb = await XlsxWorkbook.open(file, { create: true });
    await wb.apply({ tabs: templatePlan({}) });
  });
  print(
    io,
    `Created ${file} with the MOOC Desk template. Fill Settings, Roster and Courses, then run: mooc-desk sync EXPORT.csv --workbook ${file}`,
  );
  return EXIT.ok;
};
