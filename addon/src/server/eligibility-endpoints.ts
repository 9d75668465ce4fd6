/** The eligibility sidebar's server functions: the view, the check, a possible-match decision, enrollment. */
import { cellText } from '../../../shared/src/cells';
import { checkEligibility, evaluateCandidates, type CandidateVerdict } from '../../../shared/src/eligibility/check';
import { decidePossibleMatch } from '../../../shared/src/eligibility/decide';
import { toCsv } from '../../../shared/src/enrollment/csv';
import { planEnroll } from '../../../shared/src/enrollment/enroll';
import { planUnenroll } from '../../../shared/src/enrollment/unenroll';
import { ENROLLMENT_LIST_HEADER } from '../../../shared/src/enrollment/roster';
import {
  AUDIT_TAB,
  CANDIDATES_TAB,
  PARTICIPANTS_HISTORY_TAB,
  ROSTER_TAB,
  SETTINGS_TAB,
} from '../../../shared/src/layout';
import { isAdmin, normalizeEmail } from '../../../shared/src/people';
import { TableEdit } from '../../../shared/src/table-edit';
import type { Snapshot } from '../../../shared/src/workbook';
import type { EligibilityView, PossibleMatch, ServerApi } from '../api';
import type { Translator } from '../i18n';
import type { Session } from './session';
import { UserError } from './user-messages';

const ELIGIBILITY_TABS = [
  SETTINGS_TAB.name,
  CANDIDATES_TAB.name,
  PARTICIPANTS_HISTORY_TAB.name,
  ROSTER_TAB.name,
  AUDIT_TAB.name,
];

type EligibilityEndpoints = Pick<
  ServerApi,
  'getEligibilityView' | 'runEligibilityCheck' | 'resolvePossibleMatch' | 'enrollEligible' | 'unenrollStudent'
>;

/** What the sheet records (the last check), not a silent re-check; empty for non-admins. */
function eligibilityView(session: Session, snapshot: Snapshot, tr: Translator): EligibilityView {
  const user = session.who();
  const settings = session.settingsOf(snapshot, tr);
  const admin = !!user && isAdmin(settings, user);
  const empty: EligibilityView = {
    user,
    isAdmin: admin,
    candidates: 0,
    unchecked: 0,
    counts: {},
    possibleMatches: [],
    cohort: settings.cohort,
  };
  if (!admin) return empty;
  if (!snapshot[CANDIDATES_TAB.name]) throw new UserError(tr('msg.noCandidates'));
  const verdicts: CandidateVerdict[] = session.guarded(tr, () => evaluateCandidates(snapshot));
  const table = new TableEdit(CANDIDATES_TAB, snapshot);
  const counts: Record<string, number> = {};
  let unchecked = 0;
  const possibleMatches: PossibleMatch[] = [];
  for (const v of verdicts) {
    const code = table.text(v.row, 'eligibility');
    if (!code) {
      unchecked++;
      continue;
    }
    counts[code] = (counts[code] ?? 0) + 1;
    if (code === 'POSSIBLE_MATCH') {
      possibleMatches.push({
        row: v.row,
        fullName: v.fullName,
        email: v.email,
        iin: v.iin,
        school: v.school,
        detail: table.text(v.row, 'eligibilityDetail'),
      });
    }
  }
  return { ...empty, candidates: verdicts.length, unchecked, counts, possibleMatches };
}

export function eligibilityEndpoints(session: Session): EligibilityEndpoints {
  const { ctx } = session;
  /** Under the lock: reads the tabs, checks the admin, runs `act`, returns the fresh view. */
  const adminAction = (act: (snapshot: Snapshot, tr: Translator, user: string) => void): EligibilityView =>
    session.exclusive(() => {
      const snapshot = session.read(ELIGIBILITY_TABS);
      const tr = session.translatorFor(snapshot);
      act(snapshot, tr, session.requireAdmin(snapshot, tr));
      return eligibilityView(session, session.read(ELIGIBILITY_TABS), tr);
    });

  return {
    getEligibilityView() {
      const snapshot = session.read(ELIGIBILITY_TABS);
      return eligibilityView(session, snapshot, session.translatorFor(snapshot));
    },

    runEligibilityCheck() {
      return adminAction((snapshot, tr) => {
        const { plan } = session.guarded(tr, () => checkEligibility(snapshot, { now: ctx.now() }));
        ctx.workbook.apply(plan);
      });
    },

    resolvePossibleMatch(row, email, same) {
      return adminAction((snapshot, tr, user) => {
        const current = session.guarded(tr, () => evaluateCandidates(snapshot)).find((v) => v.row === row);
        // The sheet may have been sorted since the sidebar loaded: act only on the row it showed.
        if (!current || current.email !== normalizeEmail(email))
          throw new UserError(tr('msg.notFound', { email, slug: '' }));
        const { plan } = session.guarded(tr, () =>
          decidePossibleMatch(snapshot, { row, decision: same ? 'same' : 'different' }, user, ctx.now()),
        );
        ctx.workbook.apply(plan);
      });
    },

    unenrollStudent(email, reason) {
      return adminAction((snapshot, tr, user) => {
        if (!cellText(reason ?? '')) throw new UserError(tr('msg.reasonRequired'));
        const { plan } = session.guarded(tr, () => planUnenroll(snapshot, { email, reason }, user, ctx.now()));
        ctx.workbook.apply(plan);
      });
    },

    enrollEligible(cohort, newCohort) {
      return session.exclusive(() => {
        const snapshot = session.read(ELIGIBILITY_TABS);
        const tr = session.translatorFor(snapshot);
        const user = session.requireAdmin(snapshot, tr);
        const name = cellText(cohort ?? '');
        if (!name) throw new UserError(tr('elig.cohortRequired'));
        const { plan, result } = session.guarded(tr, () =>
          planEnroll(snapshot, { cohort: name, newCohort: newCohort === true }, user, ctx.now()),
        );
        ctx.workbook.apply(plan);
        return {
          added: result.enrolled.length,
          skipped: result.alreadyEnrolled,
          cohort: result.cohort,
          csv: toCsv([...ENROLLMENT_LIST_HEADER], result.list),
          fileName: `enrollment-${result.cohort.replace(/[^\p{L}\p{N}._-]+/gu, '_')}.csv`,
          view: eligibilityView(session, session.read(ELIGIBILITY_TABS), tr),
        };
      });
    },
  };
}
