/** How a failure reaches the sidebar: one message in the user's language (google.script.run shows `message`). */
import { RuleError } from '../../../shared/src/rule-errors';
import { SettingsError } from '../../../shared/src/settings';
import type { MessageKey, Translator } from '../i18n';
import { SheetChangedError, WorkbookBusyError } from './apps-script-workbook';

/** Rule error codes (shared/src/rule-errors.ts) → the user's message; others show the rule's own text. */
const RULE_MESSAGES: Readonly<Record<string, MessageKey>> = {
  NOT_ALLOWED: 'msg.notAllowed',
  NOT_READY: 'msg.notReady',
  OVERRIDE_NOT_ADMIN: 'msg.overrideAdminsOnly',
  BAD_POINTS: 'msg.points',
  NO_REASON: 'msg.reasonRequired',
  NO_ROW: 'msg.notFound',
  UNKNOWN_EMAIL: 'msg.notFound',
  UNKNOWN_COURSE: 'msg.notFound',
  UNKNOWN_CANDIDATE: 'msg.notFound',
  NOT_APPROVED: 'msg.notApproved',
  ALREADY_APPROVED: 'msg.alreadyApproved',
  NO_ACTOR: 'msg.noUser',
  BAD_ACTOR: 'msg.noUser',
  NOT_ADMIN: 'msg.adminsOnly',
  UNCHECKED: 'elig.pendingBlock',
  STALE_CHECK: 'elig.pendingBlock',
  POSSIBLE_MATCH: 'elig.pendingBlock',
  NO_COHORT: 'elig.cohortRequired',
  NO_CANDIDATES: 'msg.noCandidates',
  NO_PROGRESS: 'msg.noProgress',
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
  if (e instanceof SettingsError) return e.message;
  return (e as Error)?.message ?? String(e);
}
