/**
 * One TabPlan → the edits to one worksheet: which cells get which values (in the row numbering
 * after deletions), which rows go, which cells get a derived style, and what changes around the
 * cell data. Pure: the sheet as read in, edits out.
 */
import { isBlank, type Cell, type Row } from '../../../../shared/src/cells';
import { normalizeHeader } from '../../../../shared/src/layout';
import { headerHeight, TOTAL_ROW_STYLE } from '../../../../shared/src/look';
import { rowsToDelete, type TabPlan } from '../../../../shared/src/workbook';
import type { SheetChange } from './sheet-parts';
import type { SheetEdit } from './sheet-writer';
import type { StyleChange } from './styles';

/** The Total row as every backend shows it (shared/src/look.ts), and the rows of a report that are not. */
const TOTAL_STYLE: StyleChange = {
  bold: TOTAL_ROW_STYLE.bold,
  fill: TOTAL_ROW_STYLE.fill,
  borderTop: TOTAL_ROW_STYLE.borderTop,
};
const PLAIN_STYLE: StyleChange = { bold: false, fill: null, borderTop: null };

export interface TabEdit {
  readonly edit: SheetEdit;
  readonly change: SheetChange;
  /** Style changes by final row and column, resolved to style indexes by the caller. */
  readonly styleOf: (row: number, col: number) => StyleChange | undefined;
}

/** Header cells as read: text, trailing blanks cut (new columns go right after the last one). */
export function headerOf(row: Row | undefined): string[] {
  const header = (row ?? []).map((c) => (c === null ? '' : String(c)));
  while (header.length && header[header.length - 1] === '') header.pop();
  return header;
}

/** Data rows as read (row 0 = sheet row 2), trailing blank rows cut: formatting leftovers, not data. */
export function dataRowsOf(values: readonly Row[]): Row[] {
  const rows: Row[] = [];
  for (let i = 1; i < values.length; i++) rows.push(values[i] ? [...values[i]] : []);
  while (rows.length && rows[rows.length - 1].every(isBlank)) rows.pop();
  return rows;
}

export function tabEdit(values: readonly Row[], t: TabPlan, isNew: boolean): TabEdit {
  const cells = new Map<number, (Cell | undefined)[]>();
  const set = (r: number, c: number, v: Cell) => {
    let row = cells.get(r);
    if (!row) cells.set(r, (row = []));
    row[c] = v;
  };
  let header = headerOf(values[0]);
  const deleted = new Set(rowsToDelete(t).map((r) => r + 2));
  const finalRow = (orig: number) => orig - [...deleted].filter((d) => d < orig).length;
  let lastData = 1;
  if (t.replace) {
    header = [...t.replace.header];
    [t.replace.header, ...t.replace.rows].forEach((r, i) => r.forEach((v, c) => set(i + 1, c, v)));
    lastData = t.replace.rows.length + 1;
  } else {
    if (isNew) header = [...(t.create?.header ?? [])];
    if (isNew) header.forEach((h, c) => set(1, c, h));
    for (const u of t.headerUpdates ?? []) {
      set(1, u.col, u.value);
      header[u.col] = u.value;
    }
    for (const h of t.addColumns ?? []) {
      set(1, header.length, h);
      header.push(h);
    }
    const updated = new Map<number, Map<number, Cell>>();
    for (const u of t.updates ?? []) {
      const r = u.row + 2;
      if (!updated.has(r)) updated.set(r, new Map());
      updated.get(r)!.set(u.col, u.value);
    }
    for (const [r, row] of updated) if (!deleted.has(r)) for (const [c, v] of row) set(finalRow(r), c, v);
    lastData = lastDataRow(values, updated, deleted, finalRow);
    // Appended rows are written as they are (no copy: the plan's rows are only read).
    (t.appends ?? []).forEach((r, i) => cells.set(lastData + 1 + i, r));
    lastData += t.appends?.length ?? 0;
  }
  const look = t.look;
  const totalRow = look?.totalRow && t.replace && t.replace.rows.length ? lastData : undefined;
  const boldHeader = isNew || !!t.replace || !!look?.headerStyle;
  const numFmtCols = new Map<number, string>();
  for (const [name, fmt] of Object.entries(t.numberFormats ?? {})) {
    const c = header.findIndex((h) => normalizeHeader(h) === normalizeHeader(name));
    if (c >= 0) numFmtCols.set(c, fmt);
  }
  const styleOf = (row: number, col: number): StyleChange | undefined => {
    if (row === 1) return boldHeader ? { bold: true, ...(look?.headerStyle ? { wrap: true } : {}) } : undefined;
    const numFmt = numFmtCols.get(col);
    // A rebuilt report: its Total set apart; every other row (last time's Total too) plain.
    if (look?.totalRow && t.replace) return { numFmt, ...(row === totalRow ? TOTAL_STYLE : PLAIN_STYLE) };
    return numFmt !== undefined ? { numFmt } : undefined;
  };
  // A wrapped header is given the height of its longest header: files do not grow a row by themselves.
  const height = look?.headerStyle && look.widths ? headerHeight(header, look.widths) : undefined;
  return {
    edit: {
      cells,
      deleted,
      clearFrom: t.replace ? 1 : undefined,
      touch: boldHeader && !t.replace ? new Set([1]) : undefined,
      heights: height ? new Map([[1, height]]) : undefined,
    },
    change: {
      header,
      formats: t.formats,
      totalRow,
      validations: t.validations,
      freeze: isNew || look ? { columns: look?.frozenColumns ?? 0 } : undefined,
      widths: look?.widths,
      // A tab we create prints landscape; a report (one screen of figures) fits the page width.
      print: isNew ? { fitWidth: !!look?.totalRow } : undefined,
    },
    styleOf,
  };
}

/** The last row (numbered after deletions) with a value once the updates are made; 1 (the header) when none. */
function lastDataRow(
  values: readonly Row[],
  updated: ReadonlyMap<number, ReadonlyMap<number, Cell>>,
  deleted: ReadonlySet<number>,
  finalRow: (orig: number) => number,
): number {
  let last = values.length;
  for (const r of updated.keys()) last = Math.max(last, r);
  for (let r = last; r >= 2; r--) {
    if (deleted.has(r)) continue;
    const row = [...(values[r - 1] ?? [])];
    for (const [c, v] of updated.get(r) ?? []) row[c] = v;
    if (row.some((v) => !isBlank(v))) return finalRow(r);
  }
  return 1;
}
