/**
 * Attendance as the facilitator ticks it (the add-on's attendance sidebar), pure: who may mark a
 * group's sessions, starting today's session (a Sessions row), and the ticks → a plan for
 * Attendance plus the derived cells that follow from it (Attendance %, Absences, Flags). The same
 * Attendance edit as `attendance import` (./attendance-edit.ts): one row per (session, e-mail), a
 * human's `excused` never overwritten, saving the same ticks again plans nothing.
 *
 * A tick names who was seen, not how long they stayed: Minutes is left as it was (a Zoom import's
 * figure stays), and Source is written only with a new or changed mark — it says where the mark
 * came from.
 */
import { InputError } from '../errors';
import { LENGTH_CAPS, SESSIONS_TAB, SETTINGS_TAB } from '../layout';
import { isAdmin, normalizeEmail } from '../people';
import { readSettings, type Settings } from '../settings';
import { TableEdit } from '../table-edit';
import { dateInZone } from '../time';
import type { Plan, Snapshot, TabPlan } from '../workbook';
import { AttendanceEdit, findSession } from './attendance-edit';
import { isActive, nameKey, readGroups, readParticipants, readSessions, type GroupEntry } from './tables';

/** Someone the sidebar ticked is not a selected member of the session's group (the list changed meanwhile). */
export class NotInGroupError extends InputError {
  constructor(readonly email: string) {
    super(`${email} is not a selected participant of the session's group`);
  }
}

/** The group named is not in the Groups tab. */
export class UnknownGroupError extends InputError {}

/** Only the group's facilitators (Groups › Facilitators) and admins (Settings › Admins) mark its sessions. */
export function mayMarkAttendance(settings: Settings, group: GroupEntry, user: string): boolean {
  const who = normalizeEmail(user);
  return !!who && (isAdmin(settings, who) || group.facilitators.includes(who));
}

export function findGroup(snapshot: Snapshot, name: string): GroupEntry {
  const hit = readGroups(snapshot).find((g) => nameKey(g.name) === nameKey(name));
  if (!hit) throw new UnknownGroupError(`no group "${name}" in the Groups tab`);
  return hit;
}

export interface MarksInput {
  readonly sessionId: string;
  /** Each listed participant, present or not; participants not listed are left as they are. */
  readonly marks: readonly { readonly email: string; readonly present: boolean }[];
  /** Who ticked (Source says so). */
  readonly by: string;
  /** When (the as-of of the derived flags). */
  readonly now: number;
}

export interface MarksResult {
  readonly session: string;
  readonly present: number;
  readonly absent: number;
  /** Ticked, but a human's `excused` stays. */
  readonly excused: number;
  /** Attendance rows added or changed. */
  readonly updated: number;
  readonly problems: string[];
}

export function planAttendanceMarks(snapshot: Snapshot, input: MarksInput): { plan: Plan; result: MarksResult } {
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const session = findSession(snapshot, input.sessionId);
  const members = new Set(
    readParticipants(snapshot)
      .filter((p) => isActive(p) && nameKey(p.group) === nameKey(session.group))
      .map((p) => p.email),
  );
  const ticks = new Map<string, boolean>();
  for (const m of input.marks) {
    const email = normalizeEmail(m.email);
    if (!members.has(email)) throw new NotInGroupError(email);
    ticks.set(email, m.present);
  }
  const attendance = new AttendanceEdit(snapshot);
  const source = `Sidebar: ${normalizeEmail(input.by)}`;
  const tally = { present: 0, absent: 0, excused: 0, updated: 0 };
  for (const [email, present] of ticks) {
    const mark = present ? 'present' : 'absent';
    const was = attendance.markOf(session.id, email);
    if (was === 'excused') tally.excused++;
    else tally[mark]++;
    if (was !== mark && attendance.upsert(session.id, email, { mark, source })) tally.updated++;
  }
  const derived = attendance.derived(snapshot, settings, input.now);
  const tabs = [attendance.plan(), ...derived.tabs].filter((t): t is TabPlan => t !== null);
  return { plan: { tabs }, result: { session: session.id, ...tally, problems: derived.problems } };
}

export interface TodayInput {
  readonly group: string;
  /** Who starts it: the session's Facilitator. */
  readonly by: string;
  readonly now: number;
  readonly topic?: string;
}

/**
 * Today's session of a group (today on Settings › Time zone's clock): the one the Sessions tab
 * already has for that group and day, else a new row `GROUP-YYYY-MM-DD` (a suffix when that ID is
 * taken) with the group's mode and the starter as Facilitator. Starting it twice adds one row.
 */
export function planTodaysSession(
  snapshot: Snapshot,
  input: TodayInput,
): { plan: Plan; session: string; created: boolean } {
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const group = findGroup(snapshot, input.group);
  const today = dateInZone(input.now, settings.timeZone);
  const sessions = readSessions(snapshot);
  const existing = sessions.find((s) => nameKey(s.group) === nameKey(group.name) && s.date === today);
  if (existing) return { plan: { tabs: [] }, session: existing.id, created: false };
  const base = `${group.name.replace(/\s+/g, '-').slice(0, LENGTH_CAPS.sessionId - 20)}-${today}`;
  const taken = new Set(sessions.map((s) => nameKey(s.id)));
  let id = base;
  for (let n = 2; taken.has(nameKey(id)); n++) id = `${base}-${n}`;
  const edit = new TableEdit(SESSIONS_TAB, snapshot);
  edit.append({
    sessionId: id,
    group: group.name,
    date: today,
    mode: group.mode || null,
    topic: input.topic?.trim() || null,
    facilitator: normalizeEmail(input.by),
  });
  return { plan: { tabs: [edit.plan()!] }, session: id, created: true };
}
