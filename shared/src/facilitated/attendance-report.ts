/**
 * A video-meeting attendance report as rows of text, turned into attendee lines. Two formats:
 * - Zoom's participants report (`Name (Original Name)`, `User Email`, `Join Time`, `Leave Time`,
 *   `Duration (Minutes)`, `Guest`, …), optionally after a meeting-details block and a blank line;
 * - Google Meet's attendance report (`First name`, `Last name`, `Email`, `Duration`, `Time joined`,
 *   `Time exited`).
 * Columns are found by header name (trimmed, case-insensitive), so column order and extra
 * columns do not matter. Minutes come from the duration columns only: join and leave times follow
 * the account's locale and are kept in the raw line, never parsed. A line that cannot be read stops
 * the import naming file, line and column.
 */
import { z } from 'zod';
import { InputError } from '../errors';
import { normalizeHeader } from '../header-match';

export class AttendanceFileError extends InputError {}

export type ReportFormat = 'Zoom' | 'Google Meet';

export interface ReportRow {
  /** Line number in the file (1-based). */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface AttendeeLine {
  readonly line: number;
  /** Names to match by: Zoom's display name and its original name in parentheses; Meet's first + last. */
  readonly names: string[];
  readonly email: string;
  readonly minutes: number;
  /** The line as read (`Header=value; …`), for Rejected rows. */
  readonly raw: string;
}

export interface AttendanceReport {
  readonly format: ReportFormat;
  readonly lines: AttendeeLine[];
}

const ZOOM = {
  name: ['name (original name)', 'name', 'participant name', 'participant'],
  email: ['user email', 'email'],
  minutes: ['duration (minutes)', 'duration (mins)', 'total duration (minutes)'],
};
const MEET = { first: ['first name'], last: ['last name'], email: ['email'], duration: ['duration'] };
/** Rows looked at for the header (a Zoom meeting-details block and a blank line may come first). */
const HEADER_SEARCH_ROWS = 20;

const find = (header: readonly string[], names: readonly string[]): number => {
  const norm = header.map(normalizeHeader);
  for (const n of names) {
    const at = norm.indexOf(n);
    if (at >= 0) return at;
  }
  return -1;
};

const Minutes = z
  .number()
  .min(0, 'not negative')
  .max(24 * 60, 'at most a day');

/** Zoom writes whole minutes; a re-saved file may have `12,5`. */
function zoomMinutes(text: string): number {
  const n = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`"${text}" is not a number of minutes`);
  return Minutes.parse(n);
}

/** Meet: `1 hr 5 min`, `45 min`, `30 sec`, `1:05:00` (h:mm:ss), `0:45` (h:mm), or plain minutes. */
export function meetMinutes(text: string): number {
  const t = text.trim().toLowerCase();
  let minutes: number | null = null;
  if (/^\d+([.,]\d+)?$/.test(t)) minutes = Number(t.replace(',', '.'));
  const clock = /^(\d+):(\d{1,2})(?::(\d{1,2}))?$/.exec(t);
  if (clock) minutes = +clock[1] * 60 + +clock[2] + (clock[3] ? +clock[3] / 60 : 0);
  const units = [...t.matchAll(/(\d+(?:[.,]\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b/g)];
  if (minutes === null && units.length && t.replace(/(\d+(?:[.,]\d+)?)\s*[a-z]+/g, '').trim() === '') {
    minutes = 0;
    for (const [, n, unit] of units) {
      const v = Number(n.replace(',', '.'));
      minutes += unit.startsWith('h') ? v * 60 : unit.startsWith('s') ? v / 60 : v;
    }
  }
  if (minutes === null) throw new Error(`"${text}" is not a duration (e.g. "1 hr 5 min", "45 min", "1:05:00")`);
  return Minutes.parse(Math.round(minutes * 100) / 100);
}

/** `Display name (Original Name)` → both names; a plain name → itself. */
function zoomNames(text: string): string[] {
  const m = /^(.*?)\s*\(([^()]+)\)\s*$/.exec(text.trim());
  return (m ? [m[1], m[2]] : [text]).map((s) => s.trim()).filter(Boolean);
}

interface Layout {
  readonly format: ReportFormat;
  readonly headerLine: number;
  readonly header: readonly string[];
  readonly read: (
    cell: (at: number) => string,
    fail: (col: number, e: unknown) => never,
  ) => Omit<AttendeeLine, 'line' | 'raw'>;
}

function layoutOf(header: readonly string[], headerLine: number): Layout | null {
  const z = { name: find(header, ZOOM.name), email: find(header, ZOOM.email), minutes: find(header, ZOOM.minutes) };
  if (z.name >= 0 && z.minutes >= 0 && find(header, ['meeting id']) < 0)
    return {
      format: 'Zoom',
      headerLine,
      header,
      read: (cell, fail) => {
        const minutes = guarded(
          () => zoomMinutes(cell(z.minutes)),
          (e) => fail(z.minutes, e),
        );
        return { names: zoomNames(cell(z.name)), email: z.email >= 0 ? cell(z.email) : '', minutes };
      },
    };
  const m = {
    first: find(header, MEET.first),
    last: find(header, MEET.last),
    email: find(header, MEET.email),
    duration: find(header, MEET.duration),
  };
  if (m.first >= 0 && m.last >= 0 && m.duration >= 0)
    return {
      format: 'Google Meet',
      headerLine,
      header,
      read: (cell, fail) => {
        const minutes = guarded(
          () => meetMinutes(cell(m.duration)),
          (e) => fail(m.duration, e),
        );
        const name = `${cell(m.first)} ${cell(m.last)}`.trim();
        return { names: name ? [name] : [], email: m.email >= 0 ? cell(m.email) : '', minutes };
      },
    };
  return null;
}

/** The attendee lines of a report; `file` names it in errors. */
export function parseAttendanceReport(file: string, rows: readonly ReportRow[]): AttendanceReport {
  const nonEmpty = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  let layout: Layout | null = null;
  let start = 0;
  for (; start < Math.min(nonEmpty.length, HEADER_SEARCH_ROWS) && !layout; start++)
    layout = layoutOf(nonEmpty[start].cells, nonEmpty[start].line);
  if (!layout)
    throw new AttendanceFileError(
      `${file}: line ${nonEmpty[0]?.line ?? 1}: not a Zoom participants report (columns "Name (Original Name)", "User Email", "Duration (Minutes)") nor a Google Meet attendance report (columns "First name", "Last name", "Email", "Duration")`,
    );
  const { header, read, format } = layout;
  const lines = nonEmpty.slice(start).map((r): AttendeeLine => {
    const cell = (at: number) => (r.cells[at] ?? '').trim();
    const fail = (col: number, e: unknown): never => {
      throw new AttendanceFileError(`${file}: line ${r.line}, column "${header[col]}": ${messageOf(e)}`);
    };
    const raw = header.map((h, i) => `${h}=${cell(i)}`).join('; ');
    return { line: r.line, raw, ...read(cell, fail) };
  });
  return { format, lines };
}

function guarded<T>(read: () => T, fail: (e: unknown) => never): T {
  try {
    return read();
  } catch (e) {
    return fail(e);
  }
}

function messageOf(e: unknown): string {
  if (e instanceof z.ZodError) return e.issues[0].message;
  return (e as Error).message;
}
