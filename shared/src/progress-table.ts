/**
 * The Progress tab as a sync works on it: a copy of the rows as read (plus layout columns a user
 * deleted, re-added at the end), rows located by (email, course slug), and every change recorded
 * as the plan will carry it — cell updates on existing rows, whole rows appended. Only sync-owned
 * columns are ever written.
 */
import { sameCell, type Cell, type Row } from './cells';
import { indexColumns, PROGRESS_TAB, workingHeader, type ColumnIndex } from './layout';
import { progressKey, rowAccessor } from './progress-row';
import type { CellUpdate, TabSnapshot } from './workbook';

export class ProgressTable {
  readonly header: string[];
  /** Layout columns the sheet lacked, added at the right end. */
  readonly added: string[];
  readonly index: ColumnIndex;
  /** Rows as they will read after the plan (existing rows first, appended ones after). */
  readonly rows: Row[];
  /** Rows the sheet had when read. */
  readonly existingCount: number;
  readonly updates: CellUpdate[] = [];
  readonly appends: Row[] = [];
  private readonly syncColumns: readonly { readonly key: string; readonly at: number }[];
  private readonly rowByKey = new Map<string, number>();
  /** Existing rows a write has reached (the rest still need a refresh). */
  private readonly touched: Uint8Array;
  /** Existing rows copied out of the snapshot before their first change. */
  private readonly copied: Uint8Array;
  /** Keys a human copied: every row index holding the key, the first (the one the sync keeps) first. */
  private readonly copies = new Map<string, number[]>();

  constructor(tab: TabSnapshot | undefined) {
    ({ header: this.header, added: this.added } = workingHeader(PROGRESS_TAB, tab));
    this.index = indexColumns(PROGRESS_TAB, this.header);
    // The snapshot's rows are shared until written (copy on write): a re-sync changes few of 100k rows.
    this.rows = (tab?.rows ?? []).slice();
    this.existingCount = this.rows.length;
    this.touched = new Uint8Array(this.existingCount);
    this.copied = new Uint8Array(this.existingCount);
    this.syncColumns = PROGRESS_TAB.columns
      .filter((c) => c.owner === 'sync')
      .map((c) => ({ key: c.key, at: this.index[c.key] }));
    this.rows.forEach((r, i) => {
      const key = progressKey(r[this.index.email], r[this.index.slug]);
      const first = this.rowByKey.get(key);
      if (first === undefined) this.rowByKey.set(key, i);
      else if (String(r[this.index.email] ?? '').trim() !== '') {
        const rows = this.copies.get(key) ?? [first];
        rows.push(i);
        this.copies.set(key, rows);
      }
    });
  }

  /** No (email, slug) is on two rows. */
  get distinctRows(): boolean {
    return this.copies.size === 0;
  }

  /** Whether a row repeats an earlier row's (email, slug): a copy the sync neither updates nor counts. */
  isCopy(rowIndex: number): boolean {
    if (!this.copies.size || rowIndex >= this.existingCount) return false;
    const r = this.rows[rowIndex];
    const first = this.rowByKey.get(progressKey(r[this.index.email], r[this.index.slug]));
    return first !== undefined && first !== rowIndex;
  }

  /** Copied rows as the sheet numbers them (header = row 1), for the sync's warning. */
  duplicateRows(): { email: string; slug: string; rows: number[] }[] {
    return [...this.copies.values()].map((rows) => {
      const r = this.rows[rows[0]];
      return {
        email: String(r[this.index.email] ?? '').trim(),
        slug: String(r[this.index.slug] ?? '').trim(),
        rows: rows.map((i) => i + 2),
      };
    });
  }

  /** The row holding this (email, slug) key, if any (the first one when a human duplicated it). */
  rowOf(key: string): number | undefined {
    return this.rowByKey.get(key);
  }

  /**
   * Moves an existing row to another key and returns it (a rostered learner's placeholder taken
   * over by their first course); undefined when no single row holds `from`.
   */
  rekey(from: string, to: string): number | undefined {
    const at = this.rowByKey.get(from);
    if (at === undefined || this.copies.has(from) || this.rowByKey.has(to)) return undefined;
    this.rowByKey.delete(from);
    this.rowByKey.set(to, at);
    return at;
  }

  accessor(rowIndex: number): (key: string) => Cell {
    return rowAccessor(this.index, this.rows[rowIndex]);
  }

  isTouched(rowIndex: number): boolean {
    return this.touched[rowIndex] === 1;
  }

  /** Writes the sync-owned cells that differ from `cells`; returns how many changed. */
  write(rowIndex: number, cells: Record<string, Cell>): number {
    let row = this.rows[rowIndex];
    let changed = 0;
    for (const { key, at } of this.syncColumns) {
      const value = cells[key] ?? null;
      if (!sameCell(row[at], value)) {
        if (rowIndex < this.existingCount && !this.copied[rowIndex]) {
          row = this.rows[rowIndex] = row.slice();
          this.copied[rowIndex] = 1;
        }
        this.updates.push({ row: rowIndex, col: at, value });
        row[at] = value;
        changed++;
      }
    }
    if (rowIndex < this.existingCount) this.touched[rowIndex] = 1;
    return changed;
  }

  /** A new row at the end; returns how many cells it fills. */
  append(key: string, cells: Record<string, Cell>): number {
    const row: Row = new Array<Cell>(this.header.length).fill(null);
    let filled = 0;
    for (const { key: k, at } of this.syncColumns) {
      const value = cells[k] ?? null;
      row[at] = value;
      if (value !== null) filled++;
    }
    this.rowByKey.set(key, this.rows.length);
    this.rows.push(row);
    this.appends.push(row);
    return filled;
  }

  /** Updates sorted by row then column, so backends can merge neighbours into ranges. */
  sortedUpdates(): CellUpdate[] {
    return this.updates.sort((a, b) => a.row - b.row || a.col - b.col);
  }
}
