/** The embedded default: a Coursera export file (or one API program) into a local .xlsx workbook. */
import fs from 'node:fs';
import type { ExportBatch } from '../../../shared/src/sync-plan';
import { XlsxWorkbook, withWorkbookLock } from '../adapters/xlsx-workbook';
import { courseraConfigFromEnv, readCourseraApi } from '../sources/coursera-api';
import { readExportFile } from '../sources/export-file';
import type { ReadProgress } from '../../../shared/src/export-collector';
import { runSync, type RunSyncResult } from './run-sync';
import { assertXlsxPackage } from './workbook-file';

export interface SyncXlsxOptions {
  readonly asOf?: number | string;
  readonly onProgress?: (p: ReadProgress) => void;
  /** What the user should hear about the workbook file (a stale lock taken over, leftover temp files removed). */
  readonly notice?: (message: string) => void;
}

export async function syncExportIntoXlsx(
  exportFile: string,
  workbookFile: string,
  options: SyncXlsxOptions = {},
): Promise<RunSyncResult> {
  const startedAt = Date.now();
  // The whole export is read and validated before anything is written: a file that is not an export
  // never changes the workbook. Meanwhile the workbook's sheets inflate on zlib's thread pool.
  return withOpenWorkbook(workbookFile, options, async (workbook) => {
    const inflating = workbook.preload();
    inflating.catch(() => undefined); // an unreadable sheet is reported by the read itself
    const batch = await readExportFile(exportFile, { onProgress: options.onProgress });
    await inflating.catch(() => undefined);
    return runSync(workbook, batch, { asOf: options.asOf, startedAt });
  });
}

/**
 * One Coursera API program, with the COURSERA_* settings the queue's API source reads (no Redis).
 * Every page is read before the workbook is opened: a failed read leaves the file as it was.
 */
export async function syncApiProgramIntoXlsx(
  programId: string,
  workbookFile: string,
  options: SyncXlsxOptions & { readonly env?: NodeJS.ProcessEnv } = {},
): Promise<RunSyncResult> {
  const startedAt = Date.now();
  const batch = await readCourseraApi(courseraConfigFromEnv(options.env ?? process.env, { programId }));
  return syncBatchIntoXlsx(batch, workbookFile, options, startedAt);
}

async function syncBatchIntoXlsx(
  batch: ExportBatch,
  workbookFile: string,
  options: SyncXlsxOptions,
  startedAt: number,
): Promise<RunSyncResult> {
  return withOpenWorkbook(workbookFile, options, (workbook) =>
    runSync(workbook, batch, { asOf: options.asOf, startedAt }),
  );
}

/** The workbook opened under its lock (created when missing), for one sync. */
async function withOpenWorkbook<T>(
  workbookFile: string,
  options: SyncXlsxOptions,
  fn: (workbook: XlsxWorkbook) => Promise<T>,
): Promise<T> {
  if (fs.existsSync(workbookFile)) await assertXlsxPackage(workbookFile);
  return withWorkbookLock(
    workbookFile,
    async () => fn(await XlsxWorkbook.open(workbookFile, { create: !fs.existsSync(workbookFile) })),
    { notice: options.notice },
  );
}
