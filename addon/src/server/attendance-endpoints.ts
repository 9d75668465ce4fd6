/**
 * The attendance sidebar's server functions: the view of a group's session, starting today's
 * session, saving the ticks, importing a Zoom or Meet report. Parameters arrive as unknown and are
 * parsed here (zod); every answer is a value or a typed refusal (AttendanceAnswer) that the sidebar
 * turns into the user's language — nothing is thrown for a refusal, and a refused call writes
 * nothing. Only the group's facilitators and admins may write, checked on every call against the
 * sheet as it is now. Writes run the CLI's own planning code (shared/src/facilitated) under the
 * document lock and apply its plan once.
 */
import { z } from 'zod';
import { InputError } from '../../../shared/src/errors';
import { sniffEncoding } from '../../../shared/src/export-csv';
import { readAttendanceCsvText } from '../../../shared/src/facilitated/attendance-csv';
import { findSession, UnknownSessionError } from '../../../shared/src/facilitated/attendance-edit';
import { planAttendanceImport, shownUnmatched } from '../../../shared/src/facilitated/attendance-import';
import {
  findGroup,
  mayMarkAttendance,
  NotInGroupError,
  planAttendanceMarks,
  planTodaysSession,
  UnknownGroupError,
} from '../../../shared/src/facilitated/attendance-marks';
import { AttendanceFileError } from '../../../shared/src/facilitated/attendance-report';
import { LENGTH_CAPS, PROGRESS_TAB, REJECTED_ROWS_TAB, SETTINGS_TAB, TEXT_CAP } from '../../../shared/src/layout';
import { readSettings, type Settings } from '../../../shared/src/settings';
import { isEmptyPlan, type Plan, type Snapshot } from '../../../shared/src/workbook';
import {
  MAX_IMPORT_BYTES,
  type AttendanceAnswer,
  type AttendanceImportResult,
  type AttendanceView,
  type SaveAttendanceResult,
  type ServerApi,
} from '../api';
import { SheetChangedError, WorkbookBusyError } from './apps-script-workbook';
import { AttendanceRefusal, attendanceView, ATTENDANCE_VIEW_TABS, type ViewChoice } from './attendance-view';
import type { Session } from './session';

/** A write also reads Progress (the derived flags need it) and Rejected rows (the import logs the unmatched). */
const WRITE_TABS = [...ATTENDANCE_VIEW_TABS, PROGRESS_TAB.name, REJECTED_ROWS_TAB.name];

/** More than any group: a request with more ticks is not the sidebar's. */
const MAX_MARKS = 2000;

const name = (max: number) => z.string().trim().min(1).max(max);
const ViewRequest = z
  .object({ group: z.string().trim().max(LENGTH_CAPS.group), session: z.string().trim().max(LENGTH_CAPS.sessionId) })
  .partial()
  .nullish();
const StartRequest = z.object({ group: name(LENGTH_CAPS.group), topic: z.string().max(TEXT_CAP).optional() });
const SaveRequest = z.object({
  session: name(LENGTH_CAPS.sessionId),
  marks: z.array(z.object({ email: name(LENGTH_CAPS.email), present: z.boolean() })).max(MAX_MARKS),
});
const UploadRequest = z.object({ session: name(LENGTH_CAPS.sessionId), name: z.string().max(255), base64: z.string() });

type AttendanceEndpoints = Pick<
  ServerApi,
  'getAttendanceView' | 'startSession' | 'saveAttendance' | 'importAttendance'
>;

export function attendanceEndpoints(session: Session): AttendanceEndpoints {
  const io = endpointIo(session);
  return {
    getAttendanceView: (raw?: unknown) => answer(() => io.view(ViewRequest.parse(raw) ?? {})),
    startSession: (raw: unknown) => answer(() => startToday(io, StartRequest.parse(raw))),
    saveAttendance: (raw: unknown) => answer(() => saveTicks(io, SaveRequest.parse(raw))),
    importAttendance: (raw: unknown) => answer(() => importReport(io, UploadRequest.parse(raw))),
  };
}

/** What every endpoint does around its rule: the user, the view, a write under the lock. */
interface EndpointIo {
  readonly ctx: Session['ctx'];
  user(): string;
  view(choice: ViewChoice): AttendanceView;
  /** Under the document lock: the tabs, Settings, the user; `act` plans, its plan is applied once. */
  write<T>(act: (w: WriteContext) => { plan: Plan; then: (snapshot: Snapshot) => T }): T;
}

function endpointIo(session: Session): EndpointIo {
  const { ctx } = session;
  const user = (): string => {
    const who = session.who();
    if (!who) throw new AttendanceRefusal('NO_USER');
    return who;
  };
  return {
    ctx,
    user,
    view(choice) {
      const who = user();
      const snapshot = session.read(ATTENDANCE_VIEW_TABS);
      return attendanceView(snapshot, readSettings(snapshot[SETTINGS_TAB.name]), who, ctx.now(), choice);
    },
    write(act) {
      const who = user();
      return ctx.exclusive(() => {
        const snapshot = session.read(WRITE_TABS);
        const settings = readSettings(snapshot[SETTINGS_TAB.name]);
        const decided = act({ snapshot, settings, user: who, now: ctx.now() });
        if (!isEmptyPlan(decided.plan)) ctx.workbook.apply(decided.plan);
        return decided.then(session.read(ATTENDANCE_VIEW_TABS));
      });
    },
  };
}

/** The view after a write, of the group and session written. */
const viewAfter = (w: WriteContext, choice: ViewChoice) => (snapshot: Snapshot) =>
  attendanceView(snapshot, w.settings, w.user, w.now, choice);

function startToday(io: EndpointIo, request: z.infer<typeof StartRequest>): AttendanceView {
  return io.write((w) => {
    const group = allowedGroup(w, request.group);
    const today = planTodaysSession(w.snapshot, { group: group.name, by: w.user, now: w.now, topic: request.topic });
    return { plan: today.plan, then: viewAfter(w, { group: group.name, session: today.session }) };
  });
}

function saveTicks(io: EndpointIo, request: z.infer<typeof SaveRequest>): SaveAttendanceResult {
  return io.write((w) => {
    const found = sessionOf(w, request.session);
    const group = allowedGroup(w, found.group);
    const input = { sessionId: found.id, marks: request.marks, by: w.user, now: w.now };
    const { plan, result } = planAttendanceMarks(w.snapshot, input);
    const { present, absent, excused, updated, problems } = result;
    const then = viewAfter(w, { group: group.name, session: found.id });
    return { plan, then: (s: Snapshot) => ({ present, absent, excused, updated, problems, view: then(s) }) };
  });
}

function importReport(io: EndpointIo, request: z.infer<typeof UploadRequest>): AttendanceImportResult {
  io.user();
  const files = io.ctx.files;
  if (!files) throw new AttendanceRefusal('UNAVAILABLE');
  if (!request.base64) throw new AttendanceRefusal('NO_FILE');
  // Checked again here: the sidebar is not trusted (the Import sidebar's limit and reason).
  if ((request.base64.length * 3) / 4 > MAX_IMPORT_BYTES + 2)
    throw new AttendanceRefusal('FILE_TOO_LARGE', String(MAX_IMPORT_BYTES / (1024 * 1024)));
  const file = request.name.trim() || 'attendance.csv';
  const blob = files.fromBase64(request.base64, file);
  // Parsing needs no lock: only the write does.
  const report = readAttendanceCsvText(blob.text(sniffEncoding(blob.head(2))), file);
  return io.write((w) => {
    const found = sessionOf(w, request.session);
    const group = allowedGroup(w, found.group);
    const { plan, result } = planAttendanceImport(w.snapshot, { file, sessionId: found.id, report, now: w.now });
    const { session, present, absent, updated, sessionMinutes, presentFrom, problems } = result;
    const unmatched = result.unmatched.map(shownUnmatched); // the CLI's --json fields
    const summary = { session, format: report.format, present, absent, updated, unmatched };
    const then = viewAfter(w, { group: group.name, session: found.id });
    return { plan, then: (s: Snapshot) => ({ ...summary, sessionMinutes, presentFrom, problems, view: then(s) }) };
  });
}

interface WriteContext {
  readonly snapshot: Snapshot;
  readonly settings: Settings;
  readonly user: string;
  readonly now: number;
}

function sessionOf(w: WriteContext, id: string) {
  try {
    return findSession(w.snapshot, id);
  } catch (e) {
    throw e instanceof UnknownSessionError ? new AttendanceRefusal('UNKNOWN_SESSION', id) : e;
  }
}

/** The group, when this user may mark it; else the refusal. */
function allowedGroup(w: WriteContext, name: string) {
  let group;
  try {
    group = findGroup(w.snapshot, name);
  } catch (e) {
    throw e instanceof UnknownGroupError ? new AttendanceRefusal('UNKNOWN_GROUP', name) : e;
  }
  if (!mayMarkAttendance(w.settings, group, w.user)) throw new AttendanceRefusal('NOT_FACILITATOR', group.name);
  return group;
}

/** The value, or the refusal it met as a typed code; anything else is a bug and reaches the sidebar as an error. */
function answer<T>(fn: () => T): AttendanceAnswer<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    const refusal = refusalOf(e);
    if (!refusal) throw e;
    return { ok: false, code: refusal.code, detail: refusal.detail };
  }
}

function refusalOf(e: unknown): AttendanceRefusal | null {
  if (e instanceof AttendanceRefusal) return e;
  if (e instanceof z.ZodError)
    return new AttendanceRefusal('BAD_REQUEST', e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  if (e instanceof WorkbookBusyError) return new AttendanceRefusal('BUSY');
  if (e instanceof SheetChangedError) return new AttendanceRefusal('SHEET_CHANGED', e.tab);
  if (e instanceof NotInGroupError) return new AttendanceRefusal('NOT_IN_GROUP', e.email);
  if (e instanceof AttendanceFileError) return new AttendanceRefusal('BAD_FILE', e.message);
  if (e instanceof InputError) return new AttendanceRefusal('SHEET_PROBLEM', e.message);
  return null;
}
