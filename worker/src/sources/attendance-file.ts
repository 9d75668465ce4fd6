/**
 * Reads a Zoom or Google Meet attendance CSV from disk into numbered rows for the pure parser
 * (shared/src/facilitated/attendance-report.ts). The same sniffing as Coursera exports: UTF-8 with
 * or without BOM, UTF-16 from Excel's "Unicode text", comma, semicolon or tab; a legacy encoding
 * is refused rather than read as garbage. Reports are small (one meeting), so the file is read whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse/sync';
import {
  AttendanceFileError,
  parseAttendanceReport,
  type AttendanceReport,
  type ReportRow,
} from '../../../shared/src/facilitated/attendance-report';
import { sniffCsv } from './export-file';

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
  const { encoding, delimiter } = sniffCsv(bytes);
  const text = new TextDecoder(encoding).decode(bytes);
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0)
    throw new AttendanceFileError(
      `${shownAs}: line ${text.slice(0, bad).split('\n').length}: not UTF-8 text (in Excel, save it as "CSV UTF-8")`,
    );
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, delimiter, skip_empty_lines: false });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new AttendanceFileError(`${shownAs}: line ${err.lines ?? '?'}: malformed CSV — ${err.message}`);
  }
  return parseAttendanceReport(shownAs, numbered(records));
}

/** Line numbers as an editor shows them: a quoted field with line breaks spans several lines. */
function numbered(records: readonly string[][]): ReportRow[] {
  let next = 1;
  return records.map((cells) => {
    const line = next;
    next += 1 + cells.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
    return { line, cells };
  });
}
