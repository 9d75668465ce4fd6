/**
 * Rostered learners with no Coursera record yet. Without them a dean reads "Enrolled 1, completion
 * 100 %" while three rostered students never opened Coursera.
 *
 * Which course is a rostered learner expected on? The data model does not say: the Roster has a
 * Cohort but no course, and the Courses tab has no Cohort. So the expected course is unknown, and
 * such a learner gets one Progress row with the Roster's facts and a blank Course slug, flag
 * NO_COURSERA_RECORD, status `Not started`. The summaries count it as enrolled and not started under
 * the learner's school and group, and under "(not set)" by course, mentor and discipline, so every
 * tab's Total agrees. The learner's first Coursera record takes that row over (planSync), so it never
 * sits beside the real one. The sync deletes no row: a placeholder whose learner left the active
 * Roster (Replaced, Withdrawn, unenrolled, or the Roster emptied) is marked Removed instead.
 */
import type { Cell } from './cells';
import { emailKey, isActiveOnRoster, progressKey, slugKey, type RosterEntry } from './progress-row';
import type { ProgressTable } from './progress-table';
import type { Flag } from './rules';

export const NO_RECORD_FLAG: Flag = 'NO_COURSERA_RECORD';

/** A Progress row with an e-mail and no course slug: the sync's placeholder for a rostered learner. */
export const isPlaceholder = (get: (key: string) => Cell): boolean => !slugKey(get('slug')) && !!emailKey(get('email'));

/** The placeholder row's sync-owned cells; the rest (course, export facts) stay blank. */
function placeholderCells(email: string, entry: RosterEntry | undefined, active: boolean): Record<string, Cell> {
  return {
    email: entry?.email ?? email,
    fullName: entry?.fullName || null,
    studentId: entry?.studentId || null,
    iin: entry?.iin || null,
    school: entry?.school || null,
    group: entry?.group || null,
    removed: active ? null : 'Yes',
    flags: active ? NO_RECORD_FLAG : `${NO_RECORD_FLAG}, REMOVED`,
    status: active ? 'Not started' : 'Removed',
  };
}

export interface RosterGaps {
  /** Active rostered learners without a Coursera record (each has a placeholder row now). */
  readonly learners: number;
  readonly cellsWritten: number;
}

/**
 * After the export lines are in: a placeholder for every active rostered learner with no course row,
 * and existing placeholders refreshed (Roster edits) or marked Removed (learner gone from it).
 */
export function fillRosterGaps(table: ProgressTable, roster: ReadonlyMap<string, RosterEntry>): RosterGaps {
  const withCourse = new Set<string>();
  const placeholders = new Map<string, number>();
  const { email: emailAt, slug: slugAt } = table.index;
  for (let i = 0; i < table.rows.length; i++) {
    if (table.isCopy(i)) continue;
    const row = table.rows[i];
    const email = emailKey(row[emailAt]);
    if (!email) continue;
    if (!slugKey(row[slugAt]))
      placeholders.set(email, i); // a placeholder (isPlaceholder), read by position
    else withCourse.add(email);
  }
  let learners = 0;
  let cellsWritten = 0;
  for (const [email, at] of placeholders) {
    const entry = roster.get(email);
    const active = !!entry && isActiveOnRoster(entry) && !withCourse.has(email);
    if (active) learners++;
    cellsWritten += table.write(at, placeholderCells(email, entry, active));
  }
  for (const [email, entry] of roster) {
    if (withCourse.has(email) || placeholders.has(email) || !isActiveOnRoster(entry)) continue;
    learners++;
    cellsWritten += table.append(progressKey(email, ''), placeholderCells(email, entry, true));
  }
  return { learners, cellsWritten };
}
