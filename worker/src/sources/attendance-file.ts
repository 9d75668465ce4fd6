/**
 * Reads a Zoom or Google Meet attendance CSV from disk for the shared reader
 * (shared/src/facilitated/attendance-csv.ts, which the add-on's sidebar uses too). The same
 * sniffing as Coursera exports: UTF-8 with or without BOM, UTF-16 from Excel's "Unicode text"; a
 * legacy encoding is refused rather than read as garbage. Reports are small (one meeting), so the
 * file is read whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { sniffEncoding } from '../../../shared/src/export-csv';
import { readAttendanceCsvText } from '../../../shared/src/facilitated/attendance-csv';
import { AttendanceFileError, type AttendanceReport } from '../../../shared/src/facilitated/attendance-report';

/** Larger than any meeting's participants report; a bigger file is the wrong file. */
const MAX_BYTES = 20 * 1024 * 1024;

export function readAttendanceFile(file: string, shownAs = path.basename(file)): AttendanceReport {
  let bytes: Buffer;
  try {
    if (fs.statSync(file).size > MAX_BYTES)
      throw new AttendanceFileError(`${shownAs}: larger than 20 MB, not a meeting's attendance report`);
    bytes = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof AttendanceFileError) throw e;
    throw new AttendanceFileError(
      `${shownAs}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  return readAttendanceCsvText(new TextDecoder(sniffEncoding(bytes)).decode(bytes), shownAs);
}
