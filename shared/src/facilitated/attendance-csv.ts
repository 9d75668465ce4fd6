/**
 * A Zoom or Google Meet attendance CSV, already decoded to text, into attendee lines: the one
 * reader behind `mooc-desk attendance import` (which reads the file from disk) and the add-on's
 * attendance sidebar (which gets the file from the browser). Comma, semicolon or tab, as Excel in a
 * ru/kk locale re-saves it; text that did not decode (a legacy encoding) is refused naming the line
 * rather than matched as garbage. Line numbers are the editor's: a quoted field with line breaks
 * spans several lines.
 */
import { parse } from 'csv-parse/sync';
import { csvParseOptions, sniffDelimiter } from '../export-csv';
import { AttendanceFileError, parseAttendanceReport, type AttendanceReport, type ReportRow } from './attendance-report';

export function readAttendanceCsvText(text: string, shownAs: string): AttendanceReport {
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0)
    throw new AttendanceFileError(
      `${shownAs}: line ${text.slice(0, bad).split('\n').length}: not UTF-8 text (in Excel, save it as "CSV UTF-8")`,
    );
  let records: string[][];
  try {
    records = parse(text, csvParseOptions(sniffDelimiter(text)));
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new AttendanceFileError(`${shownAs}: line ${err.lines ?? '?'}: malformed CSV — ${err.message}`);
  }
  return parseAttendanceReport(shownAs, numbered(records));
}

function numbered(records: readonly string[][]): ReportRow[] {
  let next = 1;
  return records.map((cells) => {
    const line = next;
    next += 1 + cells.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
    return { line, cells };
  });
}
