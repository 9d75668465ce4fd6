/**
 * Set up: the tabs of the shared layout that are missing, layout columns a user deleted (re-added
 * at the right end), data validation, conditional formatting and protections — all in one plan, applied through
 * the Workbook port like any other. It only adds: the plan has no updates, no replace, so existing
 * data cannot be touched.
 */
import { verifyAuditChain, type AuditChainReport } from '../../../shared/src/audit-chain';
import { AUDIT_TAB, LAYOUT, missingColumns, validationsOf } from '../../../shared/src/layout';
import type { Language } from '../../../shared/src/languages';
import { lookOf } from '../../../shared/src/look';
import { templatePlan } from '../../../shared/src/sync-plan';
import { withProtections } from '../../../shared/src/protection';
import type { Plan, Snapshot, TabPlan } from '../../../shared/src/workbook';

export const SETUP_TABS = LAYOUT.map((t) => t.name);

export interface SetupSummary {
  readonly created: string[];
  readonly addedColumns: number;
  /** The Audit hash chain as found (a missing Audit tab is intact). */
  readonly audit: AuditChainReport;
}

/**
 * `language`: what a new Settings tab says in `Language` — the installing user's locale rather
 * than the template's English, so the menu and sidebars speak kk/ru from the start.
 */
export function setupPlan(snapshot: Snapshot, language?: Language): { plan: Plan; summary: SetupSummary } {
  const tabs: TabPlan[] = templatePlan(snapshot, language).map((t) => ({
    ...t,
    formats: LAYOUT.find((d) => d.name === t.tab)?.formats,
  }));
  let addedColumns = 0;
  for (const def of LAYOUT) {
    const existing = snapshot[def.name];
    if (!existing) continue;
    const added = missingColumns(def, existing.header).map((c) => c.header);
    const validations = validationsOf(def);
    addedColumns += added.length;
    tabs.push({
      tab: def.name,
      addColumns: added.length ? added : undefined,
      // A report's formats stop above its Total, which only a rebuild knows: Refresh summaries sets them.
      formats: def.kind === 'report' ? undefined : def.formats,
      numberFormats: def.numberFormats,
      validations: validations.length ? validations : undefined,
      look: lookOf(def),
    });
  }
  // Audit, Sync log and the approval columns: only admins, mentors and whoever runs Set up (the add-on's user).
  return {
    plan: withProtections({ tabs }, snapshot),
    summary: {
      created: tabs.filter((t) => t.create).map((t) => t.tab),
      addedColumns,
      audit: verifyAuditChain(snapshot[AUDIT_TAB.name]),
    },
  };
}
