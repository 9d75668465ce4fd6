/** Refresh summaries: the same shared function the worker runs after a sync. */
import { verifyAuditChain, type AuditChainReport } from '../../../shared/src/audit-chain';
import { AUDIT_TAB, COURSES_TAB, PROGRESS_TAB, ROSTER_TAB } from '../../../shared/src/layout';
import { readCourses, readRoster } from '../../../shared/src/progress-row';
import { summaryPlans } from '../../../shared/src/summary';
import type { Plan } from '../../../shared/src/workbook';
import type { SyncWorkbook } from './context';

export class NoProgressTabError extends Error {}

/** Also verifies the Audit hash chain (`audit`), so the user hears when it is broken. */
export function refreshSummaries(workbook: SyncWorkbook): {
  plan: Plan;
  progressRows: number;
  audit: AuditChainReport;
} {
  const snapshot = workbook.read([PROGRESS_TAB.name, AUDIT_TAB.name, ROSTER_TAB.name, COURSES_TAB.name]);
  const progress = snapshot[PROGRESS_TAB.name];
  if (!progress) throw new NoProgressTabError(`no ${PROGRESS_TAB.name} tab`);
  // The Roster's statuses and the catalog, as the sync counts them: both front ends show the same numbers.
  const context = { roster: readRoster(snapshot[ROSTER_TAB.name]), courses: readCourses(snapshot[COURSES_TAB.name]) };
  const plan: Plan = { tabs: summaryPlans(progress, context) };
  workbook.apply(plan);
  return { plan, progressRows: progress.rows.length, audit: verifyAuditChain(snapshot[AUDIT_TAB.name]) };
}
