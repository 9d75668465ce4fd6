/**
 * Who an attendee line is: a facilitator (not a participant, never marked), a participant — by
 * e-mail, else by name through the eligibility check's Cyrillic ↔ Latin name key (word order,
 * case, transliteration and a missing patronymic do not matter) — or nobody, with the reason.
 * A name that fits several participants matches nobody: preferring the session's own group
 * first, and never guessing between two people.
 */
import { nameTokens, sameName } from '../eligibility/names';
import { normalizeEmail } from '../people';
import type { AttendeeLine } from './attendance-report';
import { nameKey, type ParticipantEntry } from './tables';

export type LineMatch =
  | { readonly kind: 'participant'; readonly email: string; readonly by: 'email' | 'name' }
  | { readonly kind: 'facilitator'; readonly email: string }
  | { readonly kind: 'unmatched'; readonly reason: string };

export interface MatchContext {
  readonly participants: readonly ParticipantEntry[];
  /** Facilitators' e-mails (the group's and the session's), lower-cased. */
  readonly facilitators: ReadonlySet<string>;
  /** The session's group (nameKey). */
  readonly group: string;
}

export function attendeeMatcher(ctx: MatchContext): (line: AttendeeLine) => LineMatch {
  const byEmail = new Map<string, ParticipantEntry>();
  for (const p of ctx.participants) if (p.email && !byEmail.has(p.email)) byEmail.set(p.email, p);
  const tokens = ctx.participants.filter((p) => p.email).map((p) => ({ p, tokens: nameTokens(p.fullName) }));

  const byName = (name: string): ParticipantEntry[] | null => {
    const want = nameTokens(name);
    const hits = tokens.filter((t) => sameName(want, t.tokens)).map((t) => t.p);
    const unique = [...new Map(hits.map((p) => [p.email, p])).values()];
    if (unique.length <= 1) return unique;
    const inGroup = unique.filter((p) => nameKey(p.group) === ctx.group);
    return inGroup.length === 1 ? inGroup : null; // null: several people, no way to tell
  };

  return (line) => {
    const email = normalizeEmail(line.email);
    if (email && ctx.facilitators.has(email)) return { kind: 'facilitator', email };
    const known = email ? byEmail.get(email) : undefined;
    if (known) return { kind: 'participant', email: known.email, by: 'email' };
    let ambiguous = '';
    for (const name of line.names) {
      const hits = byName(name);
      if (hits === null) ambiguous = name;
      else if (hits.length === 1) return { kind: 'participant', email: hits[0].email, by: 'name' };
    }
    if (ambiguous)
      return { kind: 'unmatched', reason: `"${ambiguous}" fits several participants: add their e-mail to the line` };
    const who = [line.names.join(' / '), email].filter(Boolean).join(', ') || '(no name, no e-mail)';
    return { kind: 'unmatched', reason: `${who}: no participant with this e-mail or name` };
  };
}
