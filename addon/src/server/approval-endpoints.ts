/** The approval sidebar's server functions: the view, approving selected rows, revoking one. */
import { cellNumber, cellText } from '../../../shared/src/cells';
import { planRevoke, READY_STATUS, defaultPoints } from '../../../shared/src/grading/approval';
import { planApprovals } from '../../../shared/src/grading/approval-batch';
import { listApprovalQueue } from '../../../shared/src/grading/approval-queue';
import {
  AUDIT_TAB,
  COURSES_TAB,
  GRADE_SCALE_TAB,
  PROGRESS_TAB,
  ROSTER_TAB,
  SETTINGS_TAB,
} from '../../../shared/src/layout';
import { isAdmin, mentorsOf, normalizeEmail } from '../../../shared/src/people';
import { readGradeScale } from '../../../shared/src/grade-scale';
import { approvalVerdict, rowContext } from '../../../shared/src/desired-row';
import { hasCertificate, readCourses, slugKey } from '../../../shared/src/progress-row';
import { RuleError } from '../../../shared/src/rule-errors';
import { TableEdit } from '../../../shared/src/table-edit';
import { isEmptyPlan, type Snapshot } from '../../../shared/src/workbook';
import {
  COMMENT_MAX,
  type ActionResult,
  type ApprovalRow,
  type ApprovalView,
  type ApproveItem,
  type ItemResult,
  type ServerApi,
} from '../api';
import type { Translator } from '../i18n';
import type { Session } from './session';
import { UserError, userMessage } from './user-messages';

const APPROVAL_TABS = [
  SETTINGS_TAB.name,
  ROSTER_TAB.name,
  COURSES_TAB.name,
  PROGRESS_TAB.name,
  GRADE_SCALE_TAB.name,
  AUDIT_TAB.name,
];

type ApprovalEndpoints = Pick<ServerApi, 'getApprovalView' | 'approveRows' | 'revokeRow' | 'saveComment'>;

/** Every row of the user's courses with its real status (mentors see their `Needs review` rows and why), plus the grade scale. */
function approvalView(session: Session, snapshot: Snapshot, tr: Translator): ApprovalView {
  const user = session.who();
  const settings = session.settingsOf(snapshot, tr);
  const scale = session
    .guarded(tr, () => readGradeScale(snapshot[GRADE_SCALE_TAB.name]))
    .map((b) => ({ letter: b.letter, min: b.min, max: b.max }));
  if (!user) return { user, isAdmin: false, rows: [], scale };
  const admin = isAdmin(settings, user);
  if (!snapshot[PROGRESS_TAB.name]) throw new UserError(tr('msg.noProgress'));
  const progress = new TableEdit(PROGRESS_TAB, snapshot);
  const queue = session.guarded(tr, () =>
    listApprovalQueue(snapshot, user, { includeNotReady: true }, session.ctx.now()),
  );
  const rows: ApprovalRow[] = queue.map((q) => ({
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
    ...rowDetails(progress, q.row),
  }));
  return {
    user,
    isAdmin: admin,
    rows: [...rows, ...revocableRows(snapshot, progress, user, admin, session.ctx.now())],
    scale,
  };
}

const rowDetails = (progress: TableEdit, row: number) => ({
  certificateUrl: progress.text(row, 'certificateUrl'),
  certificate: hasCertificate((key) => progress.get(row, key)),
  completedAt: progress.text(row, 'completedAt'),
  group: progress.text(row, 'group'),
  flags: progress
    .text(row, 'flags')
    .split(/[,;\s]+/)
    .filter(Boolean),
  mentorComment: progress.text(row, 'mentorComment'),
});

/** Approved rows this user may revoke (the queue lists only unapproved ones). */
function revocableRows(
  snapshot: Snapshot,
  progress: TableEdit,
  user: string,
  admin: boolean,
  now: number,
): ApprovalRow[] {
  const courses = readCourses(snapshot[COURSES_TAB.name]);
  const ctx = rowContext(snapshot, now);
  const rows: ApprovalRow[] = [];
  progress.rows.forEach((_, row) => {
    const approvedBy = progress.text(row, 'approvedBy');
    const slug = progress.text(row, 'slug');
    // An approval that does not match the Audit is in the queue as Needs review, not here.
    if (!approvedBy || !slug || approvalVerdict((key) => progress.get(row, key), ctx) !== 'verified') return;
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
      ...rowDetails(progress, row),
    });
  });
  return rows;
}

/** The sidebar is not trusted: every item is read as text/number before the rules see it. */
const approvalRequestOf = (item: ApproveItem | null | undefined) => ({
  email: cellText(item?.email ?? ''),
  course: cellText(item?.slug ?? ''),
  points: item?.points ?? undefined,
  // A whitespace-only reason reaches the rules ("a reason is required"); only none at all is no override.
  override:
    item?.override === undefined || item.override === null || item.override === '' ? undefined : String(item.override),
  overrideCode: cellText(item?.overrideCode ?? '') || undefined,
});

/** The sidebar always sends the points it shows; a blank would silently mean "the default". */
const hasPoints = (item: ApproveItem | null | undefined): boolean =>
  item?.points !== undefined && item.points !== null && cellText(item.points) !== '';

export function approvalEndpoints(session: Session): ApprovalEndpoints {
  const { ctx } = session;
  /** Under the lock: reads the tabs, checks there is a user, runs `act`, returns its results with the fresh view. */
  const userAction = (act: (snapshot: Snapshot, tr: Translator, user: string) => ItemResult[]): ActionResult =>
    session.exclusive(() => {
      const snapshot = session.read(APPROVAL_TABS);
      const tr = session.translatorFor(snapshot);
      const results = act(snapshot, tr, session.requireUser(tr));
      return { results, view: approvalView(session, session.read(APPROVAL_TABS), tr) };
    });

  return {
    getApprovalView() {
      const snapshot = session.read(APPROVAL_TABS);
      return approvalView(session, snapshot, session.translatorFor(snapshot));
    },

    approveRows(items) {
      return userAction((snapshot, tr, user) => {
        const all = Array.isArray(items) ? items : [];
        const blank: ItemResult[] = all
          .filter((item) => !hasPoints(item))
          .map((item) => ({ ...pickKey(item), ok: false, message: tr('msg.pointsRequired') }));
        const { plan, outcomes } = planApprovals(
          snapshot,
          all.filter(hasPoints).map(approvalRequestOf),
          user,
          ctx.now(),
        );
        if (!isEmptyPlan(plan)) ctx.workbook.apply(plan);
        const done = outcomes.map(({ request: { email, course: slug }, ...o }) => ({
          email,
          slug,
          ok: o.ok,
          message: o.ok ? tr('msg.approved') : userMessage(o.error, tr, { email, slug }),
        }));
        return [...blank, ...done];
      });
    },

    revokeRow(item) {
      return userAction((snapshot, tr, user) => {
        const email = cellText(item?.email ?? '');
        const slug = cellText(item?.slug ?? '');
        try {
          const { plan } = planRevoke(
            snapshot,
            { email, course: slug, reason: cellText(item?.reason ?? '') },
            user,
            ctx.now(),
          );
          ctx.workbook.apply(plan);
          return [{ email, slug, ok: true, message: tr('msg.revoked') }];
        } catch (e) {
          if (!(e instanceof RuleError)) throw e;
          return [{ email, slug, ok: false, message: userMessage(e, tr, { email, slug }) }];
        }
      });
    },

    saveComment(item) {
      return userAction((snapshot, tr, user) => [saveComment(session, snapshot, tr, user, item)]);
    },
  };
}

const pickKey = (item: ApproveItem | null | undefined) => ({
  email: cellText(item?.email ?? ''),
  slug: cellText(item?.slug ?? ''),
});

/** Writes only the row's `Mentor comment` cell (the course's mentor or an admin); text stays text in every backend. */
function saveComment(
  session: Session,
  snapshot: Snapshot,
  tr: Translator,
  user: string,
  item: Parameters<ServerApi['saveComment']>[0],
): ItemResult {
  const email = normalizeEmail(cellText(item?.email ?? ''));
  const slug = cellText(item?.slug ?? '');
  const text = typeof item?.text === 'string' ? item.text.trim() : '';
  const answer = (ok: boolean, message: string): ItemResult => ({ email, slug, ok, message });
  if (text.length > COMMENT_MAX) return answer(false, tr('msg.commentTooLong', { max: COMMENT_MAX }));
  if (!snapshot[PROGRESS_TAB.name]) throw new UserError(tr('msg.noProgress'));
  const progress = new TableEdit(PROGRESS_TAB, snapshot);
  const row = progress.rows.findIndex(
    (_, i) => normalizeEmail(progress.get(i, 'email')) === email && slugKey(progress.get(i, 'slug')) === slugKey(slug),
  );
  if (row < 0) return answer(false, tr('msg.notFound', { email, slug }));
  const mentors = mentorsOf(readCourses(snapshot[COURSES_TAB.name]).get(slugKey(slug))?.mentor ?? '');
  if (!isAdmin(session.settingsOf(snapshot, tr), user) && !mentors.includes(normalizeEmail(user)))
    return answer(false, tr('msg.notAllowed'));
  progress.set(row, 'mentorComment', text || null);
  const plan = progress.plan();
  if (plan) session.ctx.workbook.apply({ tabs: [plan] });
  return answer(true, tr('msg.commentSaved'));
}
