/**
 * CSV for people who open it in Excel: UTF-8 with a BOM (else Excel shows Cyrillic as mojibake),
 * CRLF line ends, RFC 4180 quoting, and no formula injection — a text value starting with
 * = + - @ tab or CR gets a leading `'`, so a name like `=HYPERLINK(...)` stays text.
 */
import type { Cell, Row } from '../cells';

export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  // `;` too: Excel in ru/kk locales splits on it when a user re-saves the file.
  return /[",;\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly Row[], options: { bom?: boolean } = {}): string {
  const lines = [header.map(csvField).join(','), ...rows.map((r) => header.map((_, i) => csvField(r[i])).join(','))];
  return `${options.bom === false ? '' : UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
