/**
 * Several approvals as one write, pure: each request is planned against the workbook as the
 * earlier ones leave it (a scratch copy), a refused request is reported and skipped, and the
 * accepted plans are merged. The add-on's "approve selected" and the CLI's `approve` (a batch of
 * one) both go through here.
 */
import { MemoryWorkbook } from '../memory-workbook';
import { mergePlans } from '../merge-plans';
import { RuleError } from '../rule-errors';
import type { Plan, Snapshot } from '../workbook';
import { planApproval, type ApprovalRequest, type ApprovalResult } from './approval';

export type ApprovalOutcome =
  | { readonly request: ApprovalRequest; readonly ok: true; readonly result: ApprovalResult }
  | { readonly request: ApprovalRequest; readonly ok: false; readonly error: RuleError };

export interface ApprovalBatch {
  /** Every accepted approval (empty when all were refused). */
  readonly plan: Plan;
  /** One per request, in order. */
  readonly outcomes: readonly ApprovalOutcome[];
}

/** A refusal (RuleError) is an outcome; anything else (a broken Settings tab, a bug) is thrown. */
export function planApprovals(
  snapshot: Snapshot,
  requests: readonly ApprovalRequest[],
  actor: string,
  now: number,
): ApprovalBatch {
  const names = Object.values(snapshot).flatMap((s) => (s ? [s.name] : []));
  let current = snapshot;
  let scratch: MemoryWorkbook | undefined; // made at the first accepted approval that others follow
  const plans: Plan[] = [];
  const outcomes: ApprovalOutcome[] = [];
  requests.forEach((request, i) => {
    try {
      const { plan, result } = planApproval(current, request, actor, now);
      plans.push(plan);
      outcomes.push({ request, ok: true, result });
      if (i === requests.length - 1) return;
      scratch ??= copyOf(snapshot);
      scratch.apply(plan);
      current = scratch.read(names);
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      outcomes.push({ request, ok: false, error: e });
    }
  });
  return { plan: mergePlans(plans), outcomes };
}

function copyOf(snapshot: Snapshot): MemoryWorkbook {
  const copy = new MemoryWorkbook();
  copy.apply({
    tabs: Object.values(snapshot).flatMap((s) =>
      s ? [{ tab: s.name, create: { header: s.header }, appends: s.rows }] : [],
    ),
  });
  return copy;
}
