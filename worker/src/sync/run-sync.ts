/**
 * One sync, backend-agnostic: read the tabs once → plan (pure) → apply once. Used by the CLI and by
 * the BullMQ worker alike.
 */
import { isEmptyPlan, type Plan, type Snapshot, type Workbook } from '../../../shared/src/workbook';
import { SYNC_TABS, type ExportBatch, type SyncResult } from '../../../shared/src/sync-plan';
import { planSyncRun } from '../../../shared/src/sync-run';
import { SYNC_LOG_TAB } from '../../../shared/src/layout';
import { sameCell } from '../../../shared/src/cells';
import { isWriteOutcomeUnknown } from '../../../shared/src/write-outcome';
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

interface Planned extends SyncResult {
  readonly snapshot: Snapshot;
}

/**
 * Read, plan, apply. When the backend cannot tell whether the write was applied (no answer, a 5xx:
 * WRITE_OUTCOME_UNKNOWN), the plan is never sent again as it was: the workbook is read again once;
 * if the write landed (its Sync log row is there) nothing more is sent, else the sync is planned
 * against what is there and that difference is written. A second unclear answer is thrown.
 */
export async function runSync(
  target: Workbook,
  batch: ExportBatch,
  options: RunSyncOptions = {},
): Promise<RunSyncResult> {
  // The rules speak canonical English; the workbook speaks Settings › Language (renamed in place on a switch).
  const workbook = localized(target, { relabel: true });
  const now = options.now ?? Date.now;
  const started = options.startedAt ?? now();
  const finish = ({ snapshot: _read, ...r }: Planned): RunSyncResult => ({
    ...r,
    durationMs: Math.round(now() - started),
  });
  const first = await readAndPlan(workbook, batch, options, started);
  try {
    if (!isEmptyPlan(first.plan)) await workbook.apply(first.plan);
    return finish(first);
  } catch (e) {
    if (!isWriteOutcomeUnknown(e)) throw e;
  }
  const again = await readAndPlan(workbook, batch, options, started);
  if (syncLogRowLanded(first, again.snapshot)) return finish(first);
  if (!isEmptyPlan(again.plan)) await workbook.apply(again.plan);
  return finish(again);
}

async function readAndPlan(
  workbook: Workbook,
  batch: ExportBatch,
  options: RunSyncOptions,
  started: number,
): Promise<Planned> {
  const now = options.now ?? Date.now;
  const snapshot = await workbook.read(SYNC_TABS);
  await refuseRenamedLayoutTabs(workbook, snapshot);
  // The Sync log's duration runs from reading the export to the finished plan.
  const result = planSyncRun(snapshot, batch, { asOf: options.asOf, syncedAt: now(), started, now });
  return { ...result, snapshot };
}

/**
 * Whether `planned`'s write is in `fresh`: the Sync log row it appends (written last, in the last
 * request) sits right below the rows it was planned against. Every sync appends exactly one.
 */
function syncLogRowLanded(planned: Planned, fresh: Snapshot): boolean {
  const row = logRow(planned.plan);
  if (!row) return false;
  const before = planned.snapshot[SYNC_LOG_TAB.name]?.rows.length ?? 0;
  const found = fresh[SYNC_LOG_TAB.name]?.rows[before];
  return !!found && row.every((cell, i) => sameCell(cell, found[i]));
}

function logRow(plan: Plan) {
  const appends = plan.tabs.find((t) => t.tab === SYNC_LOG_TAB.name)?.appends;
  return appends?.length === 1 ? appends[0] : undefined;
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
