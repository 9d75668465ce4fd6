/**
 * Grade approval and revoke, pure. Who: the course's mentor (Courses `Mentor`) or an admin
 * (Settings `Admins`). What may be approved: a Progress row whose `Status` (computed by the sync)
 * is `Ready for approval`; any other row only by an admin with a written override reason, and then
 * `Approved by` reads `<admin> (override)` so the row itself shows it. An approval writes exactly
 * `Points`, `Letter`, `Approved by`, `Approved at` (+ one Audit row); a revoke blanks those four.
 * Every refusal is thrown before a plan exists, so a refused request writes nothing.
 */
import { cellNumber, cellText, isBlank, type Cell } from '../cells';
import { COURSES_TAB, GRADE_SCALE_TAB, PROGRESS_TAB, SETTINGS_TAB } from '../layout';
import { emailKey, readCourses, slugKey } from '../progress-row';
import { readSettings, type Settings } from '../settings';
import { formatInZone } from '../time';
import type { Plan, Snapshot } from '../workbook';
import { normalizeEmail } from '../people';
import { ApprovalRefused, InvalidRequest } from '../rule-errors';
import { sheetRow, TableEdit } from '../table-edit';
import { auditPlan, describe } from '../audit';
import { actorEmail, isAdmin, mentorsOf } from '../people';
import { bandFor, readGradeScale, roundPoints, type GradeBand } from '../grade-scale';

export const READY_STATUS = 'Ready for approval';
/** The human columns an approval owns; nothing else is ever written by it. */
export const APPROVAL_KEYS = ['points', 'letter', 'approvedBy', 'approvedAt'] as const;

export interface ApprovalRequest {
  readonly email: string;
  readonly course: string;
  /** 0–100 whole number, as typed (text is parsed); default round-half-up of `Course grade %`. */
  readonly points?: Cell;
  /** An admin's written reason to approve a row that is not ready. */
  readonly override?: string;
}

export interface RevokeRequest {
  readonly email: string;
  readonly course: string;
  readonly reason: string;
}

export interface ApprovalResult {
  /** Progress data row (sheet row = row + 2). */
  readonly row: number;
  readonly email: string;
  readonly course: string;
  readonly points: number;
  readonly band: GradeBand;
  readonly approvedBy: string;
  readonly approvedAt: string;
  readonly override: boolean;
}

interface Located {
  readonly table: TableEdit;
  readonly row: number;
  readonly settings: Settings;
  readonly who: string;
  readonly admin: boolean;
  readonly slug: string;
}

/** Finds the row and checks the actor may act on it (mentor of the course or admin). */
function locate(snapshot: Snapshot, email: string, course: string, actor: string, verb: string): Located {
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const who = actorEmail(actor);
  const e = normalizeEmail(email);
  const slug = slugKey(course);
  if (!e) throw new InvalidRequest('NO_EMAIL', 'give the student e-mail');
  if (!slug) throw new InvalidRequest('NO_COURSE', 'give the course slug');
  if (!snapshot[PROGRESS_TAB.name]) throw new InvalidRequest('NO_PROGRESS', 'the workbook has no Progress tab yet: run a sync first');
  const table = new TableEdit(PROGRESS_TAB, snapshot);
  const courses = readCourses(snapshot[COURSES_TAB.name]);
  let row = -1;
  let emailSeen = false;
  let courseSeen = courses.has(slug);
  table.rows.forEach((_, i) => {
    const re = emailKey(table.get(i, 'email'));
    const rs = slugKey(table.get(i, 'slug'));
    if (re === e) emailSeen = true;
    if (rs === slug) courseSeen = true;
    if (row === -1 && re === e && rs === slug) row = i;
  });
  if (!courseSeen) throw new InvalidRequest('UNKNOWN_COURSE', `unknown course "${course}": not in the Courses tab nor in Progress`);
  if (!emailSeen) throw new InvalidRequest('UNKNOWN_EMAIL', `unknown student "${email}": no Progress row has this e-mail`);
  if (row === -1) throw new InvalidRequest('NO_ROW', `${e} has no Progress row for course "${course}"`);

  const admin = isAdmin(settings, who);
  const mentors = mentorsOf(courses.get(slug)?.mentor ?? '');
  if (!admin && !mentors.includes(who)) {
    const named = mentors.length ? `the course's mentor is ${mentors.join(', ')}` : 'the course has no mentor in the Courses tab';
    throw new ApprovalRefused('NOT_ALLOWED', `${who} may not ${verb} ${e} in "${course}": ${named}, and ${who} is not an admin (Settings "Admins")`);
  }
  return { table, row, settings, who, admin, slug: cellText(table.get(row, 'slug')) };
}

/** Parses a points value: a whole number 0–100. */
export function parsePoints(value: Cell | undefined): number {
  const n = typeof value === 'number' ? value : cellNumber(value ?? null);
  if (n === null || !Number.isFinite(n)) throw new InvalidRequest('BAD_POINTS', `points must be a whole number from 0 to 100, not "${cellText(value ?? null)}"`);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new InvalidRequest('BAD_POINTS', `points must be a whole number from 0 to 100, not ${n}`);
  return n;
}

/** Default points: `Course grade %` rounded half up (see scale.ts). */
export function defaultPoints(grade: Cell): number | null {
  const g = cellNumber(grade);
  if (g === null || g < 0 || g > 100) return null;
  return roundPoints(g);
}

export function planApproval(snapshot: Snapshot, request: ApprovalRequest, actor: string, now: number): { plan: Plan; result: ApprovalResult } {
  const { table, row, settings, who, admin, slug } = locate(snapshot, request.email, request.course, actor, 'approve');
  const scale = readGradeScale(snapshot[GRADE_SCALE_TAB.name]);
  const email = normalizeEmail(table.get(row, 'email'));
  const where = `${email} in "${slug}" (Progress row ${sheetRow(row)})`;

  const points = request.points === undefined || isBlank(request.points) ? defaultPoints(table.get(row, 'grade')) : parsePoints(request.points);
  if (points === null) {
    throw new InvalidRequest('NO_GRADE', `${where} has no usable Course grade % ("${cellText(table.get(row, 'grade'))}"): give the points (0–100)`);
  }
  const approvedBefore = table.text(row, 'approvedBy');
  if (approvedBefore) {
    throw new ApprovalRefused('ALREADY_APPROVED', `${where} is already approved by ${approvedBefore} at ${table.text(row, 'approvedAt')}; revoke it first to change it`);
  }
  const status = table.text(row, 'status');
  const flags = table.text(row, 'flags');
  const reason = (request.override ?? '').trim();
  const ready = status === READY_STATUS;
  if (request.override !== undefined && !reason) throw new InvalidRequest('NO_REASON', 'an override needs a written reason');
  if (!ready) {
    const state = `status is "${status || 'blank'}"${flags ? ` (${flags})` : ''}`;
    if (!reason) {
      throw new ApprovalRefused('NOT_READY', `${where} is not ready for approval: ${state}. Only an admin may approve it, with a written override reason`);
    }
    if (!admin) throw new ApprovalRefused('OVERRIDE_NOT_ADMIN', `${where}: ${state}; an override is for admins only and ${who} is not one (Settings "Admins")`);
  }
  const override = !ready;
  const band = bandFor(scale, points);
  const approvedBy = override ? `${who} (override)` : who;
  const approvedAt = formatInZone(now, settings.timeZone);
  const before = describe({ Status: status, Flags: flags, Points: table.get(row, 'points'), Letter: table.get(row, 'letter') });
  table.set(row, 'points', points);
  table.set(row, 'letter', band.letter);
  table.set(row, 'approvedBy', approvedBy);
  table.set(row, 'approvedAt', approvedAt);
  const audit = auditPlan(snapshot, now, settings.timeZone, [
    {
      who,
      action: override ? 'Approve (override)' : 'Approve',
      email,
      courseSlug: slug,
      before,
      // Exactly what the Progress row gets: verified-approvals.ts compares the row with this.
      after: describe({ Points: points, Letter: band.letter, GPA: band.gpa, 'Traditional mark': band.traditional, 'Approved by': approvedBy, 'Approved at': approvedAt }),
      reason: reason || undefined,
    },
  ]);
  return {
    plan: { tabs: [table.plan()!, audit!] },
    result: { row, email, course: slug, points, band, approvedBy, approvedAt, override },
  };
}

export function planRevoke(snapshot: Snapshot, request: RevokeRequest, actor: string, now: number): { plan: Plan; result: { row: number; email: string; course: string; before: Record<string, Cell> } } {
  const { table, row, settings, who, slug } = locate(snapshot, request.email, request.course, actor, 'revoke the approval of');
  const reason = (request.reason ?? '').trim();
  if (!reason) throw new InvalidRequest('NO_REASON', 'a revoke needs a written reason');
  const email = normalizeEmail(table.get(row, 'email'));
  if (!table.text(row, 'approvedBy')) {
    throw new ApprovalRefused('NOT_APPROVED', `${email} in "${slug}" (Progress row ${sheetRow(row)}) is not approved: nothing to revoke`);
  }
  const before: Record<string, Cell> = {
    Points: table.get(row, 'points'),
    Letter: table.get(row, 'letter'),
    'Approved by': table.get(row, 'approvedBy'),
    'Approved at': table.get(row, 'approvedAt'),
  };
  for (const k of APPROVAL_KEYS) table.set(row, k, null);
  const audit = auditPlan(snapshot, now, settings.timeZone, [{ who, action: 'Revoke', email, courseSlug: slug, before: describe(before), after: '', reason }]);
  return { plan: { tabs: [table.plan()!, audit!] }, result: { row, email, course: slug, before } };
}
