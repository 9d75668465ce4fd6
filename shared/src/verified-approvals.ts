/**
 * Verified approvals: a Progress row counts as approved only when its Points, Letter, Approved by
 * and Approved at equal the latest `Approve` / `Approve (override)` Audit entry for that (e-mail,
 * course slug), read from the trusted (intact) prefix of the Audit hash chain. Typing into the four
 * cells, editing an Audit row, or appending an Audit row by hand therefore approves nothing.
 *
 * The building block only: the sync and the recognition report decide what to do with the verdict.
 */
import { verifyAuditChain, type AuditChainReport, type AuditTabLike } from './audit-chain';
import { cellNumber, cellText, isBlank, type Cell } from './cells';
import { AUDIT_TAB, indexColumns } from './layout';
import { progressKey } from './progress-row';

export type LatestApproval =
  | {
      readonly kind: 'approved';
      /** null when the entry's After has no readable Points (such an entry verifies nothing). */
      readonly points: number | null;
      readonly letter: string;
      readonly approvedBy: string;
      readonly approvedAt: string;
      readonly override: boolean;
      /** Sheet row of the Audit entry. */
      readonly sheetRow: number;
    }
  | { readonly kind: 'revoked'; readonly sheetRow: number };

/** The four approval cells of a Progress row, as read. */
export interface ApprovalCells {
  readonly points: Cell | undefined;
  readonly letter: Cell | undefined;
  readonly approvedBy: Cell | undefined;
  readonly approvedAt: Cell | undefined;
}

export type ApprovalVerdict = 'verified' | 'unverified' | 'none';

const APPROVE_ACTIONS: Readonly<Record<string, boolean>> = { approve: false, 'approve (override)': true };
const AFTER_KEYS = ['Points', 'Letter', 'GPA', 'Traditional mark', 'Approved by', 'Approved at'];

/**
 * The `key=value; key=value` text `describe` writes, for the keys an approval writes. Split only at
 * `; <known key>=`, so a value may itself contain `;` or `=`.
 */
export function parseApprovalAfter(text: string): Record<string, string> {
  const re = new RegExp(`(?:^|; )(${AFTER_KEYS.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})=`, 'g');
  const marks = [...text.matchAll(re)];
  const out: Record<string, string> = {};
  marks.forEach((m, n) => {
    const from = m.index + m[0].length;
    const to = n + 1 < marks.length ? marks[n + 1].index : text.length;
    out[m[1]] ??= text.slice(from, to);
  });
  return out;
}

/**
 * The latest approve/override/revoke per `progressKey(email, slug)`, over the trusted rows of the
 * chain only (`chain` defaults to verifying `auditTab`). Other actions are ignored. An approval
 * entry written before After carried `Approved by`/`Approved at` falls back to what the approval
 * wrote then: `Who` (+ " (override)") and `At`.
 */
export function latestApprovals(
  auditTab: AuditTabLike | undefined,
  chain: AuditChainReport = verifyAuditChain(auditTab),
): Map<string, LatestApproval> {
  const latest = new Map<string, LatestApproval>();
  if (!auditTab) return latest;
  const idx = indexColumns(AUDIT_TAB, auditTab.header);
  for (let i = 0; i < chain.trustedRows; i++) {
    const row = auditTab.rows[i] ?? [];
    const text = (key: string) => (idx[key] >= 0 ? cellText(row[idx[key]] ?? null) : '');
    const action = text('Action').toLowerCase();
    const key = progressKey(text('Email'), text('Course slug'));
    if (action === 'revoke') {
      latest.set(key, { kind: 'revoked', sheetRow: i + 2 });
      continue;
    }
    if (!(action in APPROVE_ACTIONS)) continue;
    const override = APPROVE_ACTIONS[action];
    const after = parseApprovalAfter(text('After'));
    latest.set(key, {
      kind: 'approved',
      points: cellNumber(after.Points ?? null),
      letter: (after.Letter ?? '').trim(),
      approvedBy: (after['Approved by'] ?? (override ? `${text('Who')} (override)` : text('Who'))).trim(),
      approvedAt: (after['Approved at'] ?? text('At')).trim(),
      override,
      sheetRow: i + 2,
    });
  }
  return latest;
}

/**
 * `none`: the four cells are blank (whatever the audit says, the row is not approved).
 * `verified`: the latest trusted entry is an approval and the four cells equal it (Points as a
 * number, the rest as trimmed text). `unverified`: any cell filled otherwise — typed by hand,
 * edited after the approval, revoked since, or backed by an untrusted Audit row.
 */
export function approvalVerdict(rowCells: ApprovalCells, latest: LatestApproval | undefined): ApprovalVerdict {
  const { points, letter, approvedBy, approvedAt } = rowCells;
  if ([points, letter, approvedBy, approvedAt].every((c) => isBlank(c ?? null))) return 'none';
  if (latest?.kind !== 'approved' || latest.points === null) return 'unverified';
  const same =
    cellNumber(points ?? null) === latest.points &&
    cellText(letter ?? null) === latest.letter &&
    cellText(approvedBy ?? null) === latest.approvedBy &&
    cellText(approvedAt ?? null) === latest.approvedAt;
  return same ? 'verified' : 'unverified';
}
