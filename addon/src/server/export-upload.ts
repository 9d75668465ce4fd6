/**
 * A file from the Import sidebar → the same ExportBatch the CLI reads from disk: the shared CSV
 * reader, the shared ZIP rules, the same line/column messages. XLSX is refused with what to do: the
 * add-on reads files without asking for Drive access.
 */
import { ExportFileError } from '../../../shared/src/export-collector';
import { readExportCsvText, sniffEncoding } from '../../../shared/src/export-csv';
import { exportCsvEntry, isXlsxEntries, isZipMagic } from '../../../shared/src/export-zip';
import type { ExportBatch } from '../../../shared/src/sync-plan';
import type { FileBlob, FileHost } from './file-host';

/** An .xlsx export: the add-on cannot read it without a new OAuth scope; the message says to save it as CSV. */
export class XlsxUploadError extends ExportFileError {}

export function readUploadedExport(host: FileHost, file: FileBlob): ExportBatch {
  const sha256 = host.sha256(file);
  if (!isZipMagic(file.head(4))) return csvOf(file, file.name).finish(file.name, sha256);
  let entries: FileBlob[];
  try {
    entries = host.unzip(file);
  } catch (e) {
    throw new ExportFileError(`${file.name}: not a readable ZIP (${(e as Error)?.message ?? String(e)})`);
  }
  const names = entries.map((e) => e.name);
  if (isXlsxEntries(names))
    throw new XlsxUploadError(`${file.name}: an .xlsx workbook — save the "Course Activity" sheet as CSV UTF-8`);
  const entry = exportCsvEntry(file.name, names);
  const label = `${file.name}:${entry}`;
  return csvOf(
    entries.find((e) => e.name === entry)!,
    label,
  ).finish(label, sha256);
}

function csvOf(file: FileBlob, label: string) {
  return readExportCsvText(file.text(sniffEncoding(file.head(2))), label);
}
