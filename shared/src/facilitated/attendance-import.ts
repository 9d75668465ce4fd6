/**
 * `attendance import` as a pure function: (workbook snapshot, attendee lines of one report, the
 * session) → a plan for Attendance (one row per session × participant, upserted), Rejected rows
 * (attendees who match nobody, each listed once however often the file is imported) and the
 * derived cells. Importing the same file again plans nothing.
 *
 * Present: an attendee's minutes, summed over every line (people drop and re-join), reach
 * Settings › Present at % of session of the session's length. The length is taken from the report
 * itself: the most minutes anyone spent in it (the facilitator, who opens and closes the meeting,
 * as a rule). The Sessions tab has no duration and a scheduled time says nothing about when the
 * meeting really ran. Active members of the session's group absent from the report are `absent`.
 * A mark a human set to `excused` is never overwritten (./attendance-edit.ts, which the sidebar's
 * ticks write through too).
 */
import { REJECTED_ROWS_TAB, SETTINGS_TAB } from '../layout';
import { capText } from '../export-record';
import { logAppend } from '../rejected-log';
import { maxOf } from '../max-of';
import { readSettings } from '../settings';
import { TableEdit } from '../table-edit';
import { formatInZone } from '../time';
import type { Plan, Snapshot, TabPlan } from '../workbook';
import { AttendanceEdit, findSession, UnknownSessionError } from './attendance-edit';
import { attendeeMatcher } from './attendance-match';
import type { AttendanceReport, AttendeeLine } from './attendance-report';
import { isActive, nameKey, readGroups, readParticipants, type SessionEntry } from './tables';

export { UnknownSessionError };

export interface ImportInput {
  /** The file as the user named it (Source and Rejected rows say it). */
  readonly file: string;
  readonly sessionId: string;
  readonly report: AttendanceReport;
  /** When the import runs (Rejected rows' time, the as-of of derived flags). */
  readonly now: number;
}

/** An attendee (or a facilitator, internally) with the minutes of all their lines. */
export interface UnmatchedAttendee {
  lines: number[];
  name: string;
  email: string;
  minutes: number;
  reason: string;
  /** The first line as read. */
  raw: string;
}

/** An unmatched attendee as the CLI's --json and the sidebar show one: the raw line stays in Rejected rows. */
export const shownUnmatched = ({ lines, name, email, minutes, reason }: UnmatchedAttendee) => ({
  lines,
  name,
  email,
  minutes,
  reason,
});

export interface ImportResult {
  readonly session: string;
  readonly present: number;
  readonly absent: number;
  readonly unmatched: UnmatchedAttendee[];
  /** Attendance rows added or changed. */
  readonly updated: number;
  /** The session's length as measured (minutes) and the minutes that count as present. */
  readonly sessionMinutes: number;
  readonly presentFrom: number;
  readonly problems: string[];
}

export function planAttendanceImport(snapshot: Snapshot, input: ImportInput): { plan: Plan; result: ImportResult } {
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const session = findSession(snapshot, input.sessionId);
  const group = readGroups(snapshot).find((g) => nameKey(g.name) === nameKey(session.group));
  const participants = readParticipants(snapshot);
  const facilitators = new Set([...(group?.facilitators ?? []), session.facilitator].filter(Boolean));
  const match = attendeeMatcher({ participants, facilitators, group: nameKey(session.group) });

  const minutes = new Map<string, number>(); // participant e-mail → minutes
  const others = new Map<string, UnmatchedAttendee>(); // facilitators and the unmatched, by who they are
  const unmatched: UnmatchedAttendee[] = [];
  for (const line of input.report.lines) {
    const m = match(line);
    if (m.kind === 'participant') minutes.set(m.email, (minutes.get(m.email) ?? 0) + line.minutes);
    else addOther(others, m.kind === 'facilitator' ? `f:${m.email}` : `u:${whoKey(line)}`, line, m, unmatched);
  }
  const sessionMinutes = Math.max(
    maxOf([...minutes.values()], (m) => m, 0),
    maxOf([...others.values()], (o) => o.minutes, 0),
  );
  const presentFrom = (sessionMinutes * settings.presentShare) / 100;

  const expected = participants.filter((p) => isActive(p) && nameKey(p.group) === nameKey(session.group));
  const marks = new Map<string, number>(expected.map((p) => [p.email, 0]));
  for (const [email, m] of minutes) marks.set(email, m);
  const source = `${input.report.format}: ${input.file}`;
  const attendance = new AttendanceEdit(snapshot);
  const { updated, present, absent } = upsertMarks(attendance, session, marks, presentFrom, source);

  const derived = attendance.derived(snapshot, settings, input.now);
  const tabs: TabPlan[] = [
    ...[attendance.plan()].filter((t): t is TabPlan => t !== null),
    ...rejectedPlan(snapshot, unmatched, `attendance ${source} (session ${session.id})`, settings.timeZone, input.now),
    ...derived.tabs,
  ];
  return {
    plan: { tabs },
    result: {
      session: session.id,
      present,
      absent,
      unmatched,
      updated,
      sessionMinutes,
      presentFrom,
      problems: derived.problems,
    },
  };
}

const whoKey = (line: AttendeeLine) =>
  line.email.trim().toLowerCase() || line.names.map((n) => n.toLowerCase()).join('|') || `line ${line.line}`;

/** Facilitators and unmatched attendees, their lines' minutes summed; the unmatched are listed once each. */
function addOther(
  others: Map<string, UnmatchedAttendee>,
  key: string,
  line: AttendeeLine,
  m: { kind: 'facilitator' } | { kind: 'unmatched'; reason: string },
  unmatched: UnmatchedAttendee[],
): void {
  const prev = others.get(key);
  if (prev) {
    prev.lines.push(line.line);
    prev.minutes += line.minutes;
    return;
  }
  const entry: UnmatchedAttendee = {
    lines: [line.line],
    name: line.names.join(' / '),
    email: line.email.trim(),
    minutes: line.minutes,
    reason: m.kind === 'unmatched' ? m.reason : '',
    raw: line.raw,
  };
  others.set(key, entry);
  if (m.kind === 'unmatched') unmatched.push(entry);
}

/** One Attendance row per (session, e-mail): added, or its Mark / Minutes / Source set; `excused` stays. */
function upsertMarks(
  edit: AttendanceEdit,
  session: SessionEntry,
  minutes: ReadonlyMap<string, number>,
  presentFrom: number,
  source: string,
): { updated: number; present: number; absent: number } {
  let updated = 0;
  let present = 0;
  let absent = 0;
  for (const [email, m] of minutes) {
    const mark = m > 0 && m >= presentFrom ? 'present' : 'absent';
    if (mark === 'present') present++;
    else absent++;
    if (edit.upsert(session.id, email, { mark, minutes: Math.round(m * 100) / 100, source })) updated++;
  }
  return { updated, present, absent };
}

/** Unmatched attendees into Rejected rows, skipping those already there (same source, line and reason). */
function rejectedPlan(
  snapshot: Snapshot,
  unmatched: readonly UnmatchedAttendee[],
  source: string,
  timeZone: string,
  now: number,
): TabPlan[] {
  const seen = new Set<string>();
  if (snapshot[REJECTED_ROWS_TAB.name]) {
    const log = new TableEdit(REJECTED_ROWS_TAB, snapshot);
    log.rows.forEach((_, i) =>
      seen.add(`${log.text(i, 'Source')}\u0000${log.text(i, 'Line')}\u0000${log.text(i, 'Reason')}`),
    );
  }
  const records = unmatched
    .map((u) => ({
      'Synced at': formatInZone(now, timeZone),
      Source: source,
      Line: u.lines[0],
      Reason: capText(`${u.reason} (${u.minutes} min on line${u.lines.length > 1 ? 's' : ''} ${u.lines.join(', ')})`),
      Raw: capText(u.raw),
    }))
    .filter((r) => !seen.has(`${r.Source}\u0000${r.Line}\u0000${r.Reason}`));
  return records.length ? [logAppend(snapshot, REJECTED_ROWS_TAB, records)] : [];
}
