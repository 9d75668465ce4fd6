/** Which entry of an export ZIP is read, and which ZIPs are refused: the same rules in the worker and the add-on. */
import { ExportFileError } from './export-collector';

const COURSE_ACTIVITY_CSV = /(^|\/)course[-_ ]?activity[^/]*\.csv$/i;

/** The 4 bytes every ZIP (and so every .xlsx) starts with. */
export const isZipMagic = (first: ArrayLike<number>): boolean =>
  first[0] === 0x50 && first[1] === 0x4b && first[2] === 0x03 && first[3] === 0x04;

/** An entry name that could land outside a folder it were extracted to (`../x`, `/x`, `C:\\x`). */
export function unsafeZipEntryName(name: string): boolean {
  return /^([/\\]|[a-z]:)/i.test(name) || name.split(/[/\\]/).includes('..');
}

export function unsafeZipError(file: string, why: string): ExportFileError {
  return new ExportFileError(
    `${file}: refused — unsafe entry name in the ZIP (${why}); nothing was extracted. Download the export from Coursera again.`,
  );
}

/** An .xlsx is a ZIP with a content-types part and an `xl/` folder. */
export const isXlsxEntries = (entries: readonly string[]): boolean =>
  entries.includes('[Content_Types].xml') && entries.some((e) => e.startsWith('xl/'));

/** The 2026 ZIP's CourseActivity CSV, else its only CSV; refuses a ZIP with an unsafe name or without a CSV. */
export function exportCsvEntry(file: string, entries: readonly string[]): string {
  const unsafe = entries.find(unsafeZipEntryName);
  if (unsafe !== undefined) throw unsafeZipError(file, unsafe);
  const csvs = entries.filter((e) => /\.csv$/i.test(e));
  const csv = entries.find((e) => COURSE_ACTIVITY_CSV.test(e)) ?? (csvs.length === 1 ? csvs[0] : undefined);
  if (!csv)
    throw new ExportFileError(
      `${file}: a ZIP without a CourseActivity CSV (found: ${entries.join(', ') || 'nothing'})`,
    );
  return csv;
}
