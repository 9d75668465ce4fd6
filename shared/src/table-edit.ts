/**
 * A layout tab as the workflows edit it: columns found by header name, layout columns the user
 * deleted re-added at the right end, and a plan that writes only changed cells and appends.
 */
import { cellText, sameCell, type Cell, type Row } from './cells';
import { anchorColumns, headersOf, indexColumns, workingHeader, type ColumnIndex, type TabDef } from './layout';
import type { CellUpdate, Snapshot, TabPlan } from './workbook';
import { InputError } from './errors';

/** A workflow would write a value longer than its column's cap (layout `maxLength`): nothing is written. */
export class CellTooLongError extends InputError {}

export class TableEdit {
  readonly header: string[];
  readonly idx: ColumnIndex;
  readonly rows: Row[];
  private readonly added: string[];
  private readonly exists: boolean;
  private readonly updates = new Map<string, CellUpdate>();
  private readonly appends: Row[] = [];

  constructor(
    readonly def: TabDef,
    snapshot: Snapshot,
  ) {
    const tab = snapshot[def.name];
    this.exists = !!tab;
    ({ header: this.header, added: this.added } = workingHeader(def, tab));
    this.idx = indexColumns(def, this.header);
    this.rows = (tab?.rows ?? []).map((r) => r.slice());
  }

  get(row: number, key: string): Cell {
    const at = this.idx[key];
    return at >= 0 ? (this.rows[row]?.[at] ?? null) : null;
  }

  text(row: number, key: string): string {
    return cellText(this.get(row, key));
  }

  /** Sets a cell when its value differs; returns whether it changed. */
  set(row: number, key: string, value: Cell): boolean {
    if (sameCell(this.get(row, key), value)) return false;
    this.checkLength(row, key, value);
    const col = this.idx[key];
    const r = (this.rows[row] ??= []);
    while (r.length <= col) r.push(null);
    r[col] = value;
    this.updates.set(`${row}:${col}`, { row, col, value });
    return true;
  }

  /** Appends a row given by layout key; unknown (user) columns stay blank. Returns its index. */
  append(record: Record<string, Cell>): number {
    const row: Row = new Array<Cell>(this.header.length).fill(null);
    for (const c of this.def.columns)
      row[this.idx[c.key]] = this.checkLength(this.rows.length, c.key, record[c.key] ?? null);
    this.rows.push(row);
    this.appends.push(row);
    return this.rows.length - 1;
  }

  /** The value, when it fits the column; refused (naming tab, sheet row and column) when it does not. */
  private checkLength(row: number, key: string, value: Cell): Cell {
    if (typeof value !== 'string') return value;
    const def = this.def.columns.find((c) => c.key === key);
    if (def?.maxLength !== undefined && value.length > def.maxLength) {
      throw new CellTooLongError(
        `${this.def.name} row ${sheetRow(row)}, "${def.header}": ${value.length} characters, at most ${def.maxLength} fit; shorten it where it comes from, then try again. Nothing was written.`,
      );
    }
    return value;
  }

  get changed(): boolean {
    return this.updates.size > 0 || this.appends.length > 0 || this.added.length > 0 || !this.exists;
  }

  get updateCount(): number {
    return this.updates.size;
  }

  /** The plan for this tab, or null when nothing changes. Appended rows never appear as updates. */
  plan(): TabPlan | null {
    if (!this.changed) return null;
    const appendedFrom = this.rows.length - this.appends.length;
    const updates = [...this.updates.values()]
      .filter((u) => u.row < appendedFrom)
      .sort((a, b) => a.row - b.row || a.col - b.col);
    return {
      tab: this.def.name,
      create: this.exists ? undefined : { header: headersOf(this.def) },
      addColumns: this.added.length ? this.added : undefined,
      updates: updates.length ? updates : undefined,
      anchorColumns: updates.length ? anchorColumns(this.def, this.idx) : undefined,
      appends: this.appends.length ? this.appends : undefined,
      formats: this.exists ? undefined : this.def.formats,
    };
  }
}

/** Sheet row number of a data row (the header is row 1). */
export const sheetRow = (row: number): number => row + 2;
