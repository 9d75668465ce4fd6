/** Who may do what: admins from Settings `Admins`, mentors from the Courses tab. E-mails compare case-insensitively. */
import type { Settings } from '../settings';
import { normalizeEmail } from '../eligibility/email';
import { InvalidRequest } from '../eligibility/errors';
import { isValidEmail } from '../eligibility/email';

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
