/**
 * Writes a worksheet's cell data back with a set of edits. Rows no edit reaches are copied as the
 * bytes they were read as (renumbered only when a deleted row above moves them up); a row an edit
 * reaches is rebuilt cell by cell, keeping every cell it does not write as it was — style index,
 * formula, extra attributes — and the style of the cells it does write.
 */
import type { Cell } from '../../../../shared/src/cells';
import { columnLetter } from '../../../../shared/src/cells';
import { columnOf, escapeCellText, toBinary } from './cell-text';
import { binaryText, type RowSpan, type ScannedSheet } from './sheet-reader';

export interface SheetEdit {
  /**
   * Values to write, by final row number (1-based), as a sparse row by column (0-based): a hole or
   * undefined leaves the cell alone, null or '' empties it. Arrays, not maps: 100k appended rows.
   */
  readonly cells: ReadonlyMap<number, readonly (Cell | undefined)[]>;
  /** Row numbers as read that are removed; the rows below move up. */
  readonly deleted: ReadonlySet<number>;
  /** From this final row down, every cell `cells` does not write loses its value (a report replaced whole). */
  readonly clearFrom?: number;
  /** Rows rebuilt even without a value to write, so `restyle` reaches them (a header's look). */
  readonly touch?: ReadonlySet<number>;
  /** The style index a cell of a rebuilt row gets, from its current one. */
  readonly restyle?: (row: number, col: number, s: number | undefined) => number | undefined;
  /** Heights in points by final row (a wrapped header shown whole); the row must be rebuilt or new. */
  readonly heights?: ReadonlyMap<number, number>;
}

export interface WrittenData {
  /**
   * The new `<sheetData>` element as binary strings (untouched rows: the sheet's own bytes), produced on demand row by row: a 100k-row sheet
   * is streamed into the deflater, never held as 150 MB of row strings and one buffer (on this VM
   * class, first touching that much fresh memory alone costs seconds). Call it again for a new pass.
   */
  readonly chunks: () => Iterable<string | Buffer>;
  readonly lastRow: number;
  readonly lastCol: number;
}

/** One row of the output: copied from the sheet as read, rebuilt already (an edited existing row), or new. */
type RowOut =
  | { readonly kind: 'copy'; readonly r: number; readonly span: RowSpan }
  | { readonly kind: 'xml'; readonly xml: string }
  | { readonly kind: 'new'; readonly r: number; readonly values: readonly (Cell | undefined)[] };

interface ParsedCell {
  col: number;
  /** The start tag's attributes other than `r` and `s`, as written (` t="s" cm="1"`). */
  attrs: string;
  s: number | undefined;
  /** Everything between the start and end tag ('' for an empty cell). */
  inner: string;
}

/**
 * The rows are laid out first — existing rows an edit reaches are rebuilt at once (a re-sync edits
 * few), new rows only measured — so the used range is known before the head is written and every
 * style a cell needs is derived before styles.xml is (restyle is memoised: the lazy pass gets the same).
 */
export function writeSheetData(scan: ScannedSheet, edit: SheetEdit): WrittenData {
  const p = scan.prefix;
  // Rows as they will be numbered: the deleted ones gone, those below moved up.
  const kept = new Map<number, RowSpan>();
  let shift = 0;
  for (const span of [...scan.rows].sort((a, b) => a.r - b.r)) {
    if (edit.deleted.has(span.r)) shift++;
    else kept.set(span.r - shift, span);
  }
  const numbers = [...new Set([...kept.keys(), ...edit.cells.keys(), ...(edit.touch ?? [])])].sort((a, b) => a - b);
  const rows: RowOut[] = [];
  let lastRow = 0;
  let lastCol = 0;
  for (const r of numbers) {
    const span = kept.get(r);
    const values = edit.cells.get(r);
    const rebuild = values || edit.touch?.has(r) || (edit.clearFrom !== undefined && r >= edit.clearFrom);
    if (span && !rebuild) rows.push({ kind: 'copy', r, span });
    else if (!span) {
      const last = lastCellOf(r, values ?? [], edit.restyle);
      if (last < 0) continue;
      rows.push({ kind: 'new', r, values: values ?? [] });
      lastCol = Math.max(lastCol, last);
    } else {
      const row = buildRow(scan, span, r, values, edit);
      if (!row.xml) continue;
      rows.push({ kind: 'xml', xml: row.xml });
      lastCol = Math.max(lastCol, row.lastCol);
    }
    lastRow = r;
  }
  function* chunks(): Iterable<string | Buffer> {
    yield `<${p}sheetData>`;
    for (const row of rows) {
      if (row.kind === 'xml') yield row.xml;
      else if (row.kind === 'new') yield newRow(p, row.r, row.values, edit);
      else if (row.span.r === row.r) yield scan.bytes.subarray(row.span.start, row.span.end);
      else yield renumber(binaryText(scan, row.span.start, row.span.end), row.r, p);
    }
    yield `</${p}sheetData>`;
  }
  return { chunks, lastRow, lastCol };
}

/** The last column a new row writes a cell in (a value, or an empty cell with a style); -1 for none. */
function lastCellOf(r: number, values: readonly (Cell | undefined)[], restyle: SheetEdit['restyle']): number {
  let last = -1;
  for (let col = 0; col < values.length; col++) {
    const v = values[col];
    if (v === undefined) continue;
    const s = restyle ? restyle(r, col, undefined) : undefined;
    if ((v !== null && v !== '') || s) last = col;
  }
  return last;
}

/** A row rebuilt: its cells merged with the values written; '' when nothing is left in it. */
function buildRow(
  scan: ScannedSheet,
  span: RowSpan,
  r: number,
  values: readonly (Cell | undefined)[] | undefined,
  edit: SheetEdit,
): { xml: string; lastCol: number } {
  const p = scan.prefix;
  const cells = parseCells(binaryText(scan, span.start, span.end), p);
  const byCol = new Map(cells.map((c) => [c.col, c]));
  const clear = edit.clearFrom !== undefined && r >= edit.clearFrom;
  const cols = new Set(byCol.keys());
  values?.forEach((v, c) => v !== undefined && cols.add(c));
  const parts: string[] = [];
  let lastCol = 0;
  for (const col of [...cols].sort((a, b) => a - b)) {
    const old = byCol.get(col);
    const s = edit.restyle ? edit.restyle(r, col, old?.s) : old?.s;
    const ref = `${letterOf(col)}${r}`;
    let xml: string;
    const value = values?.[col];
    if (value !== undefined) xml = cellXml(p, ref, s, value);
    else if (clear || !old) xml = s ? `<${p}c r="${ref}" s="${s}"/>` : '';
    else
      xml = old.inner
        ? `<${p}c r="${ref}"${sAttr(s)}${old.attrs}>${old.inner}</${p}c>`
        : `<${p}c r="${ref}"${sAttr(s)}${old.attrs}/>`;
    if (xml) {
      parts.push(xml);
      lastCol = col;
    }
  }
  const tag = withHeight(rowAttrs(binaryText(scan, span.start, scan.bytes.indexOf('>', span.start) + 1)), r, edit);
  if (!parts.length && !tag) return { xml: '', lastCol };
  return { xml: `<${p}row r="${r}"${tag}>${parts.join('')}</${p}row>`, lastCol };
}

/** A row the sheet did not have (an appended one): its values in column order, nothing to merge. */
function newRow(p: string, r: number, values: readonly (Cell | undefined)[], edit: SheetEdit): string {
  const restyle = edit.restyle;
  const parts: string[] = [`<${p}row r="${r}"${withHeight('', r, edit)}>`];
  for (let col = 0; col < values.length; col++) {
    const value = values[col];
    if (value === undefined) continue;
    const cell = cellXml(p, `${letterOf(col)}${r}`, restyle ? restyle(r, col, undefined) : undefined, value);
    if (cell) parts.push(cell);
  }
  parts.push(`</${p}row>`);
  // One flat string per row (a join, not `+=`): a rope of 20 cells would be flattened again when written.
  return parts.join('');
}

/** Column letters by index, computed once per column. */
const LETTERS: string[] = [];
const letterOf = (col: number) => (LETTERS[col] ??= columnLetter(col));

const sAttr = (s: number | undefined) => (s ? ` s="${s}"` : '');

/** A cell with a value, always typed: text is an inline string, so it can never become a formula. */
export function cellXml(p: string, ref: string, s: number | undefined, value: Cell): string {
  if (value === null || value === '') return s ? `<${p}c r="${ref}" s="${s}"/>` : '';
  if (typeof value === 'number' && Number.isFinite(value))
    return `<${p}c r="${ref}"${sAttr(s)}><${p}v>${value}</${p}v></${p}c>`;
  if (typeof value === 'boolean') return `<${p}c r="${ref}"${sAttr(s)} t="b"><${p}v>${value ? 1 : 0}</${p}v></${p}c>`;
  const text = String(value);
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<${p}c r="${ref}"${sAttr(s)} t="inlineStr"><${p}is><${p}t${space}>${toBinary(escapeCellText(text))}</${p}t></${p}is></${p}c>`;
}

/** The cells of a row's XML, in order. */
function parseCells(row: string, p: string): ParsedCell[] {
  const out: ParsedCell[] = [];
  const re = new RegExp(`<${p}c(\\s[^>]*?)?(/>|>([\\s\\S]*?)</${p}c>)`, 'g');
  let col = -1;
  for (let m = re.exec(row); m; m = re.exec(row)) {
    const attrs = m[1] ?? '';
    const ref = /\sr="([^"]*)"/.exec(attrs)?.[1];
    col = ref ? columnOf(ref) : col + 1;
    const s = /\ss="(\d+)"/.exec(attrs)?.[1];
    out.push({
      col,
      attrs: attrs.replace(/\s(r|s)="[^"]*"/g, ''),
      s: s === undefined ? undefined : Number(s),
      inner: m[3] ?? '',
    });
  }
  return out;
}

/** A row's start tag → its attributes other than `r` and `spans` (which a rebuilt row may outgrow). */
function rowAttrs(tag: string): string {
  const inner = tag.replace(/^<[^\s>/]+/, '').replace(/\/?>$/, '');
  return inner.replace(/\s(r|spans)="[^"]*"/g, '');
}

/** A row's attributes with the height the edit gives it (replacing its own), else as they were. */
function withHeight(attrs: string, r: number, edit: SheetEdit): string {
  const ht = edit.heights?.get(r);
  return ht === undefined ? attrs : `${attrs.replace(/\s(ht|customHeight)="[^"]*"/g, '')} ht="${ht}" customHeight="1"`;
}

/** An untouched row moved up by deletions: its number and its cells' references follow. */
function renumber(row: string, r: number, p: string): string {
  return row
    .replace(new RegExp(`^(<${p}row\\b[^>]*?\\sr=")\\d+"`), `$1${r}"`)
    .replace(new RegExp(`(<${p}c\\b[^>]*?\\sr="[A-Za-z]+)\\d+"`, 'g'), `$1${r}"`);
}
