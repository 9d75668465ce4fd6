/**
 * One sync over a snapshot already read: the plan with its protections, and which other tabs to
 * read when a layout tab seems renamed. The worker's runSync (async port) and the add-on's import
 * (synchronous Apps Script) both run this, so a file syncs the same from the CLI and from the sheet.
 */
import { LAYOUT } from './layout';
import { missingAnchoredTabs } from './layout-guard';
import { withProtections } from './protection';
import { planSync, type ExportBatch, type SyncResult } from './sync-plan';
import type { Snapshot } from './workbook';

export interface SyncRunTimes {
  /** As-of instant or text for OVERDUE / AT_RISK; default: `syncedAt`. */
  readonly asOf?: number | string;
  readonly syncedAt: number;
  /** When the run began (the Sync log's duration counts from here). */
  readonly started: number;
  /** The clock, read again when the plan is finished (default: `syncedAt`, for a synchronous caller's single reading). */
  readonly now?: () => number;
}

export function planSyncRun(snapshot: Snapshot, batch: ExportBatch, times: SyncRunTimes): SyncResult {
  const synced = planSync(snapshot, batch, {
    asOf: times.asOf ?? times.syncedAt,
    syncedAt: times.syncedAt,
    durationMs: () => Math.round((times.now?.() ?? times.syncedAt) - times.started),
  });
  // Protections ride along (Google Sheets enforces them; .xlsx ignores them); re-applying unchanged ones sends nothing.
  return { ...synced, plan: withProtections(synced.plan, snapshot) };
}

const LAYOUT_NAMES = new Set(LAYOUT.map((t) => t.name));

/**
 * The tabs outside the layout to read when a set-up workbook lacks Progress, Roster or Courses (to
 * name the renamed one in the refusal); none for a complete or a brand-new workbook.
 */
export function renamedTabSuspects(snapshot: Snapshot, allTabs: () => readonly string[]): string[];
export function renamedTabSuspects(snapshot: Snapshot, allTabs: () => Promise<readonly string[]>): Promise<string[]>;
export function renamedTabSuspects(
  snapshot: Snapshot,
  allTabs: () => readonly string[] | Promise<readonly string[]>,
): string[] | Promise<string[]> {
  if (!missingAnchoredTabs(snapshot).length) return [];
  if (!LAYOUT.some((t) => snapshot[t.name])) return []; // nothing set up yet: the sync creates the layout
  // Listed only when needed: a brand-new or complete workbook costs no extra call.
  const outside = (names: readonly string[]) => names.filter((name) => !LAYOUT_NAMES.has(name));
  const names = allTabs();
  return names instanceof Promise ? names.then(outside) : outside(names);
}
