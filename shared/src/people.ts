/**
 * People as the workflows know them: e-mail addresses as matching keys and validity checks (what
 * an enrollment operator would accept), admins from Settings `Admins`, mentors from the Courses
 * tab, and the acting person. E-mails compare case-insensitively.
 */
import { cellText, type Cell } from './cells';
import { InvalidRequest } from './rule-errors';
import type { Settings } from './settings';

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

export function isAdmin(settings: Settings, actor: string): boolean {
  const a = normalizeEmail(actor);
  return settings.admins.some((x) => normalizeEmail(x) === a);
}

/** A `Mentor` cell may name several mentors (comma/semicolon separated). */
export function mentorsOf(cell: string): string[] {
  return cell
    .split(/[,;\s]+/)
    .map((s) => normalizeEmail(s))
    .filter(Boolean);
}

/** The acting person's e-mail, validated: every audit row names a real address. */
export function actorEmail(actor: string): string {
  const a = normalizeEmail(actor);
  if (!a) throw new InvalidRequest('NO_ACTOR', 'say who is acting (the e-mail of the mentor or admin)');
  if (!isValidEmail(a)) throw new InvalidRequest('BAD_ACTOR', `"${actor}" is not a valid e-mail address`);
  return a;
}
