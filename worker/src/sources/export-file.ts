/**
 * Reads a Coursera admin export from disk, whichever form it comes in:
 * - CSV (2020 usage report, 2024–25 variants, 2026 CourseActivity: quoted, CRLF, BOM, newlines in quotes);
 * - XLSX (sheet "Course Activity" or "Learner Activity");
 * - ZIP of the six 2026 CSVs (CourseActivity is taken).
 * Streams: rows are validated as they arrive and only the validated records are kept.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { RawValue } from '../../../shared/src/export-record';
import type { ExportBatch } from '../../../shared/src/sync-plan';
import { CsvRecords } from './csv-records';
import { ExportCollector, ExportFileError, type ExportReadOptions } from '../../../shared/src/export-collector';
import {
  csvParseOptions,
  csvReadError,
  CsvRecordSink,
  sniffDelimiter,
  sniffEncoding,
} from '../../../shared/src/export-csv';
import { exportCsvEntry, isXlsxEntries, unsafeZipEntryName, unsafeZipError } from '../../../shared/src/export-zip';
import { ExportTextDecoder } from './export-text';

export { ExportFileError };

const XLSX_SHEETS = ['course activity', 'learner activity'];
/** Non-empty rows looked at for the header in an XLSX sheet (report titles may sit above it). */
const HEADER_SEARCH_ROWS = 10;

export async function readExportFile(file: string, options: ExportReadOptions = {}): Promise<ExportBatch> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ExportFileError(`${file}: no such file`);
  }
  if (!stat.isFile()) throw new ExportFileError(`${file}: not a file`);
  const name = path.basename(file);
  const magic = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, magic, 0, 4, 0);
  fs.closeSync(fd);
  const isZip = magic.readUInt32LE(0) === 0x04034b50;
  if (!isZip) {
    let hash = crypto.createHash('sha256');
    const open = () => {
      hash = crypto.createHash('sha256'); // of the read that reaches the end
      return fs.createReadStream(file).on('data', (chunk) => hash.update(chunk));
    };
    const collector = await readCsv(open, name, stat.size, options);
    return collector.finish(name, hash.digest('hex'));
  }
  const sha256 = await hashFile(file);
  const entries = await listZip(file);
  if (isXlsxEntries(entries)) return (await readXlsx(file, name, options)).finish(name, sha256);
  const csv = exportCsvEntry(name, entries);
  const collector = await readCsv(() => openZipEntry(file, csv), `${name}:${csv}`, stat.size, options);
  return collector.finish(`${name}:${csv}`, sha256);
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    fs.createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The encoding and delimiter from the first bytes (the rules: shared/src/export-csv.ts). */
export function sniffCsv(first: Buffer): { encoding: 'utf8' | 'utf-16le' | 'utf-16be'; delimiter: string } {
  const encoding = sniffEncoding(first);
  return { encoding, delimiter: sniffDelimiter(new TextDecoder(encoding).decode(first.subarray(0, 8192))) };
}

/**
 * CSV records into a collector. The fast splitter (./csv-records) reads UTF-8; where it is not
 * sure (other encodings, anything csv-parse would refuse or treat specially) csv-parse reads the
 * input again from the start, and judges.
 */
async function readCsv(
  open: () => Readable | Promise<Readable>,
  label: string,
  totalBytes: number,
  options: ExportReadOptions,
): Promise<ExportCollector> {
  return (
    (await readCsvFast(await open(), label, totalBytes, options)) ??
    readCsvParse(await open(), label, totalBytes, options)
  );
}

/** What both readers do with each record: the shared sink (lines, header, rows) plus progress reports. */
function recordSink(
  label: string,
  totalBytes: number,
  options: ExportReadOptions,
  vet?: (record: string[]) => string | null,
) {
  const sink = new CsvRecordSink(label, vet);
  return {
    collector: sink.collector,
    /** Throws what the user must fix (not an export, not UTF-8). */
    record(record: string[], bytes: number): void {
      const before = sink.rows;
      sink.push(record);
      if (sink.rows !== before && sink.rows % 5000 === 0) options.onProgress?.({ rows: sink.rows, bytes, totalBytes });
    },
    end(): void {
      options.onProgress?.({ rows: sink.rows, bytes: totalBytes, totalBytes });
    },
  };
}

/** The fast path: UTF-8 through CsvRecords. Resolves null (and stops reading) when csv-parse must read instead. */
function readCsvFast(
  input: Readable,
  label: string,
  totalBytes: number,
  options: ExportReadOptions,
): Promise<ExportCollector | null> {
  const sink = recordSink(label, totalBytes, options);
  let splitter: CsvRecords | null = null;
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      input.destroy();
      outcome();
    };
    const take = (chunk: Buffer, final: boolean) => {
      splitter ??= new CsvRecords(sniffCsv(chunk).delimiter);
      const records = splitter.push(final ? decoder.decode() : decoder.decode(chunk, { stream: true }), final);
      if (records === null) return settle(() => resolve(null));
      for (const r of records) sink.record(r, bytes);
    };
    input.on('error', (e) => settle(() => reject(csvReadError(label, e))));
    input.on('data', (chunk: Buffer) => {
      if (settled) return;
      bytes += chunk.length;
      if (!splitter && sniffCsv(chunk).encoding !== 'utf8') return settle(() => resolve(null));
      try {
        take(chunk, false);
      } catch (e) {
        settle(() => reject(csvReadError(label, e)));
      }
    });
    input.on('end', () => {
      if (settled) return;
      try {
        take(Buffer.alloc(0), true);
        if (settled) return;
        sink.end();
        settled = true;
        resolve(sink.collector);
      } catch (e) {
        settle(() => reject(csvReadError(label, e)));
      }
    });
  });
}

/** csv-parse, for what the fast path leaves to it; its errors name the line. */
function readCsvParse(
  input: Readable,
  label: string,
  totalBytes: number,
  options: ExportReadOptions,
): Promise<ExportCollector> {
  let parser: ReturnType<typeof parse> | null = null;
  let decoder: ExportTextDecoder | null = null;
  const sink = recordSink(label, totalBytes, options, (record) => decoder!.badLine(record));
  let bytes = 0;
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      input.destroy();
      parser?.destroy();
      reject(csvReadError(label, e));
    };
    const start = (first: Buffer) => {
      const sniffed = sniffCsv(first);
      decoder = new ExportTextDecoder(sniffed.encoding === 'utf8' ? 'utf-8' : sniffed.encoding);
      parser = parse(csvParseOptions(sniffed.delimiter));
      parser.on('error', fail);
      parser.on('data', (record: string[]) => {
        try {
          sink.record(record, bytes);
        } catch (e) {
          return fail(e);
        }
      });
      parser.on('end', () => {
        if (failed) return;
        if (decoder!.encoding === 'windows-1251') sink.collector.encoding = 'windows-1251';
        sink.end();
        resolve(sink.collector);
      });
    };
    input.on('error', fail);
    input.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (!parser) start(chunk);
      const more = parser!.write(decoder!.decode(chunk));
      if (!more) {
        input.pause();
        parser!.once('drain', () => input.resume());
      }
    });
    input.on('end', () => {
      if (!parser) start(Buffer.alloc(0));
      parser!.write(decoder!.end());
      parser!.end();
    });
  });
}

async function readXlsx(file: string, label: string, options: ExportReadOptions): Promise<ExportCollector> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    hyperlinks: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  let chosen: ExportCollector | null = null;
  const seen: string[] = [];
  let rows = 0;
  try {
    for await (const sheet of reader as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader & { name: string }>) {
      const sheetName = sheet.name ?? '';
      seen.push(sheetName);
      const wanted = XLSX_SHEETS.includes(sheetName.trim().toLowerCase());
      if (chosen) {
        for await (const _ of sheet) void _;
        continue;
      }
      const collector = new ExportCollector(`${label} [${sheetName}]`);
      let ok = true;
      let candidates = 0;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (!ok) continue;
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(toRaw);
        if (!collector.hasHeader) {
          if (values.every((v) => v === null || v === '')) continue;
          try {
            collector.header(values, row.number);
          } catch (e) {
            // A title or notes row above the table: look a few rows further for the header.
            if (++candidates < HEADER_SEARCH_ROWS) continue;
            // Not this sheet (e.g. a "Summary" sheet): remember why, try the next one.
            if (wanted) throw e;
            ok = false;
          }
          continue;
        }
        collector.row(values, row.number);
        if (++rows % 5000 === 0) options.onProgress?.({ rows, bytes: 0, totalBytes: 0 });
      }
      if (ok && collector.hasHeader) chosen = collector;
    }
  } catch (e) {
    if (e instanceof ExportFileError) throw e;
    throw new ExportFileError(`${label}: not a readable .xlsx export (${(e as Error).message})`);
  }
  if (!chosen)
    throw new ExportFileError(
      `${label}: no sheet "Course Activity" or "Learner Activity" with export columns (sheets: ${seen.join(', ')})`,
    );
  return chosen;
}

function toRaw(v: ExcelJS.CellValue): RawValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && !(v instanceof Date)) {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.hyperlink ?? v.text);
    if ('result' in v) return toRaw((v as ExcelJS.CellFormulaValue).result);
    if ('error' in v) return String(v.error);
  }
  return v as RawValue;
}

/** Entry names, read from the ZIP's directory; nothing is extracted. A ZIP with an unsafe name is refused whole. */
function listZip(file: string): Promise<string[]> {
  const refuse = (why: string) => unsafeZipError(path.basename(file), why);
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip)
        return reject(new ExportFileError(`${path.basename(file)}: not a readable ZIP (${err?.message})`));
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        if (unsafeZipEntryName(e.fileName)) {
          zip.close();
          return reject(refuse(e.fileName));
        }
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', (e: Error) =>
        reject(
          /path|file ?name/i.test(e.message)
            ? refuse(e.message)
            : new ExportFileError(`${path.basename(file)}: not a readable ZIP (${e.message})`),
        ),
      );
      zip.readEntry();
    });
  });
}

function openZipEntry(file: string, entryName: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`${file}: not a readable ZIP`));
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== entryName) return zip.readEntry();
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2 ?? new Error(`${file}: cannot read ${entryName}`));
          stream.on('end', () => zip.close());
          resolve(stream);
        });
      });
      zip.on('end', () => reject(new Error(`${entryName} vanished from the ZIP`)));
      zip.readEntry();
    });
  });
}
