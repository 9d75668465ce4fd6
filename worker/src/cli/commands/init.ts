/** `mooc-desk init --workbook FILE.xlsx`: a new progress workbook from the template. */
import fs from 'node:fs';
import path from 'node:path';
import { templatePlan } from '../../../../shared/src/sync-plan';
import { XlsxWorkbook, withWorkbookLock } from '../../adapters/xlsx-workbook';
import { checkWorkbookPath } from '../../sync/workbook-file';
import { parse, required } from '../args';
import { CliError, EXIT, print, type Command } from '../io';

const USAGE = 'mooc-desk init --workbook FILE.xlsx';

export const run: Command = async (args, io) => {
  const { values } = parse(args, { workbook: { type: 'string' }, help: { type: 'boolean' } }, USAGE);
  if (values.help) return (print(io, USAGE), EXIT.ok);
  const given = required(values.workbook, '--workbook', USAGE);
  const file = checkWorkbookPath(path.resolve(io.cwd, given), given);
  if (fs.existsSync(file)) throw new CliError(`${given} already exists; init never overwrites a workbook`, EXIT.usage);
  await withWorkbookLock(file, async () => {
    const wb = await XlsxWorkbook.open(file, { create: true });
    await wb.apply({ tabs: templatePlan({}) });
  });
  print(
    io,
    `Created ${given} with the MOOC Desk template. Fill Settings, Roster and Courses, then run: mooc-desk sync EXPORT.csv --workbook ${given}`,
  );
  return EXIT.ok;
};
