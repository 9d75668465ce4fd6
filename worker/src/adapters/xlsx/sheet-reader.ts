/**
 * Reads a worksheet's cell data. The cell data is the one part of a workbook that grows with the
 * university (100k rows × 25 columns = 105 MB of XML): it is scanned over the sheet's bytes as
 * inflated, with no decoded copy of the sheet (on this VM class first touching another 105 MB costs
 * more than the copy itself), rather than through an XML event parser (saxes: ~4 s for that sheet;
 * this: ~0.7 s). The rest of the worksheet (views, columns, conditional formats, validations) goes
 * through saxes (see sheet-parts.ts). Each row's byte range is kept, so a rewrite copies untouched
 * rows as the bytes they are.
 */
import type { Cell, Row } from '../../../../shared/src/cells';
import { columnOf, fromBinary, isoToText, serialToText, unescapeCellText } from './cell-text';
import { bytesAt, commonCell, type CellOut } from './common-cell';
import { SheetTexts } from './sheet-texts';

export interface RowSpan {
  /** 1-based row number. */
  readonly r: number;
  /** Where `<row …>` starts and where `</row>` ends, in the sheet's bytes. */
  readonly start: number;
  readonly end: number;
}

export interface ScannedSheet {
  /** The sheet XML as stored (UTF-8). */
  readonly bytes: Buffer;
  /** The main namespace's element prefix, with its colon ('' almost always; `x:` from some SDKs). */
  readonly prefix: string;
  /** Where `<sheetData…>` starts and where its element ends (`</sheetData>` or `/>`). */
  readonly dataStart: number;
  readonly dataEnd: number;
  readonly rows: RowSpan[];
  /** Cell values by row number − 1 (holes for missing rows). */
  readonly values: Row[];
  /** Some cell holds a formula (a rewrite then drops the calculation chain). */
  readonly hasFormulas: boolean;
}

/** Bytes of the sheet as a binary string (UTF-8 bytes as latin1): for the rare parts read as text. */
export const binaryText = (scan: ScannedSheet, from: number, to?: number): string =>
  scan.bytes.toString('latin1', from, to ?? scan.bytes.length);

export interface ReadContext {
  readonly sharedStrings: readonly string[];
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
}

export class SheetFormatError extends Error {}

const GT = 62;

/** The first `>` at or after `from` (-1 when none before `to`). */
function tagEnd(b: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to && b[i] !== GT) i++;
  return i < to ? i : -1;
}

export function scanSheet(bytes: Buffer, ctx: ReadContext): ScannedSheet {
  const head = bytes.toString('latin1', 0, Math.min(bytes.length, 1 << 16));
  const prefix = /<([A-Za-z_][\w.-]*:)?worksheet[\s>]/.exec(head)?.[1] ?? '';
  const open = bytes.indexOf(`<${prefix}sheetData`);
  if (open < 0) throw new SheetFormatError('a worksheet without cell data');
  const openEnd = tagEnd(bytes, open, bytes.length);
  if (openEnd < 0) throw new SheetFormatError('the cell data is not closed');
  const selfClosing = bytes[openEnd - 1] === 47;
  const close = selfClosing ? openEnd + 1 : bytes.indexOf(`</${prefix}sheetData>`, openEnd);
  if (close < 0) throw new SheetFormatError('the cell data is not closed');
  const rows: RowSpan[] = [];
  const values: Row[] = [];
  const rowOpen = `<${prefix}row`;
  const found: RowsFound = { formulas: false, texts: new SheetTexts(), rowClose: `</${prefix}row>`, rowEnd: -1 };
  let pos = openEnd + 1;
  let last = 0;
  for (;;) {
    // Rows follow one another: the next one is almost always right here, else searched for.
    const start = bytesAt(bytes, pos, rowOpen) ? pos : bytes.indexOf(rowOpen, pos);
    if (start < 0 || start >= close) break;
    const end0 = tagEnd(bytes, start, close);
    if (end0 < 0) throw new SheetFormatError(`row ${last + 1} is not closed`);
    const r = rowNumber(bytes, start + rowOpen.length, end0) || last + 1;
    let end = end0 + 1;
    if (bytes[end0 - 1] !== 47) {
      values[r - 1] = readCells(bytes, end0 + 1, close, prefix, ctx, found);
      if (found.rowEnd < 0) throw new SheetFormatError(`row ${r} is not closed`);
      end = found.rowEnd + found.rowClose.length;
    }
    rows.push({ r, start, end });
    last = r;
    pos = end;
  }
  return {
    bytes,
    prefix,
    dataStart: open,
    dataEnd: selfClosing ? openEnd + 1 : close + `</${prefix}sheetData>`.length,
    rows,
    values,
    hasFormulas: found.formulas,
  };
}

/** After `<c` (or `<x:c`): a delimiter, so the element is a cell and not another one starting with c. */
const endsName = (c: number) => c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13;

/** A row's number from the bytes after `<row` (its usual ` r="12"`); 0 when it has none. */
function rowNumber(b: Buffer, at: number, tagEnd: number): number {
  if (bytesAt(b, at, ' r="')) {
    let n = 0;
    let i = at + 4;
    for (; i < tagEnd && b[i] >= 48 && b[i] <= 57; i++) n = n * 10 + b[i] - 48;
    if (b[i] === 34 && i > at + 4) return n;
  }
  return Number(attribute(b.toString('latin1', at, tagEnd), 'r')) || 0;
}

/** What reading rows gathers across them: formulas seen, the texts shared between rows, where the last row ended. */
interface RowsFound {
  formulas: boolean;
  readonly texts: SheetTexts;
  /** `</row>` with the sheet's prefix, and where readCells found it (-1: not before the end of the cell data). */
  readonly rowClose: string;
  rowEnd: number;
}

/**
 * The cells of one row, up to its `</row>` (its position in `found.rowEnd`); `found.formulas` is
 * set when a cell holds a formula (never a common cell). `to`: the end of the cell data.
 */
function readCells(b: Buffer, from: number, to: number, p: string, ctx: ReadContext, found: RowsFound): Row {
  const row: Row = [];
  const cellOpen = `<${p}c`;
  const cell: CellOut = { col: 0, value: null };
  let col = -1;
  let pos = from;
  found.rowEnd = -1;
  while (pos < to) {
    if (b[pos] !== 60) {
      pos++;
      continue;
    }
    if (b[pos + 1] === 47 && bytesAt(b, pos, found.rowClose)) {
      found.rowEnd = pos;
      break;
    }
    if (!bytesAt(b, pos, cellOpen) || !endsName(b[pos + cellOpen.length])) {
      pos++;
      continue;
    }
    const start = pos;
    const common = p ? -1 : commonCell(b, start, to, ctx, found.texts, cell);
    let value: Cell;
    if (common >= 0) {
      pos = common;
      col = cell.col;
      value = cell.value;
    } else {
      const general = generalCell(b, start, to, p, col, ctx, found);
      pos = general.end;
      col = general.col;
      value = general.value;
    }
    if (value !== null) {
      while (row.length < col) row.push(null);
      row[col] = value;
    }
  }
  return row;
}

/** Any other cell shape, read from its text (formulas, rich text, other attribute orders: few cells). */
function generalCell(
  b: Buffer,
  start: number,
  to: number,
  p: string,
  prevCol: number,
  ctx: ReadContext,
  found: { formulas: boolean },
): { end: number; col: number; value: Cell } {
  const end0 = tagEnd(b, start, to);
  if (end0 < 0) return { end: to, col: prevCol, value: null };
  const tag = b.toString('latin1', start, end0);
  const ref = attribute(tag, 'r');
  const col = ref ? columnOf(ref) : prevCol + 1;
  if (b[end0 - 1] === 47) return { end: end0 + 1, col, value: null };
  const cellClose = `</${p}c>`;
  const close = b.indexOf(cellClose, end0);
  if (close < 0 || close > to) return { end: to, col, value: null };
  const inner = b.toString('latin1', end0 + 1, close);
  if (inner.includes(`<${p}f>`) || inner.includes(`<${p}f `)) found.formulas = true;
  const value = cellValue(inner, attribute(tag, 't'), p, () => Number(attribute(tag, 's') ?? 0), ctx);
  return { end: close + cellClose.length, col, value };
}

/** A cell's value from its content (between its start and end tags, as a binary string). */
function cellValue(inner: string, type: string | undefined, p: string, style: () => number, ctx: ReadContext): Cell {
  if (type === 'inlineStr') return richText(inner, p);
  const vs = inner.indexOf(`<${p}v>`);
  if (vs < 0) return null;
  const v = inner.slice(vs + p.length + 3, inner.indexOf(`</${p}v>`, vs));
  switch (type) {
    case 's':
      return ctx.sharedStrings[Number(v)] ?? null;
    case 'b':
      return v === '1' || v === 'true';
    case 'str':
    case 'e':
      return unescapeCellText(fromBinary(v));
    case 'd':
      return isoToText(v);
    default: {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n)) return null;
      return ctx.dateStyles[style()] ? serialToText(n, ctx.date1904) : n;
    }
  }
}

/** The text of an inline string or a shared string item: its `<t>` runs, phonetic hints left out. */
export function richText(xml: string, p: string): string {
  const bare = xml.includes('rPh>') ? xml.replace(/<([\w]+:)?rPh\b[\s\S]*?<\/([\w]+:)?rPh>/g, '') : xml;
  const tOpen = `<${p}t`;
  let out = '';
  let pos = 0;
  for (;;) {
    const s = bare.indexOf(tOpen, pos);
    if (s < 0) break;
    const next = bare.charCodeAt(s + tOpen.length);
    const gt = bare.indexOf('>', s);
    pos = gt + 1;
    if (next !== 62 && next !== 32) continue; // `<tab…`, not `<t>`
    if (bare.charCodeAt(gt - 1) === 47) continue; // `<t/>`
    const e = bare.indexOf(`</${p}t>`, gt);
    out += bare.slice(gt + 1, e);
    pos = e;
  }
  return unescapeCellText(fromBinary(out));
}

/** The shared strings part (a binary string) → its strings, in order. */
export function readSharedStrings(text: string): string[] {
  const p = /<([A-Za-z_][\w.-]*:)?sst[\s>]/.exec(text)?.[1] ?? '';
  const out: string[] = [];
  const siOpen = `<${p}si>`;
  const siClose = `</${p}si>`;
  for (let pos = text.indexOf(siOpen); pos >= 0; pos = text.indexOf(siOpen, pos)) {
    const end = text.indexOf(siClose, pos);
    if (end < 0) break;
    out.push(richText(text.slice(pos + siOpen.length, end), p));
    pos = end;
  }
  return out;
}

/**
 * The value of attribute `name` in a start tag's text, or undefined. The fast path is the way every
 * known tool writes attributes (` name="…"`); anything else goes through a regular expression.
 */
export function attribute(tag: string, name: string): string | undefined {
  const key = ` ${name}="`;
  const k = tag.indexOf(key);
  if (k >= 0) return tag.slice(k + key.length, tag.indexOf('"', k + key.length));
  if (!tag.includes(`${name}=`)) return undefined;
  return new RegExp(`\\s${name}\\s*=\\s*(["'])(.*?)\\1`).exec(tag)?.[2];
}
