/**
 * Where a facilitated-programme participant sits (group and facilitators), for their Progress rows
 * when the Roster does not know them. Only text cells are read, so a date typo in Groups never
 * stops a sync, an approval or a revoke that merely shows the group.
 */
import { GROUPS_TAB, PARTICIPANTS_TAB } from '../layout';
import { mentorsOf, normalizeEmail } from '../people';
import type { Snapshot } from '../workbook';
import { nameKey, rowsOf } from './tables';

export interface ParticipantPlacement {
  readonly group: string;
  /** The group's facilitators' e-mails, comma-separated as in Groups. */
  readonly facilitators: string;
}

/** Participants by e-mail (lower-cased); the first row of an e-mail wins. Empty without a Participants tab. */
export function readPlacements(snapshot: Snapshot): Map<string, ParticipantPlacement> {
  const out = new Map<string, ParticipantPlacement>();
  if (!snapshot[PARTICIPANTS_TAB.name]) return out;
  const facilitators = new Map(
    rowsOf(GROUPS_TAB, snapshot).map((g) => [nameKey(g.get('group')), mentorsOf(g.text('facilitators')).join(', ')]),
  );
  for (const p of rowsOf(PARTICIPANTS_TAB, snapshot)) {
    const email = normalizeEmail(p.get('email'));
    if (!email || out.has(email)) continue;
    const group = p.text('group');
    out.set(email, { group, facilitators: facilitators.get(nameKey(group)) ?? '' });
  }
  return out;
}
