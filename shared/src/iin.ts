/**
 * Kazakhstan IIN: 12 digits — YYMMDD birth date, a century/sex digit (1/2 → 1800s, 3/4 → 1900s,
 * 5/6 → 2000s; odd male, even female), four serial digits and a check digit:
 * sum(d_i × i, i = 1..11) mod 11; when that is 10, a second pass with weights 3,4,5,6,7,8,9,10,11,1,2;
 * when that is 10 too, no valid IIN has these first 11 digits.
 */
import type { Cell } from './cells';

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

export type IinCheck =
  | { readonly ok: true; readonly iin: string; readonly birthDate: string; readonly sex: 'M' | 'F' }
  | { readonly ok: false; readonly iin: string; readonly reason: string };

/**
 * IIN text as typed. A spreadsheet that took the IIN for a number drops leading zeros (people
 * born 2000–2009 have IINs starting with 0), so an integer is padded back to 12 digits; spaces
 * between digit groups are ignored.
 */
export function iinText(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1e12)
    return String(value).padStart(12, '0');
  const text = String(value);
  return /^\d{12}$/.test(text) ? text : text.replace(/[\s\u00a0]+/g, '');
}

/** The check digit the first 11 digits call for, or null when both passes give 10. */
export function iinCheckDigit(first11: string): number | null {
  const d = [...first11].map(Number);
  const sum = (w: number[]) => d.reduce((s, x, i) => s + x * w[i], 0) % 11;
  const first = sum(WEIGHTS_1);
  if (first !== 10) return first;
  const second = sum(WEIGHTS_2);
  return second === 10 ? null : second;
}

/** The birth date an IIN encodes (`YYYY-MM-DD`), or null when the date part is not a real date. */
export function iinBirthDate(iin: string): string | null {
  if (!/^\d{7}/.test(iin)) return null;
  const centuryDigit = Number(iin[6]);
  if (centuryDigit < 1 || centuryDigit > 6) return null;
  const year = 1800 + 100 * Math.floor((centuryDigit - 1) / 2) + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const d = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return null;
  return `${year}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`;
}

export function checkIin(value: Cell | undefined): IinCheck {
  const iin = iinText(value);
  if (!/^\d+$/.test(iin)) return { ok: false, iin, reason: `IIN "${iin}" must contain digits only` };
  if (iin.length !== 12) return { ok: false, iin, reason: `IIN "${iin}" has ${iin.length} digits, not 12` };
  const centuryDigit = Number(iin[6]);
  if (centuryDigit < 1 || centuryDigit > 6)
    return { ok: false, iin, reason: `IIN ${iin}: 7th digit ${centuryDigit} is not a century/sex digit (1–6)` };
  const birthDate = iinBirthDate(iin);
  if (!birthDate)
    return { ok: false, iin, reason: `IIN ${iin}: ${iin.slice(0, 6)} is not a valid birth date (YYMMDD)` };
  const check = iinCheckDigit(iin.slice(0, 11));
  if (check === null) return { ok: false, iin, reason: `IIN ${iin}: no check digit is possible for these digits` };
  if (check !== Number(iin[11]))
    return { ok: false, iin, reason: `IIN ${iin}: check digit is ${iin[11]}, expected ${check}` };
  return { ok: true, iin, birthDate, sex: centuryDigit % 2 === 1 ? 'M' : 'F' };
}
