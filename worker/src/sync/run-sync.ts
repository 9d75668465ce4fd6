/**
 * One sync, backend-agnostic: read the tabs once → plan (pure) → apply once. Used by the CLI and by
 * the BullMQ worker alike.
 */
import { isEmptyPlan, type Workbook } from '../../../shared/src/workbook';
import { SYNC_TABS, type ExportBatch, type SyncResult } from '../../../shared/src/sync-plan';
import { planSyncRun } from '../../../shared/src/sync-run';
import { refuseRenamedLayoutTabs } from './renamed-tabs';
import { localized } from '../../../shared/src/i18n/localized-workbook';

export interface RunSyncOptions {
  /** As-of instant for OVERDUE / AT_RISK (default: now); text is read in the Settings time zone. */
  readonly asOf?: number | string;
  readonly now?: () => number;
  /** When the front end began, before it read the export (default: when the workbook read starts). */
  readonly startedAt?: number;
}

export interface RunSyncResult extends SyncResult {
  readonly durationMs: number;
}

export async function runSync(
  target: Workbook,
  batch: ExportBatch,
  options: RunSyncOptions = {},
): Promise<RunSyncResult> {
  // The rules speak canonical English; the workbook speaks Settings › Language (renamed in place on a switch).
  const workbook = localized(target, { relabel: true });
  const now = options.now ?? Date.now;
  const started = options.startedAt ?? now();
  const snapshot = await workbook.read(SYNC_TABS);
  await refuseRenamedLayoutTabs(workbook, snapshot);
  // The Sync log's duration runs from reading the export to the finished plan.
  const result = planSyncRun(snapshot, batch, { asOf: options.asOf, syncedAt: now(), started, now });
  if (!isEmptyPlan(result.plan)) await workbook.apply(result.plan);
  return { ...result, durationMs: Math.round(now() - started) };
}

/** The counts every front end reports (CLI `--json`, job results): one shape, defined once. */
export function syncCounts(result: RunSyncResult) {
  const s = result.stats;
  return {
    source: s.source,
    sha256: s.sha256,
    rowsRead: s.rowsRead,
    rejected: s.rejected,
    inserted: s.inserted,
    updated: s.updated,
    unchanged: s.unchanged,
    progressCellsWritten: s.progressCellsWritten,
    durationMs: result.durationMs,
  };
}

export type SyncCounts = ReturnType<typeof syncCounts>;
