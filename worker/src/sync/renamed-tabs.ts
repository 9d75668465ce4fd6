/**
 * A set-up workbook that lacks Progress, Roster or Courses: was the tab renamed? The tabs outside
 * the layout are read once and a tab carrying the missing tab's columns is named in the refusal
 * (exit 2). A brand-new workbook (no layout tab at all) costs nothing extra.
 */
import { missingAnchoredTabs, refuseRenamedTabs } from '../../../shared/src/layout-guard';
import { renamedTabSuspects } from '../../../shared/src/sync-run';
import type { Snapshot, TabSnapshot, Workbook } from '../../../shared/src/workbook';

export async function refuseRenamedLayoutTabs(workbook: Workbook, snapshot: Snapshot): Promise<void> {
  if (!workbook.listTabs || !missingAnchoredTabs(snapshot).length) return;
  const list = workbook.listTabs.bind(workbook);
  const others = await renamedTabSuspects(snapshot, async () => list());
  if (!others.length) return;
  const read = await workbook.read(others);
  refuseRenamedTabs(
    snapshot,
    others.map((n) => read[n]).filter((t): t is TabSnapshot => !!t),
  );
}
