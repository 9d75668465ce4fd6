/**
 * The credit recognition report: every approved Progress row with what the registrar needs to
 * transfer the credits — student, discipline, course, model, credits, points, letter, GPA,
 * traditional mark, mentor, approval date and, for an admin's override, its reason. GPA and
 * traditional mark come from the grade scale by the approved letter (the letter is what was signed
 * off), else by the points. Only approvals the audit backs count (the sync's own verdict); rows
 * whose approval cells do not match the audit are left out and listed apart in `unverified`.
 */
import { cellNumber, cellText, type Cell, type Row } from '../cells';
import { AUDIT_TAB, COURSES_TAB, GRADE_SCALE_TAB, PROGRESS_TAB } from '../layout';
import { approvalVerdict, rowContext } from '../desired-row';
import { overrideReasonLabel } from '../grading/approval';
import { progressKey, readCourses, rowAccessor, slugKey } from '../progress-row';
import type { Snapshot } from '../workbook';
import { sheetRow, TableEdit } from '../table-edit';
import { bandByLetter, bandFor, readGradeScale } from '../grade-scale';

export const RECOGNITION_HEADER = [
  'Student',
  'Email',
  'Student ID',
  'IIN',
  'School',
  'Group',
  'Discipline',
  'Course',
  'Course slug',
  'Model',
  'Credits',
  'Points',
  'Letter',
  'GPA',
  'Traditional mark',
  'Mentor',
  'Approved by',
  'Approved at',
  'Override',
] as const;

/** Approvals left out of the report: approval cells filled that the audit does not back. */
export const UNVERIFIED_HEADER = [
  'Progress row',
  'Student',
  'Email',
  'Course slug',
  'Points',
  'Letter',
  'Approved by',
  'Approved at',
  'Problem',
] as const;

export interface RecognitionReport {
  readonly header: string[];
  readonly rows: Row[];
  readonly unverified: { readonly header: string[]; readonly rows: Row[] };
}

/** The latest approval's Audit reason per (email, slug), when it was an override. */
function overrideReasons(snapshot: Snapshot): Map<string, string> {
  const out = new Map<string, string>();
  if (!snapshot[AUDIT_TAB.name]) return out;
  const audit = new TableEdit(AUDIT_TAB, snapshot);
  audit.rows.forEach((_, i) => {
    const action = audit.text(i, 'Action');
    if (action !== 'Approve' && action !== 'Approve (override)') return;
    const key = progressKey(audit.get(i, 'Email'), audit.get(i, 'Course slug'));
    if (action === 'Approve') out.delete(key);
    else out.set(key, overrideReasonLabel(audit.text(i, 'Reason')));
  });
  return out;
}

export function recognitionReport(snapshot: Snapshot): RecognitionReport {
  const header = [...RECOGNITION_HEADER];
  const unverified = { header: [...UNVERIFIED_HEADER], rows: [] as Row[] };
  if (!snapshot[PROGRESS_TAB.name]) return { header, rows: [], unverified };
  const t = new TableEdit(PROGRESS_TAB, snapshot);
  const courses = readCourses(snapshot[COURSES_TAB.name]);
  const scale = readGradeScale(snapshot[GRADE_SCALE_TAB.name]);
  const ctx = rowContext(snapshot, Date.now());
  const overrides = overrideReasons(snapshot);
  const rows: Row[] = [];
  t.rows.forEach((r, i) => {
    if (!t.text(i, 'email')) return;
    const verdict = approvalVerdict(rowAccessor(t.idx, r), ctx);
    if (verdict === 'none') return;
    if (verdict === 'unverified') {
      unverified.rows.push([
        sheetRow(i),
        t.text(i, 'fullName'),
        t.text(i, 'email'),
        t.text(i, 'slug'),
        t.get(i, 'points'),
        t.text(i, 'letter'),
        t.text(i, 'approvedBy'),
        t.text(i, 'approvedAt'),
        'not matching the audit',
      ]);
      return;
    }
    const override =
      overrides.get(progressKey(t.get(i, 'email'), t.get(i, 'slug'))) ??
      (/\(override\)\s*$/.test(t.text(i, 'approvedBy')) ? 'override (no reason in the audit)' : '');
    const course = courses.get(slugKey(t.get(i, 'slug')));
    const points = cellNumber(t.get(i, 'points'));
    const letter = t.text(i, 'letter');
    const band =
      bandByLetter(scale, letter) ??
      (points !== null && points >= 0 && points <= 100 ? bandFor(scale, points) : undefined);
    const pick = (fromCourse: string | undefined, key: string): Cell =>
      fromCourse ? fromCourse : t.get(i, key) || null;
    rows.push([
      t.text(i, 'fullName'),
      t.text(i, 'email'),
      t.text(i, 'studentId'),
      t.text(i, 'iin'),
      t.text(i, 'school'),
      t.text(i, 'group'),
      pick(course?.discipline, 'discipline'),
      pick(course?.course, 'course'),
      t.text(i, 'slug'),
      pick(course?.model, 'model'),
      course?.credits ?? null,
      points,
      letter || band?.letter || null,
      band?.gpa ?? null,
      band?.traditional ?? null,
      pick(course?.mentor, 'mentor'),
      t.text(i, 'approvedBy'),
      t.text(i, 'approvedAt'),
      override || null,
    ]);
  });
  rows.sort(
    (a, b) =>
      cellText(a[4]).localeCompare(cellText(b[4])) ||
      cellText(a[5]).localeCompare(cellText(b[5])) ||
      cellText(a[0]).localeCompare(cellText(b[0])) ||
      cellText(a[8]).localeCompare(cellText(b[8])),
  );
  return { header, rows, unverified };
}
