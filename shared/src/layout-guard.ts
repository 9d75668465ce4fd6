/**
 * What the sync refuses rather than guess: a tab it upserts or joins (Progress, Roster, Courses)
 * that holds rows but whose header lacks the columns that identify a row (the layout's `anchor`),
 * a header that sits below row 1 (a title row inserted above it), and a layout tab that was renamed
 * (found by its header). Syncing on would re-insert every export line as a new row and leave the
 * old rows — and every approval on them — orphaned.
 */
import { isBlank } from './cells';
import { COURSES_TAB, indexColumns, PROGRESS_TAB, ROSTER_TAB, type TabDef } from './layout';
import { InputError } from './errors';
import type { Snapshot, TabSnapshot } from './workbook';

export class LayoutError extends InputError {}

/** The tabs the sync reads rows from by their anchor columns. */
export const SYNC_ANCHORED_TABS: readonly TabDef[] = [PROGRESS_TAB, ROSTER_TAB, COURSES_TAB];

/** Data rows looked at for a header that slid down (title rows above it). */
const HEADER_SEARCH_ROWS = 10;
/** A renamed tab is recognised by its anchor columns plus at least this share of the layout's headers. */
const SIGNATURE_SHARE = 0.6;

const headerOf = (def: TabDef, key: string) => def.columns.find((c) => c.key === key)?.header ?? key;
const quoted = (items: readonly string[]) => items.map((h) => `"${h}"`).join(' and ');

function missingAnchors(def: TabDef, header: readonly unknown[]): string[] {
  const index = indexColumns(def, header);
  return (def.anchor ?? []).filter((k) => index[k] < 0).map((k) => headerOf(def, k));
}

function matchedShare(def: TabDef, header: readonly unknown[]): number {
  const index = indexColumns(def, header);
  return def.columns.filter((c) => index[c.key] >= 0).length / def.columns.length;
}

/** Refuses a tab with rows whose header is not usable; a tab without rows is left to the sync to fill. */
export function assertTabLayout(def: TabDef, tab: TabSnapshot | undefined): void {
  if (!tab || !def.anchor?.length) return;
  let rows = 0;
  for (const r of tab.rows) if (r.some((c) => !isBlank(c))) rows++;
  if (!rows) return;
  const missing = missingAnchors(def, tab.header);
  if (!missing.length) return;
  const limit = Math.min(tab.rows.length, HEADER_SEARCH_ROWS);
  for (let i = 0; i < limit; i++) {
    if (missingAnchors(def, tab.rows[i]).length === 0) {
      throw new LayoutError(
        `the "${def.name}" tab's header is on row ${i + 2}, not row 1: delete the row${i ? 's' : ''} above it (a title?) so the column names are in row 1, then sync again. ` +
          `Nothing was synced (otherwise every row would have been added a second time).`,
      );
    }
  }
  const anchors = quoted((def.anchor ?? []).map((k) => headerOf(def, k)));
  throw new LayoutError(
    `the "${def.name}" tab has ${rows} rows but no ${quoted(missing)} column in its header (row 1); the sync finds each row by ${anchors}. ` +
      `Put the header ${quoted(missing)} back in row 1 above the column that holds ${missing.length > 1 ? 'them' : 'it'} (undo the rename or deletion), then sync again. ` +
      `Nothing was synced (otherwise every row would have been added a second time).`,
  );
}

export function assertSyncLayout(snapshot: Snapshot): void {
  for (const def of SYNC_ANCHORED_TABS) assertTabLayout(def, snapshot[def.name]);
}

/** Layout tabs the snapshot lacks that the sync reads by anchor: where a renamed tab may be hiding. */
export function missingAnchoredTabs(snapshot: Snapshot): TabDef[] {
  return SYNC_ANCHORED_TABS.filter((d) => !snapshot[d.name]);
}

/**
 * `others` are the workbook's tabs outside the layout. A tab whose header holds all of a missing
 * layout tab's anchor columns and most of its columns is that tab, renamed: refused, with its name.
 */
export function refuseRenamedTabs(snapshot: Snapshot, others: readonly TabSnapshot[]): void {
  for (const def of missingAnchoredTabs(snapshot)) {
    const found = others.find(
      (t) => missingAnchors(def, t.header).length === 0 && matchedShare(def, t.header) >= SIGNATURE_SHARE,
    );
    if (found) {
      throw new LayoutError(
        `there is no "${def.name}" tab, but a tab named "${found.name}" has the ${def.name} columns: rename it back to "${def.name}", then sync again. ` +
          `(The sync finds its tabs by name; it would otherwise build a second, empty ${def.name}.)`,
      );
    }
  }
}
