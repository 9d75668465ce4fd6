/**
 * Replacement, pure: a student leaves the cohort and an ELIGIBLE candidate takes the place. The
 * leaver stays on the Roster marked `Replaced` (their Progress rows keep syncing, their history
 * stays); the newcomer joins the Roster and history in the leaver's cohort. Admins only, with a
 * reason; both sides go to the Audit.
 */
import { cellText } from '../cells';
import { CANDIDATES_TAB, PARTICIPANTS_HISTORY_TAB, ROSTER_TAB, SETTINGS_TAB } from '../layout';
import { readSettings } from '../settings';
import type { Plan, Snapshot } from '../workbook';
import { evaluateCandidates, type CandidateVerdict } from '../eligibility/check';
import { isValidEmail, normalizeEmail } from '../people';
import { EnrollmentRefused, InvalidRequest } from '../rule-errors';
import { sheetRow, TableEdit } from '../table-edit';
import { auditPlan } from '../audit';
import { actorEmail, isAdmin } from '../people';
import { markEnrolled } from './enroll';
import {
  appendToHistory,
  appendToRoster,
  listRow,
  personFromRoster,
  rosterByEmail,
  rosterStatus,
  type EnrolledPerson,
} from './roster';
import type { Row } from '../cells';

export interface ReplaceRequest {
  /** E-mail of the student leaving. */
  readonly out: string;
  /** E-mail of the candidate taking the place. */
  readonly in: string;
  readonly reason: string;
}

export interface ReplaceResult {
  readonly cohort: string;
  readonly leaving: EnrolledPerson;
  readonly joining: EnrolledPerson;
  /** The newcomer's line for the enrollment list (ENROLLMENT_LIST_HEADER). */
  readonly list: Row[];
}

export function planReplace(
  snapshot: Snapshot,
  request: ReplaceRequest,
  actor: string,
  now: number,
): { plan: Plan; result: ReplaceResult } {
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const who = actorEmail(actor);
  const outEmail = normalizeEmail(request.out);
  const inEmail = normalizeEmail(request.in);
  const reason = cellText(request.reason ?? '');
  for (const [flag, e] of [
    ['leaving student', outEmail],
    ['new student', inEmail],
  ] as const) {
    if (!isValidEmail(e))
      throw new InvalidRequest('BAD_EMAIL', `the ${flag}'s e-mail "${e}" is not a valid e-mail address`);
  }
  if (!reason) throw new InvalidRequest('NO_REASON', 'a replacement needs a written reason');
  if (outEmail === inEmail)
    throw new InvalidRequest('SAME_PERSON', 'the leaving and the new student are the same e-mail');
  if (!isAdmin(settings, who))
    throw new EnrollmentRefused(
      'NOT_ADMIN',
      `${who} is not an admin (Settings "Admins"); only admins replace students`,
    );

  const roster = new TableEdit(ROSTER_TAB, snapshot);
  const byEmail = rosterByEmail(roster);
  const outRow = byEmail.get(outEmail);
  if (outRow === undefined)
    throw new InvalidRequest('UNKNOWN_EMAIL', `unknown student "${outEmail}": not on the Roster`);
  const outStatus = rosterStatus(roster, outRow);
  if (outStatus !== 'Active')
    throw new EnrollmentRefused(
      'NOT_ACTIVE',
      `${outEmail} is already "${outStatus}" on the Roster (row ${sheetRow(outRow)})`,
    );
  if (byEmail.has(inEmail))
    throw new EnrollmentRefused(
      'ALREADY_ON_ROSTER',
      `${inEmail} is already on the Roster (row ${sheetRow(byEmail.get(inEmail)!)})`,
    );

  const leaving = personFromRoster(roster, outRow);
  const cohort = leaving.cohort || settings.cohort;
  const candidate: CandidateVerdict | undefined = evaluateCandidates(snapshot, cohort).find((v) => v.email === inEmail);
  if (!candidate)
    throw new InvalidRequest('UNKNOWN_CANDIDATE', `unknown candidate "${inEmail}": not in the Candidates tab`);
  if (candidate.code !== 'ELIGIBLE') {
    throw new EnrollmentRefused(
      'NOT_ELIGIBLE',
      `${inEmail} (Candidates row ${sheetRow(candidate.row)}) is ${candidate.code}${candidate.detail ? ` — ${candidate.detail}` : ''}; only an ELIGIBLE candidate can replace a student`,
    );
  }

  const joining: EnrolledPerson = {
    email: inEmail,
    fullName: candidate.fullName,
    studentId: candidate.studentId,
    iin: candidate.iin,
    school: candidate.school,
    group: candidate.group,
    cohort,
  };
  roster.set(outRow, 'rosterStatus', 'Replaced');
  appendToRoster(roster, joining);
  const history = new TableEdit(PARTICIPANTS_HISTORY_TAB, snapshot);
  appendToHistory(history, joining);
  const candidates = new TableEdit(CANDIDATES_TAB, snapshot);
  markEnrolled(snapshot, candidates, history, cohort, new Set([inEmail]));
  const audit = auditPlan(snapshot, now, settings.timeZone, [
    {
      who,
      action: 'Replace (out)',
      email: outEmail,
      before: `Roster status=${outStatus}`,
      after: `Roster status=Replaced; replaced by ${inEmail}`,
      reason,
    },
    {
      who,
      action: 'Replace (in)',
      email: inEmail,
      before: '',
      after: `cohort=${cohort}; replaces ${outEmail}`,
      reason,
    },
  ]);
  const tabs = [roster.plan()!, history.plan(), candidates.plan(), audit!].filter((t) => t !== null);
  return { plan: { tabs }, result: { cohort, leaving, joining, list: [listRow(joining)] } };
}
