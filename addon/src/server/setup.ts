/**
 * Set up: the tabs of the shared layout that are missing, layout columns a user deleted (re-added
 * at the right end), validation and conditional formatting. It only adds: the plan has no updates,
 * no replace, so existing data cannot be touched.
 */
import { verifyAuditChain, type AuditChainReport } from '../../../shared/src/audit-chain';
import { AUDIT_TAB, LAYOUT, missingColumns, normalizeHeader, SETTINGS_TAB, validationsOf } from '../../../shared/src/layout';
import { templatePlan } from '../../../shared/src/sync-plan';
import type { Plan, Snapshot, TabPlan } from '../../../shared/src/workbook';
import type { ValidationSpec } from './apps-script-workbook';

export const SETUP_TABS = LAYOUT.map((t) => t.name);

export interface ValidationTarget {
  readonly tab: string;
  readonly column: string;
  readonly spec: ValidationSpec;
}

/** Every validation the layout declares (choice lists, the Points range): one source for all backends. */
export const VALIDATIONS: readonly ValidationTarget[] = LAYOUT.flatMap((tab) =>
  validationsOf(tab).map(({ column, ...spec }) => ({ tab: tab.name, column, spec: spec.kind === 'list' ? { kind: 'list' as const, values: spec.values } : { kind: 'number' as const, min: spec.min, max: spec.max } })),
);

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
export function setupPlan(snapshot: Snapshot, language?: string): { plan: Plan; summary: SetupSummary } {
  const tabs: TabPlan[] = templatePlan(snapshot).map((t) => ({
    ...t,
    formats: LAYOUT.find((d) => d.name === t.tab)?.formats,
    appends: t.tab === SETTINGS_TAB.name && language ? t.appends?.map((r) => (normalizeHeader(r[0]) === 'language' ? [r[0], language] : r)) : t.appends,
  }));
  let addedColumns = 0;
  for (const def of LAYOUT) {
    const existing = snapshot[def.name];
    if (!existing) continue;
    const added = missingColumns(def, existing.header).map((c) => c.header);
    addedColumns += added.length;
    if (!added.length && !def.formats && !def.numberFormats) continue;
    tabs.push({ tab: def.name, addColumns: added.length ? added : undefined, formats: def.formats, numberFormats: def.numberFormats });
  }
  return { plan: { tabs }, summary: { created: tabs.filter((t) => t.create).map((t) => t.tab), addedColumns, audit: verifyAuditChain(snapshot[AUDIT_TAB.name]) } };
}
