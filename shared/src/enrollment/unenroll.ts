/**
 * Unenroll, pure: undoes an enrollment made by mistake. The person's Roster row and their
 * Participants history rows of the current cohort (Settings `Cohort`) — exactly what `enroll`
 * added — are removed, so the next eligibility check treats them as never having taken part.
 * Admins only, with a written reason, audited as `Unenroll`. Only the current cohort: an earlier
 * cohort's history is what makes the next check find prior participants (mark such a student
 * `Withdrawn` on the Roster instead). Progress rows stay (the sync flags them NOT_ON_ROSTER).
 */
import { cellText } from '../cells';
import { anchorColumns, CANDIDATES_TAB, PARTICIPANTS_HISTORY_TAB, ROSTER_TAB, SETTINGS_TAB } from '../layout';
import { readSettings } from '../settings';
import type { Plan, Snapshot, TabPlan } from '../workbook';
import { evaluateCandidates } from '../eligibility/check';
import { actorEmail, isAdmin, isValidEmail, normalizeEmail } from '../people';
import { EnrollmentRefused, InvalidRequest } from '../rule-errors';
import { sheetRow, TableEdit } from '../table-edit';
import { auditPlan } from '../audit';
import { iinText } from '../iin';
import { rosterStatus } from './roster';

export interface UnenrollRequest {
  readonly email: string;
  readonly reason: string;
}

export interface UnenrollResult {
  readonly email: string;
  readonly cohort: string;
  /** Data rows removed (indexes as read). */
  readonly rosterRows: number[];
  readonly historyRows: number[];
}

export function planUnenroll(
  snapshot: Snapshot,
  request: UnenrollRequest,
  actor: string,
  now: number,
): { plan: Plan; result: UnenrollResult } {
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const who = actorEmail(actor);
  const email = normalizeEmail(request.email);
  const reason = cellText(request.reason ?? '');
  if (!email) throw new InvalidRequest('NO_EMAIL', "give the student's e-mail");
  if (!isValidEmail(email))
    throw new InvalidRequest('BAD_EMAIL', `the student's e-mail "${email}" is not a valid e-mail address`);
  if (!reason) throw new InvalidRequest('NO_REASON', 'undoing an enrollment needs a written reason');
  if (!isAdmin(settings, who))
    throw new EnrollmentRefused(
      'NOT_ADMIN',
      `${who} is not an admin (Settings "Admins"); only admins undo enrollments`,
    );

  const cohort = settings.cohort.trim();
  const sameCohort = (c: string) => cohort !== '' && c.trim().toLowerCase() === cohort.toLowerCase();
  const roster = new TableEdit(ROSTER_TAB, snapshot);
  const mine = roster.rows.map((_, i) => i).filter((i) => normalizeEmail(roster.get(i, 'email')) === email);
  if (!mine.length) throw new InvalidRequest('UNKNOWN_EMAIL', `unknown student "${email}": not on the Roster`);
  const current = mine.filter((i) => sameCohort(roster.text(i, 'cohort')));
  if (!current.length) {
    const other = roster.text(mine[0], 'cohort');
    throw new EnrollmentRefused(
      'NOT_CURRENT_COHORT',
      `${email} is on the Roster (row ${sheetRow(mine[0])}) in cohort "${other}", not the current cohort "${cohort}" (Settings "Cohort"): ` +
        'only an enrollment into the current cohort can be undone; mark an earlier one Withdrawn in Roster status',
    );
  }
  const notActive = current.find((i) => rosterStatus(roster, i) !== 'Active');
  if (notActive !== undefined) {
    throw new EnrollmentRefused(
      'NOT_ACTIVE',
      `${email} is "${rosterStatus(roster, notActive)}" on the Roster (row ${sheetRow(notActive)}); only an active enrollment can be undone`,
    );
  }

  const iins = new Set(current.map((i) => iinText(roster.get(i, 'iin'))).filter(Boolean));
  const history = new TableEdit(PARTICIPANTS_HISTORY_TAB, snapshot);
  const historyRows = history.rows
    .map((_, i) => i)
    .filter(
      (i) =>
        sameCohort(history.text(i, 'cohort')) &&
        (normalizeEmail(history.get(i, 'email')) === email || iins.has(iinText(history.get(i, 'iin')))),
    );

  const tabs: TabPlan[] = [
    { tab: ROSTER_TAB.name, deleteRows: current, anchorColumns: anchorColumns(ROSTER_TAB, roster.idx) },
  ];
  if (historyRows.length)
    tabs.push({
      tab: PARTICIPANTS_HISTORY_TAB.name,
      deleteRows: historyRows,
      anchorColumns: anchorColumns(PARTICIPANTS_HISTORY_TAB, history.idx),
    });

  // `Eligibility detail` as the next check will compute it: the person is no longer "enrolled in
  // cohort …", and the others' references to history rows below the removed ones move up.
  if (snapshot[CANDIDATES_TAB.name]) {
    const gone = new Set(historyRows);
    const after: Snapshot = {
      ...snapshot,
      [PARTICIPANTS_HISTORY_TAB.name]: {
        name: PARTICIPANTS_HISTORY_TAB.name,
        header: history.header,
        rows: history.rows.filter((_, i) => !gone.has(i)),
      },
    };
    const candidates = new TableEdit(CANDIDATES_TAB, snapshot);
    for (const v of evaluateCandidates(after, cohort)) {
      if (candidates.text(v.row, 'eligibility') === v.code)
        candidates.set(v.row, 'eligibilityDetail', v.detail || null);
    }
    const p = candidates.plan();
    if (p) tabs.push(p);
  }
  tabs.push(
    auditPlan(snapshot, now, settings.timeZone, [
      {
        who,
        action: 'Unenroll',
        email,
        before: `cohort=${cohort}; Roster row ${current.map(sheetRow).join(', ')}; Participants history row ${historyRows.map(sheetRow).join(', ') || 'none'}`,
        after: 'not enrolled',
        reason,
      },
    ])!,
  );
  return { plan: { tabs }, result: { email, cohort, rosterRows: current, historyRows } };
}
