/**
 * A `--workbook` path checked before anything is opened: it must name an .xlsx in an existing
 * folder, and an existing file must be an .xlsx package (exceljs reads any ZIP without complaint
 * and only fails when it writes, with a stack trace).
 */
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { InputError } from '../../../shared/src/errors';

export class WorkbookPathError extends InputError {}

/** Refuses a path that is not `*.xlsx` or whose folder does not exist (exit 2 through InputError). */
export function checkWorkbookPath(file: string, shown = file): string {
  if (path.extname(file).toLowerCase() !== '.xlsx')
    throw new WorkbookPathError(`--workbook ${shown}: a workbook is an .xlsx file (name it e.g. progress.xlsx)`);
  const folder = path.dirname(path.resolve(file));
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory())
    throw new WorkbookPathError(`--workbook ${shown}: the folder ${folder} does not exist (create it first)`);
  return file;
}

/** An existing workbook file must be an .xlsx package: a ZIP with [Content_Types].xml and xl/workbook.xml. */
export async function assertXlsxPackage(file: string): Promise<void> {
  const names = await zipEntries(file).catch(() => [] as string[]);
  if (!names.includes('[Content_Types].xml') || !names.includes('xl/workbook.xml'))
    throw new WorkbookPathError(
      `${file}: not a readable .xlsx workbook (not an Excel package). Restore it from a backup or point --workbook at another file.`,
    );
}

function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a ZIP'));
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
