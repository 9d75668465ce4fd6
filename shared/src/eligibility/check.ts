/**
 * The eligibility check, pure: Candidates + Participants history → one code per candidate, and a
 * plan that writes `Eligibility`, `Eligibility detail`, `Checked at` only where they change.
 *
 * Order of decision (the first that applies):
 *   MISSING_DATA (a required cell blank, or an unknown School status) → INVALID_IIN → INVALID_EMAIL
 *   → PRIOR_PARTICIPANT (exact match in history by IIN, else e-mail, else student ID within school;
 *     or a POSSIBLE_MATCH an admin marked `Same person`)
 *   → EXPELLED / DROPPING_OUT / ACADEMIC_LEAVE → DUPLICATE (a later row of the same person; the
 *     first row keeps its own verdict) → POSSIBLE_MATCH (same birth date from the IIN and the same
 *     normalised name as a history row, unless an admin marked it `Different person`) → ELIGIBLE.
 * History rows of the cohort being enrolled (option `cohort`, else Settings `Cohort`) are this
 * enrollment, not an earlier one: they never make a candidate a prior participant.
 * `Checked at` changes only with the verdict, so re-running an unchanged check writes nothing.
 */
import { cellText, isBlank, type Cell, type Row } from '../cells';
import {
  CANDIDATES_TAB,
  indexColumns,
  MATCH_DECISIONS as MATCH_DECISION_LABELS,
  PARTICIPANTS_HISTORY_TAB,
  SCHOOL_STATUSES as SCHOOL_STATUS_LABELS,
  SETTINGS_TAB,
  type ColumnIndex,
} from '../layout';
import { readSettings } from '../settings';
import { formatInZone } from '../time';
import type { Plan, Snapshot, TabSnapshot } from '../workbook';
import { normalizeEmail, isValidEmail } from '../people';
import { InvalidRequest } from '../rule-errors';
import { birthKey, HistoryIndex, namePairKeys, schoolIdKey, type HistoryEntry, type WantedKeys } from './history-index';
import { checkIin, iinText } from '../iin';
import { nameTokens, sameName } from './names';
import { sheetRow, TableEdit } from '../table-edit';

export const ELIGIBILITY_CODES = [
  'ELIGIBLE',
  'PRIOR_PARTICIPANT',
  'EXPELLED',
  'DROPPING_OUT',
  'ACADEMIC_LEAVE',
  'DUPLICATE',
  'INVALID_IIN',
  'INVALID_EMAIL',
  'MISSING_DATA',
  'POSSIBLE_MATCH',
] as const;
export type EligibilityCode = (typeof ELIGIBILITY_CODES)[number];

/** `School status` (the layout's choices, in order) → what it means for eligibility. */
const STATUS_CODES: readonly EligibilityCode[] = ['ELIGIBLE', 'EXPELLED', 'DROPPING_OUT', 'ACADEMIC_LEAVE'];
export const SCHOOL_STATUSES: Readonly<Record<string, EligibilityCode>> = Object.fromEntries(
  SCHOOL_STATUS_LABELS.map((label, i) => [label.toLowerCase(), STATUS_CODES[i]]),
);

/** Values of `Match decision` an admin (or `decidePossibleMatch`) puts on a POSSIBLE_MATCH row. */
export const MATCH_DECISIONS = { same: MATCH_DECISION_LABELS[0], different: MATCH_DECISION_LABELS[1] } as const;
export type MatchDecision = keyof typeof MATCH_DECISIONS;

export function readMatchDecision(text: string): MatchDecision | null {
  const t = text.trim().toLowerCase();
  if (t === 'same person' || t === 'same') return 'same';
  if (t === 'different person' || t === 'different') return 'different';
  return null;
}

const REQUIRED = ['school', 'studentId', 'iin', 'fullName', 'email', 'schoolStatus'] as const;

export interface CandidateVerdict {
  /** Data row index in Candidates (sheet row = row + 2). */
  readonly row: number;
  readonly code: EligibilityCode;
  readonly detail: string;
  readonly email: string;
  readonly iin: string;
  readonly fullName: string;
  readonly studentId: string;
  readonly school: string;
  readonly group: string;
  /** The history row a POSSIBLE_MATCH (or a confirmed match) refers to. */
  readonly historyRow?: number;
}

export interface EligibilityOptions {
  /** Epoch ms written as `Checked at`. */
  readonly now: number;
  /** The cohort being enrolled; defaults to Settings `Cohort`. */
  readonly cohort?: string;
}

export interface EligibilityResult {
  /** Non-blank candidate rows checked. */
  readonly checked: number;
  readonly counts: Record<EligibilityCode, number>;
  readonly verdicts: CandidateVerdict[];
  /** Cells the plan writes in Candidates. */
  readonly cellsWritten: number;
}

const histRef = (e: HistoryEntry) => `Participants history row ${sheetRow(e.row)}`;

/** Verdicts without a plan (enroll and replace re-check with this). Throws InvalidRequest on an unusable tab. */
export function evaluateCandidates(snapshot: Snapshot, cohort?: string): CandidateVerdict[] {
  const tab = snapshot[CANDIDATES_TAB.name];
  if (!tab)
    throw new InvalidRequest(
      'NO_CANDIDATES',
      `the workbook has no "${CANDIDATES_TAB.name}" tab (columns: ${CANDIDATES_TAB.columns.map((c) => c.header).join(', ')})`,
    );
  const idx = indexColumns(CANDIDATES_TAB, tab.header);
  const missingCols = REQUIRED.filter((k) => idx[k] === -1).map(
    (k) => CANDIDATES_TAB.columns.find((c) => c.key === k)!.header,
  );
  if (missingCols.length)
    throw new InvalidRequest(
      'CANDIDATES_COLUMNS',
      `Candidates tab: missing column(s) ${missingCols.map((h) => `"${h}"`).join(', ')}`,
    );
  const current = (cohort ?? readSettings(snapshot[SETTINGS_TAB.name]).cohort).trim().toLowerCase();
  const tokensByRow: string[][] = [];
  const history = new HistoryIndex(snapshot[PARTICIPANTS_HISTORY_TAB.name], wantedKeys(tab, idx, tokensByRow));
  const isCurrent = (e: HistoryEntry) => current !== '' && e.cohort.trim().toLowerCase() === current;

  const firstByKey = new Map<string, number>();
  const verdicts: CandidateVerdict[] = [];
  const inputCols = CANDIDATES_TAB.columns.filter((c) => c.owner === 'input' && idx[c.key] >= 0).map((c) => idx[c.key]);
  tab.rows.forEach((r, row) => {
    const get = (key: string) => (idx[key] >= 0 ? (r[idx[key]] ?? null) : null);
    if (inputCols.every((c) => isBlank(r[c]))) return; // an empty line between blocks: not a candidate

    const iinCheck = checkIin(get('iin'));
    const email = normalizeEmail(get('email'));
    const fullName = cellText(get('fullName'));
    const school = cellText(get('school'));
    const studentId = cellText(get('studentId'));
    const base = { row, email, iin: iinCheck.iin, fullName, studentId, school, group: cellText(get('group')) };
    const verdict = (code: EligibilityCode, detail: string, historyRow?: number) =>
      verdicts.push({ ...base, code, detail, historyRow });

    // Same person twice: keyed on anything that identifies, the first row owns the keys.
    const keys = [
      iinCheck.iin && /^\d{12}$/.test(iinCheck.iin) ? `iin:${iinCheck.iin}` : '',
      email ? `email:${email}` : '',
      schoolIdKey(school, studentId) ? `sid:${schoolIdKey(school, studentId)}` : '',
    ].filter(Boolean);
    let duplicateOf: { row: number; by: string } | null = null;
    for (const k of keys) {
      const first = firstByKey.get(k);
      if (first !== undefined) {
        duplicateOf = {
          row: first,
          by: k.startsWith('iin') ? 'IIN' : k.startsWith('email') ? 'e-mail' : 'school and Student ID',
        };
        break;
      }
    }
    if (!duplicateOf) for (const k of keys) firstByKey.set(k, row);

    const missing = REQUIRED.filter((k) => isBlank(get(k))).map(
      (k) => CANDIDATES_TAB.columns.find((c) => c.key === k)!.header,
    );
    if (missing.length) return verdict('MISSING_DATA', `missing ${missing.join(', ')}`);
    const statusText = cellText(get('schoolStatus'));
    const statusCode = SCHOOL_STATUSES[statusText.toLowerCase().replace(/\s+/g, ' ')];
    if (!statusCode)
      return verdict('MISSING_DATA', `School status "${statusText}" is not one of ${SCHOOL_STATUS_LABELS.join(', ')}`);
    if (!iinCheck.ok) return verdict('INVALID_IIN', iinCheck.reason);
    if (!isValidEmail(email))
      return verdict('INVALID_EMAIL', `"${cellText(get('email'))}" is not a valid e-mail address`);

    const exact = history.exact(iinCheck.iin, email, school, studentId);
    const prior = exact?.entries.find((e) => !isCurrent(e));
    if (exact && prior)
      return verdict('PRIOR_PARTICIPANT', `cohort "${prior.cohort}" (${histRef(prior)}, same ${exact.key})`, prior.row);
    const enrolledNow = exact?.entries.find(isCurrent);

    const decision = readMatchDecision(cellText(get('matchDecision')));
    let possible: HistoryEntry | undefined;
    const sameBirth = history.sameBirth(iinCheck.iin).filter((e) => !isCurrent(e) && e.iin !== iinCheck.iin);
    if (sameBirth.length && !enrolledNow) {
      const tokens = tokensByRow[row] ?? nameTokens(fullName);
      possible = sameBirth.find((e) => sameName(tokens, history.nameTokensOf(e)));
    }
    if (possible && decision === 'same') {
      return verdict(
        'PRIOR_PARTICIPANT',
        `cohort "${possible.cohort}" (${histRef(possible)}, confirmed same person)`,
        possible.row,
      );
    }

    if (statusCode !== 'ELIGIBLE') return verdict(statusCode, `School status: ${statusText}`);
    if (duplicateOf)
      return verdict('DUPLICATE', `same ${duplicateOf.by} as Candidates row ${sheetRow(duplicateOf.row)}`);
    if (possible && decision !== 'different') {
      return verdict(
        'POSSIBLE_MATCH',
        `same birth date (${iinCheck.birthDate}) and name as ${histRef(possible)}: "${possible.fullName}", cohort "${possible.cohort}"` +
          `${possible.iin ? `, IIN ${possible.iin}` : ''}; set Match decision to "Same person" or "Different person"`,
        possible.row,
      );
    }
    if (enrolledNow) return verdict('ELIGIBLE', `enrolled in cohort "${enrolledNow.cohort}" (${histRef(enrolledNow)})`);
    if (possible)
      return verdict('ELIGIBLE', `not the same person as ${histRef(possible)} (Match decision)`, possible.row);
    return verdict('ELIGIBLE', '');
  });
  return verdicts;
}

/** Every key a candidate could be matched by, so the history scan keeps only rows that matter. */
function wantedKeys(tab: TabSnapshot, idx: ColumnIndex, tokensByRow: string[][]): WantedKeys {
  const keys = {
    iins: new Set<string>(),
    emails: new Set<string>(),
    schoolIds: new Set<string>(),
    births: new Set<string>(),
    birthNames: new Set<string>(),
  };
  const at = (r: Row, key: string): Cell => (idx[key] >= 0 ? (r[idx[key]] ?? null) : null);
  tab.rows.forEach((r, row) => {
    const iin = iinText(at(r, 'iin'));
    if (/^\d{12}$/.test(iin)) keys.iins.add(iin);
    const birth = birthKey(iin);
    if (birth) {
      keys.births.add(birth);
      const tokens = (tokensByRow[row] = nameTokens(cellText(at(r, 'fullName'))));
      for (const k of namePairKeys(tokens)) keys.birthNames.add(`${birth}|${k}`);
    }
    const email = normalizeEmail(at(r, 'email'));
    if (email) keys.emails.add(email);
    const sid = schoolIdKey(cellText(at(r, 'school')), cellText(at(r, 'studentId')));
    if (sid) keys.schoolIds.add(sid);
  });
  return keys;
}

/** The check as the admin runs it: verdicts and the plan that records them in Candidates. */
export function checkEligibility(
  snapshot: Snapshot,
  options: EligibilityOptions,
): { plan: Plan; result: EligibilityResult } {
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const verdicts = evaluateCandidates(snapshot, options.cohort ?? settings.cohort);
  const table = new TableEdit(CANDIDATES_TAB, snapshot);
  const checkedAt = formatInZone(options.now, settings.timeZone);
  const counts = Object.fromEntries(ELIGIBILITY_CODES.map((c) => [c, 0])) as Record<EligibilityCode, number>;
  for (const v of verdicts) {
    counts[v.code]++;
    const a = table.set(v.row, 'eligibility', v.code);
    const b = table.set(v.row, 'eligibilityDetail', v.detail || null);
    if (a || b || isBlank(table.get(v.row, 'checkedAt'))) table.set(v.row, 'checkedAt', checkedAt);
  }
  const tabPlan = table.plan();
  return {
    plan: { tabs: tabPlan ? [tabPlan] : [] },
    result: {
      checked: verdicts.length,
      counts,
      verdicts,
      cellsWritten: table.updateCount + (tabPlan?.addColumns?.length ?? 0),
    },
  };
}
