/**
 * How each tab looks (issue 12), as data in one place: a typical width per layout column (by column
 * key, so a localized header gets the same width), the identity columns frozen at the left, a bold
 * wrapped header, and the Total row of report tabs set apart. `lookOf` turns it into a TabPlan's
 * `look` for a tab definition; every backend applies that the same way.
 */
import { normalizeHeader } from './header-match';
import {
  ATTENDANCE_TAB,
  CANDIDATES_TAB,
  COURSES_TAB,
  GROUPS_TAB,
  PARTICIPANTS_HISTORY_TAB,
  PARTICIPANTS_TAB,
  PROGRESS_TAB,
  REJECTED_ROWS_TAB,
  ROSTER_TAB,
  SESSIONS_TAB,
  SUMMARY_TABS,
  SYNC_LOG_TAB,
  type TabDef,
} from './layout';
import type { TabLook } from './workbook';

/** A date-time as the sync writes it: 'YYYY-MM-DD HH:MM' (16) plus a little air. */
const DATE_TIME = 17;
/** Counts and percents in the summaries: the header wraps, the numbers are short. */
const FIGURE = 11;

/**
 * Width in characters by column key. Sized for typical values, not the longest: e-mails
 * (`aliya.kassymova@nu.edu.kz`), full names, school names such as "School of Engineering and
 * Digital Sciences" (42), date-times, percents. Headers wider than their column wrap.
 */
export const COLUMN_WIDTHS: Readonly<Record<string, number>> = {
  // people and courses
  email: 30,
  fullName: 28,
  studentId: 12,
  iin: 14,
  school: 43,
  group: 12,
  cohort: 14,
  rosterStatus: 13,
  slug: 28,
  course: 36,
  discipline: 24,
  model: 9,
  mentor: 28,
  deadline: 12,
  credits: 8,
  // Progress
  enrolledAt: DATE_TIME,
  lastActivityAt: DATE_TIME,
  engagement: 13,
  learningHours: 10,
  completed: 11,
  completedAt: DATE_TIME,
  grade: 10,
  certificateUrl: 32,
  certificate: 12,
  removed: 9,
  flags: 40,
  status: 19,
  points: 8,
  letter: 8,
  approvedBy: 28,
  approvedAt: DATE_TIME,
  mentorComment: 36,
  // Candidates
  year: 7,
  schoolStatus: 15,
  matchDecision: 17,
  eligibility: 19,
  eligibilityDetail: 44,
  checkedAt: DATE_TIME,
  // Facilitated programmes: Progress › Facilitator, Groups, Participants, Sessions, Attendance
  facilitator: 28,
  facilitators: 36, // e-mails, comma-separated
  city: 16,
  mode: 13, // 'face-to-face'
  courses: 32, // course slugs, comma-separated
  start: 12,
  end: 12,
  minimumSize: 9,
  participants: 12,
  category: 26, // 'pre-service student', 'болашақ педагог (студент)'
  field: 18, // 'гуманитарные науки'
  institution: 36,
  efSetScore: 9,
  cefr: 8,
  motivation: 50,
  applicationStatus: 14,
  withdrawalReason: 36,
  attendanceRate: 12,
  absences: 10,
  sessionId: 14,
  date: 12,
  topic: 36,
  mark: 16, // 'уважительная причина' wraps, the others fit
  minutes: 9,
  source: 28, // 'zoom: participants_8532.csv'
  // Settings and Grade scale
  setting: 24,
  value: 30,
  gpa: 7,
  min: 7,
  max: 7,
  traditional: 20,
  // Sync log, Rejected rows and Audit (their keys are their headers)
  'Synced at': DATE_TIME,
  Source: 36,
  'SHA-256': 20,
  'Rows read': 10,
  Rejected: 10,
  Inserted: 10,
  Updated: 10,
  Unchanged: 11,
  Flags: 40,
  'Duration ms': 11,
  Line: 7,
  Reason: 50,
  Raw: 60,
  At: DATE_TIME,
  Who: 28,
  Action: 20,
  Email: 30,
  'Course slug': 28,
  Before: 40,
  After: 40,
  Hash: 20,
};

/** Summary tabs: the first column names a school, course or mentor (long names); the rest are figures. */
const SUMMARY_GROUP_WIDTH = 44;
const SUMMARY_FIGURE_WIDTHS: Readonly<Record<string, number>> = { 'Average engagement %': 12 };

/** Identity columns frozen at the left, counted from the first column of the layout. */
const FROZEN_COLUMNS = new Map<string, number>([
  [PROGRESS_TAB.name, 2], // Email, Full name
  [ROSTER_TAB.name, 2], // Email, Full name
  [CANDIDATES_TAB.name, 4], // School, Student ID, IIN, Full name
  [PARTICIPANTS_HISTORY_TAB.name, 3], // Cohort, IIN, Email
  [COURSES_TAB.name, 2], // Course slug, Course
  [SYNC_LOG_TAB.name, 1],
  [REJECTED_ROWS_TAB.name, 1],
  [GROUPS_TAB.name, 1], // Group
  [PARTICIPANTS_TAB.name, 2], // Email, Full name
  [SESSIONS_TAB.name, 1], // Session ID
  [ATTENDANCE_TAB.name, 2], // Session ID, Email
  ...SUMMARY_TABS.map((t): [string, number] => [t.name, 1]),
]);

function widthOf(tab: TabDef, key: string, index: number): number | undefined {
  if (SUMMARY_TABS.includes(tab)) return index === 0 ? SUMMARY_GROUP_WIDTH : (SUMMARY_FIGURE_WIDTHS[key] ?? FIGURE);
  // The History: a date and a school first (sized like everywhere else), then figures.
  if (tab.kind === 'report') return COLUMN_WIDTHS[key] ?? FIGURE;
  return COLUMN_WIDTHS[key];
}

/** The look of a tab of the layout, with widths resolved to the tab's headers as the plan carries them. */
export function lookOf(tab: TabDef): TabLook {
  const widths: Record<string, number> = {};
  tab.columns.forEach((c, i) => {
    const w = widthOf(tab, c.key, i);
    if (w !== undefined) widths[c.header] = w;
  });
  const frozen = FROZEN_COLUMNS.get(tab.name);
  return {
    widths: fitHeaderWords(widths),
    ...(frozen ? { frozenColumns: frozen } : {}),
    headerStyle: true,
    ...(tab.kind === 'report' ? { totalRow: true } : {}),
  };
}

/**
 * Widths widened so no word of a header is broken across lines (a wrapped header shows whole words:
 * "Low engagement" in an 11-wide column printed as "engagemen/t"). Applied to the header text the
 * workbook shows, so a Kazakh or Russian header gets room for its own longest word.
 */
export function fitHeaderWords(widths: Readonly<Record<string, number>>): Record<string, number> {
  const longest = (h: string) => Math.max(0, ...h.split(/\s+/).map((w) => w.length));
  return Object.fromEntries(Object.entries(widths).map(([h, w]) => [h, Math.max(w, longest(h) + 2)]));
}

/**
 * A bold header letter is wider than the column's unit (the default font's digit): measured in
 * LibreOffice, "engagement %" (12 letters) does not fit a 12-wide column in bold.
 */
const BOLD_LETTER = 1.1;
/** The height of one line of the 11 pt default font, in points (Excel's and LibreOffice's default row). */
export const LINE_POINTS = 15;

/** Lines a bold header takes, wrapped at spaces in a column `width` characters wide. */
export function headerLines(text: string, width: number): number {
  const room = Math.max(1, width / BOLD_LETTER);
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const need = used ? used + 1 + word.length : word.length;
    if (need <= room) used = need;
    else if (!used)
      used = word.length; // a word longer than the column stays on its line
    else {
      lines++;
      used = word.length;
    }
    while (used > room) {
      lines++;
      used -= room;
    }
  }
  return lines;
}

/**
 * The header row's height in points when a header wraps (undefined when every header fits on one
 * line). Google Sheets sizes a wrapped row by itself; a file must say it, or LibreOffice prints the
 * header two lines high and cuts the first line of a three-line one ("Average" of "Average
 * engagement %").
 */
export function headerHeight(header: readonly string[], widths: Readonly<Record<string, number>>): number | undefined {
  const byHeader = new Map(Object.entries(widths).map(([h, w]) => [normalizeHeader(h), w]));
  let lines = 1;
  for (const h of header) {
    const w = byHeader.get(normalizeHeader(h));
    if (w !== undefined) lines = Math.max(lines, headerLines(h, w));
  }
  return lines > 1 ? lines * LINE_POINTS : undefined;
}

/** Google Sheets measures widths in pixels: about 7 per character of the default font, plus the cell's padding. */
const PX_PER_CHAR = 7;
const PX_PADDING = 5;

export function widthPixels(chars: number): number {
  return Math.round(chars * PX_PER_CHAR + PX_PADDING);
}

/** The inverse of {@link widthPixels}, for reading a width back in characters. */
export function widthChars(pixels: number): number {
  return Math.round((pixels - PX_PADDING) / PX_PER_CHAR);
}

/** The Total row of a report: bold, a rule above it and a light fill, so it does not read as one more group. */
export const TOTAL_ROW_STYLE = { bold: true, fill: 'F2F2F2', borderTop: '808080' } as const;

/**
 * The sheet rows (1-based, inclusive) a tab's conditional formats cover: from row 2 to the bottom
 * (`to` null: rows added later are covered too), or, on a rebuilt report with a Total, up to the
 * row above it (the Total would otherwise dominate a colour scale). Null when no data row is left.
 */
export function formattedRows(look: TabLook | undefined, replacedRows?: number): { from: 2; to: number | null } | null {
  if (!look?.totalRow || replacedRows === undefined) return { from: 2, to: null };
  return replacedRows > 1 ? { from: 2, to: replacedRows } : null;
}

/** A tab's look as a backend stores it, read back for the contract suite (sheet rows are 1-based). */
export interface StoredLook {
  /** Width in characters by header (Sheets: from pixels); columns nobody sized may be absent. */
  readonly widths: Record<string, number>;
  readonly frozenRows: number;
  readonly frozenColumns: number;
  readonly headerBold: boolean;
  readonly headerWrap: boolean;
  /** Rows set apart as a Total (bold, rule above): one on a rebuilt report, none elsewhere. */
  readonly totalRows: number[];
  /** Rows our conditional formats cover, by the header of the column they sit on. */
  readonly formatRows: Record<string, { from: number; to: number | null }>;
}
