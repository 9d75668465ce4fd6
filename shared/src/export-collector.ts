/**
 * Turns the rows of any export file (CSV, XLSX sheet, CSV inside a ZIP) into an ExportBatch:
 * header mapped by name, every data row validated, bad rows kept with line and reason.
 */
import {
  exportRowIsValid,
  mapExportHeader,
  parseExportRow,
  type ExportHeaderMap,
  type ExportRecord,
  type RawValue,
  type RejectedRow,
} from './export-record';
import type { ExportBatch } from './sync-plan';
import { InputError } from './errors';
import { REJECTED_ROWS_PER_SYNC } from './rejected-log';
import { ValueInterner } from './value-interner';

/** The file is not a usable export at all (exit code 2; nothing is written). */
export class ExportFileError extends InputError {}

export interface ReadProgress {
  rows: number;
  bytes: number;
  totalBytes: number;
}

export interface ExportReadOptions {
  onProgress?: (p: ReadProgress) => void;
}

/** Accumulates rows; the header decides the mapping and refuses non-exports before any row. */
export class ExportCollector {
  private map: ExportHeaderMap | null = null;
  readonly records: { line: number; record: ExportRecord }[] = [];
  /** The first rejected rows (enough to fill the Rejected rows tab); the rest are only counted. */
  readonly rejected: RejectedRow[] = [];
  private rejectedNotKept = 0;
  /** Set by the reader when the text was not UTF-8/UTF-16 (e.g. `windows-1251`): the sync says so. */
  encoding?: string;
  private readonly texts = new ValueInterner();

  constructor(private readonly file: string) {}

  header(values: readonly RawValue[], line: number): void {
    const header = values.map((v) => (v === null || v === undefined ? '' : String(v)));
    const map = mapExportHeader(header);
    if (map.missing.length) {
      throw new ExportFileError(
        `${this.file}: not a Coursera progress export — line ${line} (the header) lacks column${map.missing.length > 1 ? 's' : ''} ${map.missing
          .map((m) => `"${m}"`)
          .join(
            ', ',
          )}. Expected a usage report / Course Activity export with Email, Course Slug, Overall Progress and Completed.`,
      );
    }
    this.map = map;
  }

  get hasHeader(): boolean {
    return this.map !== null;
  }

  row(values: readonly RawValue[], line: number): void {
    if (!this.map) throw new Error('row before header');
    if (values.every((v) => v === null || v === undefined || (typeof v === 'string' && v.trim() === ''))) return; // a blank line is not a row
    if (this.rejected.length >= REJECTED_ROWS_PER_SYNC && !exportRowIsValid(this.map, values))
      return void this.rejectedNotKept++;
    const parsed = parseExportRow(this.map, values, line);
    if (parsed.ok) this.records.push({ line, record: this.shareTexts(parsed.record) });
    else if (this.rejected.length < REJECTED_ROWS_PER_SYNC) this.rejected.push(parsed.rejected);
    else this.rejectedNotKept++; // bounded memory, whatever the number of bad rows (counted, not kept)
  }

  /** A 100k-row export names a few hundred courses: one string each, kept for the whole sync (see ValueInterner). */
  private shareTexts(r: ExportRecord): ExportRecord {
    const t = this.texts;
    r.slug = t.intern(0, r.slug);
    if (r.course !== null) r.course = t.intern(1, r.course);
    if (r.courseId !== null) r.courseId = t.intern(2, r.courseId);
    if (r.university !== null) r.university = t.intern(3, r.university);
    if (r.programSlug !== null) r.programSlug = t.intern(4, r.programSlug);
    return r;
  }

  finish(source: string, sha256: string): ExportBatch {
    if (!this.map) throw new ExportFileError(`${this.file}: empty file — no header row`);
    return {
      source,
      sha256,
      records: this.records,
      rejected: this.rejected,
      rejectedNotKept: this.rejectedNotKept,
      hasCertificateColumn: this.map.positions.certificateUrl !== undefined,
      ...(this.encoding ? { encoding: this.encoding } : {}),
    };
  }
}
