/**
 * The CET progress workbook, defined once as data. Every backend, the sync, the add-on and the
 * tests locate columns through this by header text (trimmed, case-insensitive), never by
 * position: users reorder columns and add their own, and both must survive every sync.
 */
import { normalizeHeader } from './header-match';
import { SETTING_SEED_ROWS } from './setting-rows';

export { normalizeHeader };

/** Who may write a column: `sync` (the worker), `human` (mentors/admins; the sync never writes it), `input` (humans fill, the sync reads). */
export type ColumnOwner = 'sync' | 'human' | 'input';

export interface ColumnDef {
  readonly key: string;
  readonly header: string;
  readonly owner: ColumnOwner;
  /** Column stays text even when it looks like a number (IDs, IINs keep leading zeros). */
  readonly text?: boolean;
  /** Data validation: the values a human may pick, or the number range they may type. */
  readonly validation?: Validation;
  /**
   * Longest text the worker writes into this column (exports are validated against it, workflows
   * refuse longer values). Every cap is far below Google Sheets' 50,000 characters per cell.
   */
  readonly maxLength?: number;
}

/** Google Sheets refuses a write that puts more than this many characters into one cell. */
export const SHEETS_CELL_LIMIT = 50_000;

/** Caps by layout key (`shared/src/layout.ts` is the one place they are set); other columns get {@link TEXT_CAP}. */
export const LENGTH_CAPS: Readonly<Record<string, number>> = {
  email: 254, // RFC 5321
  slug: 200,
  fullName: 500,
  course: 500,
  discipline: 500,
  school: 500,
  group: 500,
  cohort: 500,
  mentor: 500,
  facilitator: 500,
  facilitators: 2000,
  city: 500,
  institution: 500,
  sessionId: 200,
  studentId: 500,
  iin: 500,
  certificateUrl: 2048,
};
/** Free text (reasons, comments, audit details). Rejected rows' Reason and Raw are cut to this (plus a note). */
export const TEXT_CAP = 5000;

export type Validation =
  | { readonly kind: 'list'; readonly values: readonly string[] }
  | { readonly kind: 'number'; readonly min: number; readonly max: number };

/** A validation placed on a column (by header), as plans carry it to backends. */
export type ValidationRule = Validation & { readonly column: string };

/** Choice columns: the rules read exactly these values. */
export const MODELS = ['partial', 'full'] as const;
export const SCHOOL_STATUSES = ['Active', 'Expelled', 'Dropping out', 'Academic leave'] as const;
export const MATCH_DECISIONS = ['Same person', 'Different person'] as const;
/** `Roster status` values; blank reads as `Active`. */
export const ROSTER_STATUSES = ['Active', 'Replaced', 'Withdrawn'] as const;

const choices = (values: readonly string[]): Validation => ({ kind: 'list', values });

/** Declarative conditional formatting; each backend turns it into its own rules. */
export type FormatRule =
  | { kind: 'colorScale'; column: string } // 0 → red, 0.5 → yellow, 1 → green (rates 0..1)
  | { kind: 'redWhenPositive'; column: string } // problem counts
  | { kind: 'textColor'; column: string; equals: string; color: 'red' | 'amber' | 'green' | 'grey' };

export interface TabDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** `sheet`: rows belong to humans. `log`: append-only. `report`: rebuilt whole by the sync. `table`: rows upserted by the sync. */
  readonly kind: 'sheet' | 'log' | 'report' | 'table';
  readonly formats?: readonly FormatRule[];
  /** Number formats by header (e.g. `0%`), applied where the backend supports them. */
  readonly numberFormats?: Readonly<Record<string, string>>;
  /**
   * Layout keys that identify a row. Plans address rows by index, so backends where people keep
   * editing during a write (Sheets API, Apps Script) check these cells are unchanged first.
   */
  readonly anchor?: readonly string[];
  /** Rows a new tab starts with (Settings defaults, the standard grade scale). */
  readonly seedRows?: readonly (readonly (string | number | null)[])[];
}

const col = (key: string, header: string, owner: ColumnOwner, text = false): ColumnDef => ({
  key,
  header,
  owner,
  text,
  maxLength: LENGTH_CAPS[key] ?? TEXT_CAP + 100,
});

export const SETTINGS_TAB: TabDef = {
  name: 'Settings',
  kind: 'sheet',
  columns: [col('setting', 'Setting', 'input'), col('value', 'Value', 'input')],
  // One row per setting, defaults filled in (shared/src/setting-rows.ts).
  seedRows: SETTING_SEED_ROWS,
};

export const ROSTER_TAB: TabDef = {
  name: 'Roster',
  kind: 'sheet',
  anchor: ['email'],
  columns: [
    col('email', 'Email', 'input', true),
    col('fullName', 'Full name', 'input', true),
    col('studentId', 'Student ID', 'input', true),
    col('iin', 'IIN', 'input', true),
    col('school', 'School', 'input', true),
    col('group', 'Group', 'input', true),
    col('cohort', 'Cohort', 'input', true),
    { ...col('rosterStatus', 'Roster status', 'input', true), validation: choices(ROSTER_STATUSES) },
  ],
};

export const COURSES_TAB: TabDef = {
  name: 'Courses',
  kind: 'sheet',
  anchor: ['slug'],
  columns: [
    col('slug', 'Course slug', 'input', true),
    col('course', 'Course', 'input', true),
    col('discipline', 'Discipline', 'input', true),
    { ...col('model', 'Model', 'input', true), validation: choices(MODELS) },
    col('mentor', 'Mentor', 'input', true),
    col('deadline', 'Deadline', 'input', true),
    col('credits', 'Credits', 'input'),
  ],
};

export const PROGRESS_TAB: TabDef = {
  name: 'Progress',
  kind: 'table',
  anchor: ['email', 'slug'],
  columns: [
    col('email', 'Email', 'sync', true),
    col('fullName', 'Full name', 'sync', true),
    col('studentId', 'Student ID', 'sync', true),
    col('iin', 'IIN', 'sync', true),
    col('school', 'School', 'sync', true),
    col('group', 'Group', 'sync', true),
    col('course', 'Course', 'sync', true),
    col('slug', 'Course slug', 'sync', true),
    col('discipline', 'Discipline', 'sync', true),
    col('model', 'Model', 'sync', true),
    col('mentor', 'Mentor', 'sync', true),
    // A facilitated-programme participant's facilitator(s) (Groups tab), when the learner is not on the Roster.
    col('facilitator', 'Facilitator', 'sync', true),
    col('deadline', 'Deadline', 'sync', true),
    col('enrolledAt', 'Enrolled at', 'sync', true),
    col('lastActivityAt', 'Last activity at', 'sync', true),
    col('engagement', 'Engagement %', 'sync'),
    col('learningHours', 'Learning hours', 'sync'),
    col('completed', 'Completed', 'sync', true),
    col('completedAt', 'Completed at', 'sync', true),
    col('grade', 'Course grade %', 'sync'),
    col('certificateUrl', 'Certificate URL', 'sync', true),
    // Yes / No from an export with a certificate column; blank when the export had none.
    col('certificate', 'Certificate', 'sync', true),
    col('removed', 'Removed', 'sync', true),
    col('flags', 'Flags', 'sync', true),
    col('status', 'Status', 'sync', true),
    { ...col('points', 'Points', 'human'), validation: { kind: 'number', min: 0, max: 100 } },
    col('letter', 'Letter', 'human', true),
    col('approvedBy', 'Approved by', 'human', true),
    col('approvedAt', 'Approved at', 'human', true),
    col('mentorComment', 'Mentor comment', 'human', true),
  ],
  formats: [
    { kind: 'textColor', column: 'Status', equals: 'Needs review', color: 'red' },
    { kind: 'textColor', column: 'Status', equals: 'Overdue', color: 'red' },
    { kind: 'textColor', column: 'Status', equals: 'Ready for approval', color: 'amber' },
    { kind: 'textColor', column: 'Status', equals: 'Approved', color: 'green' },
    { kind: 'textColor', column: 'Status', equals: 'Removed', color: 'grey' },
    // Flags: a cell lists several; the first rule that matches colours it (the most serious first).
    { kind: 'textColor', column: 'Flags', equals: 'UNVERIFIED_APPROVAL', color: 'red' },
    { kind: 'textColor', column: 'Flags', equals: 'LOW_ENGAGEMENT', color: 'red' },
    { kind: 'textColor', column: 'Flags', equals: 'OVERDUE', color: 'red' },
    { kind: 'textColor', column: 'Flags', equals: 'LATE', color: 'amber' },
    { kind: 'textColor', column: 'Flags', equals: 'AT_RISK', color: 'amber' },
    { kind: 'textColor', column: 'Flags', equals: 'CERTIFICATE_PENDING', color: 'amber' },
    { kind: 'textColor', column: 'Flags', equals: 'NOT_ON_ROSTER', color: 'amber' },
    { kind: 'textColor', column: 'Flags', equals: 'NO_COURSERA_RECORD', color: 'grey' },
    { kind: 'textColor', column: 'Flags', equals: 'NOT_STARTED', color: 'grey' },
  ],
};

export const SUMMARY_COLUMNS = [
  'Enrolled',
  'Started',
  'Completed',
  'Certificates',
  'Ready for approval',
  'Approved',
  'Low engagement',
  'Late',
  'Overdue',
  'Average engagement %',
  'Completion rate',
] as const;

function summaryTab(name: string, groupHeader: string): TabDef {
  return {
    name,
    kind: 'report',
    columns: [col('group', groupHeader, 'sync', true), ...SUMMARY_COLUMNS.map((h) => col(h, h, 'sync'))],
    formats: [
      { kind: 'colorScale', column: 'Completion rate' },
      { kind: 'redWhenPositive', column: 'Low engagement' },
      { kind: 'redWhenPositive', column: 'Late' },
      { kind: 'redWhenPositive', column: 'Overdue' },
    ],
    numberFormats: { 'Completion rate': '0.0%', 'Average engagement %': '0.0' },
  };
}

export const SUMMARY_BY_SCHOOL_TAB = summaryTab('Summary by school', 'School');
export const SUMMARY_BY_COURSE_TAB = summaryTab('Summary by course', 'Course');
export const SUMMARY_BY_MENTOR_TAB = summaryTab('Summary by mentor', 'Mentor');
export const SUMMARY_BY_GROUP_TAB = summaryTab('Summary by group', 'Group');
export const SUMMARY_BY_DISCIPLINE_TAB = summaryTab('Summary by discipline', 'Discipline');

/** The dean's summaries, in the order they are built and shown. */
export const SUMMARY_TABS: readonly TabDef[] = [
  SUMMARY_BY_SCHOOL_TAB,
  SUMMARY_BY_COURSE_TAB,
  SUMMARY_BY_MENTOR_TAB,
  SUMMARY_BY_GROUP_TAB,
  SUMMARY_BY_DISCIPLINE_TAB,
];

/** Row labels the summaries and History write (one place, so they can be translated). */
export const SUMMARY_LABELS = {
  total: 'Total',
  /** A row without a school / course / mentor / group / discipline: counted, not hidden. */
  unassigned: '(not set)',
  /** Courses the Courses tab does not list, gathered into one row (while the tab lists any). */
  otherCourses: 'Other courses (not in the catalog)',
} as const;

/**
 * Dated totals per school (the History), one row per school (and Total) per as-of day; a second sync on the same
 * day replaces that day's rows. The add-on charts it; `mooc-desk report compare` reads it.
 */
export const HISTORY_TAB: TabDef = {
  // Not plain "History": Excel reserves that sheet name (exceljs refuses it, Excel will not open the file).
  name: 'Summary history',
  kind: 'report',
  columns: [
    col('date', 'Date', 'sync', true),
    col('school', 'School', 'sync', true),
    ...(
      [
        ['enrolled', 'Enrolled'],
        ['completed', 'Completed'],
        ['certified', 'Certified'],
        ['completionRate', 'Completion rate'],
        ['low', 'Low engagement'],
        ['lowShare', 'Low engagement share'],
        ['late', 'Late'],
        ['overdue', 'Overdue'],
      ] as const
    ).map(([key, header]) => col(key, header, 'sync')),
  ],
  numberFormats: { 'Completion rate': '0.0%', 'Low engagement share': '0.0%' },
};

export const SYNC_LOG_TAB: TabDef = {
  name: 'Sync log',
  kind: 'log',
  columns: [
    'Synced at',
    'Source',
    'SHA-256',
    'Rows read',
    'Rejected',
    'Inserted',
    'Updated',
    'Unchanged',
    'Flags',
    'Duration ms',
  ].map((h) => col(h, h, 'sync', h === 'Synced at' || h === 'Source' || h === 'SHA-256' || h === 'Flags')),
};

export const REJECTED_ROWS_TAB: TabDef = {
  name: 'Rejected rows',
  kind: 'log',
  columns: ['Synced at', 'Source', 'Line', 'Reason', 'Raw'].map((h) => col(h, h, 'sync', h !== 'Line')),
};

/** School lists for the next cohort; the eligibility check owns the last three columns. */
export const CANDIDATES_TAB: TabDef = {
  name: 'Candidates',
  kind: 'sheet',
  anchor: ['iin', 'email', 'fullName'],
  columns: [
    col('school', 'School', 'input', true),
    col('studentId', 'Student ID', 'input', true),
    col('iin', 'IIN', 'input', true),
    col('fullName', 'Full name', 'input', true),
    col('email', 'Email', 'input', true),
    col('group', 'Group', 'input', true),
    col('year', 'Year', 'input', true),
    { ...col('schoolStatus', 'School status', 'input', true), validation: choices(SCHOOL_STATUSES) },
    // `Same person` / `Different person`: an admin's answer to a POSSIBLE_MATCH (the check never writes it).
    { ...col('matchDecision', 'Match decision', 'human', true), validation: choices(MATCH_DECISIONS) },
    col('eligibility', 'Eligibility', 'sync', true),
    col('eligibilityDetail', 'Eligibility detail', 'sync', true),
    col('checkedAt', 'Checked at', 'sync', true),
  ],
  formats: [
    { kind: 'textColor', column: 'Eligibility', equals: 'ELIGIBLE', color: 'green' },
    { kind: 'textColor', column: 'Eligibility', equals: 'POSSIBLE_MATCH', color: 'amber' },
  ],
};

/** Everyone who took part in an earlier cohort; `enroll` appends, humans paste older cohorts. */
export const PARTICIPANTS_HISTORY_TAB: TabDef = {
  name: 'Participants history',
  kind: 'sheet',
  anchor: ['iin', 'email'],
  columns: [
    col('cohort', 'Cohort', 'input', true),
    col('iin', 'IIN', 'input', true),
    col('email', 'Email', 'input', true),
    col('studentId', 'Student ID', 'input', true),
    col('fullName', 'Full name', 'input', true),
    // Student IDs are unique only within a school: without it a Student ID match is not made.
    col('school', 'School', 'input', true),
  ],
};

/** The standard Kazakhstan point-rating scale; universities edit the tab, the rules read the tab. */
export const STANDARD_GRADE_SCALE: ReadonlyArray<readonly [string, number, number, number, string]> = [
  ['A', 4.0, 95, 100, 'Excellent (5)'],
  ['A-', 3.67, 90, 94, 'Excellent (5)'],
  ['B+', 3.33, 85, 89, 'Good (4)'],
  ['B', 3.0, 80, 84, 'Good (4)'],
  ['B-', 2.67, 75, 79, 'Good (4)'],
  ['C+', 2.33, 70, 74, 'Good (4)'],
  ['C', 2.0, 65, 69, 'Satisfactory (3)'],
  ['C-', 1.67, 60, 64, 'Satisfactory (3)'],
  ['D+', 1.33, 55, 59, 'Satisfactory (3)'],
  ['D', 1.0, 50, 54, 'Satisfactory (3)'],
  ['FX', 0.5, 25, 49, 'Unsatisfactory (2)'],
  ['F', 0, 0, 24, 'Unsatisfactory (2)'],
];

export const GRADE_SCALE_TAB: TabDef = {
  name: 'Grade scale',
  kind: 'sheet',
  columns: [
    col('letter', 'Letter', 'input', true),
    col('gpa', 'GPA', 'input'),
    col('min', 'Min %', 'input'),
    col('max', 'Max %', 'input'),
    col('traditional', 'Traditional mark', 'input', true),
  ],
  seedRows: STANDARD_GRADE_SCALE,
};

/**
 * Append-only record of approvals, revokes, overrides, enrollments and replacements. `Hash` chains
 * each row to the one above it (shared/src/audit-chain.ts).
 */
export const AUDIT_TAB: TabDef = {
  name: 'Audit',
  kind: 'log',
  columns: ['At', 'Who', 'Action', 'Email', 'Course slug', 'Before', 'After', 'Reason', 'Hash'].map((h) =>
    col(h, h, 'sync', true),
  ),
};

/** Facilitated programmes (shared/src/facilitated): the choice values the rules read. */
export const SESSION_MODES = ['face-to-face', 'online', 'blended'] as const;
export const PARTICIPANT_CATEGORIES = ['school teacher', 'university teacher', 'pre-service student', 'other'] as const;
export const PARTICIPANT_FIELDS = ['STEM', 'English', 'humanities', 'arts', 'other'] as const;
/** `Application status`; blank reads as `selected` (a participant typed in by hand). */
export const APPLICATION_STATUSES = ['applied', 'selected', 'withdrawn'] as const;
export const ATTENDANCE_MARKS = ['present', 'absent', 'excused'] as const;
export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;

/** Groups of a facilitated programme; the sync fills Participants and Flags (BELOW_MINIMUM_SIZE). */
export const GROUPS_TAB: TabDef = {
  name: 'Groups',
  kind: 'sheet',
  anchor: ['group'],
  columns: [
    col('group', 'Group', 'input', true),
    col('city', 'City', 'input', true),
    col('facilitators', 'Facilitators', 'input', true), // e-mails, comma-separated
    { ...col('mode', 'Mode', 'input', true), validation: choices(SESSION_MODES) },
    col('courses', 'Courses', 'input', true), // course slugs, comma-separated
    col('start', 'Start', 'input', true),
    col('end', 'End', 'input', true),
    { ...col('minimumSize', 'Minimum size', 'input'), validation: { kind: 'number', min: 1, max: 1000 } },
    col('participants', 'Participants', 'sync'),
    col('flags', 'Flags', 'sync', true),
  ],
  formats: [{ kind: 'textColor', column: 'Flags', equals: 'BELOW_MINIMUM_SIZE', color: 'red' }],
};

/** Applicants and participants of facilitated groups; CEFR level, Attendance %, Absences and Flags are derived. */
export const PARTICIPANTS_TAB: TabDef = {
  name: 'Participants',
  kind: 'sheet',
  anchor: ['email'],
  columns: [
    col('email', 'Email', 'input', true),
    col('fullName', 'Full name', 'input', true),
    col('group', 'Group', 'input', true),
    { ...col('category', 'Category', 'input', true), validation: choices(PARTICIPANT_CATEGORIES) },
    { ...col('field', 'Field', 'input', true), validation: choices(PARTICIPANT_FIELDS) },
    col('institution', 'Institution', 'input', true),
    col('city', 'City', 'input', true),
    { ...col('efSetScore', 'EF SET score', 'input'), validation: { kind: 'number', min: 0, max: 100 } },
    col('cefr', 'CEFR level', 'sync', true),
    col('motivation', 'Motivation', 'input', true),
    { ...col('applicationStatus', 'Application status', 'input', true), validation: choices(APPLICATION_STATUSES) },
    col('withdrawalReason', 'Withdrawal reason', 'input', true),
    col('attendanceRate', 'Attendance %', 'sync'),
    col('absences', 'Absences', 'sync'),
    col('flags', 'Flags', 'sync', true),
  ],
  // The most serious first, as on Progress: the first rule that matches colours the cell.
  formats: [
    { kind: 'textColor', column: 'Flags', equals: 'MISSED_SESSIONS', color: 'red' },
    { kind: 'textColor', column: 'Flags', equals: 'INVALID_EF_SET_SCORE', color: 'red' },
    { kind: 'textColor', column: 'Flags', equals: 'ATTENDS_NOT_COMPLETING', color: 'amber' },
  ],
};

export const SESSIONS_TAB: TabDef = {
  name: 'Sessions',
  kind: 'sheet',
  anchor: ['sessionId'],
  columns: [
    col('sessionId', 'Session ID', 'input', true),
    col('group', 'Group', 'input', true),
    col('date', 'Date', 'input', true),
    { ...col('mode', 'Mode', 'input', true), validation: choices(SESSION_MODES) },
    col('topic', 'Topic', 'input', true),
    col('facilitator', 'Facilitator', 'input', true),
  ],
};

/** One row per (session, participant). `attendance import` writes present/absent; a human's `excused` stays. */
export const ATTENDANCE_TAB: TabDef = {
  name: 'Attendance',
  kind: 'sheet',
  anchor: ['sessionId', 'email'],
  columns: [
    col('sessionId', 'Session ID', 'input', true),
    col('email', 'Email', 'input', true),
    { ...col('mark', 'Mark', 'input', true), validation: choices(ATTENDANCE_MARKS) },
    col('minutes', 'Minutes', 'input'),
    col('source', 'Source', 'input', true),
  ],
};

/**
 * What Refresh summaries charts for facilitated groups (shared/src/facilitated/sessions-charts.ts),
 * rebuilt whole from the sessions report: the spread of CEFR levels per group (every selected
 * participant in one column, a Total row last) …
 */
export const LEVELS_BY_GROUP_TAB: TabDef = {
  name: 'Levels by group',
  kind: 'report',
  columns: [
    col('group', 'Group', 'sync', true),
    ...CEFR_LEVELS.map((level) => col(level, level, 'sync')),
    col('noScore', 'No score', 'sync'),
    col('invalidScore', 'Invalid score', 'sync'),
    col('total', 'Total', 'sync'),
  ],
};

/** … and per programme course, participants vs completed vs certified by Category, a Total row after each course. */
export const CERTIFICATES_BY_COURSE_TAB: TabDef = {
  name: 'Certificates by course',
  kind: 'report',
  columns: [
    col('slug', 'Course slug', 'sync', true),
    col('course', 'Course', 'sync', true),
    col('category', 'Category', 'sync', true),
    col('participants', 'Participants', 'sync'),
    col('completed', 'Completed', 'sync'),
    col('certified', 'Certified', 'sync'),
  ],
};

/** Tabs in the order a new workbook shows them. Later features append their tabs here. */
export const LAYOUT: readonly TabDef[] = [
  SETTINGS_TAB,
  ROSTER_TAB,
  COURSES_TAB,
  PROGRESS_TAB,
  SUMMARY_BY_SCHOOL_TAB,
  SUMMARY_BY_COURSE_TAB,
  SUMMARY_BY_MENTOR_TAB,
  SUMMARY_BY_GROUP_TAB,
  SUMMARY_BY_DISCIPLINE_TAB,
  HISTORY_TAB,
  SYNC_LOG_TAB,
  REJECTED_ROWS_TAB,
  CANDIDATES_TAB,
  PARTICIPANTS_HISTORY_TAB,
  GRADE_SCALE_TAB,
  AUDIT_TAB,
  GROUPS_TAB,
  PARTICIPANTS_TAB,
  SESSIONS_TAB,
  ATTENDANCE_TAB,
  LEVELS_BY_GROUP_TAB,
  CERTIFICATES_BY_COURSE_TAB,
];

export function tabDef(name: string): TabDef {
  const tab = LAYOUT.find((t) => t.name === name);
  if (!tab) throw new Error(`no tab "${name}" in the layout`);
  return tab;
}

export const headersOf = (tab: TabDef): string[] => tab.columns.map((c) => c.header);

/** The data validations of a tab's columns, by header. */
export function validationsOf(tab: TabDef): ValidationRule[] {
  return tab.columns.filter((c) => c.validation).map((c) => ({ ...c.validation!, column: c.header }));
}

/** Column positions of a tab's anchor in an actual header row (missing columns left out). */
export function anchorColumns(tab: TabDef, index: ColumnIndex): number[] | undefined {
  const cols = (tab.anchor ?? []).map((k) => index[k]).filter((c) => c >= 0);
  return cols.length ? cols : undefined;
}

/** Positions of the layout's columns in an actual header row; -1 for a missing column. */
export type ColumnIndex<K extends string = string> = Record<K, number>;

export function indexColumns(tab: TabDef, header: readonly unknown[]): ColumnIndex {
  const positions = new Map<string, number>();
  header.forEach((h, i) => {
    const n = normalizeHeader(h);
    if (n && !positions.has(n)) positions.set(n, i);
  });
  const index: ColumnIndex = {};
  for (const c of tab.columns) index[c.key] = positions.get(normalizeHeader(c.header)) ?? -1;
  return index;
}

export function missingColumns(tab: TabDef, header: readonly unknown[]): ColumnDef[] {
  const index = indexColumns(tab, header);
  return tab.columns.filter((c) => index[c.key] === -1);
}

/** Header after a write: the existing header plus layout columns a user deleted, re-added at the end. */
export function workingHeader(
  tab: TabDef,
  existing: { readonly header: readonly string[] } | undefined,
): { header: string[]; added: string[] } {
  if (!existing) return { header: headersOf(tab), added: [] };
  const added = missingColumns(tab, existing.header).map((c) => c.header);
  return { header: [...existing.header, ...added], added };
}
