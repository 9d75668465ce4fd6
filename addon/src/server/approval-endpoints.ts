/** The approval sidebar's server functions: the view, approving selected rows, revoking one. */
import { cellNumber, cellText } from '../../../shared/src/cells';
import { planRevoke, READY_STATUS, defaultPoints } from '../../../shared/src/grading/approval';
import { planApprovals } from '../../../shared/src/grading/approval-batch';
import { listApprovalQueue } from '../../../shared/src/grading/approval-queue';
import { AUDIT_TAB, COURSES_TAB, GRADE_SCALE_TAB, PROGRESS_TAB, ROSTER_TAB, SETTINGS_TAB } from '../../../shared/src/layout';
import { isAdmin, mentorsOf, normalizeEmail } from '../../../shared/src/people';
import { readCourses, slugKey } from '../../../shared/src/progress-row';
import { RuleError } from '../../../shared/src/rule-errors';
import { TableEdit } from '../../../shared/src/table-edit';
import { isEmptyPlan, type Snapshot } from '../../../shared/src/workbook';
import type { ActionResult, ApprovalRow, ApprovalView, ApproveItem, ItemResult, ServerApi } from '../api';
import type { Translator } from '../i18n';
import type { Session } from './session';
import { UserError, userMessage } from './user-messages';

const APPROVAL_TABS = [SETTINGS_TAB.name, ROSTER_TAB.name, COURSES_TAB.name, PROGRESS_TAB.name, GRADE_SCALE_TAB.name, AUDIT_TAB.name];

type ApprovalEndpoints = Pick<ServerApi, 'getApprovalView' | 'approveRows' | 'revokeRow'>;

/** Ready, needs-review (admins) and approved rows this user may act on. */
function approvalView(session: Session, snapshot: Snapshot, tr: Translator): ApprovalView {
  const user = session.who();
  const settings = session.settingsOf(snapshot, tr);
  if (!user) return { user, isAdmin: false, rows: [] };
  const admin = isAdmin(settings, user);
  if (!snapshot[PROGRESS_TAB.name]) throw new UserError(tr('msg.noProgress'));
  const progress = new TableEdit(PROGRESS_TAB, snapshot);
  const queue = session.guarded(tr, () => listApprovalQueue(snapshot, user, { includeNotReady: admin }, session.ctx.now()));
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
    ...certificateOf(progress, q.row),
  }));
  return { user, isAdmin: admin, rows: [...rows, ...revocableRows(snapshot, progress, user, admin)] };
}

const certificateOf = (progress: TableEdit, row: number) => ({
  certificateUrl: progress.text(row, 'certificateUrl'),
  completedAt: progress.text(row, 'completedAt'),
});

/** Approved rows this user may revoke (the queue lists only unapproved ones). */
function revocableRows(snapshot: Snapshot, progress: TableEdit, user: string, admin: boolean): ApprovalRow[] {
  const courses = readCourses(snapshot[COURSES_TAB.name]);
  const rows: ApprovalRow[] = [];
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
      ...certificateOf(progress, row),
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
  override: item?.override === undefined || item.override === null || item.override === '' ? undefined : String(item.override),
  overrideCode: cellText(item?.overrideCode ?? '') || undefined,
});

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
        const requests = ((Array.isArray(items) ? items : []) as ApproveItem[]).map(approvalRequestOf);
        const { plan, outcomes } = planApprovals(snapshot, requests, user, ctx.now());
        if (!isEmptyPlan(plan)) ctx.workbook.apply(plan);
        return outcomes.map(({ request: { email, course: slug }, ...o }) => ({
          email,
          slug,
          ok: o.ok,
          message: o.ok ? tr('msg.approved') : userMessage(o.error, tr, { email, slug }),
        }));
      });
    },

    revokeRow(item) {
      return userAction((snapshot, tr, user) => {
        const email = cellText(item?.email ?? '');
        const slug = cellText(item?.slug ?? '');
        try {
          const { plan } = planRevoke(snapshot, { email, course: slug, reason: cellText(item?.reason ?? '') }, user, ctx.now());
          ctx.workbook.apply(plan);
          return [{ email, slug, ok: true, message: tr('msg.revoked') }];
        } catch (e) {
          if (!(e instanceof RuleError)) throw e;
          return [{ email, slug, ok: false, message: userMessage(e, tr, { email, slug }) }];
        }
      });
    },
  };
}
