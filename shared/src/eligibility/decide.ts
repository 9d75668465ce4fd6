/**
 * An admin's answer to a POSSIBLE_MATCH: `same` (the candidate is that earlier participant →
 * PRIOR_PARTICIPANT) or `different` (→ the check goes on, usually ELIGIBLE). The answer lives in
 * the Candidates `Match decision` cell, so every later check keeps it, and in the Audit.
 */
import { cellText } from '../cells';
import { CANDIDATES_TAB, SETTINGS_TAB } from '../layout';
import { readSettings } from '../settings';
import type { Plan, Snapshot, TabSnapshot } from '../workbook';
import { auditPlan } from '../audit';
import { actorEmail, isAdmin } from '../people';
import {
  checkEligibility,
  MATCH_DECISIONS,
  evaluateCandidates,
  type CandidateVerdict,
  type MatchDecision,
} from './check';
import { EnrollmentRefused, InvalidRequest } from '../rule-errors';
import { sheetRow, TableEdit } from '../table-edit';

export interface MatchDecisionRequest {
  /** Candidates data row (0 = sheet row 2), as in CandidateVerdict.row. */
  readonly row: number;
  readonly decision: MatchDecision;
  readonly reason?: string;
}

export function decidePossibleMatch(
  snapshot: Snapshot,
  request: MatchDecisionRequest,
  actor: string,
  now: number,
  options: { cohort?: string } = {},
): { plan: Plan; result: { verdict: CandidateVerdict } } {
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const who = actorEmail(actor);
  if (!isAdmin(settings, who))
    throw new EnrollmentRefused(
      'NOT_ADMIN',
      `${who} is not an admin (Settings "Admins"); only admins decide possible matches`,
    );
  if (!(request.decision in MATCH_DECISIONS))
    throw new InvalidRequest(
      'BAD_DECISION',
      `decision must be "same" or "different", not "${String(request.decision)}"`,
    );
  const before = evaluateCandidates(snapshot, options.cohort).find((v) => v.row === request.row);
  if (!before)
    throw new InvalidRequest('UNKNOWN_CANDIDATE', `Candidates row ${sheetRow(request.row)} is empty or does not exist`);
  if (before.code !== 'POSSIBLE_MATCH') {
    throw new EnrollmentRefused(
      'NOT_POSSIBLE_MATCH',
      `Candidates row ${sheetRow(request.row)} (${before.email}) is ${before.code}, not POSSIBLE_MATCH: there is nothing to decide`,
    );
  }

  // Re-run the check on the snapshot as it will be, so the row's verdict and the decision land together.
  const table = new TableEdit(CANDIDATES_TAB, snapshot);
  table.set(request.row, 'matchDecision', MATCH_DECISIONS[request.decision]);
  const decided: Snapshot = {
    ...snapshot,
    [CANDIDATES_TAB.name]: {
      name: CANDIDATES_TAB.name,
      header: table.header,
      rows: table.rows,
    } satisfies TabSnapshot,
  };
  const { plan: checkPlan, result } = checkEligibility(decided, { now, cohort: options.cohort });
  const after = result.verdicts.find((v) => v.row === request.row)!;
  const candidatesPlan = table.plan()!;
  const checkUpdates = (checkPlan.tabs[0]?.updates ?? []).filter((u) => u.row === request.row);
  const audit = auditPlan(snapshot, now, settings.timeZone, [
    {
      who,
      action: 'Match decision',
      email: before.email,
      before: `POSSIBLE_MATCH: ${before.detail.split(';')[0]}`,
      after: `${MATCH_DECISIONS[request.decision]} → ${after.code}`,
      reason: cellText(request.reason ?? null) || undefined,
    },
  ]);
  return {
    plan: {
      tabs: [
        { ...candidatesPlan, updates: [...(candidatesPlan.updates ?? []), ...checkUpdates] },
        ...(audit ? [audit] : []),
      ],
    },
    result: { verdict: after },
  };
}
