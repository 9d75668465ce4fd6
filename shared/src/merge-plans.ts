/** Plans made one after another (each against the workbook as the earlier ones leave it), written as one. */
import type { Plan, TabPlan } from './workbook';

/**
 * One plan per tab: added columns, updates and appends concatenated in order. The first plan's
 * row anchors are kept, so a backend still refuses the merged write when rows moved meanwhile.
 */
export function mergePlans(plans: readonly Plan[]): Plan {
  const byTab = new Map<string, TabPlan>();
  for (const p of plans) {
    for (const t of p.tabs) {
      const prev = byTab.get(t.tab);
      if (!prev) {
        byTab.set(t.tab, t);
        continue;
      }
      byTab.set(t.tab, {
        ...prev,
        addColumns: [...(prev.addColumns ?? []), ...(t.addColumns ?? [])],
        updates: [...(prev.updates ?? []), ...(t.updates ?? [])],
        anchorColumns: prev.anchorColumns ?? t.anchorColumns,
        appends: [...(prev.appends ?? []), ...(t.appends ?? [])],
      });
    }
  }
  return { tabs: [...byTab.values()] };
}
