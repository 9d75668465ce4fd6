/**
 * Refresh summaries: the same shared functions the worker runs after a sync — the dean's summary
 * tabs, and for facilitated groups the chart data of the sessions report (with the derived cells
 * brought up to date, as every command that writes the workbook does). A facilitated tab the rules
 * cannot read does not cost the user the dean's summaries: those are written, the problem is told.
 */
import { verifyAuditChain, type AuditChainReport } from '../../../shared/src/audit-chain';
import { InputError } from '../../../shared/src/errors';
import {
  planSessionsCharts,
  SESSIONS_CHART_SOURCES,
  type SessionsChartRows,
} from '../../../shared/src/facilitated/sessions-charts';
import { AUDIT_TAB, COURSES_TAB, PROGRESS_TAB, ROSTER_TAB } from '../../../shared/src/layout';
import { readCourses, readRoster } from '../../../shared/src/progress-row';
import { summaryPlans } from '../../../shared/src/summary';
import type { Plan, Snapshot } from '../../../shared/src/workbook';
import type { SyncWorkbook } from './context';

export class NoProgressTabError extends Error {}

export interface SummariesRefreshed {
  readonly plan: Plan;
  readonly progressRows: number;
  /** The Audit hash chain as found, so the user hears when it is broken. */
  readonly audit: AuditChainReport;
  /** Where the facilitated charts' rows are; null without facilitated data (no charts then). */
  readonly sessionsCharts: SessionsChartRows | null;
  /** Why the facilitated charts could not be made (a facilitated tab names its row and column). */
  readonly facilitatedProblem: string | null;
}

export function refreshSummaries(workbook: SyncWorkbook, now = Date.now()): SummariesRefreshed {
  const snapshot = workbook.read([
    ...new Set([PROGRESS_TAB.name, AUDIT_TAB.name, ROSTER_TAB.name, COURSES_TAB.name, ...SESSIONS_CHART_SOURCES]),
  ]);
  const progress = snapshot[PROGRESS_TAB.name];
  if (!progress) throw new NoProgressTabError(`no ${PROGRESS_TAB.name} tab`);
  // The Roster's statuses and the catalog, as the sync counts them: both front ends show the same numbers.
  const context = { roster: readRoster(snapshot[ROSTER_TAB.name]), courses: readCourses(snapshot[COURSES_TAB.name]) };
  const facilitated = sessionsCharts(snapshot, now);
  const plan: Plan = { tabs: [...summaryPlans(progress, context), ...facilitated.plan.tabs] };
  workbook.apply(plan);
  return {
    plan,
    progressRows: progress.rows.length,
    audit: verifyAuditChain(snapshot[AUDIT_TAB.name]),
    sessionsCharts: facilitated.charts,
    facilitatedProblem: facilitated.problem,
  };
}

function sessionsCharts(snapshot: Snapshot, now: number) {
  try {
    return { ...planSessionsCharts(snapshot, now), problem: null };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { plan: { tabs: [] }, charts: null, problem: e.message };
  }
}
