/**
 * Writes a worksheet's cell data back with a set of edits. Rows no edit reaches are copied as the
 * bytes they were read as (renumbered only when a deleted row above moves them up); a row an edit
 * reaches is rebuilt cell by cell, keeping every cell it does not write as it was — style index,
 * formula, extra attributes — and the style of the cells it does write.
 */
import type { Cell } from '../../../../shared/src/cells';
import { columnLetter } from '../../../../shared/src/cells';
import { columnOf, escapeCellText, toBinary } from './cell-text';
import type { RowSpan, ScannedSheet } from './sheet-reader';

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
}

export interface WrittenData {
  /** The new `<sheetData>` element, as binary strings (one per row: never one 100 MB string). */
  readonly chunks: readonly string[];
  readonly lastRow: number;
  readonly lastCol: number;
}

interface ParsedCell {
  col: number;
  /** The start tag's attributes other than `r` and `s`, as written (` t="s" cm="1"`). */
  attrs: string;
  s: number | undefined;
  /** Everything between the start and end tag ('' for an empty cell). */
  inner: string;
}

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
  const out: string[] = [`<${p}sheetData>`];
  let lastRow = 0;
  let lastCol = 0;
  for (const r of numbers) {
    const span = kept.get(r);
    const values = edit.cells.get(r);
    const rebuild = values || edit.touch?.has(r) || (edit.clearFrom !== undefined && r >= edit.clearFrom);
    if (span && !rebuild) {
      const raw = scan.text.slice(span.start, span.end);
      out.push(span.r === r ? raw : renumber(raw, r, p));
    } else {
      const row = buildRow(scan, span, r, values, edit);
      if (!row.xml) continue;
      out.push(row.xml);
      lastCol = Math.max(lastCol, row.lastCol);
    }
    lastRow = r;
  }
  out.push(`</${p}sheetData>`);
  return { chunks: out, lastRow, lastCol };
}

/** A row rebuilt: its cells merged with the values written; '' when nothing is left in it. */
function buildRow(
  scan: ScannedSheet,
  span: RowSpan | undefined,
  r: number,
  values: readonly (Cell | undefined)[] | undefined,
  edit: SheetEdit,
): { xml: string; lastCol: number } {
  const p = scan.prefix;
  if (!span) return newRow(p, r, values ?? [], edit.restyle);
  const cells = parseCells(scan.text.slice(span.start, span.end), p);
  const byCol = new Map(cells.map((c) => [c.col, c]));
  const clear = edit.clearFrom !== undefined && r >= edit.clearFrom;
  const cols = new Set(byCol.keys());
  values?.forEach((v, c) => v !== undefined && cols.add(c));
  const parts: string[] = [];
  let lastCol = 0;
  for (const col of [...cols].sort((a, b) => a - b)) {
    const old = byCol.get(col);
    const s = edit.restyle ? edit.restyle(r, col, old?.s) : old?.s;
    const ref = `${columnLetter(col)}${r}`;
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
  const tag = rowAttrs(scan.text.slice(span.start, scan.text.indexOf('>', span.start) + 1));
  if (!parts.length && !tag) return { xml: '', lastCol };
  return { xml: `<${p}row r="${r}"${tag}>${parts.join('')}</${p}row>`, lastCol };
}

/** A row the sheet did not have (an appended one): its values in column order, nothing to merge. */
function newRow(p: string, r: number, values: readonly (Cell | undefined)[], restyle: SheetEdit['restyle']) {
  const parts: string[] = [];
  let lastCol = 0;
  for (let col = 0; col < values.length; col++) {
    const value = values[col];
    if (value === undefined) continue;
    const cell = cellXml(p, `${columnLetter(col)}${r}`, restyle ? restyle(r, col, undefined) : undefined, value);
    if (cell) {
      parts.push(cell);
      lastCol = col;
    }
  }
  // Joined, not `+=`: a rope of 20 cells per row would keep every piece alive until the write (+0.5 GB at 100k rows).
  return { xml: parts.length ? `<${p}row r="${r}">${parts.join('')}</${p}row>` : '', lastCol };
}

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

/** An untouched row moved up by deletions: its number and its cells' references follow. */
function renumber(row: string, r: number, p: string): string {
  return row
    .replace(new RegExp(`^(<${p}row\\b[^>]*?\\sr=")\\d+"`), `$1${r}"`)
    .replace(new RegExp(`(<${p}c\\b[^>]*?\\sr="[A-Za-z]+)\\d+"`, 'g'), `$1${r}"`);
}
