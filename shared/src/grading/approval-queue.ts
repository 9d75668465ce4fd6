/**
 * What a mentor sees in the approval sidebar: their courses' rows, ready ones first, with the
 * default points and letter. Ready, status and flags are the rules' judgement of the row's facts
 * (the same function the sync and approve use), not the Status cell as last written.
 */
import { cellNumber, cellText } from '../cells';
import { COURSES_TAB, GRADE_SCALE_TAB, PROGRESS_TAB, SETTINGS_TAB } from '../layout';
import { hasCertificate, readCourses, rowAccessor, slugKey } from '../progress-row';
import { approvalVerdict, evaluateProgressRow, rowContext } from '../desired-row';
import { readSettings } from '../settings';
import type { Snapshot } from '../workbook';
import { TableEdit } from '../table-edit';
import { actorEmail, isAdmin, mentorsOf } from '../people';
import { READY_STATUS, defaultPoints } from './approval';
import { bandFor, readGradeScale } from '../grade-scale';

export interface ApprovalQueueItem {
  /** Progress data row (sheet row = row + 2). */
  readonly row: number;
  readonly email: string;
  readonly fullName: string;
  readonly courseSlug: string;
  readonly course: string;
  readonly status: string;
  readonly flags: string;
  readonly engagement: number | null;
  readonly grade: number | null;
  /** The row's Certificate fact (see hasCertificate). */
  readonly certificate: boolean;
  readonly ready: boolean;
  /** Points and letter an approval would write without --points. */
  readonly defaultPoints: number | null;
  readonly defaultLetter: string | null;
}

export interface QueueOptions {
  /** Also list rows that are not ready (`Needs review` etc.), for an admin's override. Default: ready only. */
  readonly includeNotReady?: boolean;
}

/** Unapproved rows of the courses `actor` mentors (every course for an admin). */
export function listApprovalQueue(
  snapshot: Snapshot,
  actor: string,
  options: QueueOptions = {},
  now: number = Date.now(),
): ApprovalQueueItem[] {
  const who = actorEmail(actor);
  const admin = isAdmin(readSettings(snapshot[SETTINGS_TAB.name]), who);
  const courses = readCourses(snapshot[COURSES_TAB.name]);
  const scale = readGradeScale(snapshot[GRADE_SCALE_TAB.name]);
  if (!snapshot[PROGRESS_TAB.name]) return [];
  const t = new TableEdit(PROGRESS_TAB, snapshot);
  const ctx = rowContext(snapshot, now);
  const items: ApprovalQueueItem[] = [];
  t.rows.forEach((r, row) => {
    const slug = t.text(row, 'slug');
    const email = t.text(row, 'email');
    const get = rowAccessor(t.idx, r);
    if (!email || !slug || approvalVerdict(get, ctx) === 'verified') return;
    if (!admin && !mentorsOf(courses.get(slugKey(slug))?.mentor ?? '').includes(who)) return;
    const { cells } = evaluateProgressRow(get, ctx);
    const status = String(cells.status);
    const ready = evaluateProgressRow(get, ctx, 'none').evaluation.status === READY_STATUS;
    if (!ready && !options.includeNotReady) return;
    const points = defaultPoints(t.get(row, 'grade'));
    items.push({
      row,
      email,
      fullName: t.text(row, 'fullName'),
      courseSlug: slug,
      course: t.text(row, 'course'),
      status,
      flags: String(cells.flags ?? ''),
      engagement: cellNumber(t.get(row, 'engagement')),
      grade: cellNumber(t.get(row, 'grade')),
      certificate: hasCertificate(get),
      ready,
      defaultPoints: points,
      defaultLetter: points === null ? null : bandFor(scale, points).letter,
    });
  });
  return items.sort(
    (a, b) =>
      Number(b.ready) - Number(a.ready) ||
      a.courseSlug.localeCompare(b.courseSlug) ||
      cellText(a.fullName).localeCompare(b.fullName),
  );
}
