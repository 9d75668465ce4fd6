/**
 * The attendance sidebar's server functions over the Apps Script workbook on typed fakes: the
 * server, not the sidebar, decides who may mark a group, and every refusal is a typed code with
 * nothing written. Saving runs the shared planning code (excused stays, twice changes nothing, the
 * derived cells follow); a Zoom report through the endpoint gives what `mooc-desk attendance
 * import` gives on the same workbook.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LAYOUT } from '../../shared/src/layout';
import type { Plan } from '../../shared/src/workbook';
import { XlsxWorkbook } from '../../worker/src/adapters/xlsx-workbook';
import { cli } from '../../worker/test/support/cli';
import type { AttendanceAnswer } from '../src/api';
import { AppsScriptWorkbook } from '../src/server/apps-script-workbook';
import { createServerApi } from '../src/server/endpoints';
import { localizedSync } from '../src/server/localized';
import { nodeFileHost } from '../dev/node-files';
import { ADMIN, demoPlan, LAW_MENTOR, XSS_NAME } from '../dev/seed';
import { AKTAU_FACILITATOR, FACILITATOR, facilitatedPlan, ZOOM_SESSION } from '../dev/seed-facilitated';
import { FakeApp, FakeLock, FakeSpreadsheet } from './fakes/spreadsheet';

const NOW = Date.parse('2026-05-01T06:00:00Z'); // 11:00 in Almaty
const ZOOM = path.join(__dirname, '..', '..', 'worker', 'test', 'fixtures', 'attendance', 'zoom-week3.csv');
const ALMATY = ['aigerim@school.kz', 'bolat.nurlanov@uni.kz', 'dana@uni.kz', 'xss@uni.kz'];

function sheet(user: string, workbookFilter?: (wb: AppsScriptWorkbook) => { apply(plan: Plan): void }) {
  const ss = new FakeSpreadsheet();
  const lock = new FakeLock();
  const wb = new AppsScriptWorkbook(ss, { app: new FakeApp(), lock });
  wb.apply(demoPlan());
  wb.apply(facilitatedPlan());
  const who = { user };
  const writer = workbookFilter?.(wb) ?? wb;
  const api = createServerApi({
    workbook: { read: (tabs) => wb.read(tabs), apply: (plan) => writer.apply(plan) },
    userEmail: () => who.user,
    userLocale: () => 'en',
    now: () => NOW,
    exclusive: (fn) => wb.withLock(fn),
    files: nodeFileHost(),
  });
  return { ss, wb, api, who, lock };
}

const dump = (ss: FakeSpreadsheet) => JSON.stringify(ss.sheets.map((s) => [s.getName(), s.dump()]));
const records = (ss: FakeSpreadsheet, tab: string) => {
  const [header, ...rows] = ss.getSheetByName(tab)!.dump() as string[][];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};
const marksOf = (ss: FakeSpreadsheet, session: string) =>
  records(ss, 'Attendance')
    .filter((r) => r['Session ID'] === session)
    .map((r) => [r.Email, r.Mark, r.Minutes, r.Source]);
const participant = (ss: FakeSpreadsheet, email: string) => records(ss, 'Participants').find((p) => p.Email === email)!;

function value<T>(answer: AttendanceAnswer<T>): T {
  if (!answer.ok) throw new Error(`refused: ${answer.code} ${answer.detail}`);
  return answer.value;
}
const ticks = (present: readonly string[], all = ALMATY) =>
  all.map((email) => ({ email, present: present.includes(email) }));

describe('attendance: who may mark', () => {
  test('a facilitator sees only their group, opened on its latest session, participants by name with their marks', () => {
    const { api } = sheet(FACILITATOR);
    const view = value(api.getAttendanceView());
    expect(view).toMatchObject({
      user: FACILITATOR,
      isAdmin: false,
      groups: [{ name: 'Almaty-1', city: 'Almaty', mode: 'online' }],
      group: 'Almaty-1',
      session: 'ALA-W4',
      today: '2026-05-01',
      todaysSession: '',
    });
    expect(view.sessions.map((s) => [s.id, s.date, s.topic])).toEqual([
      ['ALA-W4', '2026-04-23', 'Lab reports'],
      [ZOOM_SESSION, '2026-04-16', 'Fake news'],
    ]);
    // Selected participants only (the withdrawn and the applicant are not listed), the name as text.
    expect(view.participants.map((p) => [p.fullName, p.mark])).toEqual([
      [XSS_NAME, null],
      ['Bolat Nurlanov', null],
      ['Dana Ermekova', 'excused'],
      ['Сапарова Айгерим Нурлановна', null],
    ]);
    expect(value(api.getAttendanceView({ session: ZOOM_SESSION })).session).toBe(ZOOM_SESSION);
  });

  test('a facilitator of another group, a plain user and a course mentor are refused with a typed code; nothing written', () => {
    const { ss, wb, api, who } = sheet(AKTAU_FACILITATOR);
    // The media-literacy course's mentor (Courses › Mentor) is still not a facilitator of the groups taking it.
    wb.apply({ tabs: [{ tab: 'Courses', updates: [{ row: 2, col: 4, value: LAW_MENTOR }] }] });
    expect(records(ss, 'Courses')[2]).toMatchObject({ 'Course slug': 'media-literacy', Mentor: LAW_MENTOR });
    const before = dump(ss);
    const save = () => api.saveAttendance({ session: ZOOM_SESSION, marks: ticks(ALMATY) });
    expect(save()).toEqual({ ok: false, code: 'NOT_FACILITATOR', detail: 'Almaty-1' });
    expect(api.getAttendanceView({ group: 'Almaty-1' })).toMatchObject({ ok: false, code: 'NOT_FACILITATOR' });
    expect(api.startSession({ group: 'Almaty-1' })).toMatchObject({ ok: false, code: 'NOT_FACILITATOR' });
    expect(value(api.getAttendanceView()).groups.map((g) => g.name)).toEqual(['Aktau-1']);
    for (const user of ['someone@else.kz', LAW_MENTOR]) {
      who.user = user;
      expect(api.getAttendanceView()).toEqual({ ok: false, code: 'NOT_FACILITATOR', detail: '' });
      expect(save()).toMatchObject({ ok: false, code: 'NOT_FACILITATOR' });
    }
    who.user = '';
    expect(save()).toEqual({ ok: false, code: 'NO_USER', detail: '' });
    expect(dump(ss)).toBe(before);
    // An admin may mark any group.
    who.user = ADMIN;
    expect(value(api.getAttendanceView()).groups.map((g) => g.name)).toEqual(['Almaty-1', 'Aktau-1']);
    expect(value(save()).present).toBe(4);
  });

  test('requests are parsed on the server: the wrong shape, a stranger ticked, an unknown session — typed codes, nothing written', () => {
    const { ss, api } = sheet(FACILITATOR);
    const before = dump(ss);
    const call = (request: unknown) => (api.saveAttendance as (r: unknown) => AttendanceAnswer<unknown>)(request);
    for (const bad of [
      null,
      'ALA-W3',
      { session: ZOOM_SESSION },
      { session: ZOOM_SESSION, marks: [{ email: 'dana@uni.kz', present: 'yes' }] },
      { session: ' ', marks: [] },
      { session: ZOOM_SESSION, marks: Array.from({ length: 2001 }, () => ({ email: 'dana@uni.kz', present: true })) },
    ])
      expect(call(bad)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(call({ session: ZOOM_SESSION, marks: ticks(['gani@uni.kz'], ['gani@uni.kz']) })).toEqual({
      ok: false,
      code: 'NOT_IN_GROUP',
      detail: 'gani@uni.kz',
    });
    expect(call({ session: 'ALA-W9', marks: [] })).toEqual({ ok: false, code: 'UNKNOWN_SESSION', detail: 'ALA-W9' });
    expect(api.getAttendanceView({ group: 'Atyrau-1' })).toMatchObject({ ok: false, code: 'UNKNOWN_GROUP' });
    expect(dump(ss)).toBe(before);
  });
});

describe('attendance: saving ticks', () => {
  test('a facilitator saves: Attendance rows, the derived Attendance % and MISSED_SESSIONS; saving twice changes nothing', () => {
    const { ss, api, lock } = sheet(FACILITATOR);
    const saved = value(
      api.saveAttendance({ session: ZOOM_SESSION, marks: ticks(['aigerim@school.kz', 'dana@uni.kz']) }),
    );
    expect(saved).toMatchObject({ present: 2, absent: 2, excused: 0, updated: 4, problems: [] });
    expect(lock.acquisitions).toBeGreaterThan(0);
    expect(lock.held).toBe(false);
    const source = `Sidebar: ${FACILITATOR}`;
    expect(marksOf(ss, ZOOM_SESSION)).toEqual([
      ['aigerim@school.kz', 'present', '', source],
      ['bolat.nurlanov@uni.kz', 'absent', '', source],
      ['dana@uni.kz', 'present', '', source],
      ['xss@uni.kz', 'absent', '', source],
    ]);
    expect(saved.view.participants.map((p) => [p.email, p.mark])).toEqual([
      ['xss@uni.kz', 'absent'],
      ['bolat.nurlanov@uni.kz', 'absent'],
      ['dana@uni.kz', 'present'],
      ['aigerim@school.kz', 'present'],
    ]);
    // Allowed absences 0: one absence is MISSED_SESSIONS. Dana: present once, excused once → 100 %.
    expect(participant(ss, 'bolat.nurlanov@uni.kz')).toMatchObject({
      'Attendance %': 0,
      Absences: 1,
      Flags: 'MISSED_SESSIONS',
    });
    expect(participant(ss, 'dana@uni.kz')).toMatchObject({ 'Attendance %': 100, Absences: 0, Flags: '' });

    const before = dump(ss);
    const again = value(
      api.saveAttendance({ session: ZOOM_SESSION, marks: ticks(['aigerim@school.kz', 'dana@uni.kz']) }),
    );
    expect(again).toMatchObject({ present: 2, absent: 2, updated: 0 });
    expect(dump(ss)).toBe(before);

    // Bolat did come after all: the flag goes with the absence.
    value(
      api.saveAttendance({ session: ZOOM_SESSION, marks: ticks(['bolat.nurlanov@uni.kz'], ['bolat.nurlanov@uni.kz']) }),
    );
    expect(participant(ss, 'bolat.nurlanov@uni.kz')).toMatchObject({ 'Attendance %': 100, Absences: 0, Flags: '' });
  });

  test('an excused mark a human typed survives a tick; the others are written', () => {
    const { ss, api } = sheet(FACILITATOR);
    const saved = value(api.saveAttendance({ session: 'ALA-W4', marks: ticks(ALMATY) }));
    expect(saved).toMatchObject({ present: 3, absent: 0, excused: 1, updated: 3 });
    expect(marksOf(ss, 'ALA-W4').find((m) => m[0] === 'dana@uni.kz')).toEqual([
      'dana@uni.kz',
      'excused',
      '',
      'phone call',
    ]);
    expect(saved.view.participants.find((p) => p.email === 'dana@uni.kz')!.mark).toBe('excused');
  });

  test("today's session: one Sessions row however often it is started, then saved like any other", () => {
    const { ss, api } = sheet(FACILITATOR);
    const started = value(api.startSession({ group: 'almaty-1', topic: 'Debate' }));
    expect(started).toMatchObject({ session: 'Almaty-1-2026-05-01', todaysSession: 'Almaty-1-2026-05-01' });
    expect(records(ss, 'Sessions').at(-1)).toEqual({
      'Session ID': 'Almaty-1-2026-05-01',
      Group: 'Almaty-1',
      Date: '2026-05-01',
      Mode: 'online',
      Topic: 'Debate',
      Facilitator: FACILITATOR,
    });
    expect(value(api.startSession({ group: 'Almaty-1' })).session).toBe('Almaty-1-2026-05-01');
    expect(records(ss, 'Sessions')).toHaveLength(4);
    expect(value(api.getAttendanceView()).session).toBe('Almaty-1-2026-05-01'); // the sidebar opens on today's
    expect(value(api.saveAttendance({ session: started.session, marks: ticks(ALMATY) })).updated).toBe(4);
  });

  test('someone sorts Participants while the save is written: SHEET_CHANGED, nothing lands on the wrong person', () => {
    let sortFirst = true;
    const { ss, api } = sheet(FACILITATOR, (wb) => ({
      apply: (plan) => {
        if (sortFirst) {
          sortFirst = false;
          const s = ss.getSheetByName('Participants')!;
          const rows = s.getRange(2, 1, s.getLastRow() - 1, s.getLastColumn()).getValues();
          s.getRange(2, 1, rows.length, rows[0].length).setValues(
            rows.reverse().map((r) => r.map((v) => (typeof v === 'string' && v !== '' ? `'${v}` : v))),
          );
        }
        wb.apply(plan);
      },
    }));
    const attendance = JSON.stringify(ss.getSheetByName('Attendance')!.dump());
    expect(api.saveAttendance({ session: ZOOM_SESSION, marks: ticks([]) })).toEqual({
      ok: false,
      code: 'SHEET_CHANGED',
      detail: 'Participants',
    });
    expect(JSON.stringify(ss.getSheetByName('Attendance')!.dump())).toBe(attendance);
    expect(value(api.saveAttendance({ session: ZOOM_SESSION, marks: ticks([]) })).updated).toBe(4);
  });
});

describe('attendance in a Russian workbook (through the localizing decorator, as main.ts opens it)', () => {
  test('marks and flags are written in Russian, an excused typed in Russian stays, saving twice changes nothing', () => {
    const ss = new FakeSpreadsheet();
    const wb = new AppsScriptWorkbook(ss, { app: new FakeApp(), lock: new FakeLock() });
    wb.apply(demoPlan({ language: 'ru' }));
    wb.apply(facilitatedPlan());
    const setUp = localizedSync(wb, { relabel: true }); // Set up: the tabs into Russian
    setUp.read(LAYOUT.map((t) => t.name));
    setUp.apply({ tabs: [] });
    const dana = records(ss, 'Посещаемость').find((r) => r['E-mail'] === 'dana@uni.kz')!;
    expect(dana['Явка']).toBe('excused'); // typed by a human before the switch: kept as typed, read in any language
    ss.getSheetByName('Посещаемость')!
      .getRange(2, 3, 1, 1)
      .setValues([['уважительная причина']]);
    const api = createServerApi({
      workbook: localizedSync(wb),
      userEmail: () => FACILITATOR,
      userLocale: () => 'ru',
      now: () => NOW,
      exclusive: (fn) => wb.withLock(fn),
      files: nodeFileHost(),
    });
    const view = value(api.getAttendanceView({ session: 'ALA-W4' }));
    expect(view.participants.find((p) => p.email === 'dana@uni.kz')!.mark).toBe('excused');
    const saved = value(api.saveAttendance({ session: 'ALA-W4', marks: ticks(['xss@uni.kz']) }));
    expect(saved).toMatchObject({ present: 1, absent: 2, excused: 1, updated: 3 });
    const w4 = records(ss, 'Посещаемость').filter((r) => r['ID занятия'] === 'ALA-W4');
    expect(w4.map((r) => [r['E-mail'], r['Явка']])).toEqual([
      ['dana@uni.kz', 'уважительная причина'],
      ['aigerim@school.kz', 'отсутствовал'],
      ['bolat.nurlanov@uni.kz', 'отсутствовал'],
      ['xss@uni.kz', 'присутствовал'],
    ]);
    const bolat = records(ss, 'Участники').find((p) => p['E-mail'] === 'bolat.nurlanov@uni.kz')!;
    expect(bolat['Отметки']).toBe('пропуски сверх допустимого');
    const before = dump(ss);
    expect(value(api.saveAttendance({ session: 'ALA-W4', marks: ticks(['xss@uni.kz']) })).updated).toBe(0);
    expect(dump(ss)).toBe(before);
  });
});

describe('attendance: a Zoom report from the sidebar', () => {
  const upload = (session: string, name: string, text: string) => ({
    session,
    name,
    base64: Buffer.from(text).toString('base64'),
  });
  const zoom = fs.readFileSync(ZOOM, 'utf8');

  test('the same counts, marks and Rejected rows as `mooc-desk attendance import` on the same workbook; twice changes nothing', async () => {
    const { ss, api } = sheet(FACILITATOR);
    const result = value(api.importAttendance(upload(ZOOM_SESSION, 'zoom-week3.csv', zoom)));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-attendance-'));
    try {
      const file = path.join(dir, 'progress.xlsx');
      const xlsx = await XlsxWorkbook.open(file, { create: true });
      await xlsx.apply(demoPlan());
      await xlsx.apply(facilitatedPlan());
      const args = ['attendance', 'import', ZOOM, '--workbook', file, '--session', ZOOM_SESSION, '--json'];
      const run = await cli([...args, '--at', new Date(NOW).toISOString()]);
      expect(run.stderr).toBe('');
      const expected = JSON.parse(run.stdout) as Record<string, unknown>;
      const { session, present, absent, unmatched, updated } = result;
      expect({ session, present, absent, unmatched, updated }).toEqual(expected);
      const book = (await XlsxWorkbook.open(file)).read(['Attendance', 'Rejected rows']);
      const cliMarks = book.Attendance!.rows.filter((r) => r[0] === ZOOM_SESSION).map((r) => r.slice(0, 5));
      expect(marksOf(ss, ZOOM_SESSION)).toEqual(cliMarks.map((r) => [r[1], r[2], r[3], r[4]]));
      expect(records(ss, 'Rejected rows').map((r) => [r.Source, r.Line, r.Reason])).toEqual(
        book['Rejected rows']!.rows.map((r) => [r[1], r[2], r[3]]),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Worked out by hand: Aigerim 20 + 25 = 45 of the facilitator's 90 minutes (exactly half), Bolat 60;
    // Dana and the <img> participant are not in the report; the iPhone guest matches nobody.
    expect(result).toMatchObject({ format: 'Zoom', present: 2, absent: 2, updated: 4, sessionMinutes: 90 });
    expect(result.unmatched).toEqual([expect.objectContaining({ lines: [9], name: 'iPhone / Visitor', minutes: 10 })]);
    expect(result.view.participants.map((p) => [p.email, p.mark, p.minutes])).toEqual([
      ['xss@uni.kz', 'absent', 0],
      ['bolat.nurlanov@uni.kz', 'present', 60],
      ['dana@uni.kz', 'absent', 0],
      ['aigerim@school.kz', 'present', 45],
    ]);

    const before = dump(ss);
    expect(value(api.importAttendance(upload(ZOOM_SESSION, 'zoom-week3.csv', zoom)))).toMatchObject({ updated: 0 });
    expect(dump(ss)).toBe(before);
  });

  test('refused with a code, nothing written: not a report, too large, no file, another group’s facilitator', () => {
    const { ss, api, who } = sheet(FACILITATOR);
    const before = dump(ss);
    const bad = api.importAttendance(upload(ZOOM_SESSION, 'other.csv', 'Name,Score\nA,1\n'));
    expect(bad).toMatchObject({ ok: false, code: 'BAD_FILE' });
    expect(!bad.ok && bad.detail).toMatch(/^other\.csv: line 1: not a Zoom participants report/);
    const sixty = zoom.replace(',60,No,', ',sixty,No,');
    expect(api.importAttendance(upload(ZOOM_SESSION, 'z.csv', sixty))).toMatchObject({
      code: 'BAD_FILE',
      detail: 'z.csv: line 7, column "Duration (Minutes)": "sixty" is not a number of minutes',
    });
    const huge = { session: ZOOM_SESSION, name: 'big.csv', base64: 'A'.repeat(14 * 1024 * 1024) };
    expect(api.importAttendance(huge)).toEqual({ ok: false, code: 'FILE_TOO_LARGE', detail: '10' });
    expect(api.importAttendance(upload(ZOOM_SESSION, 'empty.csv', ''))).toMatchObject({ code: 'NO_FILE' });
    who.user = AKTAU_FACILITATOR;
    expect(api.importAttendance(upload(ZOOM_SESSION, 'zoom-week3.csv', zoom))).toMatchObject({
      code: 'NOT_FACILITATOR',
    });
    expect(dump(ss)).toBe(before);
  });
});
