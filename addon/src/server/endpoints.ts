/**
 * The sidebars' server functions, over any synchronous Workbook: Apps Script in production, a
 * MemoryWorkbook or .xlsx in the local harness. The sidebar is not trusted: every call re-reads the
 * sheet and re-checks who the active user is and what the shared rules allow.
 */
import { cellNumber, cellText } from '../../../shared/src/cells';
import { checkEligibility, evaluateCandidates, type CandidateVerdict } from '../../../shared/src/eligibility/check';
import { decidePossibleMatch } from '../../../shared/src/eligibility/decide';
import { normalizeEmail } from '../../../shared/src/eligibility/email';
import { RuleError } from '../../../shared/src/eligibility/errors';
import { TableEdit } from '../../../shared/src/eligibility/table';
import { toCsv } from '../../../shared/src/enrollment/csv';
import { planEnroll } from '../../../shared/src/enrollment/enroll';
import { ENROLLMENT_LIST_HEADER } from '../../../shared/src/enrollment/roster';
import { planApproval, planRevoke, READY_STATUS, defaultPoints } from '../../../shared/src/grading/approval';
import { isAdmin, mentorsOf } from '../../../shared/src/grading/people';
import { readGradeScale } from '../../../shared/src/grading/scale';
import { listApprovalQueue } from '../../../shared/src/grading/queue';
import { AUDIT_TAB, CANDIDATES_TAB, COURSES_TAB, GRADE_SCALE_TAB, PARTICIPANTS_HISTORY_TAB, PROGRESS_TAB, ROSTER_TAB, SETTINGS_TAB } from '../../../shared/src/layout';
import { MemoryWorkbook } from '../../../shared/src/memory-workbook';
import { readCourses, slugKey } from '../../../shared/src/progress-row';
import { readSettings, SettingsError, type Settings } from '../../../shared/src/settings';
import type { Plan, Snapshot, TabPlan } from '../../../shared/src/workbook';
import { COMMENT_MAX, type ActionResult, type ApprovalRow, type ApprovalView, type ApproveItem, type EligibilityView, type ItemResult, type ServerApi } from '../api';
import { translator, type MessageKey, type Translator } from '../i18n';
import { SheetChangedError, WorkbookBusyError } from './apps-script-workbook';
import type { ServerContext } from './context';
import { languageOf } from './lang';

const ELIGIBILITY_TABS = [SETTINGS_TAB.name, CANDIDATES_TAB.name, PARTICIPANTS_HISTORY_TAB.name, ROSTER_TAB.name, AUDIT_TAB.name];
const APPROVAL_TABS = [SETTINGS_TAB.name, COURSES_TAB.name, PROGRESS_TAB.name, GRADE_SCALE_TAB.name, AUDIT_TAB.name];

/** Rule error codes (shared/src/eligibility/errors.ts) → the user's message; others show the rule's own text. */
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

/** An error whose message is already in the user's language (google.script.run shows `message`). */
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

/** Applies plans made one after another as one write (later plans see the earlier ones' effect). */
function mergePlans(plans: readonly Plan[]): Plan {
  const byTab = new Map<string, TabPlan>();
  for (const p of plans) {
    for (const t of p.tabs) {
      const prev = byTab.get(t.tab);
      if (!prev) {
        byTab.set(t.tab, t);
        continue;
      }
      byTab.set(t.tab, {
        ...prev,
        addColumns: [...(prev.addColumns ?? []), ...(t.addColumns ?? [])],
        updates: [...(prev.updates ?? []), ...(t.updates ?? [])],
        anchorColumns: prev.anchorColumns ?? t.anchorColumns,
        appends: [...(prev.appends ?? []), ...(t.appends ?? [])],
      });
    }
  }
  return { tabs: [...byTab.values()] };
}

export function createServerApi(ctx: ServerContext): ServerApi {
  const read = (tabs: readonly string[]): Snapshot => ctx.workbook.read(tabs);
  const who = () => ctx.userEmail();
  const t = (snapshot: Snapshot): Translator => translator(languageOf(snapshot[SETTINGS_TAB.name], ctx.userLocale()));
  /** A write under the document lock; a busy or changed sheet comes back in the user's language. */
  const exclusive = <T>(fn: () => T): T => {
    try {
      return ctx.exclusive(fn);
    } catch (e) {
      if (e instanceof SheetChangedError || e instanceof WorkbookBusyError) throw new UserError(userMessage(e, t(read([SETTINGS_TAB.name]))));
      throw e;
    }
  };

  /** Settings, or a message the user can act on (a bad Settings row names itself). */
  const settingsOf = (snapshot: Snapshot, tr: Translator): Settings => {
    try {
      return readSettings(snapshot[SETTINGS_TAB.name]);
    } catch (e) {
      throw new UserError(userMessage(e, tr));
    }
  };

  /** Runs `fn`; failures become a message in the user's language. */
  function guarded<T>(tr: Translator, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw e instanceof UserError ? e : new UserError(userMessage(e, tr));
    }
  }

  const requireAdmin = (snapshot: Snapshot, tr: Translator): string => {
    const user = who();
    if (!user) throw new UserError(tr('msg.noUser'));
    if (!isAdmin(settingsOf(snapshot, tr), user)) throw new UserError(tr('msg.adminsOnly'));
    return user;
  };

  function eligibilityView(snapshot: Snapshot, tr: Translator): EligibilityView {
    const user = who();
    const settings = settingsOf(snapshot, tr);
    const admin = !!user && isAdmin(settings, user);
    const empty: EligibilityView = { user, isAdmin: admin, candidates: 0, unchecked: 0, counts: {}, possibleMatches: [], cohort: settings.cohort };
    if (!admin) return empty;
    if (!snapshot[CANDIDATES_TAB.name]) throw new UserError(tr('msg.noCandidates'));
    const verdicts: CandidateVerdict[] = guarded(tr, () => evaluateCandidates(snapshot));
    // Show what the sheet records (the last check), not a silent re-check.
    const table = new TableEdit(CANDIDATES_TAB, snapshot);
    const counts: Record<string, number> = {};
    let unchecked = 0;
    const possibleMatches = [];
    for (const v of verdicts) {
      const code = table.text(v.row, 'eligibility');
      if (!code) {
        unchecked++;
        continue;
      }
      counts[code] = (counts[code] ?? 0) + 1;
      if (code === 'POSSIBLE_MATCH') {
        possibleMatches.push({ row: v.row, fullName: v.fullName, email: v.email, iin: v.iin, school: v.school, detail: table.text(v.row, 'eligibilityDetail') });
      }
    }
    return { ...empty, candidates: verdicts.length, unchecked, counts, possibleMatches };
  }

  function approvalView(snapshot: Snapshot, tr: Translator): ApprovalView {
    const user = who();
    const settings = settingsOf(snapshot, tr);
    const scale = guarded(tr, () => readGradeScale(snapshot[GRADE_SCALE_TAB.name])).map((b) => ({ letter: b.letter, min: b.min, max: b.max }));
    if (!user) return { user, isAdmin: false, rows: [], scale };
    const admin = isAdmin(settings, user);
    if (!snapshot[PROGRESS_TAB.name]) throw new UserError(tr('msg.noProgress'));
    const progress = new TableEdit(PROGRESS_TAB, snapshot);
    const extra = (row: number) => ({
      certificateUrl: progress.text(row, 'certificateUrl'),
      completedAt: progress.text(row, 'completedAt'),
      group: progress.text(row, 'group'),
      flags: progress.text(row, 'flags').split(/[,;\s]+/).filter(Boolean),
      mentorComment: progress.text(row, 'mentorComment'),
    });
    // Every unapproved row with its real status: mentors see their `Needs review` rows (and why) too.
    const rows: ApprovalRow[] = guarded(tr, () => listApprovalQueue(snapshot, user, { includeNotReady: true })).map((q) => ({
      email: q.email,
      fullName: q.fullName,
      course: q.course,
      slug: q.courseSlug,
      engagement: q.engagement,
      status: q.status,
      ready: q.ready,
      defaultPoints: q.defaultPoints,
      points: null,
      letter: '',
      approvedBy: '',
      approvedAt: '',
      ...extra(q.row),
    }));
    // Approved rows this user may revoke (the queue lists only unapproved ones).
    const courses = readCourses(snapshot[COURSES_TAB.name]);
    progress.rows.forEach((_, row) => {
      const approvedBy = progress.text(row, 'approvedBy');
      const slug = progress.text(row, 'slug');
      if (!approvedBy || !slug) return;
      if (!admin && !mentorsOf(courses.get(slugKey(slug))?.mentor ?? '').includes(user)) return;
      rows.push({
        email: normalizeEmail(progress.get(row, 'email')),
        fullName: progress.text(row, 'fullName'),
        course: progress.text(row, 'course'),
        slug,
        engagement: cellNumber(progress.get(row, 'engagement')),
        status: progress.text(row, 'status'),
        ready: progress.text(row, 'status') === READY_STATUS,
        defaultPoints: defaultPoints(progress.get(row, 'grade')),
        points: cellNumber(progress.get(row, 'points')),
        letter: progress.text(row, 'letter'),
        approvedBy,
        approvedAt: progress.text(row, 'approvedAt'),
        ...extra(row),
      });
    });
    return { user, isAdmin: admin, rows, scale };
  }

  return {
    getEligibilityView() {
      const snapshot = read(ELIGIBILITY_TABS);
      return eligibilityView(snapshot, t(snapshot));
    },

    runEligibilityCheck() {
      return exclusive(() => {
        const snapshot = read(ELIGIBILITY_TABS);
        const tr = t(snapshot);
        requireAdmin(snapshot, tr);
        const { plan } = guarded(tr, () => checkEligibility(snapshot, { now: ctx.now() }));
        ctx.workbook.apply(plan);
        return eligibilityView(read(ELIGIBILITY_TABS), tr);
      });
    },

    resolvePossibleMatch(row, email, same) {
      return exclusive(() => {
        const snapshot = read(ELIGIBILITY_TABS);
        const tr = t(snapshot);
        const user = requireAdmin(snapshot, tr);
        const current = guarded(tr, () => evaluateCandidates(snapshot)).find((v) => v.row === row);
        // The sheet may have been sorted since the sidebar loaded: act only on the row it showed.
        if (!current || current.email !== normalizeEmail(email)) throw new UserError(tr('msg.notFound', { email, slug: '' }));
        const { plan } = guarded(tr, () => decidePossibleMatch(snapshot, { row, decision: same ? 'same' : 'different' }, user, ctx.now()));
        ctx.workbook.apply(plan);
        return eligibilityView(read(ELIGIBILITY_TABS), tr);
      });
    },

    enrollEligible(cohort) {
      return exclusive(() => {
        const snapshot = read(ELIGIBILITY_TABS);
        const tr = t(snapshot);
        const user = requireAdmin(snapshot, tr);
        const name = cellText(cohort ?? '');
        if (!name) throw new UserError(tr('elig.cohortRequired'));
        const { plan, result } = guarded(tr, () => planEnroll(snapshot, { cohort: name }, user, ctx.now()));
        ctx.workbook.apply(plan);
        return {
          added: result.enrolled.length,
          skipped: result.alreadyEnrolled,
          cohort: result.cohort,
          csv: toCsv([...ENROLLMENT_LIST_HEADER], result.list),
          fileName: `enrollment-${result.cohort.replace(/[^\p{L}\p{N}._-]+/gu, '_')}.csv`,
          view: eligibilityView(read(ELIGIBILITY_TABS), tr),
        };
      });
    },

    getApprovalView() {
      const snapshot = read(APPROVAL_TABS);
      return approvalView(snapshot, t(snapshot));
    },

    approveRows(items) {
      return exclusive(() => {
        const snapshot = read(APPROVAL_TABS);
        const tr = t(snapshot);
        const user = who();
        if (!user) throw new UserError(tr('msg.noUser'));
        // Plan each approval against the sheet as the earlier ones leave it, then write once.
        const scratch = new MemoryWorkbook();
        scratch.apply({ tabs: Object.values(snapshot).flatMap((s) => (s ? [{ tab: s.name, create: { header: s.header }, appends: s.rows }] : [])) });
        const plans: Plan[] = [];
        const results: ItemResult[] = [];
        for (const item of (Array.isArray(items) ? items : []) as ApproveItem[]) {
          const email = cellText(item?.email ?? '');
          const slug = cellText(item?.slug ?? '');
          try {
            // The sidebar always sends the points it shows; a blank would silently mean "the default".
            if (item?.points === undefined || item.points === null || cellText(item.points) === '') {
              results.push({ email, slug, ok: false, message: tr('msg.pointsRequired') });
              continue;
            }
            const override = cellText(item.override ?? '');
            const { plan } = planApproval(
              scratch.read(APPROVAL_TABS),
              { email, course: slug, points: item.points, override: override || undefined },
              user,
              ctx.now(),
            );
            scratch.apply(plan);
            plans.push(plan);
            results.push({ email, slug, ok: true, message: tr('msg.approved') });
          } catch (e) {
            if (!(e instanceof RuleError)) throw e;
            results.push({ email, slug, ok: false, message: userMessage(e, tr, { email, slug }) });
          }
        }
        if (plans.length) ctx.workbook.apply(mergePlans(plans));
        return { results, view: approvalView(read(APPROVAL_TABS), tr) } satisfies ActionResult;
      });
    },

    revokeRow(item) {
      return exclusive(() => {
        const snapshot = read(APPROVAL_TABS);
        const tr = t(snapshot);
        const user = who();
        if (!user) throw new UserError(tr('msg.noUser'));
        const email = cellText(item?.email ?? '');
        const slug = cellText(item?.slug ?? '');
        let result: ItemResult;
        try {
          const { plan } = planRevoke(snapshot, { email, course: slug, reason: cellText(item?.reason ?? '') }, user, ctx.now());
          ctx.workbook.apply(plan);
          result = { email, slug, ok: true, message: tr('msg.revoked') };
        } catch (e) {
          if (!(e instanceof RuleError)) throw e;
          result = { email, slug, ok: false, message: userMessage(e, tr, { email, slug }) };
        }
        return { results: [result], view: approvalView(read(APPROVAL_TABS), tr) };
      });
    },

    saveComment(item) {
      return exclusive(() => {
        const snapshot = read(APPROVAL_TABS);
        const tr = t(snapshot);
        const user = who();
        if (!user) throw new UserError(tr('msg.noUser'));
        const email = normalizeEmail(cellText(item?.email ?? ''));
        const slug = cellText(item?.slug ?? '');
        const text = typeof item?.text === 'string' ? item.text.trim() : '';
        const answer = (ok: boolean, message: string): ActionResult => ({ results: [{ email, slug, ok, message }], view: approvalView(read(APPROVAL_TABS), tr) });
        if (text.length > COMMENT_MAX) return answer(false, tr('msg.commentTooLong', { max: COMMENT_MAX }));
        if (!snapshot[PROGRESS_TAB.name]) throw new UserError(tr('msg.noProgress'));
        const progress = new TableEdit(PROGRESS_TAB, snapshot);
        const row = progress.rows.findIndex((_, i) => normalizeEmail(progress.get(i, 'email')) === email && slugKey(progress.get(i, 'slug')) === slugKey(slug));
        if (row < 0) return answer(false, tr('msg.notFound', { email, slug }));
        const mentors = mentorsOf(readCourses(snapshot[COURSES_TAB.name]).get(slugKey(slug))?.mentor ?? '');
        if (!isAdmin(settingsOf(snapshot, tr), user) && !mentors.includes(normalizeEmail(user))) return answer(false, tr('msg.notAllowed'));
        // Only this one cell; a string stays text in the sheet (the workbook port keeps "=1+1" as text).
        progress.set(row, 'mentorComment', text || null);
        const plan = progress.plan();
        if (plan) ctx.workbook.apply({ tabs: [plan] });
        return answer(true, tr('msg.commentSaved'));
      });
    },
  };
}
