/**
 * The one port every backend implements (in-memory, local .xlsx, Google Sheets API, Apps Script).
 * The rules never see a backend: they get a snapshot and return a plan of cell changes.
 */
import type { Cell, Row } from './cells';
import type { FormatRule, ValidationRule } from './layout';

export type MaybePromise<T> = T | Promise<T>;

/**
 * A tab as read: its header row and the data rows below it (row 0 is the sheet's row 2). Read-only:
 * backends may share row arrays with what they hold (the .xlsx scan cache, the in-memory tabs), so a
 * planner copies a row before changing it (ProgressTable, TableEdit), and an apply never changes a
 * snapshot read before it.
 */
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

/** Starts the description of every protection MOOC Desk makes: backends recognise (and replace) only these. */
export const PROTECTION_PREFIX = 'MOOC Desk:';

/**
 * Who may edit a tab or some of its columns, where the platform can enforce it (Google Sheets).
 * The .xlsx backend has no per-user protection and ignores it (a sheet password is not a person).
 */
export interface Protection {
  /** Starts with PROTECTION_PREFIX; with the column it identifies the protection across runs. */
  readonly description: string;
  /** Headers of the protected columns (every row); absent = the whole tab. A header the tab lacks is skipped. */
  readonly columns?: readonly string[];
  /**
   * E-mails that may edit, besides the spreadsheet's owner and the backend's own account (the
   * service account, the add-on's user), which a backend always keeps so it cannot lock itself out.
   * Ignored when `warningOnly`.
   */
  readonly editors?: readonly string[];
  /** Anyone may edit after confirming a warning. */
  readonly warningOnly?: boolean;
}

/**
 * The editors a backend grants for one protection, the same on every backend so they agree on what
 * is stored: none when warning-only, else the listed ones plus the backend's own account (`self`),
 * lower-cased, deduplicated and sorted. Throws for a description without PROTECTION_PREFIX, which
 * the backend could not recognise (and replace) on the next run.
 */
export function protectionGrantees(p: Protection, self?: string): string[] {
  if (!p.description.startsWith(PROTECTION_PREFIX))
    throw new Error(`protection "${p.description}" must start with "${PROTECTION_PREFIX}"`);
  if (p.warningOnly) return [];
  const all = [...(p.editors ?? []), ...(self ? [self] : [])].map((e) => e.trim().toLowerCase()).filter(Boolean);
  return [...new Set(all)].sort();
}

/**
 * How a tab should look (issue 12): applied by every backend that can show it; idempotent.
 * Widths are in characters (Excel's unit; ~7 px each in Google Sheets). Absent fields are left alone.
 */
export interface TabLook {
  /** Column width by header; a header the tab lacks is skipped. */
  readonly widths?: Readonly<Record<string, number>>;
  /** Columns frozen at the left (identity columns), besides the always-frozen header row. */
  readonly frozenColumns?: number;
  /** Header row bold and wrapped. */
  readonly headerStyle?: boolean;
  /** Report tabs: the last row of `replace` is a Total: bold, set apart, outside colour scales. */
  readonly totalRow?: boolean;
}

export interface TabPlan {
  readonly tab: string;
  /**
   * The tab is found under this earlier name (another language's, or today's English) and is
   * renamed to `tab` before anything else is applied. Ignored when no tab has that name.
   */
  readonly renameFrom?: string;
  /** Header cells rewritten in place (column index as read, before `addColumns`): e.g. a language switch. */
  readonly headerUpdates?: readonly { readonly col: number; readonly value: string }[];
  readonly look?: TabLook;
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
  /**
   * Data rows to remove (indexes as read, like `updates`), e.g. undoing an enrollment. Applied after
   * `updates` and before `appends`; the rows below move up. Guarded by `anchorColumns` like updates:
   * a backend where people keep working refuses the whole plan if rows moved since the read.
   */
  readonly deleteRows?: readonly number[];
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
  /**
   * Our protections on this tab become exactly these (by description and column; protections
   * people made themselves stay); absent = leave them as they are. Idempotent: a re-apply that
   * changes nothing sends nothing where the backend can tell.
   */
  readonly protections?: readonly Protection[];
}

export interface Plan {
  readonly tabs: readonly TabPlan[];
}

export interface Workbook {
  /** Reads the named tabs in one go (one API call where the backend allows it). */
  read(tabs: readonly string[]): MaybePromise<Snapshot>;
  /**
   * Applies a plan. All or nothing where the backend allows it; text is always stored as text
   * (never parsed into a formula, number or date). A backend that cannot tell whether a write was
   * applied throws a WRITE_OUTCOME_UNKNOWN error (./write-outcome.ts) rather than resend it.
   */
  apply(plan: Plan): MaybePromise<void>;
  /**
   * Every tab's name (optional). The sync calls it only when a layout tab it reads by anchor is
   * missing from a set-up workbook, to find the tab someone renamed and refuse rather than build a
   * second one. The add-on's import gets the tab names from the spreadsheet itself (FileHost.listTabs).
   */
  listTabs?(): MaybePromise<string[]>;
}

export function isEmptyPlan(plan: Plan): boolean {
  return plan.tabs.every(
    (t) =>
      !t.create &&
      !t.renameFrom &&
      !t.headerUpdates?.length &&
      !t.look &&
      !t.addColumns?.length &&
      !t.updates?.length &&
      !t.deleteRows?.length &&
      !t.appends?.length &&
      !t.replace &&
      !t.formats?.length &&
      !t.validations?.length &&
      !t.protections,
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

/** A plan's `deleteRows`, without repeats, bottom row first (the order every backend deletes in). */
export function rowsToDelete(t: TabPlan): number[] {
  return [...new Set(t.deleteRows ?? [])].sort((a, b) => b - a);
}
