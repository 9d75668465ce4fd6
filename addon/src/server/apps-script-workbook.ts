/**
 * The Workbook port over SpreadsheetApp. Apps Script charges per call, not per cell, so reads are
 * one getValues per tab and writes are merged into rectangles (one setValues each), never cell by
 * cell. Writes hold the document lock so two users' sidebars cannot interleave a plan.
 */
import { columnLetter, sameAnchor, type Cell, type Row } from '../../../shared/src/cells';
import { formattedRows, TOTAL_ROW_STYLE, widthPixels } from '../../../shared/src/look';
import type { FormatRule, ValidationRule } from '../../../shared/src/layout';
import { normalizeHeader } from '../../../shared/src/layout';
import { formatInZone } from '../../../shared/src/time';
import {
  PROTECTION_PREFIX,
  rowsToDelete,
  type Protection,
  type CellUpdate,
  type Plan,
  type Snapshot,
  type TabPlan,
  type Workbook,
} from '../../../shared/src/workbook';
import type { AppLike, LockLike, ProtectionLike, RangeLike, SheetLike, SpreadsheetLike } from './gas-types';
import { maxOf } from '../../../shared/src/max-of';

export class WorkbookBusyError extends Error {}

/** How long a write waits for another user's write to finish before giving up. */
const LOCK_WAIT_MS = 30_000;

/**
 * Text Sheets would parse on setValues (formula, number, date, boolean, error, or a leading
 * apostrophe that it would swallow). Such strings are written with a leading `'`, which Sheets
 * keeps as "this is text" and does not return from getValues. Every date and number Sheets
 * recognises contains a digit, so digit-free text without a special first character is safe.
 */
export function needsTextPrefix(text: string): boolean {
  return /^[=+\-@'#\s]/.test(text) || /\d/.test(text) || /^(true|false)$/i.test(text);
}

export function toSheetValue(value: Cell): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value !== '' && needsTextPrefix(value) ? `'${value}` : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  return value;
}

/** A value from getValues as the port's Cell. Dates a human typed come back as text in the sheet's zone. */
export function fromSheetValue(value: unknown, timeZone: string): Cell {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    const ms = (value as Date).getTime();
    const text = formatInZone(ms, timeZone);
    return text.endsWith(' 00:00') ? text.slice(0, 10) : text;
  }
  return String(value);
}

export interface Rectangle {
  /** 0-based data row and column of the top-left cell. */
  readonly row: number;
  readonly col: number;
  readonly values: Cell[][];
}

/**
 * Merges cell updates into as few rectangles as possible without writing any cell that is not in
 * the plan (a bigger block would overwrite what a human typed between our read and our write).
 * Two greedy passes — runs along rows then stacked, and runs down columns then side by side —
 * and the one with fewer rectangles wins (a sync's changes are row-shaped, a check's
 * column-shaped when one of its columns is often left blank).
 */
export function mergeUpdates(updates: readonly CellUpdate[]): Rectangle[] {
  const byCell = new Map<string, CellUpdate>();
  for (const u of updates) byCell.set(`${u.row}:${u.col}`, u); // last write wins, as in the port
  const cells = [...byCell.values()];
  const rowFirst = mergeAlong(cells, false);
  if (rowFirst.length <= 1) return rowFirst;
  const colFirst = mergeAlong(cells, true);
  return colFirst.length < rowFirst.length ? colFirst : rowFirst;
}

/** Runs along one axis, then identical runs on neighbouring lines of the other axis stacked. */
function mergeAlong(cells: readonly CellUpdate[], byColumn: boolean): Rectangle[] {
  const major = (u: CellUpdate) => (byColumn ? u.col : u.row);
  const minor = (u: CellUpdate) => (byColumn ? u.row : u.col);
  const sorted = [...cells].sort((a, b) => major(a) - major(b) || minor(a) - minor(b));
  const runs: { line: number; start: number; values: Cell[] }[] = [];
  for (const u of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.line === major(u) && last.start + last.values.length === minor(u)) last.values.push(u.value);
    else runs.push({ line: major(u), start: minor(u), values: [u.value] });
  }
  const blocks: { line: number; start: number; lines: Cell[][] }[] = [];
  const open = new Map<string, { line: number; start: number; lines: Cell[][] }>();
  for (const run of runs) {
    const key = `${run.start}:${run.values.length}`;
    const block = open.get(key);
    if (block && block.line + block.lines.length === run.line) block.lines.push(run.values);
    else {
      const fresh = { line: run.line, start: run.start, lines: [run.values] };
      blocks.push(fresh);
      open.set(key, fresh);
    }
  }
  return blocks.map((b) =>
    byColumn
      ? { row: b.start, col: b.line, values: b.lines[0].map((_, r) => b.lines.map((colValues) => colValues[r])) }
      : { row: b.line, col: b.start, values: b.lines },
  );
}

/** Rows moved under us between read and write (a sort, an inserted or deleted row). */
export class SheetChangedError extends Error {
  constructor(
    readonly tab: string,
    readonly sheetRow: number,
    readonly before: string,
    readonly now: string,
  ) {
    super(`the "${tab}" tab changed while saving (row ${sheetRow} was "${before}", now "${now}"); nothing was written`);
  }
}

export interface AppsScriptWorkbookOptions {
  readonly app: AppLike;
  /** The document lock; null where there is none (tests of read-only paths). */
  readonly lock: LockLike | null;
  /** The account the script runs as (Session.getEffectiveUser): kept as an editor of every protection we make. */
  readonly self?: () => string;
}

export class AppsScriptWorkbook implements Workbook {
  /** Counts of Spreadsheet service calls that cost a round trip, for the harness's time estimate. */
  readonly calls = { read: 0, write: 0 };
  private lockDepth = 0;
  /** Rows as last read, per tab: anchor cells are checked against them before a write. */
  private readonly readRows = new Map<string, Row[]>();

  constructor(
    readonly spreadsheet: SpreadsheetLike,
    private readonly options: AppsScriptWorkbookOptions,
  ) {}

  read(tabs: readonly string[]): Snapshot {
    const out: Snapshot = {};
    const tz = this.spreadsheet.getSpreadsheetTimeZone() || 'Asia/Almaty';
    for (const name of tabs) {
      const sheet = this.spreadsheet.getSheetByName(name);
      if (!sheet) continue;
      this.calls.read++;
      const values = sheet.getDataRange().getValues();
      const header = (values[0] ?? []).map((v) => {
        const c = fromSheetValue(v, tz);
        return c === null ? '' : String(c);
      });
      while (header.length && header[header.length - 1] === '') header.pop();
      const rows: Row[] = values.slice(1).map((r) => r.map((v) => fromSheetValue(v, tz)));
      while (rows.length && rows[rows.length - 1].every((c) => c === null)) rows.pop();
      this.readRows.set(name, rows);
      out[name] = { name, header, rows };
    }
    return out;
  }

  apply(plan: Plan): void {
    // Check everything before the first write: a plan that cannot apply changes nothing.
    for (const t of plan.tabs) {
      const sheet = this.sheetOf(t);
      if (!sheet && !t.create && !t.replace) throw new Error(`tab "${t.tab}" does not exist`);
      for (const h of t.headerUpdates ?? []) {
        if (!sheet || h.col < 0 || h.col >= sheet.getLastColumn())
          throw new Error(`header update outside tab "${t.tab}": col ${h.col}`);
      }
      const base = t.replace ? t.replace.header.length : sheet ? sheet.getLastColumn() : (t.create?.header.length ?? 0);
      const width = base + (t.addColumns?.length ?? 0);
      for (const u of t.updates ?? []) {
        if (u.row < 0 || u.col < 0 || u.col >= width) {
          throw new Error(`update outside tab "${t.tab}": row ${u.row}, col ${u.col}`);
        }
      }
      const dataRows = sheet ? Math.max(0, sheet.getLastRow() - 1) : 0;
      for (const r of t.deleteRows ?? []) {
        if (!Number.isInteger(r) || r < 0 || r >= dataRows)
          throw new Error(`cannot delete row ${r} of tab "${t.tab}": no such data row`);
      }
    }
    this.withLock(() => {
      this.checkAnchors(plan);
      for (const t of plan.tabs) this.applyTab(t);
    });
  }

  /**
   * The document lock keeps other scripts out, not people: someone may sort or insert rows while
   * we plan. Updates address rows by index, so the anchor cells (e.g. Email, Course slug) of the
   * rows we update must still be what we read; otherwise nothing is written.
   */
  private checkAnchors(plan: Plan): void {
    const tz = this.spreadsheet.getSpreadsheetTimeZone() || 'Asia/Almaty';
    for (const t of plan.tabs) {
      const sheet = this.sheetOf(t);
      const before = sheet && this.readRows.get(sheet.getName());
      if (!before || !sheet || !t.anchorColumns?.length || !(t.updates?.length || t.deleteRows?.length)) continue;
      const lastRow = Math.max(
        maxOf(t.updates ?? [], (u) => u.row),
        maxOf(t.deleteRows ?? [], (r) => r),
      );
      for (const c of t.anchorColumns) {
        this.calls.read++;
        const now = sheet.getRange(2, c + 1, lastRow + 1, 1).getValues();
        for (let i = 0; i <= lastRow; i++) {
          const was = before[i]?.[c];
          const is = fromSheetValue(now[i]?.[0], tz);
          if (!sameAnchor(was, is)) throw new SheetChangedError(t.tab, i + 2, String(was ?? ''), String(is ?? ''));
        }
      }
    }
  }

  /** Runs `fn` holding the document lock, and flushes before letting go so the next writer sees our cells. */
  withLock<T>(fn: () => T): T {
    // Re-entrant: a read-plan-write unit holds the lock across its own apply().
    if (this.lockDepth > 0) {
      this.lockDepth++;
      try {
        return fn();
      } finally {
        this.lockDepth--;
      }
    }
    const lock = this.options.lock;
    if (lock) {
      try {
        lock.waitLock(LOCK_WAIT_MS);
      } catch (e) {
        throw new WorkbookBusyError(`the spreadsheet is busy (another write holds the lock): ${(e as Error).message}`);
      }
    }
    this.lockDepth = 1;
    try {
      const result = fn();
      this.options.app.flush();
      return result;
    } finally {
      this.lockDepth = 0;
      lock?.releaseLock();
    }
  }

  sheet(name: string): SheetLike | null {
    return this.spreadsheet.getSheetByName(name);
  }

  /** The sheet a tab plan addresses: by its name, else by the name it is renamed from. */
  private sheetOf(t: TabPlan): SheetLike | null {
    return (
      this.spreadsheet.getSheetByName(t.tab) ?? (t.renameFrom ? this.spreadsheet.getSheetByName(t.renameFrom) : null)
    );
  }

  private applyTab(t: TabPlan): void {
    let sheet = this.sheetOf(t);
    if (sheet && sheet.getName() !== t.tab) {
      const rows = this.readRows.get(sheet.getName());
      sheet.setName(t.tab);
      this.calls.write++;
      if (rows) this.readRows.set(t.tab, rows);
    }
    for (const h of t.headerUpdates ?? []) if (sheet) this.writeBlock(sheet, 1, h.col + 1, [[h.value]]);
    if (!sheet) {
      sheet = this.spreadsheet.insertSheet(t.tab);
      this.writeBlock(sheet, 1, 1, [[...(t.create?.header ?? t.replace?.header ?? [])]]);
      sheet.setFrozenRows(1);
      sheet.getRange(1, 1, 1, Math.max(1, sheet.getMaxColumns())).setFontWeight('bold');
    }
    if (t.replace) {
      sheet.clearContents();
      this.calls.write++;
      this.writeBlock(sheet, 1, 1, [[...t.replace.header], ...t.replace.rows.map((r) => [...r])]);
    }
    if (t.addColumns?.length) {
      const last = lastHeaderColumn(sheet);
      this.writeBlock(sheet, 1, last + 1, [[...t.addColumns]]);
    }
    for (const rect of mergeUpdates(t.updates ?? [])) this.writeBlock(sheet, rect.row + 2, rect.col + 1, rect.values);
    for (const r of rowsToDelete(t)) {
      // Bottom first, so the rows above keep the indexes they were read with.
      this.calls.write++;
      sheet.deleteRow(r + 2);
    }
    if (t.appends?.length)
      this.writeBlock(
        sheet,
        sheet.getLastRow() + 1,
        1,
        t.appends.map((r) => [...r]),
      );
    if (t.numberFormats || t.formats || t.validations?.length || t.protections) {
      const header = this.headerOf(sheet);
      const colOf = (name: string) => header.indexOf(normalizeHeader(name));
      for (const [name, fmt] of Object.entries(t.numberFormats ?? {})) {
        const c = colOf(name);
        if (c >= 0) {
          this.calls.write++;
          dataRows(sheet, c).setNumberFormat(fmt);
        }
      }
      if (t.validations) this.applyValidations(sheet, t.validations, colOf);
      if (t.formats) this.applyFormats(sheet, t.formats, colOf, formattedRows(t.look, t.replace?.rows.length));
      if (t.protections) this.applyProtections(sheet, t.protections, colOf);
    }
    if (t.look) this.applyLook(sheet, t);
  }

  /** Widths (pixels), the frozen header row and identity columns, a bold wrapped header, a report's Total set apart. */
  private applyLook(sheet: SheetLike, t: TabPlan): void {
    const look = t.look!;
    const header = this.headerOf(sheet);
    for (const [name, chars] of Object.entries(look.widths ?? {})) {
      const c = header.indexOf(normalizeHeader(name));
      if (c < 0) continue;
      this.calls.write++;
      sheet.setColumnWidth(c + 1, widthPixels(chars));
    }
    if (sheet.getFrozenRows() !== 1) sheet.setFrozenRows(1);
    if (look.frozenColumns !== undefined && sheet.getFrozenColumns() !== look.frozenColumns) {
      this.calls.write++;
      sheet.setFrozenColumns(look.frozenColumns);
    }
    if (look.headerStyle) {
      this.calls.write++;
      const row = sheet.getRange(1, 1, 1, sheet.getMaxColumns());
      row.setFontWeight('bold');
      row.setWrap(true);
    }
    const rows = t.replace?.rows.length ?? 0;
    if (look.totalRow && rows) {
      this.calls.write += 2;
      // A shorter rebuild leaves the old Total's row behind as a plain one: clear every data row first.
      const data = sheet.getRange(2, 1, Math.max(1, sheet.getMaxRows() - 1), sheet.getMaxColumns());
      data.setFontWeight('normal');
      data.setBackground(null);
      data.setBorder(false, null, null, null, null, false);
      const total = sheet.getRange(rows + 1, 1, 1, Math.max(1, t.replace!.header.length));
      total.setFontWeight('bold');
      total.setBackground(`#${TOTAL_ROW_STYLE.fill}`);
      total.setBorder(true, null, null, null, null, null);
    }
  }

  /**
   * One Protection per protected column (every row) or per whole sheet. Ours are recognised by the
   * description prefix and matched by (description, column): kept and corrected in place, created
   * when missing, removed when the plan no longer lists them. A person's own protections stay.
   */
  private applyProtections(
    sheet: SheetLike,
    protections: readonly Protection[],
    colOf: (name: string) => number,
  ): void {
    const app = this.options.app;
    const self = (this.options.self?.() ?? '').trim().toLowerCase();
    const keyOf = (description: string, col: number | null) => `${description}|${col ?? '*'}`;
    const existing = new Map<string, ProtectionLike>();
    const stale: ProtectionLike[] = [];
    this.calls.read += 2;
    for (const [type, isSheet] of [
      [app.ProtectionType.SHEET, true],
      [app.ProtectionType.RANGE, false],
    ] as const) {
      for (const p of sheet.getProtections(type)) {
        if (!p.getDescription().startsWith(PROTECTION_PREFIX)) continue;
        const key = keyOf(p.getDescription(), isSheet ? null : p.getRange().getColumn() - 1);
        if (existing.has(key)) stale.push(p);
        else existing.set(key, p);
      }
    }
    for (const want of protections) {
      if (!want.description.startsWith(PROTECTION_PREFIX))
        throw new Error(`protection "${want.description}" must start with "${PROTECTION_PREFIX}"`);
      const cols = want.columns ? want.columns.map(colOf).filter((c) => c >= 0) : [null];
      const editors = [
        ...new Set(
          [...(want.editors ?? []), ...(self ? [self] : [])].map((e) => e.trim().toLowerCase()).filter(Boolean),
        ),
      ];
      for (const col of cols) {
        const key = keyOf(want.description, col);
        this.calls.write++;
        let p = existing.get(key);
        existing.delete(key);
        if (!p)
          p = (
            col === null ? sheet.protect() : sheet.getRange(1, col + 1, sheet.getMaxRows(), 1).protect()
          ).setDescription(want.description);
        if (p.isWarningOnly() !== !!want.warningOnly) p.setWarningOnly(!!want.warningOnly);
        if (want.warningOnly) continue;
        const current = p.getEditors().map((u) => u.getEmail().toLowerCase());
        const add = editors.filter((e) => !current.includes(e));
        // The owner cannot be removed (Sheets ignores it); our own account is never removed.
        const remove = current.filter((e) => !editors.includes(e) && e !== self);
        if (add.length) p.addEditors(add);
        if (remove.length) p.removeEditors(remove);
        if (p.canDomainEdit()) p.setDomainEdit(false);
      }
    }
    for (const p of [...existing.values(), ...stale]) {
      this.calls.write++;
      p.remove();
    }
  }

  private headerOf(sheet: SheetLike): string[] {
    const width = Math.max(1, sheet.getLastColumn());
    this.calls.read++;
    return sheet
      .getRange(1, 1, 1, width)
      .getValues()[0]
      .map((v) => normalizeHeader(v));
  }

  /** One setValues for a block of rows (ragged rows padded with blanks), growing the grid if needed. */
  private writeBlock(sheet: SheetLike, row: number, col: number, rows: readonly (readonly Cell[])[]): void {
    if (!rows.length) return;
    const width = maxOf(rows, (r) => r.length, 1);
    ensureSize(sheet, row + rows.length - 1, col + width - 1);
    const values = rows.map((r) => Array.from({ length: width }, (_, i) => toSheetValue(r[i] ?? null)));
    this.calls.write++;
    sheet.getRange(row, col, rows.length, width).setValues(values);
  }

  /** Replaces our conditional formats on the columns we format; rules on other columns (a user's) stay. */
  private applyFormats(
    sheet: SheetLike,
    rules: readonly FormatRule[],
    colOf: (name: string) => number,
    rows: { to: number | null } | null,
  ): void {
    const app = this.options.app;
    const ours = new Set(rules.map((r) => colOf(r.column)).filter((c) => c >= 0));
    const kept = sheet
      .getConditionalFormatRules()
      .filter((rule) => !rule.getRanges().some((r) => columnsOf(r).some((c) => ours.has(c))));
    const built = [];
    for (const rule of rules) {
      const c = colOf(rule.column);
      if (c < 0 || !rows) continue; // no rows to colour (a report with only its Total): ours are just removed
      // Open-ended (`C2:C`) so rows added later are coloured too; a report's stop above its Total.
      const range =
        rows.to === null
          ? sheet.getRange(`${columnLetter(c)}2:${columnLetter(c)}`)
          : sheet.getRange(2, c + 1, rows.to - 1, 1);
      const b = app.newConditionalFormatRule().setRanges([range]);
      if (rule.kind === 'colorScale') {
        const num = app.InterpolationType.NUMBER;
        built.push(
          b
            .setGradientMinpointWithValue('#F8696B', num, '0')
            .setGradientMidpointWithValue('#FFEB84', num, '0.5')
            .setGradientMaxpointWithValue('#63BE7B', num, '1')
            .build(),
        );
      } else if (rule.kind === 'redWhenPositive') {
        built.push(b.whenNumberGreaterThan(0).setFontColor(FONT.red).setBackground(FILL.red).setBold(true).build());
      } else {
        built.push(
          b.whenTextEqualTo(rule.equals).setFontColor(FONT[rule.color]).setBackground(FILL[rule.color]).build(),
        );
      }
    }
    this.calls.write++;
    sheet.setConditionalFormatRules([...kept, ...built]);
  }

  /** Each rule on its column's data rows (setDataValidation replaces what was there). Missing column: skipped. */
  private applyValidations(sheet: SheetLike, rules: readonly ValidationRule[], colOf: (name: string) => number): void {
    for (const v of rules) {
      const c = colOf(v.column);
      if (c < 0) continue;
      const builder = this.options.app.newDataValidation().setAllowInvalid(false);
      const rule =
        v.kind === 'list'
          ? builder.requireValueInList([...v.values], true).build()
          : builder.requireNumberBetween(v.min, v.max).build();
      this.calls.write++;
      dataRows(sheet, c).setDataValidation(rule);
    }
  }
}

const FONT = { red: '#9C0006', amber: '#9C5700', green: '#006100', grey: '#808080' } as const;
const FILL = { red: '#FFC7CE', amber: '#FFEB9C', green: '#C6EFCE', grey: '#EDEDED' } as const;

/** Column `c` (0-based) from row 2 to the bottom of the grid. */
function dataRows(sheet: SheetLike, c: number): RangeLike {
  return sheet.getRange(2, c + 1, Math.max(1, sheet.getMaxRows() - 1), 1);
}

function columnsOf(range: RangeLike): number[] {
  const first = range.getColumn() - 1;
  return Array.from({ length: range.getNumColumns() }, (_, i) => first + i);
}

function lastHeaderColumn(sheet: SheetLike): number {
  const width = sheet.getLastColumn();
  if (width === 0) return 0;
  const header = sheet.getRange(1, 1, 1, width).getValues()[0];
  let last = header.length;
  while (last > 0 && (header[last - 1] === '' || header[last - 1] === null)) last--;
  return last;
}

/** A new sheet is 1000 × 26; writing beyond the grid throws, so grow it first. */
function ensureSize(sheet: SheetLike, rows: number, cols: number): void {
  const maxRows = sheet.getMaxRows();
  if (rows > maxRows) sheet.insertRowsAfter(maxRows, rows - maxRows);
  const maxCols = sheet.getMaxColumns();
  if (cols > maxCols) sheet.insertColumnsAfter(maxCols, cols - maxCols);
}
