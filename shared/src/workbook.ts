/**
 * The one port every backend implements (in-memory, local .xlsx, Google Sheets API, Apps Script).
 * The rules never see a backend: they get a snapshot and return a plan of cell changes.
 */
import type { Cell, Row } from './cells';
import type { FormatRule, ValidationRule } from './layout';

export type MaybePromise<T> = T | Promise<T>;

/** A tab as read: its header row and the data rows below it (row 0 is the sheet's row 2). */
export interface TabSnapshot {
  readonly name: string;
  readonly header: string[];
  readonly rows: Row[];
}

/** Requested tabs by name; a tab the workbook lacks is absent. */
export type Snapshot = Record<string, TabSnapshot | undefined>;

export interface CellUpdate {
  /** Data row index (0 = first row under the header). */
  readonly row: number;
  /** Column index in the header as read, after `addColumns`. */
  readonly col: number;
  readonly value: Cell;
}

export interface TabPlan {
  readonly tab: string;
  /** Create the tab with this header when it does not exist. */
  readonly create?: { readonly header: readonly string[] };
  /** Headers to add at the right end of the existing header row (layout columns a user deleted). */
  readonly addColumns?: readonly string[];
  readonly updates?: readonly CellUpdate[];
  /**
   * Columns that identify a row (Progress: Email, Course slug). Updates address rows by index, so a
   * backend without a lock over the read–write window (Google Sheets, where people keep working)
   * checks these cells still hold what it read, and refuses the whole plan if rows were inserted,
   * deleted or sorted in between.
   */
  readonly anchorColumns?: readonly number[];
  /** Whole rows, laid out as the header reads after `addColumns`, added below the last row. */
  readonly appends?: readonly Row[];
  /** Report tabs: replace everything (header and rows) with this. */
  readonly replace?: { readonly header: readonly string[]; readonly rows: readonly Row[] };
  /** Conditional formatting to (re)apply; idempotent. */
  readonly formats?: readonly FormatRule[];
  readonly numberFormats?: Readonly<Record<string, string>>;
  /**
   * Data validation by header (choice lists, number ranges) on the column's data rows, applied
   * after `addColumns`. It replaces that column's earlier validation; a header the tab lacks is
   * skipped. Every backend applies it (the contract suite reads it back).
   */
  readonly validations?: readonly ValidationRule[];
}

export interface Plan {
  readonly tabs: readonly TabPlan[];
}

export interface Workbook {
  /** Reads the named tabs in one go (one API call where the backend allows it). */
  read(tabs: readonly string[]): MaybePromise<Snapshot>;
  /**
   * Applies a plan. All or nothing where the backend allows it; text is always stored as text
   * (never parsed into a formula, number or date).
   */
  apply(plan: Plan): MaybePromise<void>;
  /**
   * Every tab's name (optional). The sync calls it only when a layout tab it reads by anchor is
   * missing from a set-up workbook, to find the tab someone renamed and refuse rather than build a
   * second one. The add-on never syncs, so its Apps Script backend does not need it.
   */
  listTabs?(): MaybePromise<string[]>;
}

export function isEmptyPlan(plan: Plan): boolean {
  return plan.tabs.every(
    (t) => !t.create && !t.addColumns?.length && !t.updates?.length && !t.appends?.length && !t.replace && !t.formats?.length && !t.validations?.length,
  );
}

/** Cells a plan writes (header cells included), for reports and benchmarks. */
export function countPlanCells(plan: Plan, tab?: string): number {
  let n = 0;
  for (const t of plan.tabs) {
    if (tab && t.tab !== tab) continue;
    n += t.create?.header.length ?? 0;
    n += t.addColumns?.length ?? 0;
    n += t.updates?.length ?? 0;
    for (const r of t.appends ?? []) n += r.length;
    if (t.replace) n += t.replace.header.length + t.replace.rows.reduce((s, r) => s + r.length, 0);
  }
  return n;
}
