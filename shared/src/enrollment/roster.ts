/** Roster and history rows as enroll/replace write them, and the enrollment list for BMG UpSkill. */
import type { Row } from '../cells';
import { normalizeEmail } from '../people';
import { iinText } from '../iin';
import type { TableEdit } from '../table-edit';

/** Columns of the enrollment list the operator (BMG UpSkill) loads, in this order. */
export const ENROLLMENT_LIST_HEADER = ['Full name', 'Email', 'External ID', 'School', 'Group', 'Cohort'] as const;

export interface EnrolledPerson {
  readonly email: string;
  readonly fullName: string;
  readonly studentId: string;
  readonly iin: string;
  readonly school: string;
  readonly group: string;
  readonly cohort: string;
}

export const listRow = (p: EnrolledPerson): Row => [p.fullName, p.email, p.studentId, p.school, p.group, p.cohort];

/** `Roster status`: blank reads as Active. */
export function rosterStatus(roster: TableEdit, row: number): string {
  return roster.text(row, 'rosterStatus') || 'Active';
}

/** Roster row index by e-mail (first row wins, as in the sync). */
export function rosterByEmail(roster: TableEdit): Map<string, number> {
  const out = new Map<string, number>();
  roster.rows.forEach((_, i) => {
    const e = normalizeEmail(roster.get(i, 'email'));
    if (e && !out.has(e)) out.set(e, i);
  });
  return out;
}

export function personFromRoster(roster: TableEdit, row: number): EnrolledPerson {
  return {
    email: normalizeEmail(roster.get(row, 'email')),
    fullName: roster.text(row, 'fullName'),
    studentId: roster.text(row, 'studentId'),
    iin: roster.text(row, 'iin'),
    school: roster.text(row, 'school'),
    group: roster.text(row, 'group'),
    cohort: roster.text(row, 'cohort'),
  };
}

export function appendToRoster(roster: TableEdit, p: EnrolledPerson): void {
  roster.append({ ...p, rosterStatus: 'Active' });
}

/** Adds the person to Participants history unless that cohort already lists them (by IIN or e-mail). */
export function appendToHistory(history: TableEdit, p: EnrolledPerson): boolean {
  const cohort = p.cohort.trim().toLowerCase();
  const present = history.rows.some(
    (_, i) =>
      history.text(i, 'cohort').toLowerCase() === cohort &&
      ((p.iin && iinText(history.get(i, 'iin')) === p.iin) ||
        (p.email && normalizeEmail(history.get(i, 'email')) === p.email)),
  );
  if (present) return false;
  history.append({
    cohort: p.cohort,
    iin: p.iin,
    email: p.email,
    studentId: p.studentId,
    fullName: p.fullName,
    school: p.school,
  });
  return true;
}
