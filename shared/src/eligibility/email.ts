/** E-mail addresses as matching keys and as validity checks (what an enrollment operator would accept). */
import { cellText, type Cell } from '../cells';

/** Trimmed, NFKC (full-width characters from copy-paste), lower-cased, without a `mailto:` prefix. */
export function normalizeEmail(value: Cell | undefined): string {
  return cellText(value ?? null)
    .normalize('NFKC')
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
}

const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** One plain address (no display name, no list), with a dotted domain; local part without leading/trailing/double dots. */
export function isValidEmail(normalized: string): boolean {
  if (!EMAIL.test(normalized)) return false;
  const local = normalized.slice(0, normalized.indexOf('@'));
  return !local.startsWith('.') && !local.endsWith('.') && !local.includes('..') && normalized.length <= 254;
}
