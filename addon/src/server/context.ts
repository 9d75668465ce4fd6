/**
 * What the server functions need from their host. In Apps Script: SpreadsheetApp, Session and the
 * clock; in the local harness: a MemoryWorkbook or .xlsx file and a chosen user. The functions
 * themselves are the same code in both.
 */
import type { Plan, Snapshot } from '../../../shared/src/workbook';
import type { FileHost } from './file-host';

/** The Workbook port with synchronous results: google.script.run functions cannot await. */
export interface SyncWorkbook {
  read(tabs: readonly string[]): Snapshot;
  apply(plan: Plan): void;
}

export interface ServerContext {
  readonly workbook: SyncWorkbook;
  /**
   * The workbook the Import's sync reads and writes through: like the CLI's sync it brings a
   * workbook whose Settings › Language changed into that language (tabs renamed, the sync's labels,
   * colour rules and pick-lists rewritten). Default: `workbook`.
   */
  readonly syncWorkbook?: SyncWorkbook;
  /** The active user's e-mail, lower-cased; '' when Apps Script does not reveal it. */
  userEmail(): string;
  /** The user's locale (`ru`, `kk_KZ`, `en_US`), for the language when Settings has none. */
  userLocale(): string;
  now(): number;
  /** Runs read → plan → write as one unit (the document lock in Apps Script), so no other user's write lands in between. */
  exclusive<T>(fn: () => T): T;
  /** Uploaded files (the Import sidebar); without it the import says it is unavailable here. */
  readonly files?: FileHost;
}
