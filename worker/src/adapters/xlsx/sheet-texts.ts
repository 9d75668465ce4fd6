/**
 * The cell texts of a sheet being read: one string per distinct value of a column that repeats
 * itself (a school, a course, a status, "Yes"), found from the cell's bytes before any string is
 * made. A 100k-row Progress would otherwise hold 1.6M strings, each made from the sheet and kept
 * for the whole sync; on the machines we run on, making and keeping memory costs more than the
 * lookup (see shared/src/value-interner.ts). A column of mostly distinct values (e-mails, names,
 * times) stops being looked up after DISTINCT_CAP of them.
 */
import { unescapeCellText } from './cell-text';

const DISTINCT_CAP = 4096;
const AMP = 38;
const UNDERSCORE = 95;

interface Known {
  readonly bytes: Buffer;
  readonly text: string;
}

export class SheetTexts {
  /** Per column: texts by a hash of their bytes (null once the column is mostly distinct values). */
  private readonly columns: (Map<number, Known> | null | undefined)[] = [];

  /** The text of the cell bytes [from, to) in column `col` (0-based), shared with an equal earlier cell. */
  text(col: number, b: Buffer, from: number, to: number): string {
    let seen = this.columns[col];
    if (seen === null) return cellText(b, from, to);
    if (seen === undefined) this.columns[col] = seen = new Map();
    let hash = to - from;
    for (let i = from; i < to; i++) hash = (Math.imul(hash, 31) + b[i]) | 0;
    const known = seen.get(hash);
    if (known && sameBytes(known.bytes, b, from, to)) return known.text;
    const text = cellText(b, from, to);
    if (!known) {
      if (seen.size >= DISTINCT_CAP) this.columns[col] = null;
      else seen.set(hash, { bytes: Buffer.from(b.subarray(from, to)), text });
    }
    return text;
  }
}

function sameBytes(known: Buffer, b: Buffer, from: number, to: number): boolean {
  if (known.length !== to - from) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== b[from + i]) return false;
  return true;
}

/** Cell text without markup: decoded from UTF-8 only when it has non-ASCII bytes, unescaped only when it needs to be. */
export function cellText(b: Buffer, from: number, to: number): string {
  let high = 0;
  let markup = false;
  for (let i = from; i < to; i++) {
    const c = b[i];
    high |= c;
    if (c === AMP || c === UNDERSCORE) markup = true;
  }
  const text = high & 0x80 ? b.toString('utf8', from, to) : b.toString('latin1', from, to);
  return markup && (text.includes('&') || text.includes('_x')) ? unescapeCellText(text) : text;
}
