/**
 * The one cell shape that makes up nearly all of a big sheet, read without allocating anything but
 * its value: `<c r="B7" s="3" t="s"><v>12</v></c>`, `<c r="B7" t="inlineStr"><is><t>text</t></is></c>`,
 * `<c r="B7" s="3"/>` (attributes in that order, as Excel, LibreOffice, Google Sheets and this
 * backend write them). Anything else — formulas, rich text, other attribute orders — returns -1 and
 * goes through the general reader. Measured on a 100k-row Progress (105 MB): 2.5 s with a
 * regular expression per cell, ~1 s with this.
 */
import type { Cell } from '../../../../shared/src/cells';
import { fromBinary, isoToText, serialToText, unescapeCellText } from './cell-text';
import type { ReadContext } from './sheet-reader';

const QUOTE = 34;
const SLASH = 47;
const GT = 62;

/** Where `commonCell` puts what it read (one object per sheet, reused: no allocation per cell). */
export interface CellOut {
  col: number;
  value: Cell;
}

/** Reads the cell at `at` (its `<`) into `out`; returns where it ends, or -1 for another shape. */
export function commonCell(text: string, at: number, ctx: ReadContext, out: CellOut): number {
  if (!text.startsWith('<c r="', at)) return -1;
  let i = at + 6;
  let col = 0;
  for (let c = text.charCodeAt(i); c >= 65 && c <= 90; c = text.charCodeAt(++i)) col = col * 26 + c - 64;
  if (!col) return -1;
  while (text.charCodeAt(i) !== QUOTE) i++;
  i++;
  let style = 0;
  if (text.startsWith(' s="', i)) {
    for (i += 4; text.charCodeAt(i) !== QUOTE; i++) style = style * 10 + text.charCodeAt(i) - 48;
    i++;
  }
  let type = N;
  if (text.startsWith(' t="', i)) {
    type = text.startsWith('inlineStr"', i + 4)
      ? INLINE
      : text.charCodeAt(i + 5) === QUOTE
        ? text.charCodeAt(i + 4)
        : STR;
    i = text.indexOf('"', i + 4) + 1;
  }
  out.col = col - 1;
  out.value = null;
  if (text.charCodeAt(i) === SLASH && text.charCodeAt(i + 1) === GT) return i + 2;
  if (text.charCodeAt(i) !== GT) return -1;
  i++;
  if (type === INLINE) {
    if (!text.startsWith('<is><t>', i)) return -1;
    const e = text.indexOf('<', i + 7);
    if (!text.startsWith('</t></is></c>', e)) return -1;
    out.value = plain(text.slice(i + 7, e));
    return e + 13;
  }
  if (!text.startsWith('<v>', i)) return -1;
  const e = text.indexOf('<', i + 3);
  if (text.charCodeAt(e + 1) !== SLASH || !text.startsWith('</v></c>', e)) return -1;
  out.value = value(text.slice(i + 3, e), type, style, ctx);
  return e + 8;
}

/** Cell types by the char code of a one-letter `t` (n, s, b, d, e), or these for the longer ones. */
const N = 110;
const S = 115;
const B = 98;
const D = 100;
const INLINE = -1;
const STR = -2;

function value(v: string, type: number, style: number, ctx: ReadContext): Cell {
  switch (type) {
    case N: {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n)) return null;
      return ctx.dateStyles[style] ? serialToText(n, ctx.date1904) : n;
    }
    case S:
      return ctx.sharedStrings[Number(v)] ?? null;
    case B:
      return v === '1' || v === 'true';
    case D:
      return isoToText(v);
    default:
      return plain(v);
  }
}

/** Cell text without markup: decoded from UTF-8 and unescaped only when it needs to be. */
export function plain(raw: string): string {
  const text = fromBinary(raw);
  return text.includes('&') || text.includes('_x') ? unescapeCellText(text) : text;
}
