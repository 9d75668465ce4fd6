/**
 * The chart data of facilitated groups, for the add-on's Refresh summaries: the sessions report's
 * CEFR levels per group and its participants vs completed vs certified per course by Category, as
 * two report tabs rebuilt whole (Levels by group, Certificates by course), with where each chart's
 * rows are. Only a workbook with facilitated data gets them: a group and a selected participant.
 * The rows are the report's own (./sessions-report.ts), so the CLI's report file and the charts
 * cannot disagree.
 */
import type { Row } from '../cells';
import {
  ATTENDANCE_TAB,
  CERTIFICATES_BY_COURSE_TAB,
  COURSES_TAB,
  GROUPS_TAB,
  headersOf,
  LEVELS_BY_GROUP_TAB,
  PARTICIPANTS_TAB,
  PROGRESS_TAB,
  SESSIONS_TAB,
  SETTINGS_TAB,
  type TabDef,
} from '../layout';
import { lookOf } from '../look';
import { readSettings } from '../settings';
import type { Plan, Snapshot, TabPlan } from '../workbook';
import { derivedPlan } from './derived';
import { sessionsReport, type SessionsReport } from './sessions-report';
import { isActive, readGroups, readParticipants } from './tables';

/** What the charts are computed from. */
export const SESSIONS_CHART_SOURCES = [
  SETTINGS_TAB,
  COURSES_TAB,
  PROGRESS_TAB,
  GROUPS_TAB,
  PARTICIPANTS_TAB,
  SESSIONS_TAB,
  ATTENDANCE_TAB,
].map((t) => t.name);

/** Sheet rows of each chart's data (the header is row 1; Total rows are left out of the charts). */
export interface SessionsChartRows {
  /** Groups: sheet rows 2 … groups + 1 (the Total row below them). */
  readonly groups: number;
  /** Each course's Category rows: from `firstRow`, `rows` of them (its Total row right below). */
  readonly courses: readonly {
    readonly slug: string;
    readonly title: string;
    readonly firstRow: number;
    readonly rows: number;
  }[];
}

const TOTAL = 'Total';

const plan = (tab: TabDef, rows: Row[], totalRow: boolean): TabPlan => ({
  tab: tab.name,
  replace: { header: headersOf(tab), rows },
  look: { ...lookOf(tab), totalRow },
});

export function hasFacilitatedData(snapshot: Snapshot): boolean {
  return readGroups(snapshot).length > 0 && readParticipants(snapshot).some(isActive);
}

/**
 * The chart tabs and, like every command that writes the workbook, the derived cells brought up to
 * `asOf`; nothing at all without facilitated data. A facilitated tab the rules cannot read throws
 * its InputError (naming tab, row and column).
 */
export function planSessionsCharts(
  snapshot: Snapshot,
  asOf: number,
): { plan: Plan; charts: SessionsChartRows | null; problems: string[] } {
  if (!hasFacilitatedData(snapshot)) return { plan: { tabs: [] }, charts: null, problems: [] };
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const derived = derivedPlan(snapshot, { settings, asOf });
  const { tabs, charts } = sessionsChartTabs(sessionsReport(snapshot, settings, asOf));
  return { plan: { tabs: [...derived.tabs, ...tabs] }, charts, problems: derived.problems };
}

export function sessionsChartTabs(report: SessionsReport): { tabs: TabPlan[]; charts: SessionsChartRows } {
  const levels = report.cefr.rows; // one row per group, then Total
  const certificates: Row[] = [];
  const courses: { slug: string; title: string; firstRow: number; rows: number }[] = [];
  for (const [slug, title, by, value, participants, completed, certified] of report.courses.rows) {
    if (by === 'Field') continue;
    const isTotal = by === TOTAL;
    if (!isTotal && courses.at(-1)?.slug !== slug)
      courses.push({ slug: String(slug), title: String(title || slug), firstRow: certificates.length + 2, rows: 0 });
    if (!isTotal) courses.at(-1)!.rows++;
    certificates.push([slug, title, isTotal ? TOTAL : value, participants, completed, certified]);
  }
  return {
    // A Total after every course, not one at the end: no single Total row to set apart.
    tabs: [plan(LEVELS_BY_GROUP_TAB, levels, true), plan(CERTIFICATES_BY_COURSE_TAB, certificates, false)],
    charts: { groups: levels.length - 1, courses },
  };
}
