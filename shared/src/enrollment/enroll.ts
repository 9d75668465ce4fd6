/**
 * Enroll, pure: ELIGIBLE candidates → Roster (with the cohort, `Roster status` Active) and
 * Participants history, one Audit row each, and the enrollment list for the operator.
 * Refused while a candidate is unchecked, its stored verdict is stale (the data changed since the
 * check), or it is a POSSIBLE_MATCH — the last unless `acceptPossible`, which enrolls the others
 * and leaves the possible matches out until an admin decides them. Idempotent: a candidate
 * already on the Roster (same e-mail) is not added again, so a second run adds nobody.
 */
import { cellText, type Row } from '../cells';
import { CANDIDATES_TAB, PARTICIPANTS_HISTORY_TAB, ROSTER_TAB, SETTINGS_TAB } from '../layout';
import { readSettings } from '../settings';
import { SETTING_ROWS, settingKeyOf } from '../setting-rows';
import type { Plan, Snapshot, TabPlan } from '../workbook';
import { evaluateCandidates, type CandidateVerdict } from '../eligibility/check';
import { EnrollmentRefused, InvalidRequest } from '../rule-errors';
import { actorEmail, isAdmin } from '../people';
import { sheetRow, TableEdit } from '../table-edit';
import { auditPlan, type AuditEntry } from '../audit';
import {
  appendToHistory,
  appendToRoster,
  listRow,
  personFromRoster,
  rosterByEmail,
  rosterStatus,
  type EnrolledPerson,
} from './roster';

export interface EnrollOptions {
  readonly cohort: string;
  /** Go ahead although some candidates are POSSIBLE_MATCH; they are left out. */
  readonly acceptPossible?: boolean;
  /** The list carries every active Roster row of the cohort, not only the ones added now. */
  readonly listAll?: boolean;
  /** The cohort differs from Settings `Cohort` on purpose: start it (Settings `Cohort` becomes it). */
  readonly newCohort?: boolean;
}

export interface EnrollResult {
  readonly cohort: string;
  /** Added to the Roster by this run. */
  readonly enrolled: EnrolledPerson[];
  /** ELIGIBLE candidates already on the Roster (a repeated run). */
  readonly alreadyEnrolled: number;
  /** POSSIBLE_MATCH candidates left out (with acceptPossible). */
  readonly leftOut: CandidateVerdict[];
  /** Rows of the enrollment list, laid out as ENROLLMENT_LIST_HEADER. */
  readonly list: Row[];
}

const rowsText = (vs: readonly { row: number }[]) => {
  const shown = vs
    .slice(0, 10)
    .map((v) => sheetRow(v.row))
    .join(', ');
  return vs.length > 10 ? `${shown} and ${vs.length - 10} more` : shown;
};

export function planEnroll(
  snapshot: Snapshot,
  options: EnrollOptions,
  actor: string,
  now: number,
): { plan: Plan; result: EnrollResult } {
  const cohort = cellText(options.cohort ?? '');
  if (!cohort) throw new InvalidRequest('NO_COHORT', 'give the cohort name');
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const who = actorEmail(actor);
  if (!isAdmin(settings, who))
    throw new EnrollmentRefused('NOT_ADMIN', `${who} is not an admin (Settings "Admins"); only admins enroll students`);
  const current = settings.cohort.trim();
  const switching = cohort.toLowerCase() !== current.toLowerCase();
  if (switching && !options.newCohort) {
    throw new EnrollmentRefused(
      'COHORT_MISMATCH',
      current
        ? `cohort "${cohort}" is not the current cohort "${current}" (Settings "Cohort"): check the spelling, or confirm that "${cohort}" starts a new cohort (--new-cohort)`
        : `Settings "Cohort" is blank: confirm that "${cohort}" starts a new cohort (--new-cohort)`,
    );
  }
  const verdicts = evaluateCandidates(snapshot, cohort);
  const candidates = new TableEdit(CANDIDATES_TAB, snapshot);

  const unchecked = verdicts.filter((v) => !candidates.text(v.row, 'eligibility'));
  if (unchecked.length) {
    throw new EnrollmentRefused(
      'UNCHECKED',
      `${unchecked.length} candidate(s) not checked yet (Candidates rows ${rowsText(unchecked)}): run the eligibility check first`,
    );
  }
  const stale = verdicts.filter((v) => candidates.text(v.row, 'eligibility') !== v.code);
  if (stale.length) {
    const first = stale[0];
    throw new EnrollmentRefused(
      'STALE_CHECK',
      `the Candidates data changed since the last eligibility check (row ${sheetRow(first.row)} shows ${candidates.text(first.row, 'eligibility')}, now ${first.code}` +
        `; rows ${rowsText(stale)}): run the eligibility check for cohort "${cohort}" again`,
    );
  }
  const possible = verdicts.filter((v) => v.code === 'POSSIBLE_MATCH');
  if (possible.length && !options.acceptPossible) {
    throw new EnrollmentRefused(
      'POSSIBLE_MATCH',
      `${possible.length} candidate(s) are POSSIBLE_MATCH (Candidates rows ${rowsText(possible)}): set their Match decision, or accept leaving them out`,
    );
  }

  const roster = new TableEdit(ROSTER_TAB, snapshot);
  const history = new TableEdit(PARTICIPANTS_HISTORY_TAB, snapshot);
  const onRoster = rosterByEmail(roster);
  const enrolled: EnrolledPerson[] = [];
  const audit: AuditEntry[] = [];
  let alreadyEnrolled = 0;
  for (const v of verdicts) {
    if (v.code !== 'ELIGIBLE') continue;
    if (onRoster.has(v.email)) {
      alreadyEnrolled++;
      continue;
    }
    const person: EnrolledPerson = {
      email: v.email,
      fullName: v.fullName,
      studentId: v.studentId,
      iin: v.iin,
      school: v.school,
      group: v.group,
      cohort,
    };
    appendToRoster(roster, person);
    onRoster.set(v.email, roster.rows.length - 1);
    appendToHistory(history, person);
    enrolled.push(person);
    audit.push({
      who,
      action: 'Enroll',
      email: v.email,
      after: `cohort=${cohort}`,
      reason: `eligible (Candidates row ${sheetRow(v.row)})`,
    });
  }

  const list = options.listAll
    ? roster.rows
        .map((_, i) => i)
        .filter(
          (i) =>
            roster.text(i, 'cohort').toLowerCase() === cohort.toLowerCase() && rosterStatus(roster, i) === 'Active',
        )
        .map((i) => listRow(personFromRoster(roster, i)))
    : enrolled.map(listRow);

  const tabs: TabPlan[] = [];
  if (enrolled.length) {
    markEnrolled(snapshot, candidates, history, cohort, new Set(enrolled.map((p) => p.email)));
    if (switching)
      audit.unshift({
        who,
        action: 'New cohort',
        before: `Cohort=${current}`,
        after: `Cohort=${cohort}`,
        reason: `enrolling ${enrolled.length} candidate(s)`,
      });
    tabs.push(roster.plan()!, history.plan()!, candidates.plan()!, auditPlan(snapshot, now, settings.timeZone, audit)!);
    if (switching) tabs.push(settingsCohortPlan(snapshot, cohort));
  }
  return { plan: { tabs }, result: { cohort, enrolled, alreadyEnrolled, leftOut: possible, list } };
}

/**
 * The enrolled candidates' `Eligibility detail` says so (`enrolled in cohort …`), exactly as the
 * next check will compute it — so that check writes nothing and the admin sees who is in.
 */
export function markEnrolled(
  snapshot: Snapshot,
  candidates: TableEdit,
  history: TableEdit,
  cohort: string,
  emails: ReadonlySet<string>,
): void {
  const after: Snapshot = {
    ...snapshot,
    [PARTICIPANTS_HISTORY_TAB.name]: {
      name: PARTICIPANTS_HISTORY_TAB.name,
      header: history.header,
      rows: history.rows,
    },
  };
  for (const v of evaluateCandidates(after, cohort)) {
    if (emails.has(v.email) && v.code === 'ELIGIBLE') candidates.set(v.row, 'eligibilityDetail', v.detail || null);
  }
}

/**
 * Settings `Cohort` becomes the new cohort, so the next eligibility check knows these history rows
 * are the current cohort (not prior participation) without being told again.
 */
function settingsCohortPlan(snapshot: Snapshot, cohort: string): TabPlan {
  const t = new TableEdit(SETTINGS_TAB, snapshot);
  const at = t.rows.findIndex((_, i) => settingKeyOf(t.get(i, 'setting')) === 'cohort');
  if (at >= 0) t.set(at, 'value', cohort);
  else t.append({ setting: SETTING_ROWS.cohort.header, value: cohort });
  return t.plan()!;
}
