/**
 * Between a Progress row as cells and the facts the rules need. The sync and the add-on both read
 * rows through here, so a row means the same thing to both.
 */
import { cellNumber, cellText, isBlank, round, type Cell, type Row } from './cells';
import type { ExportRecord } from './export-record';
import { COURSES_TAB, indexColumns, PROGRESS_TAB, ROSTER_STATUSES, ROSTER_TAB, type ColumnIndex } from './layout';
import type { ProgressFacts } from './rules';
import { formatInZone, parseCalendarDate, parseInstant } from './time';
import type { TabSnapshot } from './workbook';
import { InputError } from './errors';
import { iinText } from './iin';

export const emailKey = (email: unknown): string => cellText(email as Cell).toLowerCase();
export const slugKey = (slug: unknown): string => cellText(slug as Cell).toLowerCase();
/**
 * The (e-mail, course) key rows are found by. V8 keeps a concatenation as a rope; a Map compares a
 * rope key to the stored one the slow way on every lookup, so the key is flattened once (reading a
 * character flattens it): a sync looks up 300k of them.
 */
export function progressKey(email: unknown, slug: unknown): string {
  const key = `${emailKey(email)}\u0000${slugKey(slug)}`;
  key.charCodeAt(0);
  return key;
}

export interface RosterEntry {
  email: string;
  fullName: string;
  studentId: string;
  iin: string;
  school: string;
  group: string;
  cohort: string;
  /** `Roster status` as typed; blank reads as `Active`. */
  status: string;
}

const INACTIVE_ROSTER_STATUSES = new Set(ROSTER_STATUSES.filter((s) => s !== 'Active').map((s) => s.toLowerCase()));

/** `Replaced` and `Withdrawn` learners are no longer part of the cohort: the summaries leave them out. */
export const isActiveOnRoster = (entry: RosterEntry): boolean =>
  !INACTIVE_ROSTER_STATUSES.has(entry.status.trim().toLowerCase());

export interface CourseEntry {
  slug: string;
  course: string;
  discipline: string;
  model: string;
  mentor: string;
  /** `YYYY-MM-DD` or null. */
  deadline: string | null;
  credits: number | null;
}

/** Reads a tab into records by layout keys (only the layout's columns). */
function recordsOf(
  tab: TabSnapshot | undefined,
  def: typeof ROSTER_TAB,
): { row: number; get: (key: string) => Cell }[] {
  if (!tab) return [];
  const idx = indexColumns(def, tab.header);
  return tab.rows.map((r, i) => ({ row: i, get: (key: string) => (idx[key] >= 0 ? (r[idx[key]] ?? null) : null) }));
}

export function readRoster(tab: TabSnapshot | undefined): Map<string, RosterEntry> {
  const out = new Map<string, RosterEntry>();
  for (const r of recordsOf(tab, ROSTER_TAB)) {
    const email = emailKey(r.get('email'));
    if (!email || out.has(email)) continue;
    out.set(email, {
      email,
      fullName: cellText(r.get('fullName')),
      studentId: cellText(r.get('studentId')),
      iin: iinText(r.get('iin')), // an IIN the sheet took for a number gets its leading zeros back
      school: cellText(r.get('school')),
      group: cellText(r.get('group')),
      cohort: cellText(r.get('cohort')),
      status: cellText(r.get('rosterStatus')) || 'Active',
    });
  }
  return out;
}

export class CatalogError extends InputError {}

export function readCourses(tab: TabSnapshot | undefined): Map<string, CourseEntry> {
  const out = new Map<string, CourseEntry>();
  for (const r of recordsOf(tab, COURSES_TAB)) {
    const slug = slugKey(r.get('slug'));
    if (!slug || out.has(slug)) continue;
    let deadline: string | null;
    try {
      deadline = parseCalendarDate(r.get('deadline'));
    } catch (e) {
      throw new CatalogError(`${COURSES_TAB.name} tab, row ${r.row + 2} (${slug}): Deadline ${(e as Error).message}`);
    }
    out.set(slug, {
      slug,
      course: cellText(r.get('course')),
      discipline: cellText(r.get('discipline')),
      model: cellText(r.get('model')).toLowerCase(),
      mentor: cellText(r.get('mentor')),
      deadline,
      credits: cellNumber(r.get('credits')),
    });
  }
  return out;
}

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');
const isYes = (c: Cell | undefined) => /^(yes|true|1|да|иә)$/i.test(cellText(c));
const when = (ms: number | null, tz: string) => (ms === null ? null : formatInZone(ms, tz));
const num = (n: number | null) => (n === null ? null : round(n, 2));

/** Progress cells that come from the export itself (keyed by layout key). */
export type ExportCells = Record<
  | 'email'
  | 'course'
  | 'slug'
  | 'enrolledAt'
  | 'lastActivityAt'
  | 'engagement'
  | 'learningHours'
  | 'completed'
  | 'completedAt'
  | 'grade'
  | 'certificateUrl'
  | 'certificate'
  | 'removed',
  Cell
>;

export const EXPORT_CELL_KEYS = [
  'email',
  'course',
  'slug',
  'enrolledAt',
  'lastActivityAt',
  'engagement',
  'learningHours',
  'completed',
  'completedAt',
  'grade',
  'certificateUrl',
  'certificate',
  'removed',
] as const satisfies readonly (keyof ExportCells)[];

/**
 * The `Certificate` cell: `Yes` / `No` when the export has a certificate column (URL present or
 * not), blank when it has none (older exports: then `Completed = Yes` counts, see hasCertificate).
 */
export const certificateCell = (r: ExportRecord, hasCertificateColumn: boolean): Cell =>
  hasCertificateColumn ? yesNo(!!r.certificateUrl) : null;

export function exportCells(
  r: ExportRecord,
  timeZone: string,
  hasCertificateColumn: boolean,
): ExportCells & { fullName: Cell; studentId: Cell } {
  return {
    email: r.email,
    fullName: r.name,
    studentId: r.externalId,
    course: r.course,
    slug: r.slug,
    enrolledAt: when(r.enrolledAt, timeZone),
    lastActivityAt: when(r.lastActivityAt, timeZone),
    engagement: num(r.progress),
    learningHours: num(r.learningHours ?? r.estimatedHours),
    completed: yesNo(r.completed),
    completedAt: when(r.completedAt, timeZone),
    grade: num(r.grade),
    certificateUrl: r.certificateUrl,
    certificate: certificateCell(r, hasCertificateColumn),
    removed: yesNo(r.removed),
  };
}

/**
 * Facts for the rules from an export line. `hasCertificateColumn`: older exports have no
 * certificate URL, and there `Completed = Yes` counts as the certificate.
 */
export function factsFromRecord(
  r: ExportRecord,
  hasCertificateColumn: boolean,
): Omit<ProgressFacts, 'deadline' | 'approved' | 'onRoster'> {
  return {
    engagement: r.progress,
    completed: r.completed,
    completedAt: r.completedAt,
    certificate: hasCertificateColumn ? !!r.certificateUrl : r.completed,
    removed: r.removed,
    lastActivityAt: r.lastActivityAt,
  };
}

/**
 * The certificate fact of a Progress row: its `Certificate` cell (`Yes` / `No`, written by the
 * sync from an export with a certificate column). Blank (an older export without that column, or
 * a workbook from before the column existed): a certificate URL, else `Completed = Yes`, counts.
 */
export function hasCertificate(get: (key: string) => Cell): boolean {
  const stored = cellText(get('certificate'));
  if (stored) return isYes(stored);
  return !isBlank(get('certificateUrl')) || isYes(get('completed'));
}

/** Engagement and completion of a Progress row: what facilitated flags need, without parsing its times. */
export function courseProgressFromCells(get: (key: string) => Cell): { engagement: number; completed: boolean } {
  return { engagement: cellNumber(get('engagement')) ?? 0, completed: isYes(get('completed')) };
}

/** Facts from a Progress row already in the sheet (rows the current export does not mention, approvals, the queue). */
export function factsFromCells(
  get: (key: string) => Cell,
  timeZone: string,
): Omit<ProgressFacts, 'deadline' | 'approved' | 'onRoster'> {
  const instant = (key: string) => {
    try {
      return parseInstant(cellText(get(key)), timeZone);
    } catch {
      return null;
    }
  };
  return {
    ...courseProgressFromCells(get),
    completedAt: instant('completedAt'),
    certificate: hasCertificate(get),
    removed: isYes(get('removed')),
    lastActivityAt: instant('lastActivityAt'),
  };
}

/** Cell accessor for a row by layout key. */
export function rowAccessor(index: ColumnIndex, row: Row): (key: string) => Cell {
  return (key) => (index[key] >= 0 ? (row[index[key]] ?? null) : null);
}

export const progressIndex = (header: readonly unknown[]) => indexColumns(PROGRESS_TAB, header);
export { isYes };
