/**
 * What the attendance sidebar shows, read from the facilitated tabs: the groups this user may mark
 * (Groups › Facilitators, or every group for an admin), the chosen group's sessions newest first,
 * and its selected participants with their mark for the chosen session. Without a choice the
 * sidebar opens on today's session, else the latest. A user who may mark no group gets a refusal,
 * never an empty list that looks like "no participants".
 */
import { cellText } from '../../../shared/src/cells';
import { mayMarkAttendance } from '../../../shared/src/facilitated/attendance-marks';
import {
  isActive,
  nameKey,
  readAttendance,
  readGroups,
  readParticipants,
  readSessions,
} from '../../../shared/src/facilitated/tables';
import {
  ATTENDANCE_TAB,
  GROUPS_TAB,
  indexColumns,
  PARTICIPANTS_TAB,
  SESSIONS_TAB,
  SETTINGS_TAB,
  type TabDef,
} from '../../../shared/src/layout';
import { isAdmin } from '../../../shared/src/people';
import type { Settings } from '../../../shared/src/settings';
import { dateInZone } from '../../../shared/src/time';
import type { Snapshot } from '../../../shared/src/workbook';
import type { AttendanceError, AttendanceParticipant, AttendanceSession, AttendanceView } from '../api';

/** The tabs the view is built from. */
export const ATTENDANCE_VIEW_TABS = [SETTINGS_TAB, GROUPS_TAB, PARTICIPANTS_TAB, SESSIONS_TAB, ATTENDANCE_TAB].map(
  (t) => t.name,
);

/** A refusal the sidebar shows in the user's language (api.ts ATTENDANCE_ERRORS). */
export class AttendanceRefusal extends Error {
  constructor(
    readonly code: AttendanceError,
    readonly detail = '',
  ) {
    super(`${code}${detail ? `: ${detail}` : ''}`);
  }
}

export interface ViewChoice {
  readonly group?: string;
  readonly session?: string;
}

export function attendanceView(
  snapshot: Snapshot,
  settings: Settings,
  user: string,
  now: number,
  choice: ViewChoice = {},
): AttendanceView {
  const groups = readGroups(snapshot);
  if (!groups.length) throw new AttendanceRefusal('NO_GROUPS');
  const mine = groups.filter((g) => mayMarkAttendance(settings, g, user));
  if (!mine.length) throw new AttendanceRefusal('NOT_FACILITATOR');
  const group = choice.group ? groups.find((g) => nameKey(g.name) === nameKey(choice.group)) : mine[0];
  if (!group) throw new AttendanceRefusal('UNKNOWN_GROUP', choice.group);
  if (!mine.includes(group)) throw new AttendanceRefusal('NOT_FACILITATOR', group.name);

  const today = dateInZone(now, settings.timeZone);
  const sessions = readSessions(snapshot)
    .filter((s) => nameKey(s.group) === nameKey(group.name))
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  const todays = sessions.find((s) => s.date === today);
  const session = choice.session
    ? sessions.find((s) => nameKey(s.id) === nameKey(choice.session))
    : (todays ?? sessions[0]);
  if (choice.session && !session) throw new AttendanceRefusal('UNKNOWN_SESSION', choice.session);

  return {
    user,
    isAdmin: isAdmin(settings, user),
    groups: mine.map((g) => ({ name: g.name, city: groupCity(snapshot, g.row), mode: g.mode })),
    group: group.name,
    sessions: sessions.map((s): AttendanceSession => ({
      id: s.id,
      date: s.date ?? '',
      topic: sessionTopic(snapshot, s.row),
      mode: s.mode,
    })),
    session: session?.id ?? '',
    today,
    todaysSession: todays?.id ?? '',
    participants: participantsOf(snapshot, group.name, session?.id ?? null),
  };
}

/** The group's selected participants by name, with their mark for the session. */
function participantsOf(snapshot: Snapshot, group: string, session: string | null): AttendanceParticipant[] {
  const marks = new Map(
    readAttendance(snapshot)
      .filter((a) => session !== null && nameKey(a.sessionId) === nameKey(session))
      .map((a) => [a.email, a] as const),
  );
  return readParticipants(snapshot)
    .filter((p) => isActive(p) && nameKey(p.group) === nameKey(group))
    .sort((a, b) => a.fullName.localeCompare(b.fullName) || a.email.localeCompare(b.email))
    .map((p) => ({
      email: p.email,
      fullName: p.fullName,
      mark: marks.get(p.email)?.mark ?? null,
      minutes: marks.get(p.email)?.minutes ?? null,
    }));
}

/** A cell the shared readers do not carry (not an input of the rules), by layout key. */
function cellOf(snapshot: Snapshot, def: TabDef, row: number, key: string): string {
  const tab = snapshot[def.name];
  const col = tab ? indexColumns(def, tab.header)[key] : -1;
  return col >= 0 ? cellText(tab!.rows[row]?.[col] ?? null) : '';
}

const groupCity = (snapshot: Snapshot, row: number) => cellOf(snapshot, GROUPS_TAB, row, 'city');
const sessionTopic = (snapshot: Snapshot, row: number) => cellOf(snapshot, SESSIONS_TAB, row, 'topic');
