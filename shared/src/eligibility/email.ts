/** E-mail addresses as matching keys and as validity checks (what an enrollment operator would accept). */
import { cellText, type Cell } from '../cells';

/** Trimmed, NFKC (full-width characters from copy-paste), lower-cased, without a `mailto:` prefix. */
export function normalizeEmail(value: Cell | undefined): string {
  let t = cellText(value ?? null);
  if (/[^\x20-\x7e]/.test(t)) t = t.normalize('NFKC').trim(); // only non-ASCII text can change (100k rows: skip the cost)
  if (/^mailto:/i.test(t)) t = t.slice(7).trim();
  return t.toLowerCase();
}

const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** One plain address (no display name, no list), with a dotted domain; local part without leading/trailing/double dots. */
export function isValidEmail(normalized: string): boolean {
  if (!EMAIL.test(normalized)) return false;
  const local = normalized.slice(0, normalized.indexOf('@'));
  return !local.startsWith('.') && !local.endsWith('.') && !local.includes('..') && normalized.length <= 254;
}
