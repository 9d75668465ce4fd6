/**
 * One Progress row as the sync wants it: what the export (or the row itself) says about a
 * (student, course) pair, joined with the roster and the catalog, plus the rules' flags and
 * status. Pure: planSync compares the result with the sheet and counts it.
 */
import { isBlank, type Cell } from './cells';
import type { ExportRecord } from './export-record';
import {
  EXPORT_CELL_KEYS,
  exportCells,
  factsFromCells,
  factsFromRecord,
  progressKey,
  readCourses,
  readRoster,
  type CourseEntry,
  type ExportCells,
  type RosterEntry,
} from './progress-row';
import { evaluate, type Evaluation, type ProgressFacts } from './rules';
import { readSettings, type Settings } from './settings';
import { AUDIT_TAB, COURSES_TAB, ROSTER_TAB, SETTINGS_TAB } from './layout';
import { approvalVerdict as verdictOf, latestApprovals, type ApprovalVerdict } from './verified-approvals';
import type { Snapshot } from './workbook';
import { readPlacements, type ParticipantPlacement } from './facilitated/placement';

/** What one sync joins every pair with and judges it by. */
export interface SyncContext {
  readonly settings: Settings;
  readonly asOf: number;
  /** Roster by e-mail (lower-cased). Empty: no roster check (NOT_ON_ROSTER is never raised). */
  readonly roster: ReadonlyMap<string, RosterEntry>;
  /** Catalog by course slug (lower-cased). */
  readonly courses: ReadonlyMap<string, CourseEntry>;
  /** Older exports have no certificate URL column: then `Completed = Yes` is the certificate. */
  readonly hasCertificateColumn: boolean;
  /** Whether a row's approval cells are backed by the audit (default: `Approved by` filled counts). */
  readonly approvalOf?: (get: (key: string) => Cell) => ApprovalVerdict;
  /** Facilitated-programme participants by e-mail: their group and facilitators fill Progress when the Roster lacks them. */
  readonly participants?: ReadonlyMap<string, ParticipantPlacement>;
}

/**
 * A row's approval: `verified` (its cells match the audit: it counts), `unverified` (approval
 * cells filled that the audit does not back: flagged, Needs review, not in the report), `none`.
 */
export type { ApprovalVerdict };

/** The export's own cells, plus the names it carries (the roster's win when it has them). */
export type BaseCells = ExportCells & { fullName: Cell; studentId: Cell };

/** Everything known about one (student, course) pair before the rules run. */
export interface Pair {
  readonly base: BaseCells;
  readonly roster: RosterEntry | undefined;
  readonly course: CourseEntry | undefined;
  /** The course's deadline, else the default; null when neither is set. */
  readonly deadline: string | null;
  readonly facts: Omit<ProgressFacts, 'deadline' | 'approved' | 'onRoster'>;
  readonly approval: ApprovalVerdict;
}

export interface DesiredRow {
  /** Every sync-owned cell by layout key. */
  readonly cells: Record<string, Cell>;
  readonly evaluation: Evaluation;
}

/** `Approved by` is filled in. */
export const isApproved = (get: (key: string) => Cell): boolean => !isBlank(get('approvedBy'));

/** The row's approval verdict in this context (no audit check configured: `Approved by` filled counts). */
export const approvalVerdict = (get: (key: string) => Cell, ctx: SyncContext): ApprovalVerdict =>
  ctx.approvalOf ? ctx.approvalOf(get) : isApproved(get) ? 'verified' : 'none';

/** A pair from an export line; `approval` comes from the row already in the sheet, if any. */
export function pairFromExport(record: ExportRecord, approval: ApprovalVerdict, ctx: SyncContext): Pair {
  const course = ctx.courses.get(record.slug.toLowerCase());
  return {
    base: exportCells(record, ctx.settings.timeZone, ctx.hasCertificateColumn),
    roster: ctx.roster.get(record.email),
    course,
    deadline: course?.deadline ?? ctx.settings.defaultDeadline,
    facts: factsFromRecord(record, ctx.hasCertificateColumn),
    approval,
  };
}

/** A pair from a Progress row the export does not mention: its own cells are the export's last word. */
export function pairFromCells(
  get: (key: string) => Cell,
  ctx: SyncContext,
  approval: ApprovalVerdict = approvalVerdict(get, ctx),
): Pair {
  const email = String(get('email')).trim().toLowerCase();
  const slug = String(get('slug') ?? '').trim();
  const base = { fullName: get('fullName'), studentId: get('studentId') } as BaseCells;
  for (const k of EXPORT_CELL_KEYS) base[k] = get(k);
  const course = ctx.courses.get(slug.toLowerCase());
  return {
    base,
    roster: ctx.roster.get(email),
    course,
    deadline: course?.deadline ?? ctx.settings.defaultDeadline,
    facts: factsFromCells(get, ctx.settings.timeZone),
    approval,
  };
}

export function desiredRow(pair: Pair, ctx: SyncContext): DesiredRow {
  const { base, roster, course, deadline, facts } = pair;
  const placement = roster ? undefined : ctx.participants?.get(String(base.email ?? '').toLowerCase());
  const evaluation = evaluate(
    {
      engagement: facts.engagement,
      completed: facts.completed,
      completedAt: facts.completedAt,
      certificate: facts.certificate,
      removed: facts.removed,
      lastActivityAt: facts.lastActivityAt,
      deadline,
      approved: pair.approval === 'verified',
      unverifiedApproval: pair.approval === 'unverified',
      onRoster: roster ? true : ctx.roster.size ? false : null,
    },
    ctx.settings,
    ctx.asOf,
  );
  // One literal with every key in a fixed order: a single object shape keeps 100k rows fast.
  const cells: Record<string, Cell> = {
    email: base.email,
    fullName: roster?.fullName || base.fullName || null,
    studentId: roster?.studentId || base.studentId || null,
    iin: roster?.iin || null,
    school: roster?.school || null,
    group: roster?.group || placement?.group || null,
    course: course?.course || base.course || null,
    slug: base.slug,
    discipline: course?.discipline || null,
    model: course?.model || null,
    mentor: course?.mentor || null,
    facilitator: placement?.facilitators || null,
    deadline,
    enrolledAt: base.enrolledAt,
    lastActivityAt: base.lastActivityAt,
    engagement: base.engagement,
    learningHours: base.learningHours,
    completed: base.completed,
    completedAt: base.completedAt,
    grade: base.grade,
    certificateUrl: base.certificateUrl,
    certificate: base.certificate,
    removed: base.removed,
    flags: evaluation.flags.join(', '),
    status: evaluation.status,
  };
  return { cells, evaluation };
}

/**
 * A Progress row judged from its own cells: the one place the sync (rows the export does not
 * mention), approve / revoke and the approval queue evaluate a row, so they cannot disagree.
 * `approval` overrides the row's verdict (approve and revoke judge the row as they leave it).
 */
export function evaluateProgressRow(
  get: (key: string) => Cell,
  ctx: SyncContext,
  approval?: ApprovalVerdict,
): DesiredRow {
  return desiredRow(pairFromCells(get, ctx, approval ?? approvalVerdict(get, ctx)), ctx);
}

/**
 * Approvals judged against the Audit tab: a row counts as approved only when its Points, Letter,
 * Approved by and Approved at equal the latest approve/override entry for its (e-mail, course
 * slug) on the intact part of the hash chain (shared/src/verified-approvals.ts).
 */
export function auditedApprovals(snapshot: Snapshot): NonNullable<SyncContext['approvalOf']> {
  const latest = latestApprovals(snapshot[AUDIT_TAB.name]);
  return (get) =>
    verdictOf(
      { points: get('points'), letter: get('letter'), approvedBy: get('approvedBy'), approvedAt: get('approvedAt') },
      latest.get(progressKey(get('email'), get('slug'))),
    );
}

/** The rules' context read from a workbook (Settings, Roster, Courses, Audit), for judging rows outside a sync. */
export function rowContext(snapshot: Snapshot, asOf: number): SyncContext {
  return {
    settings: readSettings(snapshot[SETTINGS_TAB.name]),
    asOf,
    roster: readRoster(snapshot[ROSTER_TAB.name]),
    courses: readCourses(snapshot[COURSES_TAB.name]),
    hasCertificateColumn: false, // rows read from cells carry their own Certificate fact
    approvalOf: auditedApprovals(snapshot),
    participants: readPlacements(snapshot),
  };
}
