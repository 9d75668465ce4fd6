/**
 * The `Rejected rows` tab, bounded: at most {@link REJECTED_ROWS_PER_SYNC} rows per sync (then one
 * row saying how many more there were), and none again for an export whose SHA-256 the Sync log
 * already holds (the same file gives the same rejected rows). Rows go in as one array, never as
 * spread arguments, so any count is safe.
 */
import { cellText, type Cell, type Row } from './cells';
import { capText, type RejectedRow } from './export-record';
import { headersOf, indexColumns, REJECTED_ROWS_TAB, SYNC_LOG_TAB, workingHeader, type TabDef } from './layout';
import type { Snapshot, TabPlan } from './workbook';

/** Rejected rows written per sync; beyond it only the count is kept (and reported). */
export const REJECTED_ROWS_PER_SYNC = 10_000;

/** Whether the Sync log already records a sync of this export (by SHA-256). */
export function syncLogHasExport(snapshot: Snapshot, sha256: string): boolean {
  const log = snapshot[SYNC_LOG_TAB.name];
  if (!log || !sha256) return false;
  const at = indexColumns(SYNC_LOG_TAB, log.header)['SHA-256'];
  if (at === undefined || at < 0) return false;
  const want = sha256.toLowerCase();
  return log.rows.some((r) => cellText(r[at]).toLowerCase() === want);
}

export interface RejectedRowsInput {
  readonly source: string;
  readonly syncedAt: string;
  /** The rejected rows kept in memory (at most the cap from each reader, plus in-export duplicates). */
  readonly rows: readonly RejectedRow[];
  /** Rejected rows counted but not kept (the reader's cap). */
  readonly notKept: number;
  /** The Sync log already has this export: its rejected rows are in the tab already. */
  readonly alreadyLogged: boolean;
}

/** The plan for the Rejected rows tab; a first sync with none still creates the (empty) tab. */
export function rejectedRowsPlan(snapshot: Snapshot, input: RejectedRowsInput): TabPlan[] {
  const exists = !!snapshot[REJECTED_ROWS_TAB.name];
  if (input.alreadyLogged || (!input.rows.length && !input.notKept)) {
    return exists ? [] : [{ tab: REJECTED_ROWS_TAB.name, create: { header: headersOf(REJECTED_ROWS_TAB) } }];
  }
  const sorted = input.rows.slice().sort((a, b) => a.line - b.line);
  const listed = sorted.length > REJECTED_ROWS_PER_SYNC ? sorted.slice(0, REJECTED_ROWS_PER_SYNC) : sorted;
  const more = sorted.length - listed.length + input.notKept;
  const records: Record<string, Cell>[] = listed.map((r) => ({
    'Synced at': input.syncedAt,
    Source: input.source,
    Line: r.line,
    Reason: capText(r.reason),
    Raw: capText(r.raw),
  }));
  if (more > 0) {
    records.push({
      'Synced at': input.syncedAt,
      Source: input.source,
      Line: null,
      Reason: `… and ${more} more rejected rows, not listed (at most ${REJECTED_ROWS_PER_SYNC} per sync; the Sync log has the total). Fix the file and sync it again.`,
      Raw: null,
    });
  }
  return [logAppend(snapshot, REJECTED_ROWS_TAB, records)];
}

/** Appends to a log tab, laid out by its actual header (users may reorder log columns too). */
export function logAppend(snapshot: Snapshot, tab: TabDef, records: readonly Record<string, Cell>[]): TabPlan {
  const existing = snapshot[tab.name];
  const { header, added } = workingHeader(tab, existing);
  const idx = indexColumns(tab, header);
  const rows = records.map((rec) => {
    const row: Row = new Array<Cell>(header.length).fill(null);
    for (const c of tab.columns) row[idx[c.key]] = rec[c.header] ?? null;
    return row;
  });
  return {
    tab: tab.name,
    create: existing ? undefined : { header },
    addColumns: added.length ? added : undefined,
    appends: rows,
  };
}
