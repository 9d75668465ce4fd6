/**
 * The CLI's other admin commands in the sheet: replace a dropped student, the recognition report
 * (to a new tab) and the Audit check. Same shared functions, same rules (replace: admins only).
 */
import { verifyAuditChain } from '../../../shared/src/audit-chain';
import { cellText } from '../../../shared/src/cells';
import { toCsv } from '../../../shared/src/enrollment/csv';
import { recognitionReport } from '../../../shared/src/enrollment/recognition';
import { planReplace } from '../../../shared/src/enrollment/replace';
import { ENROLLMENT_LIST_HEADER } from '../../../shared/src/enrollment/roster';
import {
  AUDIT_TAB,
  COURSES_TAB,
  GRADE_SCALE_TAB,
  PARTICIPANTS_HISTORY_TAB,
  CANDIDATES_TAB,
  PROGRESS_TAB,
  ROSTER_TAB,
  SETTINGS_TAB,
} from '../../../shared/src/layout';
import { RuleError } from '../../../shared/src/rule-errors';
import { formatInZone } from '../../../shared/src/time';
import type { Row } from '../../../shared/src/cells';
import type { TabPlan } from '../../../shared/src/workbook';
import type { ServerApi } from '../api';
import { auditChainAlert } from './audit-check';
import type { Session } from './session';
import { UserError } from './user-messages';

type AdminEndpoints = Pick<ServerApi, 'replaceStudent' | 'writeRecognitionReport' | 'checkAudit'>;

const REPLACE_TABS = [
  SETTINGS_TAB.name,
  CANDIDATES_TAB.name,
  PARTICIPANTS_HISTORY_TAB.name,
  ROSTER_TAB.name,
  AUDIT_TAB.name,
];
const REPORT_TABS = [SETTINGS_TAB.name, PROGRESS_TAB.name, COURSES_TAB.name, GRADE_SCALE_TAB.name, AUDIT_TAB.name];
/** Report tabs are named by when they were made (one per run, never overwritten): "Recognition 2026-05-01 11:00". */
const RECOGNITION_TAB = 'Recognition';
const LEFT_OUT_TAB = 'Left out (unverified)';

export function adminEndpoints(session: Session): AdminEndpoints {
  const { ctx } = session;
  return {
    replaceStudent(out, joining, reason) {
      return session.exclusive(() => {
        const snapshot = session.read(REPLACE_TABS);
        const tr = session.translatorFor(snapshot);
        const user = session.requireAdmin(snapshot, tr);
        if (!cellText(out ?? '') || !cellText(joining ?? '')) throw new UserError(tr('students.emailsRequired'));
        if (!cellText(reason ?? '')) throw new UserError(tr('msg.reasonRequired'));
        const request = { out: cellText(out), in: cellText(joining), reason: cellText(reason) };
        const { plan, result } = session.guarded(tr, () => {
          try {
            return planReplace(snapshot, request, user, ctx.now());
          } catch (e) {
            // Name the e-mail that is unknown: the generic "row not found" would not say which one.
            if (e instanceof RuleError && e.code === 'UNKNOWN_EMAIL')
              throw new UserError(tr('students.unknownStudent', { email: request.out }));
            if (e instanceof RuleError && e.code === 'UNKNOWN_CANDIDATE')
              throw new UserError(tr('students.unknownCandidate', { email: request.in }));
            throw e;
          }
        });
        ctx.workbook.apply(plan);
        return {
          leaving: result.leaving.email,
          joining: result.joining.email,
          cohort: result.cohort,
          csv: toCsv([...ENROLLMENT_LIST_HEADER], result.list),
          fileName: `enrollment-${result.joining.email.replace(/[^\p{L}\p{N}._-]+/gu, '_')}.csv`,
        };
      });
    },

    writeRecognitionReport() {
      return session.exclusive(() => {
        const snapshot = session.read(REPORT_TABS);
        const tr = session.translatorFor(snapshot);
        const settings = session.settingsOf(snapshot, tr);
        const report = session.guarded(tr, () => recognitionReport(snapshot));
        const stamp = formatInZone(ctx.now(), settings.timeZone);
        const tab = freeTabName(session, `${RECOGNITION_TAB} ${stamp}`);
        const leftOut = report.unverified.rows.length ? freeTabName(session, `${LEFT_OUT_TAB} ${stamp}`) : null;
        const tabs = [newTab(tab, report.header, report.rows)];
        if (leftOut) tabs.push(newTab(leftOut, report.unverified.header, report.unverified.rows));
        ctx.workbook.apply({ tabs });
        return { tab, rows: report.rows.length, unverified: report.unverified.rows.length, unverifiedTab: leftOut };
      });
    },

    checkAudit() {
      const snapshot = session.read([SETTINGS_TAB.name, AUDIT_TAB.name]);
      const tr = session.translatorFor(snapshot);
      const tab = snapshot[AUDIT_TAB.name];
      const report = verifyAuditChain(tab);
      const message = !tab
        ? tr('audit.noTab')
        : (auditChainAlert(report, tr) ?? tr('audit.intact', { rows: report.rows }));
      return {
        rows: report.rows,
        intact: report.intact,
        firstProblemRow: report.problems[0]?.row ?? null,
        trustedRows: report.trustedRows,
        message,
      };
    },
  };
}

const newTab = (tab: string, header: readonly string[], rows: readonly Row[]): TabPlan => ({
  tab,
  create: { header },
  appends: rows.map((r) => [...r]),
  look: { headerStyle: true },
});

/** `name`, or `name (2)`, … when a tab of that name exists (two reports in one minute). */
function freeTabName(session: Session, name: string): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name} (${n})`;
    if (!session.read([candidate])[candidate]) return candidate;
  }
}
