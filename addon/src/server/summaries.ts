/** Refresh summaries: the same shared function the worker runs after a sync. */
import { PROGRESS_TAB } from '../../../shared/src/layout';
import { summaryPlans } from '../../../shared/src/summary';
import type { Plan } from '../../../shared/src/workbook';
import type { SyncWorkbook } from './context';

export class NoProgressTabError extends Error {}

export function refreshSummaries(workbook: SyncWorkbook): { plan: Plan; progressRows: number } {
  const progress = workbook.read([PROGRESS_TAB.name])[PROGRESS_TAB.name];
  if (!progress) throw new NoProgressTabError(`no ${PROGRESS_TAB.name} tab`);
  const plan: Plan = { tabs: summaryPlans(progress) };
  workbook.apply(plan);
  return { plan, progressRows: progress.rows.length };
}
