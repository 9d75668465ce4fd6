/** How a failure reaches the sidebar: one message in the user's language (google.script.run shows `message`). */
import { InputError } from '../../../shared/src/errors';
import { RuleError, type RuleCode } from '../../../shared/src/rule-errors';
import type { MessageKey, Translator } from '../i18n';
import { SheetChangedError, WorkbookBusyError } from './apps-script-workbook';

/**
 * Every rule code → the user's message, or null to show the rule's own (English) text. A code
 * added to the rules without a line here, or a key missing from the catalog, does not compile.
 */
const RULE_MESSAGES: Readonly<Record<RuleCode, MessageKey | null>> = {
  NOT_ALLOWED: 'msg.notAllowed',
  NOT_READY: 'msg.notReady',
  OVERRIDE_NOT_ADMIN: 'msg.overrideAdminsOnly',
  ALREADY_APPROVED: 'msg.alreadyApproved',
  NOT_APPROVED: 'msg.notApproved',
  BAD_POINTS: 'msg.points',
  NO_REASON: 'msg.reasonRequired',
  REASON_TOO_SHORT: 'msg.reasonTooShort',
  REASON_TOO_LONG: 'msg.reasonTooLong',
  NO_OVERRIDE_CODE: 'msg.overrideCode',
  BAD_OVERRIDE_CODE: 'msg.overrideCode',
  OVERRIDE_NOT_COMPLETED: 'msg.overrideNotCompleted',
  NO_ROW: 'msg.notFound',
  UNKNOWN_EMAIL: 'msg.notFound',
  UNKNOWN_COURSE: 'msg.notFound',
  UNKNOWN_CANDIDATE: 'msg.notFound',
  NO_ACTOR: 'msg.noUser',
  BAD_ACTOR: 'msg.noUser',
  NOT_ADMIN: 'msg.adminsOnly',
  UNCHECKED: 'elig.pendingBlock',
  STALE_CHECK: 'elig.pendingBlock',
  POSSIBLE_MATCH: 'elig.pendingBlock',
  COHORT_MISMATCH: 'elig.cohortMismatch',
  NOT_CURRENT_COHORT: 'elig.notCurrentCohort',
  NO_COHORT: 'elig.cohortRequired',
  NO_CANDIDATES: 'msg.noCandidates',
  NO_PROGRESS: 'msg.noProgress',
  // The rule's own text names the row, the value or the column to fix.
  NO_EMAIL: null,
  BAD_EMAIL: null,
  NO_COURSE: null,
  NO_GRADE: null,
  CANDIDATES_COLUMNS: null,
  BAD_DECISION: null,
  SAME_PERSON: null,
  NOT_POSSIBLE_MATCH: null,
  NOT_ELIGIBLE: null,
  ALREADY_ON_ROSTER: null,
  NOT_ACTIVE: null,
};

/** An error whose message is already in the user's language. */
export class UserError extends Error {}

export function userMessage(e: unknown, t: Translator, context: { email?: string; slug?: string } = {}): string {
  if (e instanceof UserError) return e.message;
  if (e instanceof WorkbookBusyError) return t('msg.busy');
  if (e instanceof SheetChangedError) return t('msg.sheetChanged', { tab: e.tab });
  if (e instanceof RuleError) {
    const key = RULE_MESSAGES[e.code];
    return key ? t(key, { email: context.email ?? '', slug: context.slug ?? '' }) : e.message;
  }
  if (e instanceof InputError) return e.message; // a Settings row, the grade scale, the catalog: names what to fix
  return (e as Error)?.message ?? String(e);
}
