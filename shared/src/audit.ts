/**
 * The `Audit` tab: append-only, one row per approval, revoke, override, enrollment, replacement
 * and match decision. Rows are laid out by the tab's actual header (users may reorder columns).
 * Each new row's `Hash` chains from the last existing row's stored Hash (see ../audit-chain.ts);
 * when the chain is already broken the break stays visible at its own row.
 */
import { auditFieldsOf, auditRowHash, lastAuditHash } from './audit-chain';
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

export function auditPlan(
  snapshot: Snapshot,
  now: number,
  timeZone: string,
  entries: readonly AuditEntry[],
): TabPlan | null {
  if (!entries.length) return null;
  const table = new TableEdit(AUDIT_TAB, snapshot);
  const at = formatInZone(now, timeZone);
  let previous = lastAuditHash(snapshot[AUDIT_TAB.name]);
  for (const e of entries) {
    const record: Record<string, Cell> = {
      At: at,
      Who: e.who,
      Action: e.action,
      Email: e.email ?? null,
      'Course slug': e.courseSlug ?? null,
      Before: e.before ?? null,
      After: e.after ?? null,
      Reason: e.reason ?? null,
    };
    previous = auditRowHash(previous, auditFieldsOf(record));
    table.append({ ...record, Hash: previous });
  }
  return table.plan();
}
