/**
 * The dean's summary tabs, computed from the Progress tab (with the Roster's statuses and the
 * Courses tab's catalog), so the worker (after a sync) and the add-on ("Refresh summaries") produce
 * the same numbers.
 */
import { cellNumber, cellText, isBlank, round, type Row } from './cells';
import {
  SUMMARY_BY_COURSE_TAB,
  SUMMARY_BY_DISCIPLINE_TAB,
  SUMMARY_BY_GROUP_TAB,
  SUMMARY_BY_MENTOR_TAB,
  SUMMARY_BY_SCHOOL_TAB,
  SUMMARY_COLUMNS,
  SUMMARY_LABELS,
  headersOf,
  type TabDef,
} from './layout';
import { lookOf } from './look';
import {
  emailKey,
  isActiveOnRoster,
  isYes,
  progressIndex,
  progressKey,
  slugKey,
  type CourseEntry,
  type RosterEntry,
} from './progress-row';
import type { Cell } from './cells';
import type { TabPlan, TabSnapshot } from './workbook';

interface Tally {
  enrolled: number;
  started: number;
  completed: number;
  certificates: number;
  ready: number;
  approved: number;
  low: number;
  late: number;
  overdue: number;
  engagementSum: number;
}

const empty = (): Tally => ({
  enrolled: 0,
  started: 0,
  completed: 0,
  certificates: 0,
  ready: 0,
  approved: 0,
  low: 0,
  late: 0,
  overdue: 0,
  engagementSum: 0,
});

/** Label used for rows without a school / course / mentor, so they are counted, not hidden. */
export const UNASSIGNED = SUMMARY_LABELS.unassigned;

export interface SummaryTable {
  readonly tab: TabDef;
  readonly header: string[];
  readonly rows: Row[];
}

/** What the summaries read besides Progress. Absent or empty: no roster filter, no catalog grouping. */
export interface SummaryContext {
  /** Roster by e-mail: `Replaced` and `Withdrawn` learners are left out. */
  readonly roster?: ReadonlyMap<string, RosterEntry>;
  /** Catalog by slug: courses it does not list share one "Other courses" row (while it lists any). */
  readonly courses?: ReadonlyMap<string, CourseEntry>;
  /** The caller knows no (e-mail, course) is on two rows (the sync's table does): no need to look for copies. */
  readonly distinctRows?: boolean;
}

/** The Progress columns the summaries read, as positions (-1: absent): read per row without a keyed lookup. */
function columnsOf(header: readonly unknown[]) {
  const idx = progressIndex(header);
  return {
    email: idx.email,
    slug: idx.slug,
    removed: idx.removed,
    school: idx.school,
    course: idx.course,
    mentor: idx.mentor,
    group: idx.group,
    discipline: idx.discipline,
    engagement: idx.engagement,
    completed: idx.completed,
    lastActivityAt: idx.lastActivityAt,
    certificate: idx.certificate,
    certificateUrl: idx.certificateUrl,
    flags: idx.flags,
    status: idx.status,
  };
}
type Columns = ReturnType<typeof columnsOf>;

const at = (row: Row, i: number): Cell => (i >= 0 ? (row[i] ?? null) : null);

/** The label a row is counted under in each summary tab, in SUMMARY_TABS order. */
const GROUPS: readonly [TabDef, (row: Row, c: Columns, ctx: SummaryContext) => string][] = [
  [SUMMARY_BY_SCHOOL_TAB, (row, c) => cellText(at(row, c.school))],
  [SUMMARY_BY_COURSE_TAB, courseLabel],
  [SUMMARY_BY_MENTOR_TAB, (row, c) => cellText(at(row, c.mentor))],
  [SUMMARY_BY_GROUP_TAB, (row, c) => cellText(at(row, c.group))],
  [SUMMARY_BY_DISCIPLINE_TAB, (row, c) => cellText(at(row, c.discipline))],
];

function courseLabel(row: Row, c: Columns, ctx: SummaryContext): string {
  const slug = slugKey(at(row, c.slug));
  if (!slug) return ''; // a rostered learner with no Coursera record: no course yet
  // One row for everything outside the catalog: a dean acts on the catalog's courses, not 200 one-learner rows.
  if (ctx.courses?.size && !ctx.courses.has(slug)) return SUMMARY_LABELS.otherCourses;
  return cellText(at(row, c.course)) || cellText(at(row, c.slug));
}

/**
 * The certificate is present: `Certificate = Yes`, or (older workbooks without the fact) a URL.
 * Unlike the readiness rule, `Completed = Yes` alone is not a certificate here: Completed has its
 * own column, and a dean reading both needs them to say different things.
 */
function certificatePresent(row: Row, c: Columns): boolean {
  const stored = cellText(at(row, c.certificate));
  return stored ? isYes(stored) : !isBlank(at(row, c.certificateUrl));
}

/** What one Progress row adds to every tally it is counted in: read once, added six times. */
function contribution(row: Row, c: Columns): Tally {
  const engagement = cellNumber(at(row, c.engagement)) ?? 0;
  const completed = isYes(at(row, c.completed));
  const flags = cellText(at(row, c.flags))
    .split(',')
    .map((f) => f.trim());
  // Status is one value per row (approve and revoke write it too): never counted twice.
  const status = cellText(at(row, c.status));
  return {
    enrolled: 1,
    started: engagement > 0 || !isBlank(at(row, c.lastActivityAt)) || completed ? 1 : 0,
    completed: completed ? 1 : 0,
    certificates: certificatePresent(row, c) ? 1 : 0,
    ready: status === 'Ready for approval' ? 1 : 0,
    approved: status === 'Approved' ? 1 : 0,
    low: flags.includes('LOW_ENGAGEMENT') ? 1 : 0,
    late: flags.includes('LATE') ? 1 : 0,
    overdue: flags.includes('OVERDUE') ? 1 : 0,
    engagementSum: engagement,
  };
}

function add(t: Tally, c: Tally): void {
  t.enrolled += c.enrolled;
  t.started += c.started;
  t.completed += c.completed;
  t.certificates += c.certificates;
  t.ready += c.ready;
  t.approved += c.approved;
  t.low += c.low;
  t.late += c.late;
  t.overdue += c.overdue;
  t.engagementSum += c.engagementSum;
}

/**
 * Removed learners, and learners the Roster marks `Replaced` or `Withdrawn`, are left out of every
 * count: they are not part of the cohort any more. Rostered learners with no Coursera record are in
 * Progress (flag NO_COURSERA_RECORD, no course), so they count as enrolled and not started. Rows are
 * sorted by name; "Other courses" comes last; a final `Total` row sums the whole table (the same
 * Total on every tab).
 */
export function buildSummaries(progress: TabSnapshot | undefined, ctx: SummaryContext = {}): SummaryTable[] {
  const tallies = GROUPS.map(() => new Map<string, Tally>());
  const total = empty();
  if (progress) {
    const col = columnsOf(progress.header);
    const seen = new Set<string>();
    for (const row of progress.rows) {
      const email = at(row, col.email);
      if (isBlank(email)) continue;
      if (!ctx.distinctRows) {
        const key = progressKey(email, at(row, col.slug));
        if (seen.has(key)) continue; // a row copied by hand counts once (the first, as the sync keeps it)
        seen.add(key);
      }
      if (isYes(at(row, col.removed))) continue;
      const onRoster = ctx.roster?.get(emailKey(email));
      if (onRoster && !isActiveOnRoster(onRoster)) continue;
      const c = contribution(row, col);
      for (let g = 0; g < GROUPS.length; g++) {
        const label = GROUPS[g][1](row, col, ctx) || UNASSIGNED;
        let t = tallies[g].get(label);
        if (!t) tallies[g].set(label, (t = empty()));
        add(t, c);
      }
      add(total, c);
    }
  }
  return GROUPS.map(([tab], g) => {
    const rows = [...tallies[g].entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([label, t]) => line(label, t));
    rows.push(line(SUMMARY_LABELS.total, total));
    return { tab, header: headersOf(tab), rows };
  });
}

const rank = (label: string) => (label === SUMMARY_LABELS.otherCourses ? 1 : 0);

const line = (label: string, t: Tally): Row => [
  label,
  t.enrolled,
  t.started,
  t.completed,
  t.certificates,
  t.ready,
  t.approved,
  t.low,
  t.late,
  t.overdue,
  t.enrolled ? round(t.engagementSum / t.enrolled, 1) : 0,
  t.enrolled ? round(t.completed / t.enrolled, 4) : 0,
];

export { SUMMARY_COLUMNS };

/** Plans that rewrite the summary tabs. */
export function summaryPlans(progress: TabSnapshot | undefined, ctx: SummaryContext = {}): TabPlan[] {
  return buildSummaries(progress, ctx).map((s) => ({
    tab: s.tab.name,
    replace: { header: s.header, rows: s.rows },
    formats: s.tab.formats,
    numberFormats: s.tab.numberFormats,
    look: lookOf(s.tab),
  }));
}
