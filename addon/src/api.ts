/**
 * The one list of server functions the sidebars may call through `google.script.run`.
 * The server implements `ServerApi`, the client calls it through a typed wrapper, the build emits a
 * top-level stub for each name, and the local harness routes `/rpc/<name>` to the same functions.
 */

/** What an eligibility sidebar shows. Codes are the shared rules' codes (ELIGIBLE, POSSIBLE_MATCH, ...). */
export interface EligibilityView {
  readonly user: string;
  readonly isAdmin: boolean;
  readonly candidates: number;
  /** Rows without a check result yet. */
  readonly unchecked: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly possibleMatches: readonly PossibleMatch[];
  /** Default cohort name (Settings `Cohort`). */
  readonly cohort: string;
}

export interface PossibleMatch {
  /** Data row index in Candidates when read; the server checks the e-mail still matches. */
  readonly row: number;
  readonly fullName: string;
  readonly email: string;
  readonly iin: string;
  readonly school: string;
  readonly detail: string;
}

export interface EnrollResult {
  readonly added: number;
  readonly skipped: number;
  readonly cohort: string;
  /** UTF-8 CSV for the enrollment operator; the sidebar offers it as a download. */
  readonly csv: string;
  readonly fileName: string;
  readonly view: EligibilityView;
}

export interface ApprovalRow {
  readonly email: string;
  readonly fullName: string;
  readonly course: string;
  readonly slug: string;
  readonly engagement: number | null;
  readonly certificateUrl: string;
  /** The stored certificate fact (Progress › Certificate; Completed = Yes where an old export had no certificate column). */
  readonly certificate: boolean;
  readonly completedAt: string;
  /** The row's real `Status` (Ready for approval, Needs review, In progress, Not started, Overdue, Approved, Removed). */
  readonly status: string;
  /** `Flags` codes (LOW_ENGAGEMENT, LATE, …): why a row needs review; the sidebar shows them as text. */
  readonly flags: readonly string[];
  readonly group: string;
  readonly mentorComment: string;
  readonly ready: boolean;
  readonly defaultPoints: number | null;
  readonly points: number | null;
  readonly letter: string;
  readonly approvedBy: string;
  readonly approvedAt: string;
}

export interface ApprovalView {
  readonly user: string;
  readonly isAdmin: boolean;
  /** Every unapproved row of this user's courses (every course for an admin), then the approved ones they may revoke. */
  readonly rows: readonly ApprovalRow[];
  /** The `Grade scale` bands, so the sidebar shows the letter as points are typed. */
  readonly scale: readonly ScaleBand[];
}

export interface ScaleBand {
  readonly letter: string;
  /** Whole points, inclusive. */
  readonly min: number;
  readonly max: number;
}

/** The longest `Mentor comment` the sidebar may write. */
export const COMMENT_MAX = 1000;

export interface CommentItem {
  readonly email: string;
  readonly slug: string;
  readonly text: string;
}

export interface ApproveItem {
  readonly email: string;
  readonly slug: string;
  /** 0–100, always sent by the sidebar: a blank or absent value is refused (only the CLI defaults to the course grade). */
  readonly points: number | null;
  /** Admins only: the written reason (10–500 characters) for approving a row that is not ready. */
  readonly override?: string | null;
  /**
   * With `override`: its reason code (`certificate-delayed`, `deadline-extended`,
   * `engagement-data-incomplete`, `other`; OVERRIDE_REASONS in shared/src/grading/approval.ts).
   */
  readonly overrideCode?: string | null;
}

export interface RevokeItem {
  readonly email: string;
  readonly slug: string;
  readonly reason: string;
}

export interface ItemResult {
  readonly email: string;
  readonly slug: string;
  readonly ok: boolean;
  /** Localised message for the sidebar. */
  readonly message: string;
}

export interface ActionResult {
  readonly results: readonly ItemResult[];
  readonly view: ApprovalView;
}

/**
 * The largest export file the Import sidebar sends: ~60k rows at ~175 bytes a row. 50k rows
 * (8.4 MB) take 9 s of V8 time in the bundle test, and 1.45M cells to write: the headroom is for
 * Apps Script's slower V8 and Google's own writes within the 6-minute execution limit; base64
 * (+33 %) keeps the call far below Apps Script's 50 MB blob size. Larger: the worker.
 */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** An export file as the Import sidebar sends it. */
export interface ExportUpload {
  readonly name: string;
  /** The file's bytes, base64. */
  readonly base64: string;
}

export interface ImportRejectedRow {
  readonly line: number;
  /** Names the column (letter and header) and what is wrong. */
  readonly reason: string;
}

/** What the Import sidebar shows after a sync: the CLI's summary. */
export interface ImportResult {
  readonly source: string;
  readonly rowsRead: number;
  readonly rejected: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly flags: Readonly<Record<string, number>>;
  readonly statuses: Readonly<Record<string, number>>;
  /** The first rejected rows (all of them are in the Rejected rows tab). */
  readonly rejectedRows: readonly ImportRejectedRow[];
  readonly rejectedAlreadyLogged: boolean;
  readonly duplicateRows: readonly {
    readonly email: string;
    readonly slug: string;
    readonly rows: readonly number[];
  }[];
  readonly coursesWithoutDeadline: readonly string[];
  readonly coursesNotInCatalog: readonly string[];
  readonly durationMs: number;
}

/** Rejected rows listed in the sidebar; the tab has them all. */
export const IMPORT_REJECTED_SHOWN = 20;

export interface ReplaceResult {
  readonly leaving: string;
  readonly joining: string;
  readonly cohort: string;
  /** The newcomer's enrollment list line (UTF-8 CSV), offered as a download. */
  readonly csv: string;
  readonly fileName: string;
}

export interface RecognitionResult {
  /** The new tab's name. */
  readonly tab: string;
  readonly rows: number;
  /** Approvals left out (not matching the Audit), on a second new tab when any. */
  readonly unverified: number;
  readonly unverifiedTab: string | null;
}

export interface AuditCheckResult {
  readonly rows: number;
  readonly intact: boolean;
  /** Sheet row of the first problem and the rows above it that verify. */
  readonly firstProblemRow: number | null;
  readonly trustedRows: number;
  /** The result in the user's language. */
  readonly message: string;
}

/**
 * Why an attendance call was refused: the sidebar maps each code to a message in the user's
 * language (client/attendance.ts); `detail` carries what the message names (an e-mail, a session,
 * the shared rules' own text naming a file line or a sheet cell).
 */
export const ATTENDANCE_ERRORS = [
  /** Apps Script does not reveal the user's e-mail. */
  'NO_USER',
  /** Neither a facilitator of the group (Groups › Facilitators) nor an admin (Settings › Admins). */
  'NOT_FACILITATOR',
  /** The Groups tab has no group yet. */
  'NO_GROUPS',
  'UNKNOWN_GROUP',
  'UNKNOWN_SESSION',
  /** A ticked participant is no longer a selected member of the group: the list changed in the sheet. */
  'NOT_IN_GROUP',
  /** The request is not what the sidebar sends (parameters failed the server's schema). */
  'BAD_REQUEST',
  'NO_FILE',
  'FILE_TOO_LARGE',
  /** Not a Zoom or Meet report, or a line that cannot be read: `detail` names file, line and column. */
  'BAD_FILE',
  /** A facilitated tab or Settings has a cell the rules cannot read: `detail` names tab, row and column. */
  'SHEET_PROBLEM',
  /** Someone else holds the document lock. */
  'BUSY',
  /** Rows were sorted, inserted or deleted while saving: nothing written. */
  'SHEET_CHANGED',
  /** No file host here (the import needs one). */
  'UNAVAILABLE',
] as const;
export type AttendanceError = (typeof ATTENDANCE_ERRORS)[number];

/** An attendance call's answer: a value, or a typed refusal (nothing written). */
export type AttendanceAnswer<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: AttendanceError; readonly detail: string };

export interface AttendanceGroup {
  readonly name: string;
  readonly city: string;
  readonly mode: string;
}

export interface AttendanceSession {
  readonly id: string;
  /** YYYY-MM-DD, or '' when the Sessions tab has none. */
  readonly date: string;
  readonly topic: string;
  readonly mode: string;
}

export interface AttendanceParticipant {
  readonly email: string;
  readonly fullName: string;
  /** The mark for the selected session (`excused` is a human's and stays), null when unmarked. */
  readonly mark: 'present' | 'absent' | 'excused' | null;
  readonly minutes: number | null;
}

/** What the attendance sidebar shows: the user's groups, the group's sessions, its selected participants. */
export interface AttendanceView {
  readonly user: string;
  readonly isAdmin: boolean;
  /** The groups this user may mark (all of them for an admin). */
  readonly groups: readonly AttendanceGroup[];
  readonly group: string;
  /** The group's sessions, newest first. */
  readonly sessions: readonly AttendanceSession[];
  /** The selected session ('' when the group has none yet). */
  readonly session: string;
  /** Today on Settings › Time zone's clock, and today's session of the group if there is one. */
  readonly today: string;
  readonly todaysSession: string;
  /** The group's selected participants, by name. */
  readonly participants: readonly AttendanceParticipant[];
}

export interface AttendanceViewRequest {
  readonly group?: string;
  readonly session?: string;
}

export interface StartSessionRequest {
  readonly group: string;
  readonly topic?: string;
}

/** The ticks of the participants the sidebar showed; the server writes only those. */
export interface SaveAttendanceRequest {
  readonly session: string;
  readonly marks: readonly { readonly email: string; readonly present: boolean }[];
}

export interface SaveAttendanceResult {
  readonly present: number;
  readonly absent: number;
  /** Ticked, but excused in the sheet: left excused. */
  readonly excused: number;
  /** Attendance rows added or changed (0 when saved twice). */
  readonly updated: number;
  /** Rows of Participants the derived cells could not judge (an EF SET score out of range). */
  readonly problems: readonly string[];
  readonly view: AttendanceView;
}

/** A Zoom or Meet participants report for one session, as the sidebar sends it (the Import sidebar's path). */
export interface AttendanceUpload {
  readonly session: string;
  readonly name: string;
  /** The file's bytes, base64. */
  readonly base64: string;
}

/** `mooc-desk attendance import --json`, plus what the sidebar shows beside it. */
export interface AttendanceImportResult {
  readonly session: string;
  readonly format: string;
  readonly present: number;
  readonly absent: number;
  readonly updated: number;
  readonly unmatched: readonly {
    readonly lines: readonly number[];
    readonly name: string;
    readonly email: string;
    readonly minutes: number;
    readonly reason: string;
  }[];
  readonly sessionMinutes: number;
  readonly presentFrom: number;
  readonly problems: readonly string[];
  readonly view: AttendanceView;
}

export interface ServerApi {
  getEligibilityView(): EligibilityView;
  runEligibilityCheck(): EligibilityView;
  /** `same`: the candidate is that earlier participant; otherwise a different person. */
  resolvePossibleMatch(row: number, email: string, same: boolean): EligibilityView;
  /**
   * `newCohort`: the admin confirmed that a cohort different from Settings `Cohort` starts a new
   * one (the sidebar asks first); without it such a cohort is refused as a likely typo.
   */
  enrollEligible(cohort: string, newCohort?: boolean): EnrollResult;
  /** Admins: undo an enrollment into the current cohort (Roster and history rows removed, audited). */
  unenrollStudent(email: string, reason: string): EligibilityView;
  getApprovalView(): ApprovalView;
  approveRows(items: ApproveItem[]): ActionResult;
  revokeRow(item: RevokeItem): ActionResult;
  /** Writes only the row's `Mentor comment` (the course's mentor or an admin; at most COMMENT_MAX characters). */
  saveComment(item: CommentItem): ActionResult;
  /** Admins: sync an export file (CSV or the 2026 ZIP) into the sheet, as `mooc-desk sync` does. */
  importExport(upload: ExportUpload): ImportResult;
  /** Admins: a dropped student's place goes to a candidate (`mooc-desk replace`). */
  replaceStudent(out: string, joining: string, reason: string): ReplaceResult;
  /** The recognition report (`mooc-desk report recognition`) written to a new tab. */
  writeRecognitionReport(): RecognitionResult;
  /** Verifies the Audit tab's hash chain (`mooc-desk audit verify`); reads only. */
  checkAudit(): AuditCheckResult;
  /** Facilitators (their groups) and admins: a group's sessions and participants with their marks. */
  getAttendanceView(request?: AttendanceViewRequest): AttendanceAnswer<AttendanceView>;
  /** Today's session of the group (a Sessions row, added once); the view with it selected. */
  startSession(request: StartSessionRequest): AttendanceAnswer<AttendanceView>;
  /** The ticks → Attendance (present/absent; an `excused` stays) and the derived cells. */
  saveAttendance(request: SaveAttendanceRequest): AttendanceAnswer<SaveAttendanceResult>;
  /** A Zoom or Meet report for a session, as `mooc-desk attendance import` does. */
  importAttendance(upload: AttendanceUpload): AttendanceAnswer<AttendanceImportResult>;
}

export type ServerFunctionName = keyof ServerApi;

export const SERVER_FUNCTIONS = [
  'getEligibilityView',
  'runEligibilityCheck',
  'resolvePossibleMatch',
  'enrollEligible',
  'unenrollStudent',
  'getApprovalView',
  'approveRows',
  'revokeRow',
  'saveComment',
  'importExport',
  'replaceStudent',
  'writeRecognitionReport',
  'checkAudit',
  'getAttendanceView',
  'startSession',
  'saveAttendance',
  'importAttendance',
] as const satisfies readonly ServerFunctionName[];

// Every ServerApi member is listed above (compile error otherwise).
type Missing = Exclude<ServerFunctionName, (typeof SERVER_FUNCTIONS)[number]>;
const allListed: Missing extends never ? true : never = true;
void allListed;

/** Menu items and triggers: top-level functions Apps Script calls by name. */
export const MENU_FUNCTIONS = [
  'menuSetUp',
  'menuImport',
  'menuEligibility',
  'menuStudents',
  'menuApproval',
  'menuRefreshSummaries',
  'menuRecognitionReport',
  'menuAuditCheck',
  'menuAttendance',
] as const;
export const TRIGGER_FUNCTIONS = ['onOpen', 'onInstall'] as const;

/** Sidebars, as built into addon/dist/<name>.html. */
export const SIDEBARS = ['eligibility', 'approval', 'import', 'students', 'attendance'] as const;
export type SidebarName = (typeof SIDEBARS)[number];

/** What the server injects into a sidebar page: its language and messages. */
export interface SidebarBoot {
  readonly sidebar: SidebarName;
  readonly lang: string;
  readonly messages: Readonly<Record<string, string>>;
}
