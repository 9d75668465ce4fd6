/**
 * The `Audit` tab: append-only, one row per approval, revoke, override, enrollment, replacement
 * and match decision. Rows are laid out by the tab's actual header (users may reorder columns).
 */
import type { Cell } from './cells';
import { AUDIT_TAB } from './layout';
import { TableEdit } from './table-edit';
import { formatInZone } from './time';
import type { Snapshot, TabPlan } from './workbook';

export const AUDIT_ACTIONS = [
  'Approve',
  'Approve (override)',
  'Revoke',
  'Enroll',
  'Replace (out)',
  'Replace (in)',
  'Match decision',
  'New cohort',
  'Unenroll',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  readonly who: string;
  readonly action: AuditAction;
  readonly email?: string;
  readonly courseSlug?: string;
  readonly before?: string;
  readonly after?: string;
  readonly reason?: string;
}

/** `key=value; key=value` with blanks shown as empty, for the Before/After cells. */
export function describe(values: Record<string, Cell | undefined>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v === null || v === undefined ? '' : String(v)}`)
    .join('; ');
}

export function auditPlan(snapshot: Snapshot, now: number, timeZone: string, entries: readonly AuditEntry[]): TabPlan | null {
  if (!entries.length) return null;
  const table = new TableEdit(AUDIT_TAB, snapshot);
  const at = formatInZone(now, timeZone);
  for (const e of entries) {
    table.append({
      At: at,
      Who: e.who,
      Action: e.action,
      Email: e.email ?? null,
      'Course slug': e.courseSlug ?? null,
      Before: e.before ?? null,
      After: e.after ?? null,
      Reason: e.reason ?? null,
    });
  }
  return table.plan();
}
