/**
 * Job → source and target: turns the ids/paths in job data into an ExportBatch and a Workbook.
 * The .xlsx target and export files are built in; the Google Sheets target and the Coursera API
 * source are plugged in by `defaultBackends` (or by tests, pointed at local fake servers).
 */
import fs from 'node:fs';
import type { ExportBatch } from '../../../shared/src/sync-plan';
import type { Workbook } from '../../../shared/src/workbook';
import { XlsxWorkbook, withWorkbookLock } from '../adapters/xlsx-workbook';
import { readExportFile } from '../sources/export-file';
import type { ReadProgress } from '../sources/export-rows';
import type { SyncSource, SyncTarget } from './job-data';

export type ProgressFn = (p: ReadProgress) => void;

/** Runs `fn` with the target's workbook open (and, for files, locked); the adapter owns cleanup. */
export type TargetRunner = <T>(target: SyncTarget, fn: (workbook: Workbook) => Promise<T>) => Promise<T>;
export type SourceReader = (source: SyncSource, onProgress: ProgressFn) => Promise<ExportBatch>;

/** Opens a Google Sheets spreadsheet by id as a Workbook. */
export type SheetsOpener = (spreadsheetId: string) => Promise<Workbook>;
/** Reads one Coursera program's enrollment report through the API. */
export type CourseraApiReader = (programId: string, onProgress: ProgressFn) => Promise<ExportBatch>;

export interface Backends {
  readonly runTarget: TargetRunner;
  readonly readSource: SourceReader;
}

/** A backend this build was configured without (the message tells the admin what is missing). */
export class BackendUnavailableError extends Error {
  readonly permanent = true;
}

export function makeBackends(options: { sheets?: SheetsOpener; courseraApi?: CourseraApiReader } = {}): Backends {
  return {
    async runTarget(target, fn) {
      if (target.kind === 'xlsx') {
        return withWorkbookLock(target.path, async () => fn(await XlsxWorkbook.open(target.path, { create: !fs.existsSync(target.path) })));
      }
      if (!options.sheets) throw new BackendUnavailableError('Google Sheets targets are not configured in this worker');
      return fn(await options.sheets(target.spreadsheetId));
    },
    async readSource(source, onProgress) {
      if (source.kind === 'export') return readExportFile(source.path, { onProgress });
      if (!options.courseraApi) throw new BackendUnavailableError('the Coursera API source is not configured in this worker');
      return options.courseraApi(source.programId, onProgress);
    },
  };
}
