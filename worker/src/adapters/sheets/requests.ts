/**
 * A plan of cell changes → `spreadsheets.batchUpdate` requests. Pure: no I/O, so the size and the
 * shape of what we send are testable and benchmarkable.
 *
 * Values go as `userEnteredValue.stringValue/numberValue/boolValue`: text is stored as text, never
 * parsed into a formula, number or date (the batchUpdate equivalent of `valueInputOption: RAW`).
 * Only addressed cells are written (neighbours merged into blocks), never whole rows, so a human's
 * edit to any other cell between our read and our write survives. Appends use `appendCells`, which
 * lands below whatever is the last row *at write time* (a row a human added meanwhile is kept).
 */
import type { sheets_v4 } from 'googleapis';
import type { Cell, Row } from '../../../../shared/src/cells';
import { normalizeHeader } from '../../../../shared/src/layout';
import { rowsToDelete, type CellUpdate, type Plan, type TabPlan } from '../../../../shared/src/workbook';
import { conditionalFormatRequests, type CfRule } from './conditional-formats';
import { dataValidationRequest } from './data-validation';
import { lookRequests } from './look';
import { formattedRows } from '../../../../shared/src/look';
import { protectionRequests } from './protections';
import { maxOf } from '../../../../shared/src/max-of';

export type Request = sheets_v4.Schema$Request;
type CellData = sheets_v4.Schema$CellData;

export interface SheetMeta {
  readonly sheetId: number;
  readonly title: string;
  rowCount: number;
  columnCount: number;
  /** Frozen rows and columns, and column widths in pixels by index, as fetched (absent = unknown). */
  readonly frozenRowCount?: number;
  readonly frozenColumnCount?: number;
  readonly columnWidths?: readonly number[];
  readonly conditionalFormats: readonly CfRule[];
  /** Protected ranges as last fetched (ours are recognised by their description). */
  readonly protectedRanges?: readonly sheets_v4.Schema$ProtectedRange[];
}

export interface BuildInput {
  readonly plan: Plan;
  /** Sheets by title, as the spreadsheet has them now. */
  readonly sheets: ReadonlyMap<string, SheetMeta>;
  /** Header rows as last read (needed for addColumns / formats on tabs the plan does not create). */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** Picks ids for new sheets (we choose them so later requests in the batch can refer to them). */
  readonly newSheetId: () => number;
  /** Target size of one request, so a big write can be split between batchUpdate calls. */
  readonly maxRequestBytes?: number;
  /** The account that writes (the service account): kept as an editor of every protection we make. */
  readonly self?: string;
}

export interface BuildOutput {
  readonly requests: Request[];
  /** True when the requests delete conditional-format rules by index (needs fresh metadata). */
  readonly deletesByIndex: boolean;
}

/** Thrown before anything is sent: the plan cannot apply to this spreadsheet. */
export class PlanMismatchError extends Error {}

export function cellData(value: Cell | undefined): CellData {
  if (value === null || value === undefined || value === '') return {};
  if (typeof value === 'number') return Number.isFinite(value) ? { userEnteredValue: { numberValue: value } } : {};
  if (typeof value === 'boolean') return { userEnteredValue: { boolValue: value } };
  return { userEnteredValue: { stringValue: value } };
}

function byteSize(x: unknown): number {
  return Buffer.byteLength(JSON.stringify(x));
}

/** Sorted updates → rectangular blocks: runs of neighbouring columns, stacked when rows repeat the same run. */
export function mergeUpdates(
  updates: readonly CellUpdate[],
  maxBlockBytes = 1_000_000,
): { row: number; col: number; rows: Cell[][] }[] {
  const sorted = [...updates].sort((a, b) => a.row - b.row || a.col - b.col);
  const runs: { row: number; col: number; values: Cell[] }[] = [];
  for (const u of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.row === u.row && last.col + last.values.length === u.col) last.values.push(u.value);
    else if (last && last.row === u.row && last.col + last.values.length - 1 === u.col)
      last.values[last.values.length - 1] = u.value; // same cell twice: last wins
    else runs.push({ row: u.row, col: u.col, values: [u.value] });
  }
  const blocks: { row: number; col: number; rows: Cell[][]; bytes: number }[] = [];
  for (const run of runs) {
    const b = blocks[blocks.length - 1];
    const size = byteSize(run.values) * 3; // cellData is ~3× the bare values
    if (
      b &&
      b.col === run.col &&
      b.rows[0].length === run.values.length &&
      b.row + b.rows.length === run.row &&
      b.bytes + size <= maxBlockBytes
    ) {
      b.rows.push(run.values);
      b.bytes += size;
    } else blocks.push({ row: run.row, col: run.col, rows: [run.values], bytes: size });
  }
  return blocks.map(({ row, col, rows }) => ({ row, col, rows }));
}

function trimRow(row: readonly Cell[]): Cell[] {
  let n = row.length;
  while (n > 0 && (row[n - 1] === null || row[n - 1] === '' || row[n - 1] === undefined)) n--;
  return row.slice(0, n);
}

export function buildRequests(plain: BuildInput): BuildOutput {
  const requests: Request[] = [];
  const input = renameTabs(plain, requests);
  checkTabsExist(input.plan, input.sheets);
  const maxBytes = Math.max(10_000, Math.floor((input.maxRequestBytes ?? 8_000_000) / 4));
  let deletesByIndex = false;
  const created = new Map<string, SheetMeta>();
  for (const t of input.plan.tabs) {
    const tab = openTab(t, input, created, requests);
    if (t.headerUpdates?.length) updateHeaderCells(tab, t.headerUpdates, requests);
    if (t.replace) replaceTab(tab, t.replace, requests);
    if (t.addColumns?.length) addColumns(tab, t.addColumns, requests);
    if (t.updates?.length) updateCells(tab, t.updates, maxBytes, requests);
    if (t.deleteRows?.length) deleteRows(tab, rowsToDelete(t), requests);
    if (t.appends?.length) appendRows(tab.sheet, t.appends, maxBytes, requests);
    const colOf = columnFinder(tab.header);
    const headerWritten = !input.sheets.has(t.tab) || !!t.replace || !!t.addColumns?.length;
    for (const r of lookRequests({ sheet: tab.sheet, headerWritten }, t, colOf)) requests.push(r);
    numberFormats(tab.sheet.sheetId, t.numberFormats ?? {}, colOf, requests);
    for (const v of t.validations ?? []) {
      const c = colOf(v.column);
      if (c >= 0) requests.push(dataValidationRequest(v, tab.sheet.sheetId, c));
    }
    if (t.protections)
      for (const r of protectionRequests(tab.sheet, t.protections, colOf, input.self)) requests.push(r);
    if (t.formats) {
      const rows = formattedRows(t.look, t.replace?.rows.length);
      const { sheetId, conditionalFormats, rowCount } = tab.sheet;
      const cf = conditionalFormatRequests(sheetId, conditionalFormats, t.formats, colOf, rows, rowCount);
      for (const r of cf.requests) requests.push(r);
      deletesByIndex ||= cf.deletesByIndex;
    }
  }
  return { requests, deletesByIndex };
}

/**
 * Tabs found under an earlier name (`renameFrom`, e.g. another language's) are renamed first, in
 * the same batch; the rest of the plan then addresses them by their new name.
 */
function renameTabs(input: BuildInput, out: Request[]): BuildInput {
  const renames = input.plan.tabs.filter(
    (t) => t.renameFrom && t.renameFrom !== t.tab && !input.sheets.has(t.tab) && input.sheets.has(t.renameFrom),
  );
  if (!renames.length) return input;
  const sheets = new Map(input.sheets);
  const headers = new Map(input.headers);
  for (const t of renames) {
    const from = t.renameFrom!;
    const sheet = sheets.get(from)!;
    out.push({ updateSheetProperties: { properties: { sheetId: sheet.sheetId, title: t.tab }, fields: 'title' } });
    sheets.delete(from);
    sheets.set(t.tab, { ...sheet, title: t.tab });
    const header = headers.get(from);
    if (header) headers.set(t.tab, header);
  }
  return { ...input, sheets, headers };
}

/** Header cells rewritten in place (a language switch); later requests find columns by the new text. */
function updateHeaderCells(tab: TabState, updates: NonNullable<TabPlan['headerUpdates']>, out: Request[]): void {
  const header = tab.header;
  if (!header) throw new PlanMismatchError(`cannot rewrite the header of "${tab.name}": it was not read`);
  for (const u of updates) {
    if (u.col < 0 || u.col >= header.length)
      throw new PlanMismatchError(`header update outside tab "${tab.name}": col ${u.col}`);
    out.push({
      updateCells: {
        start: { sheetId: tab.sheet.sheetId, rowIndex: 0, columnIndex: u.col },
        rows: [{ values: [cellData(u.value)] }],
        fields: 'userEnteredValue',
      },
    });
    header[u.col] = u.value;
  }
}

/** Check the whole plan before building anything: a plan that cannot apply sends nothing. */
function checkTabsExist(plan: Plan, sheets: ReadonlyMap<string, SheetMeta>): void {
  for (const t of plan.tabs) {
    if (!sheets.has(t.tab) && !t.create && !t.replace)
      throw new PlanMismatchError(`tab "${t.tab}" does not exist in the spreadsheet`);
  }
}

/** A tab as the requests built so far leave it: its sheet (grid size kept current) and header row. */
interface TabState {
  readonly name: string;
  readonly sheet: SheetMeta;
  /** Undefined when the header was not read (then only plans that need no header can apply). */
  header: string[] | undefined;
}

/** The sheet a tab plan writes to; a missing one is added (frozen, bold header) with an id we pick. */
function openTab(t: TabPlan, input: BuildInput, created: Map<string, SheetMeta>, out: Request[]): TabState {
  const existing = input.sheets.get(t.tab) ?? created.get(t.tab);
  if (existing) return { name: t.tab, sheet: existing, header: input.headers.get(t.tab)?.slice() };
  const header = [...(t.create?.header ?? t.replace?.header ?? [])];
  const rowsNeeded = 1 + (t.appends?.length ?? 0) + (t.replace?.rows.length ?? 0);
  const sheet: SheetMeta = {
    sheetId: input.newSheetId(),
    title: t.tab,
    rowCount: Math.max(1000, rowsNeeded),
    columnCount: Math.max(26, header.length + (t.addColumns?.length ?? 0)),
    frozenRowCount: 1,
    frozenColumnCount: 0,
    conditionalFormats: [],
  };
  created.set(t.tab, sheet);
  out.push({
    addSheet: {
      properties: {
        sheetId: sheet.sheetId,
        title: t.tab,
        gridProperties: { rowCount: sheet.rowCount, columnCount: sheet.columnCount, frozenRowCount: 1 },
      },
    },
  });
  if (!t.replace && header.length) {
    out.push({
      updateCells: {
        start: { sheetId: sheet.sheetId, rowIndex: 0, columnIndex: 0 },
        rows: [{ values: header.map((v) => ({ ...cellData(v), userEnteredFormat: { textFormat: { bold: true } } })) }],
        fields: 'userEnteredValue,userEnteredFormat.textFormat.bold',
      },
    });
  }
  return { name: t.tab, sheet, header };
}

/** Writing outside the grid is an error in Sheets: append rows / columns first. */
function grow(sheet: SheetMeta, rows: number, cols: number, out: Request[]): void {
  if (rows > sheet.rowCount) {
    out.push({ appendDimension: { sheetId: sheet.sheetId, dimension: 'ROWS', length: rows - sheet.rowCount } });
    sheet.rowCount = rows;
  }
  if (cols > sheet.columnCount) {
    out.push({ appendDimension: { sheetId: sheet.sheetId, dimension: 'COLUMNS', length: cols - sheet.columnCount } });
    sheet.columnCount = cols;
  }
}

function replaceTab(tab: TabState, replace: NonNullable<TabPlan['replace']>, out: Request[]): void {
  const all = [replace.header as Cell[], ...replace.rows];
  grow(
    tab.sheet,
    all.length,
    maxOf(all, (r) => r.length),
    out,
  );
  // An open-ended range: every value in the tab not covered by `rows` is cleared (no stale rows).
  out.push({
    updateCells: {
      range: { sheetId: tab.sheet.sheetId, startRowIndex: 0, startColumnIndex: 0 },
      rows: all.map((r) => ({ values: r.map(cellData) })),
      fields: 'userEnteredValue',
    },
  });
  tab.header = [...replace.header];
}

function addColumns(tab: TabState, headers: readonly string[], out: Request[]): void {
  const header = tab.header;
  if (!header) throw new PlanMismatchError(`cannot add columns to "${tab.name}": its header was not read`);
  grow(tab.sheet, 1, header.length + headers.length, out);
  out.push({
    updateCells: {
      start: { sheetId: tab.sheet.sheetId, rowIndex: 0, columnIndex: header.length },
      rows: [{ values: headers.map(cellData) }],
      fields: 'userEnteredValue',
    },
  });
  tab.header = [...header, ...headers];
}

/** Only addressed cells, neighbours merged into blocks: a human's edit elsewhere survives. */
function updateCells(tab: TabState, updates: readonly CellUpdate[], maxBytes: number, out: Request[]): void {
  const width = tab.header?.length ?? Infinity;
  for (const u of updates) {
    if (u.row < 0 || u.col < 0 || u.col >= width)
      throw new PlanMismatchError(`update outside tab "${tab.name}": row ${u.row}, col ${u.col}`);
  }
  const blocks = mergeUpdates(updates, maxBytes);
  grow(
    tab.sheet,
    maxOf(blocks, (b) => b.row + b.rows.length) + 1,
    maxOf(blocks, (b) => b.col + b.rows[0].length),
    out,
  );
  for (const b of blocks) {
    out.push({
      updateCells: {
        start: { sheetId: tab.sheet.sheetId, rowIndex: b.row + 1, columnIndex: b.col },
        rows: b.rows.map((r) => ({ values: r.map(cellData) })),
        fields: 'userEnteredValue',
      },
    });
  }
}

/**
 * One deleteDimension per run of neighbouring rows, bottom run first, so each index is still the
 * row as read when its request runs (the batch applies its requests in order, all or nothing).
 */
function deleteRows(tab: TabState, descending: readonly number[], out: Request[]): void {
  const runs: { start: number; end: number }[] = [];
  for (const r of descending) {
    if (r < 0) throw new PlanMismatchError(`cannot delete row ${r} of "${tab.name}"`);
    const last = runs[runs.length - 1];
    if (last && last.start === r + 1) last.start = r;
    else runs.push({ start: r, end: r + 1 });
  }
  for (const run of runs) {
    out.push({
      deleteDimension: {
        range: { sheetId: tab.sheet.sheetId, dimension: 'ROWS', startIndex: run.start + 1, endIndex: run.end + 1 },
      },
    });
    tab.sheet.rowCount -= run.end - run.start;
  }
}

/** Several appendCells of bounded size, so a large first import can be split across calls. */
function appendRows(sheet: SheetMeta, rows: readonly Row[], maxBytes: number, out: Request[]): void {
  grow(
    sheet,
    0,
    maxOf(rows, (r) => r.length),
    out,
  );
  let chunk: sheets_v4.Schema$RowData[] = [];
  let bytes = 0;
  const flush = () => {
    if (chunk.length) out.push({ appendCells: { sheetId: sheet.sheetId, rows: chunk, fields: 'userEnteredValue' } });
    chunk = [];
    bytes = 0;
  };
  for (const r of rows) {
    const values = trimRow(r).map(cellData);
    const size = byteSize(values);
    if (bytes + size > maxBytes) flush();
    chunk.push({ values });
    bytes += size;
  }
  flush();
}

/** Position of a header in the tab's header row (matched like the layout matches), -1 if absent. */
function columnFinder(header: readonly string[] | undefined): (name: string) => number {
  return (name) => (header ?? []).findIndex((h) => normalizeHeader(h) === normalizeHeader(name));
}

function numberFormats(
  sheetId: number,
  formats: Readonly<Record<string, string>>,
  colOf: (name: string) => number,
  out: Request[],
): void {
  for (const [name, pattern] of Object.entries(formats)) {
    const c = colOf(name);
    if (c < 0) continue;
    out.push({
      repeatCell: {
        range: { sheetId, startRowIndex: 1, startColumnIndex: c, endColumnIndex: c + 1 },
        cell: { userEnteredFormat: { numberFormat: { type: pattern.includes('%') ? 'PERCENT' : 'NUMBER', pattern } } },
        fields: 'userEnteredFormat.numberFormat',
      },
    });
  }
}

/** Packs requests, in order, into bodies of at most `maxBytes` (one request never splits). */
export function packRequests(requests: readonly Request[], maxBytes: number): Request[][] {
  const batches: Request[][] = [];
  let current: Request[] = [];
  let bytes = 0;
  for (const r of requests) {
    const size = byteSize(r) + 1;
    if (current.length && bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}
