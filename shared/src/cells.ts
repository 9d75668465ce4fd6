/**
 * Cell values as every backend sees them. Dates are written as text in the configured time zone
 * (`YYYY-MM-DD HH:mm`), so every backend round-trips them the same way and they sort as text.
 */
export type Cell = string | number | boolean | null;
export type Row = Cell[];

/** Empty string and null are the same thing in a spreadsheet. */
export function isBlank(value: Cell | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

export function cellText(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value.trim() : String(value);
}

/** Parses a number cell that may come back as text ("57,73" in a ru/kk locale sheet). */
export function cellNumber(value: Cell | undefined): number | null {
  if (isBlank(value)) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return null;
  const text = String(value).trim().replace(/\s+/g, '').replace(',', '.').replace(/%$/, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return null;
  return Number(text);
}

/**
 * Change detection for the plan: a sync writes a cell only when this says the value differs.
 * Numbers compare with a tolerance (backends round-trip doubles differently) and numeric text
 * equals the number it spells.
 */
export function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  if (a === b) return true; // most cells of a re-sync: nothing to convert
  if (isBlank(a) && isBlank(b)) return true;
  if (isBlank(a) || isBlank(b)) return false;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = cellNumber(a);
    const y = cellNumber(b);
    if (x === null || y === null) return false;
    return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return cellText(a).toLowerCase() === cellText(b).toLowerCase();
  return a === b;
}

/** Text a spreadsheet would read as a formula (or, in CSV, a spreadsheet would execute). */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text);
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round((value + Number.EPSILON) * f) / f;
}

/** A1 column letters for a 0-based column index (0 → A, 26 → AA). */
export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Whether an identifying cell (e-mail, slug) still holds what was read: case and outer spaces aside. */
export function sameAnchor(a: Cell | undefined, b: Cell | undefined): boolean {
  const norm = (v: Cell | undefined) => (v === null || v === undefined ? '' : String(v).trim().toLowerCase());
  return norm(a) === norm(b);
}
