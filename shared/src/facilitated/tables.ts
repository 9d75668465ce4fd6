/**
 * The facilitated-programme tabs (Groups, Participants, Sessions, Attendance) read into typed
 * records by header name. A cell the rules cannot read (a date, a minimum size, a status or mark
 * outside its list) stops the command naming tab, row and column: a guess would put people in the
 * wrong counts. The EF SET score is judged per row instead (cefr.ts): a typo there is that row's
 * problem, shown in its Flags.
 */
import { cellNumber, cellText, type Cell } from '../cells';
import { InputError } from '../errors';
import {
  APPLICATION_STATUSES,
  ATTENDANCE_MARKS,
  ATTENDANCE_TAB,
  GROUPS_TAB,
  indexColumns,
  PARTICIPANTS_TAB,
  SESSIONS_TAB,
  type TabDef,
} from '../layout';
import { mentorsOf, normalizeEmail } from '../people';
import { parseCalendarDate } from '../time';
import type { Snapshot } from '../workbook';

/** A facilitated tab has a cell the rules cannot read. */
export class FacilitatedTabError extends InputError {}

export const DEFAULT_MINIMUM_SIZE = 20;

/** Group names and session IDs compare trimmed and case-insensitively. */
export const nameKey = (value: Cell | undefined): string => cellText(value ?? null).toLowerCase();

export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export type AttendanceMark = (typeof ATTENDANCE_MARKS)[number];

export interface GroupEntry {
  readonly row: number;
  readonly name: string;
  readonly facilitators: string[];
  readonly mode: string;
  readonly courses: string[];
  readonly start: string | null;
  readonly end: string | null;
  readonly minimumSize: number;
}

export interface ParticipantEntry {
  readonly row: number;
  readonly email: string;
  readonly fullName: string;
  readonly group: string;
  readonly category: string;
  readonly field: string;
  readonly score: Cell;
  readonly status: ApplicationStatus;
}

export interface SessionEntry {
  readonly row: number;
  readonly id: string;
  readonly group: string;
  readonly date: string | null;
  readonly mode: string;
  readonly facilitator: string;
}

export interface AttendanceEntry {
  readonly row: number;
  readonly sessionId: string;
  readonly email: string;
  readonly mark: AttendanceMark | null;
  readonly minutes: number | null;
}

interface RowReader {
  readonly row: number;
  get(key: string): Cell;
  text(key: string): string;
  /** The cell, or a FacilitatedTabError naming tab, sheet row and column. */
  parse<T>(key: string, read: (cell: Cell) => T): T;
}

/** Data rows of a tab with a cell getter by layout key; blank rows (no anchor) are skipped. */
export function rowsOf(def: TabDef, snapshot: Snapshot): RowReader[] {
  const tab = snapshot[def.name];
  if (!tab) return [];
  const idx = indexColumns(def, tab.header);
  const anchor = def.anchor ?? [];
  return tab.rows
    .map((r, i): RowReader => {
      const get = (key: string): Cell => (idx[key] >= 0 ? (r[idx[key]] ?? null) : null);
      return {
        row: i,
        get,
        text: (key) => cellText(get(key)),
        parse: (key, read) => {
          try {
            return read(get(key));
          } catch (e) {
            const header = def.columns.find((c) => c.key === key)!.header;
            throw new FacilitatedTabError(`${def.name} tab, row ${i + 2}, column "${header}": ${(e as Error).message}`);
          }
        },
      };
    })
    .filter((r) => anchor.some((k) => r.text(k) !== ''));
}

/** One of the listed values, matched case-insensitively; blank gives `blank`. */
function choice<T extends string>(values: readonly T[], blank: T | null) {
  return (cell: Cell): T | null => {
    const t = cellText(cell).toLowerCase();
    if (t === '') return blank;
    const hit = values.find((v) => v.toLowerCase() === t);
    if (!hit) throw new Error(`"${cellText(cell)}" is not one of ${values.join(', ')}`);
    return hit;
  };
}

const listOf = (cell: Cell): string[] =>
  cellText(cell)
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function minimumSize(cell: Cell): number {
  if (cellText(cell) === '') return DEFAULT_MINIMUM_SIZE;
  const n = cellNumber(cell);
  if (n === null || !Number.isInteger(n) || n < 1)
    throw new Error(`"${cellText(cell)}" is not a whole number of people`);
  return n;
}

export function readGroups(snapshot: Snapshot): GroupEntry[] {
  return rowsOf(GROUPS_TAB, snapshot).map((r) => ({
    row: r.row,
    name: r.text('group'),
    facilitators: mentorsOf(r.text('facilitators')),
    mode: r.text('mode'),
    courses: listOf(r.get('courses')).map((s) => s.toLowerCase()),
    start: r.parse('start', parseCalendarDate),
    end: r.parse('end', parseCalendarDate),
    minimumSize: r.parse('minimumSize', minimumSize),
  }));
}

export function readParticipants(snapshot: Snapshot): ParticipantEntry[] {
  const status = choice(APPLICATION_STATUSES, 'selected');
  return rowsOf(PARTICIPANTS_TAB, snapshot).map((r) => ({
    row: r.row,
    email: normalizeEmail(r.get('email')),
    fullName: r.text('fullName'),
    group: r.text('group'),
    category: r.text('category'),
    field: r.text('field'),
    score: r.get('efSetScore'),
    status: r.parse('applicationStatus', status)!,
  }));
}

export function readSessions(snapshot: Snapshot): SessionEntry[] {
  return rowsOf(SESSIONS_TAB, snapshot).map((r) => ({
    row: r.row,
    id: r.text('sessionId'),
    group: r.text('group'),
    date: r.parse('date', parseCalendarDate),
    mode: r.text('mode'),
    facilitator: normalizeEmail(r.get('facilitator')),
  }));
}

export function readAttendance(snapshot: Snapshot): AttendanceEntry[] {
  const mark = choice(ATTENDANCE_MARKS, null);
  return rowsOf(ATTENDANCE_TAB, snapshot).map((r) => ({
    row: r.row,
    sessionId: r.text('sessionId'),
    email: normalizeEmail(r.get('email')),
    mark: r.parse('mark', mark),
    minutes: cellNumber(r.get('minutes')),
  }));
}

/** Whether a participant counts in a group (size, attendance, reports): selected, not applied or withdrawn. */
export const isActive = (p: ParticipantEntry): boolean => p.status === 'selected';
