/**
 * Set up and Refresh summaries verify the Audit tab's hash chain (shared/src/audit-chain.ts) and,
 * when it is broken, tell the user in their language where it breaks.
 */
import type { AuditChainReport } from '../../../shared/src/audit-chain';
import type { Translator } from '../i18n';

/** The dialog text for a broken chain, or null when the chain is intact. */
export function auditChainAlert(report: AuditChainReport, t: Translator): string | null {
  const first = report.problems[0];
  if (report.intact || !first) return null;
  return t('msg.auditBroken', { row: first.row, trusted: report.trustedRows });
}
