/**
 * The CSV side of reading a Coursera export, shared by the worker (streamed from disk) and the
 * add-on (a whole file sent by the sidebar): how the bytes are sniffed, the csv-parse options, and
 * what happens to each parsed record (line numbers, blank lines, the header, legacy encodings).
 * One implementation, so a file reads the same in the CLI, the queue and the sheet.
 */
import { parse } from 'csv-parse/sync';
import { ExportCollector, ExportFileError } from './export-collector';

export type CsvEncoding = 'utf8' | 'utf-16le' | 'utf-16be';

/** UTF-16 from Excel's "Unicode text" (by its BOM), else UTF-8 (with or without BOM). */
export function sniffEncoding(first: ArrayLike<number>): CsvEncoding {
  if (first[0] === 0xff && first[1] === 0xfe) return 'utf-16le';
  if (first[0] === 0xfe && first[1] === 0xff) return 'utf-16be';
  return 'utf8';
}

/** A comma; a semicolon or tab when Excel in a ru/kk locale re-saved the export. Only the header line is looked at. */
export function sniffDelimiter(text: string): string {
  const headerLine = text
    .slice(0, 8192)
    .split(/\r?\n/, 1)[0]
    .replace(/"[^"]*"/g, '');
  const count = (d: string) => headerLine.split(d).length - 1;
  return [',', ';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
}

/** The csv-parse options every reader uses. */
export const csvParseOptions = (delimiter: string) => ({ bom: true, relax_column_count: true, delimiter }) as const;

/** A csv-parse failure (or our own) as the error the user sees, naming the file and line. */
export function csvReadError(label: string, e: unknown): ExportFileError {
  if (e instanceof ExportFileError) return e;
  const err = e as Error & { code?: string; lines?: number };
  if (err.code?.startsWith('CSV_'))
    return new ExportFileError(`${label}: line ${err.lines ?? '?'}: malformed CSV — ${err.message}`);
  return new ExportFileError(`${label}: cannot read (${err?.message ?? String(e)})`);
}

/** Feeds parsed records to an ExportCollector, counting lines the way a text editor shows them. */
export class CsvRecordSink {
  readonly collector: ExportCollector;
  /** Data records seen (for progress reports). */
  rows = 0;
  private nextLine = 1;

  constructor(
    private readonly label: string,
    /** Why a record's text cannot be trusted (a damaged or legacy encoding), or null. */
    private readonly vet: (record: string[]) => string | null = () => null,
  ) {
    this.collector = new ExportCollector(label);
  }

  push(record: string[]): void {
    // One line per record plus the line breaks inside its quoted fields: csv-parse's own count
    // drifts on CRLF inside quotes. Empty lines arrive as [''] and count too.
    const line = this.nextLine++;
    for (const field of record)
      for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) this.nextLine++;
    if (record.length === 1 && record[0].trim() === '') return;
    const bad = this.vet(record);
    if (bad) throw this.refusal(line, bad);
    if (this.collector.hasHeader) {
      this.collector.row(record, line);
      this.rows++;
      return;
    }
    if (record.some((h) => h.includes('\uFFFD'))) throw this.refusal(line, 'not UTF-8 text');
    this.collector.header(record, line);
  }

  private refusal(line: number, why: string): ExportFileError {
    return new ExportFileError(
      `${this.label}: line ${line}: ${why} (in Excel, save it as "CSV UTF-8"; Coursera's own exports are UTF-8)`,
    );
  }
}

/** A whole CSV already decoded to text (the add-on: the file is in memory anyway). */
export function readExportCsvText(text: string, label: string): ExportCollector {
  const sink = new CsvRecordSink(label);
  try {
    const records: string[][] = parse(text, csvParseOptions(sniffDelimiter(text)));
    for (const record of records) sink.push(record);
  } catch (e) {
    throw csvReadError(label, e);
  }
  return sink.collector;
}
