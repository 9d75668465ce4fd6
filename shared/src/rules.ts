/**
 * The monitoring rules, pure: flags and one status per learner × course. The worker, the add-on
 * and the summaries all call this; nothing else decides what "late" or "low engagement" means.
 */
import { endOfDayExclusive, DAY_MS } from './time';

export const FLAGS = [
  'LOW_ENGAGEMENT',
  'LATE',
  'OVERDUE',
  'AT_RISK',
  'NOT_STARTED',
  'REMOVED',
  'NOT_ON_ROSTER',
  'UNVERIFIED_APPROVAL',
  // A learner on the active Roster with no Coursera record yet (shared/src/roster-gaps.ts).
  'NO_COURSERA_RECORD',
  'CERTIFICATE_PENDING',
] as const;
export type Flag = (typeof FLAGS)[number];

/**
 * In order of precedence: the first that applies is the row's status. An approval the audit does
 * not back (UNVERIFIED_APPROVAL) is `Needs review` before anything else but a verified approval.
 */
export const STATUSES = [
  'Approved',
  'Removed',
  'Ready for approval',
  'Needs review',
  'Overdue',
  'Not started',
  'In progress',
] as const;
export type Status = (typeof STATUSES)[number];

export interface ProgressFacts {
  /** Overall Progress 0–100 ("engagement with material"). */
  readonly engagement: number;
  readonly completed: boolean;
  readonly completedAt: number | null;
  readonly certificate: boolean;
  readonly removed: boolean;
  readonly lastActivityAt: number | null;
  /** `YYYY-MM-DD`, the course's or the default; null when none is set. */
  readonly deadline: string | null;
  /** An approval that matches the audit (see ApprovalVerdict). */
  readonly approved: boolean;
  /** Approval cells filled in that the audit does not back: typed by hand, or edited after. */
  readonly unverifiedApproval?: boolean;
  /** null when the roster is empty (no roster check). */
  readonly onRoster: boolean | null;
}

export interface RuleSettings {
  readonly engagementThreshold: number;
  readonly timeZone: string;
  readonly atRiskDays: number;
  /** Days after completion without a certificate before CERTIFICATE_PENDING (Settings; default 14). */
  readonly certificatePendingDays?: number;
}

export const DEFAULT_CERTIFICATE_PENDING_DAYS = 14;

/**
 * Completed, no certificate yet, and at least `days` since the completion: Coursera is late with it.
 * A signal to chase the certificate, not a failure (the status is unchanged). No completion time: not judged.
 */
export function isCertificatePending(f: ProgressFacts, days: number, asOf: number): boolean {
  return f.completed && !f.certificate && f.completedAt !== null && asOf - f.completedAt >= days * DAY_MS;
}

export interface Evaluation {
  readonly flags: Flag[];
  readonly status: Status;
  readonly lowEngagement: boolean;
  readonly late: boolean;
  readonly overdue: boolean;
  /** Certificate, engagement ≥ threshold and on time: what a mentor may approve without override. */
  readonly successful: boolean;
}

/** Exactly the threshold is adequate; only below it is low. */
export const isLowEngagement = (engagement: number, threshold: number): boolean => engagement < threshold;

export function evaluate(f: ProgressFacts, s: RuleSettings, asOf: number): Evaluation {
  const deadlineEnd = f.deadline ? endOfDayExclusive(f.deadline, s.timeZone) : null;
  const low = isLowEngagement(f.engagement, s.engagementThreshold);
  const pastDeadline = deadlineEnd !== null && asOf >= deadlineEnd;
  // A completion with no completion time cannot be judged late: not flagged, never guessed.
  const late = f.completed && deadlineEnd !== null && f.completedAt !== null && f.completedAt >= deadlineEnd;
  const overdue = !f.completed && pastDeadline;
  const atRisk =
    !f.completed && deadlineEnd !== null && !pastDeadline && deadlineEnd - asOf <= s.atRiskDays * DAY_MS && low;
  const notStarted = f.engagement === 0 && f.lastActivityAt === null && !f.completed;

  const flags: Flag[] = [];
  if (low && (f.completed || f.certificate || pastDeadline)) flags.push('LOW_ENGAGEMENT');
  if (late) flags.push('LATE');
  if (overdue) flags.push('OVERDUE');
  if (atRisk) flags.push('AT_RISK');
  if (notStarted) flags.push('NOT_STARTED');
  if (f.removed) flags.push('REMOVED');
  if (f.onRoster === false) flags.push('NOT_ON_ROSTER');
  const unverified = !f.approved && !!f.unverifiedApproval;
  if (unverified) flags.push('UNVERIFIED_APPROVAL');
  if (isCertificatePending(f, s.certificatePendingDays ?? DEFAULT_CERTIFICATE_PENDING_DAYS, asOf))
    flags.push('CERTIFICATE_PENDING');

  const successful = f.certificate && !low && !late;
  let status: Status;
  if (f.approved) status = 'Approved';
  else if (unverified) status = 'Needs review';
  else if (f.removed) status = 'Removed';
  else if (successful) status = 'Ready for approval';
  else if ((f.completed || f.certificate) && (low || late)) status = 'Needs review';
  else if (overdue) status = 'Overdue';
  else if (notStarted) status = 'Not started';
  else status = 'In progress';

  return { flags, status, lowEngagement: low, late, overdue, successful };
}
