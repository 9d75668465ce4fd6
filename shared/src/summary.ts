/**
 * The dean's summary tabs, computed from the Progress tab alone, so the worker (after a sync) and
 * the add-on ("Refresh summaries") produce the same numbers.
 */
import { cellNumber, cellText, isBlank, round, type Row } from './cells';
import {
  SUMMARY_BY_COURSE_TAB,
  SUMMARY_BY_MENTOR_TAB,
  SUMMARY_BY_SCHOOL_TAB,
  SUMMARY_COLUMNS,
  headersOf,
  type TabDef,
} from './layout';
import { lookOf } from './look';
import { hasCertificate, isYes, progressIndex, progressKey, rowAccessor } from './progress-row';
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
export const UNASSIGNED = '(not set)';

export interface SummaryTable {
  readonly tab: TabDef;
  readonly header: string[];
  readonly rows: Row[];
}

/**
 * Removed learners are left out of every count: they are not part of the cohort any more.
 * Rows are sorted by name; a final `Total` row sums the whole table.
 */
export function buildSummaries(progress: TabSnapshot | undefined): SummaryTable[] {
  const groups: [TabDef, string][] = [
    [SUMMARY_BY_SCHOOL_TAB, 'school'],
    [SUMMARY_BY_COURSE_TAB, 'course'],
    [SUMMARY_BY_MENTOR_TAB, 'mentor'],
  ];
  const tallies = groups.map(() => new Map<string, Tally>());
  const total = empty();
  if (progress) {
    const idx = progressIndex(progress.header);
    const seen = new Set<string>();
    for (const row of progress.rows) {
      const get = rowAccessor(idx, row);
      if (isBlank(get('email'))) continue;
      const key = progressKey(get('email'), get('slug'));
      if (seen.has(key)) continue; // a row copied by hand counts once (the first, as the sync keeps it)
      seen.add(key);
      if (isYes(get('removed'))) continue;
      const flags = cellText(get('flags')).split(/\s*,\s*/);
      const status = cellText(get('status'));
      const engagement = cellNumber(get('engagement')) ?? 0;
      const completed = isYes(get('completed'));
      const certified = hasCertificate(get);
      const add = (t: Tally) => {
        t.enrolled++;
        if (engagement > 0 || !isBlank(get('lastActivityAt')) || completed) t.started++;
        if (completed) t.completed++;
        if (certified) t.certificates++;
        // Status is one value per row (approve and revoke write it too): never counted twice.
        if (status === 'Ready for approval') t.ready++;
        if (status === 'Approved') t.approved++;
        if (flags.includes('LOW_ENGAGEMENT')) t.low++;
        if (flags.includes('LATE')) t.late++;
        if (flags.includes('OVERDUE')) t.overdue++;
        t.engagementSum += engagement;
      };
      groups.forEach(([, key], g) => {
        const label =
          cellText(get(key === 'course' ? 'course' : key)) ||
          (key === 'course' ? cellText(get('slug')) : '') ||
          UNASSIGNED;
        let t = tallies[g].get(label);
        if (!t) tallies[g].set(label, (t = empty()));
        add(t);
      });
      add(total);
    }
  }
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
  return groups.map(([tab], g) => {
    const rows = [...tallies[g].entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, t]) => line(label, t));
    rows.push(line('Total', total));
    return { tab, header: headersOf(tab), rows };
  });
}

export { SUMMARY_COLUMNS };

/** Plans that rewrite the three summary tabs. */
export function summaryPlans(progress: TabSnapshot | undefined): TabPlan[] {
  return buildSummaries(progress).map((s) => ({
    tab: s.tab.name,
    replace: { header: s.header, rows: s.rows },
    formats: s.tab.formats,
    numberFormats: s.tab.numberFormats,
    look: lookOf(s.tab),
  }));
}
