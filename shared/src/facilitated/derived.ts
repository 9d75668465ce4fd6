/**
 * The derived cells of the facilitated tabs — Participants › CEFR level, Attendance %, Absences,
 * Flags; Groups › Participants, Flags — as a plan of changed cells. Every command that writes the
 * workbook (sync, attendance import, report sessions) adds this plan, so the cells never lag the
 * data they come from. Human-typed columns are never in it.
 */
import { round, type Cell } from '../cells';
import { GROUPS_TAB, PARTICIPANTS_TAB, PROGRESS_TAB } from '../layout';
import { courseProgressFromCells, emailKey, progressIndex, rowAccessor, slugKey } from '../progress-row';
import type { Settings } from '../settings';
import { TableEdit } from '../table-edit';
import { endOfDayExclusive } from '../time';
import type { Snapshot, TabPlan, TabSnapshot } from '../workbook';
import { cefrFromScore } from './cefr';
import { groupFlags, hasEnded, participantFlags, tallyAttendance, type CourseProgress } from './flags';
import {
  isActive,
  nameKey,
  readAttendance,
  readGroups,
  readParticipants,
  type AttendanceEntry,
  type GroupEntry,
} from './tables';

export interface DerivedInput {
  readonly settings: Settings;
  readonly asOf: number;
  /** Progress as the command leaves it (the sync passes its updated table); default: as read. */
  readonly progress?: TabSnapshot;
  /** Attendance as the command leaves it (the import passes its updated rows); default: as read. */
  readonly attendance?: readonly AttendanceEntry[];
}

export interface DerivedResult {
  readonly tabs: TabPlan[];
  /** Row-level problems to show the user (an EF SET score out of range), naming tab, row and column. */
  readonly problems: string[];
}

/**
 * Progress of the given learners by e-mail → course slug. Only participants' rows are read, and
 * without their times: a university cohort's 100k Progress rows with no participant cost a Set lookup each.
 */
function progressByLearner(
  tab: TabSnapshot | undefined,
  emails: ReadonlySet<string>,
): Map<string, Map<string, CourseProgress>> {
  const out = new Map<string, Map<string, CourseProgress>>();
  if (!tab || emails.size === 0) return out;
  const idx = progressIndex(tab.header);
  for (const r of tab.rows) {
    const get = rowAccessor(idx, r);
    const email = emailKey(get('email'));
    if (!emails.has(email)) continue;
    if (!out.has(email)) out.set(email, new Map());
    out.get(email)!.set(slugKey(get('slug')), courseProgressFromCells(get));
  }
  return out;
}

export function derivedPlan(snapshot: Snapshot, input: DerivedInput): DerivedResult {
  if (!snapshot[PARTICIPANTS_TAB.name] && !snapshot[GROUPS_TAB.name]) return { tabs: [], problems: [] };
  const { settings, asOf } = input;
  const groupList = readGroups(snapshot);
  const groups = new Map(groupList.map((g) => [nameKey(g.name), g]));
  const participants = readParticipants(snapshot);
  const marks = new Map<string, AttendanceEntry['mark'][]>();
  for (const a of input.attendance ?? readAttendance(snapshot)) {
    if (!marks.has(a.email)) marks.set(a.email, []);
    marks.get(a.email)!.push(a.mark);
  }
  const progress = progressByLearner(
    input.progress ?? snapshot[PROGRESS_TAB.name],
    new Set(participants.map((p) => p.email)),
  );
  const ended = (g: GroupEntry | undefined) =>
    hasEnded(g?.end ? endOfDayExclusive(g.end, settings.timeZone) : null, asOf);

  const problems: string[] = [];
  const tabs: TabPlan[] = [];
  if (snapshot[PARTICIPANTS_TAB.name]) {
    const edit = new TableEdit(PARTICIPANTS_TAB, snapshot);
    for (const p of participants) {
      const cefr = cefrFromScore(p.score);
      if (cefr.kind === 'invalid')
        problems.push(`${PARTICIPANTS_TAB.name} tab, row ${p.row + 2}, column "EF SET score": ${cefr.message}`);
      const attendance = tallyAttendance(marks.get(p.email) ?? []);
      const group = groups.get(nameKey(p.group));
      const mine = progress.get(p.email);
      const flags = participantFlags({
        attendance,
        allowedAbsences: settings.allowedAbsences,
        groupEnded: ended(group),
        courses: (group?.courses ?? []).map((slug) => mine?.get(slug)),
        engagementThreshold: settings.engagementThreshold,
        invalidScore: cefr.kind === 'invalid',
        active: isActive(p),
      });
      const cells: Record<string, Cell> = {
        cefr: cefr.kind === 'level' ? cefr.level : null,
        attendanceRate: attendance.rate === null ? null : round(attendance.rate * 100, 1),
        absences: attendance.present + attendance.absent ? attendance.absent : null,
        flags: flags.join(', ') || null,
      };
      for (const [key, value] of Object.entries(cells)) edit.set(p.row, key, value);
    }
    pushPlan(tabs, edit);
  }
  if (snapshot[GROUPS_TAB.name]) {
    const edit = new TableEdit(GROUPS_TAB, snapshot);
    const sizes = new Map<string, number>();
    for (const p of participants) if (isActive(p)) sizes.set(nameKey(p.group), (sizes.get(nameKey(p.group)) ?? 0) + 1);
    for (const g of groupList) {
      const size = sizes.get(nameKey(g.name)) ?? 0;
      edit.set(g.row, 'participants', size);
      edit.set(g.row, 'flags', groupFlags(size, g.minimumSize).join(', ') || null);
    }
    pushPlan(tabs, edit);
  }
  return { tabs, problems };
}

function pushPlan(tabs: TabPlan[], edit: TableEdit): void {
  const plan = edit.plan();
  if (plan) tabs.push(plan);
}
