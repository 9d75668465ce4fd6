/**
 * Grade approval and revoke, pure. Who: the course's mentor (Courses `Mentor`) or an admin
 * (Settings `Admins`). What may be approved: a Progress row the rules judge `Ready for approval`
 * from its facts (engagement, certificate, completion, deadline — the sync's own evaluation,
 * never the Status cell); any other completed or certified row only by an admin with an override
 * (a reason code and 10–500 characters of text), and then `Approved by` reads `<admin> (override)`.
 * An approval writes `Points`, `Letter`, `Approved by`, `Approved at` and the row's `Status` and
 * `Flags` as the rules now give them (+ one Audit row); a revoke blanks the four and recomputes
 * the two. Every refusal is thrown before a plan exists, so a refused request writes nothing.
 */
import { cellNumber, cellText, isBlank, type Cell } from '../cells';
import { COURSES_TAB, GRADE_SCALE_TAB, PROGRESS_TAB, SETTINGS_TAB } from '../layout';
import { approvalVerdict, evaluateProgressRow, rowContext, type SyncContext } from '../desired-row';
import { emailKey, hasCertificate, isYes, readCourses, slugKey } from '../progress-row';
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

/** Why an admin approves a row that is not ready: a code from this short list, plus written text. */
export const OVERRIDE_REASONS = {
  'certificate-delayed': 'certificate delayed by Coursera',
  'deadline-extended': 'deadline extended by the dean',
  'engagement-data-incomplete': 'engagement data incomplete',
  other: 'other',
} as const;
export type OverrideCode = keyof typeof OVERRIDE_REASONS;
export const OVERRIDE_CODES = Object.keys(OVERRIDE_REASONS) as OverrideCode[];
/** Length of an override's written reason (trimmed). */
export const OVERRIDE_TEXT_MIN = 10;
export const OVERRIDE_TEXT_MAX = 500;

/** The Audit `Reason` of an override: `code: text`. */
export const overrideAuditReason = (code: OverrideCode, text: string): string => `${code}: ${text}`;

/** An override's Audit `Reason` for people: `certificate delayed by Coursera: text` (older free-text reasons as they are). */
export function overrideReasonLabel(auditReason: string): string {
  const at = auditReason.indexOf(': ');
  const code = at > 0 ? auditReason.slice(0, at) : '';
  return (OVERRIDE_CODES as string[]).includes(code)
    ? `${OVERRIDE_REASONS[code as OverrideCode]}: ${auditReason.slice(at + 2)}`
    : auditReason;
}

export interface ApprovalRequest {
  readonly email: string;
  readonly course: string;
  /** 0–100 whole number, as typed (text is parsed); default round-half-up of `Course grade %`. */
  readonly points?: Cell;
  /** An admin's written reason (10–500 characters) to approve a row that is not ready. */
  readonly override?: string;
  /** The override's reason code (OVERRIDE_REASONS); required with `override`. */
  readonly overrideCode?: string;
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
  /** The override's Audit reason (`code: text`), when it was one. */
  readonly overrideReason?: string;
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
  if (!snapshot[PROGRESS_TAB.name])
    throw new InvalidRequest('NO_PROGRESS', 'the workbook has no Progress tab yet: run a sync first');
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
  if (!courseSeen)
    throw new InvalidRequest('UNKNOWN_COURSE', `unknown course "${course}": not in the Courses tab nor in Progress`);
  if (!emailSeen)
    throw new InvalidRequest('UNKNOWN_EMAIL', `unknown student "${email}": no Progress row has this e-mail`);
  if (row === -1) throw new InvalidRequest('NO_ROW', `${e} has no Progress row for course "${course}"`);

  const admin = isAdmin(settings, who);
  const mentors = mentorsOf(courses.get(slug)?.mentor ?? '');
  if (!admin && !mentors.includes(who)) {
    const named = mentors.length
      ? `the course's mentor is ${mentors.join(', ')}`
      : 'the course has no mentor in the Courses tab';
    throw new ApprovalRefused(
      'NOT_ALLOWED',
      `${who} may not ${verb} ${e} in "${course}": ${named}, and ${who} is not an admin (Settings "Admins")`,
    );
  }
  return { table, row, settings, who, admin, slug: cellText(table.get(row, 'slug')) };
}

/** Parses a points value: a whole number 0–100. */
export function parsePoints(value: Cell | undefined): number {
  const n = typeof value === 'number' ? value : cellNumber(value ?? null);
  if (n === null || !Number.isFinite(n))
    throw new InvalidRequest(
      'BAD_POINTS',
      `points must be a whole number from 0 to 100, not "${cellText(value ?? null)}"`,
    );
  if (!Number.isInteger(n) || n < 0 || n > 100)
    throw new InvalidRequest('BAD_POINTS', `points must be a whole number from 0 to 100, not ${n}`);
  return n;
}

/** Default points: `Course grade %` rounded half up (see scale.ts). */
export function defaultPoints(grade: Cell): number | null {
  const g = cellNumber(grade);
  if (g === null || g < 0 || g > 100) return null;
  return roundPoints(g);
}

export function planApproval(
  snapshot: Snapshot,
  request: ApprovalRequest,
  actor: string,
  now: number,
): { plan: Plan; result: ApprovalResult } {
  const { table, row, settings, who, admin, slug } = locate(snapshot, request.email, request.course, actor, 'approve');
  const scale = readGradeScale(snapshot[GRADE_SCALE_TAB.name]);
  const email = normalizeEmail(table.get(row, 'email'));
  const where = `${email} in "${slug}" (Progress row ${sheetRow(row)})`;

  const points =
    request.points === undefined || isBlank(request.points)
      ? defaultPoints(table.get(row, 'grade'))
      : parsePoints(request.points);
  if (points === null) {
    throw new InvalidRequest(
      'NO_GRADE',
      `${where} has no usable Course grade % ("${cellText(table.get(row, 'grade'))}"): give the points (0–100)`,
    );
  }
  const ctx = rowContext(snapshot, now);
  const get = (key: string) => table.get(row, key);
  const verdict = approvalVerdict(get, ctx);
  if (verdict === 'verified') {
    throw new ApprovalRefused(
      'ALREADY_APPROVED',
      `${where} is already approved by ${table.text(row, 'approvedBy')} at ${table.text(row, 'approvedAt')}; revoke it first to change it`,
    );
  }
  // Readiness from the facts, as the sync judges them; an unverified approval counts as none.
  const current = evaluateProgressRow(get, ctx);
  const judged = evaluateProgressRow(get, ctx, 'none');
  const ready = judged.evaluation.status === READY_STATUS;
  let reason = '';
  if (!ready) {
    const state = `status is "${judged.cells.status}"${judged.cells.flags ? ` (${judged.cells.flags})` : ''}`;
    if (request.override === undefined && request.overrideCode === undefined) {
      throw new ApprovalRefused(
        'NOT_READY',
        `${where} is not ready for approval: ${state}. Only an admin may approve it, with an override reason code and a written reason`,
      );
    }
    if (!admin)
      throw new ApprovalRefused(
        'OVERRIDE_NOT_ADMIN',
        `${where}: ${state}; an override is for admins only and ${who} is not one (Settings "Admins")`,
      );
    if (!isYes(get('completed')) && !hasCertificate(get)) {
      throw new ApprovalRefused(
        'OVERRIDE_NOT_COMPLETED',
        `${where}: ${state}; an override is only for a completed or certified course, and this one is neither`,
      );
    }
    const text = overrideText(request.override); // the text first: a blank reason says "a reason is required"
    reason = overrideAuditReason(overrideCodeOf(request.overrideCode), text);
  }
  const override = !ready;
  const band = bandFor(scale, points);
  const approvedBy = override ? `${who} (override)` : who;
  const approvedAt = formatInZone(now, settings.timeZone);
  const before = describe({
    Status: current.cells.status,
    Flags: current.cells.flags,
    Points: table.get(row, 'points'),
    Letter: table.get(row, 'letter'),
    ...(verdict === 'unverified'
      ? { 'Approved by': table.get(row, 'approvedBy'), 'Approved at': table.get(row, 'approvedAt') }
      : {}),
  });
  table.set(row, 'points', points);
  table.set(row, 'letter', band.letter);
  table.set(row, 'approvedBy', approvedBy);
  table.set(row, 'approvedAt', approvedAt);
  setJudgement(table, row, ctx, 'verified'); // the audit row below backs it
  const audit = auditPlan(snapshot, now, settings.timeZone, [
    {
      who,
      action: override ? 'Approve (override)' : 'Approve',
      email,
      courseSlug: slug,
      before,
      // Exactly what the Progress row gets: verified-approvals.ts compares the row with this.
      after: describe({
        Points: points,
        Letter: band.letter,
        GPA: band.gpa,
        'Traditional mark': band.traditional,
        'Approved by': approvedBy,
        'Approved at': approvedAt,
      }),
      reason: reason || undefined,
    },
  ]);
  return {
    plan: { tabs: [table.plan()!, audit!] },
    result: {
      row,
      email,
      course: slug,
      points,
      band,
      approvedBy,
      approvedAt,
      override,
      overrideReason: reason || undefined,
    },
  };
}

export function planRevoke(
  snapshot: Snapshot,
  request: RevokeRequest,
  actor: string,
  now: number,
): { plan: Plan; result: { row: number; email: string; course: string; before: Record<string, Cell> } } {
  const { table, row, settings, who, slug } = locate(
    snapshot,
    request.email,
    request.course,
    actor,
    'revoke the approval of',
  );
  const reason = (request.reason ?? '').trim();
  if (!reason) throw new InvalidRequest('NO_REASON', 'a revoke needs a written reason');
  const email = normalizeEmail(table.get(row, 'email'));
  if (!table.text(row, 'approvedBy')) {
    throw new ApprovalRefused(
      'NOT_APPROVED',
      `${email} in "${slug}" (Progress row ${sheetRow(row)}) is not approved: nothing to revoke`,
    );
  }
  const before: Record<string, Cell> = {
    Points: table.get(row, 'points'),
    Letter: table.get(row, 'letter'),
    'Approved by': table.get(row, 'approvedBy'),
    'Approved at': table.get(row, 'approvedAt'),
  };
  for (const k of APPROVAL_KEYS) table.set(row, k, null);
  setJudgement(table, row, rowContext(snapshot, now), 'none');
  const audit = auditPlan(snapshot, now, settings.timeZone, [
    { who, action: 'Revoke', email, courseSlug: slug, before: describe(before), after: '', reason },
  ]);
  return { plan: { tabs: [table.plan()!, audit!] }, result: { row, email, course: slug, before } };
}

/** Status and Flags of a row as the rules judge it now, written with the approval cells. */
function setJudgement(table: TableEdit, row: number, ctx: SyncContext, approval: 'verified' | 'none'): void {
  const { cells } = evaluateProgressRow((key) => table.get(row, key), ctx, approval);
  table.set(row, 'status', cells.status);
  table.set(row, 'flags', cells.flags);
}

function overrideCodeOf(code: string | undefined): OverrideCode {
  const c = (code ?? '').trim();
  if (!c) throw new InvalidRequest('NO_OVERRIDE_CODE', `an override needs a reason code: ${OVERRIDE_CODES.join(', ')}`);
  if (!(OVERRIDE_CODES as string[]).includes(c))
    throw new InvalidRequest(
      'BAD_OVERRIDE_CODE',
      `unknown override reason code "${c}": use one of ${OVERRIDE_CODES.join(', ')}`,
    );
  return c as OverrideCode;
}

function overrideText(text: string | undefined): string {
  const t = (text ?? '').trim().replace(/\s+/g, ' ');
  if (!t)
    throw new InvalidRequest(
      'NO_REASON',
      'a reason is required: say why this row is approved although it is not ready',
    );
  if (t.length < OVERRIDE_TEXT_MIN)
    throw new InvalidRequest(
      'REASON_TOO_SHORT',
      `the override reason is too short (${t.length} characters): write at least ${OVERRIDE_TEXT_MIN}`,
    );
  if (t.length > OVERRIDE_TEXT_MAX)
    throw new InvalidRequest(
      'REASON_TOO_LONG',
      `the override reason is too long (${t.length} characters): at most ${OVERRIDE_TEXT_MAX}`,
    );
  return t;
}
