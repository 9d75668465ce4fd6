/**
 * Reads a worksheet's cell data. The cell data is the one part of a workbook that grows with the
 * university (100k rows × 25 columns = 95 MB of XML): it is scanned with indexOf over the sheet as
 * a binary string rather than through an XML event parser (saxes: ~4 s for that sheet; this: ~0.8 s).
 * The rest of the worksheet (views, columns, conditional formats, validations) goes through saxes
 * (see sheet-parts.ts). Each row's byte range is kept, so a rewrite copies untouched rows verbatim.
 */
import type { Cell, Row } from '../../../../shared/src/cells';
import { columnOf, fromBinary, isoToText, serialToText, unescapeCellText } from './cell-text';
import { commonCell, type CellOut } from './common-cell';

export interface RowSpan {
  /** 1-based row number. */
  readonly r: number;
  /** Where `<row …>` starts and where `</row>` ends, in the sheet text. */
  readonly start: number;
  readonly end: number;
}

export interface ScannedSheet {
  /** The sheet XML as a binary string (UTF-8 bytes as latin1). */
  readonly text: string;
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

export interface ReadContext {
  readonly sharedStrings: readonly string[];
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
}

export class SheetFormatError extends Error {}

export function scanSheet(text: string, ctx: ReadContext): ScannedSheet {
  const prefix = /<([A-Za-z_][\w.-]*:)?worksheet[\s>]/.exec(text)?.[1] ?? '';
  const open = text.indexOf(`<${prefix}sheetData`);
  if (open < 0) throw new SheetFormatError('a worksheet without cell data');
  const openEnd = text.indexOf('>', open);
  const selfClosing = text.charCodeAt(openEnd - 1) === 47;
  const close = selfClosing ? openEnd + 1 : text.indexOf(`</${prefix}sheetData>`, openEnd);
  if (close < 0) throw new SheetFormatError('the cell data is not closed');
  const rows: RowSpan[] = [];
  const values: Row[] = [];
  const rowOpen = `<${prefix}row`;
  const rowClose = `</${prefix}row>`;
  const found = { formulas: false };
  let pos = openEnd + 1;
  let last = 0;
  for (;;) {
    const start = text.indexOf(rowOpen, pos);
    if (start < 0 || start >= close) break;
    const tagEnd = text.indexOf('>', start);
    const r = Number(attribute(text.slice(start, tagEnd), 'r')) || last + 1;
    let end = tagEnd + 1;
    if (text.charCodeAt(tagEnd - 1) !== 47) {
      const inner = text.indexOf(rowClose, tagEnd);
      if (inner < 0) throw new SheetFormatError(`row ${r} is not closed`);
      end = inner + rowClose.length;
      values[r - 1] = readCells(text, tagEnd + 1, inner, prefix, ctx, found);
    }
    rows.push({ r, start, end });
    last = r;
    pos = end;
  }
  return {
    text,
    prefix,
    dataStart: open,
    dataEnd: selfClosing ? openEnd + 1 : close + `</${prefix}sheetData>`.length,
    rows,
    values,
    hasFormulas: found.formulas,
  };
}

/** The cells of one row; `found.formulas` is set when one of them holds a formula (never a common cell). */
function readCells(
  text: string,
  from: number,
  to: number,
  p: string,
  ctx: ReadContext,
  found: { formulas: boolean },
): Row {
  const row: Row = [];
  const cellOpen = `<${p}c`;
  const cellClose = `</${p}c>`;
  const cell: CellOut = { col: 0, value: null };
  let col = -1;
  let pos = from;
  for (;;) {
    const start = text.indexOf(cellOpen, pos);
    if (start < 0 || start >= to) break;
    const common = p ? -1 : commonCell(text, start, ctx, cell);
    if (common >= 0) {
      pos = common;
      col = cell.col;
      if (cell.value !== null) {
        while (row.length < col) row.push(null);
        row[col] = cell.value;
      }
      continue;
    }
    const next = text.charCodeAt(start + cellOpen.length);
    const tagEnd = text.indexOf('>', start);
    pos = tagEnd + 1;
    if (next !== 32 && next !== 62 && next !== 47 && next !== 9 && next !== 10 && next !== 13) continue;
    const tag = text.slice(start, tagEnd);
    const ref = attribute(tag, 'r');
    col = ref ? columnOf(ref) : col + 1;
    if (text.charCodeAt(tagEnd - 1) === 47) continue;
    const end = text.indexOf(cellClose, tagEnd);
    pos = end + cellClose.length;
    const inner = text.slice(tagEnd + 1, end);
    if (inner.includes(`<${p}f>`) || inner.includes(`<${p}f `)) found.formulas = true;
    const value = cellValue(text, tagEnd + 1, end, attribute(tag, 't'), p, () => Number(attribute(tag, 's') ?? 0), ctx);
    if (value !== null) {
      while (row.length < col) row.push(null);
      row[col] = value;
    }
  }
  return row;
}

function cellValue(
  text: string,
  from: number,
  to: number,
  type: string | undefined,
  p: string,
  style: () => number,
  ctx: ReadContext,
): Cell {
  if (type === 'inlineStr') return richText(text.slice(from, to), p);
  const vs = text.indexOf(`<${p}v>`, from);
  if (vs < 0 || vs >= to) return null;
  const v = text.slice(vs + p.length + 3, text.indexOf(`</${p}v>`, vs));
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
