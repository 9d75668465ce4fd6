/** The sidebar's attendance rules: who may mark, today's session, ticks → Attendance and the derived cells. */
import {
  findGroup,
  mayMarkAttendance,
  NotInGroupError,
  planAttendanceMarks,
  planTodaysSession,
} from '../../src/facilitated/attendance-marks';
import { UnknownSessionError } from '../../src/facilitated/attendance-edit';
import { readSettings } from '../../src/settings';
import { isEmptyPlan } from '../../src/workbook';
import { ADMIN, FACILITATOR, NOW, programmeWorkbook, records, TABS } from './programme';

describe('who may mark a group’s attendance', () => {
  const snapshot = programmeWorkbook().read(TABS);
  const settings = readSettings(snapshot.Settings);
  const group = findGroup(snapshot, 'ALMATY 1');

  it('its facilitators (any of several, any case) and admins; not another group’s, not a course mentor, not nobody', () => {
    expect(mayMarkAttendance(settings, group, FACILITATOR)).toBe(true);
    expect(mayMarkAttendance(settings, group, ' CO@kazate.kz')).toBe(true);
    expect(mayMarkAttendance(settings, group, ADMIN)).toBe(true);
    expect(mayMarkAttendance(settings, group, 'aktau@kazate.kz')).toBe(false);
    expect(mayMarkAttendance(settings, group, 'mentor@kazate.kz')).toBe(false);
    expect(mayMarkAttendance(settings, group, '')).toBe(false);
  });

  it('an unknown group is named', () => {
    expect(() => findGroup(snapshot, 'Atyrau')).toThrow('no group "Atyrau" in the Groups tab');
  });
});

describe('ticks → Attendance', () => {
  it('writes present/absent with the ticker as Source, keeps Minutes and excused, fills the derived cells; again: nothing', () => {
    const wb = programmeWorkbook();
    const ticks = {
      sessionId: 'ALA-W1',
      marks: [
        { email: 'A@uni.kz', present: true },
        { email: 'b@uni.kz', present: false },
        { email: 'c@uni.kz', present: true },
      ],
      by: FACILITATOR,
      now: NOW,
    };
    const { plan, result } = planAttendanceMarks(wb.read(TABS), ticks);
    expect(result).toEqual({ session: 'ALA-W1', present: 1, absent: 1, excused: 1, updated: 2, problems: [] });
    wb.apply(plan);
    const after = wb.read(TABS);
    expect(records(after, 'Attendance').map((r) => [r['Session ID'], r.Email, r.Mark, r.Minutes, r.Source])).toEqual([
      ['ala-w1', 'C@uni.kz', 'excused', null, 'phone call'],
      ['ALA-W1', 'b@uni.kz', 'absent', 55, `Sidebar: ${FACILITATOR}`],
      ['ALA-W1', 'a@uni.kz', 'present', null, `Sidebar: ${FACILITATOR}`],
    ]);
    const people = records(after, 'Participants');
    const of = (email: string) => people.find((p) => p.Email === email)!;
    expect([of('a@uni.kz')['Attendance %'], of('a@uni.kz').Absences, of('a@uni.kz').Flags]).toEqual([100, 0, null]);
    expect([of('b@uni.kz')['Attendance %'], of('b@uni.kz').Absences, of('b@uni.kz').Flags]).toEqual([
      0,
      1,
      'MISSED_SESSIONS',
    ]);
    expect(of('c@uni.kz')['Attendance %']).toBeNull(); // only an excused session
    expect(isEmptyPlan(planAttendanceMarks(after, ticks).plan)).toBe(true);
  });

  it('a participant who is not a selected member of the session’s group is refused; so is an unknown session', () => {
    const snapshot = programmeWorkbook().read(TABS);
    const tick = (email: string) => ({ sessionId: 'ALA-W1', marks: [{ email, present: true }], by: ADMIN, now: NOW });
    expect(() => planAttendanceMarks(snapshot, tick('g@uni.kz'))).toThrow(NotInGroupError);
    expect(() => planAttendanceMarks(snapshot, tick('w@uni.kz'))).toThrow('w@uni.kz is not a selected participant');
    expect(() => planAttendanceMarks(snapshot, { ...tick('a@uni.kz'), sessionId: 'ALA-W9' })).toThrow(
      UnknownSessionError,
    );
  });
});

describe('today’s session', () => {
  it('adds one Sessions row with the group’s mode and the starter; starting it again finds that row', () => {
    const wb = programmeWorkbook();
    const first = planTodaysSession(wb.read(TABS), {
      group: 'almaty 1',
      by: FACILITATOR,
      now: NOW,
      topic: ' Fake news ',
    });
    expect(first).toMatchObject({ session: 'Almaty-1-2026-05-01', created: true });
    wb.apply(first.plan);
    expect(records(wb.read(TABS), 'Sessions').at(-1)).toEqual({
      'Session ID': 'Almaty-1-2026-05-01',
      Group: 'Almaty 1',
      Date: '2026-05-01',
      Mode: 'online',
      Topic: 'Fake news',
      Facilitator: FACILITATOR,
    });
    const again = planTodaysSession(wb.read(TABS), { group: 'Almaty 1', by: ADMIN, now: NOW + 3_600_000 });
    expect(again).toEqual({ plan: { tabs: [] }, session: 'Almaty-1-2026-05-01', created: false });
  });

  it('today is the Settings time zone’s day, and a taken ID gets a suffix', () => {
    const wb = programmeWorkbook();
    wb.apply({
      tabs: [{ tab: 'Sessions', appends: [['Aktau-1-2026-05-02', 'Almaty 1', '2026-04-01', null, null, null]] }],
    });
    // 20:00 UTC on 1 May is already 2 May in Almaty (UTC+5).
    const late = planTodaysSession(wb.read(TABS), {
      group: 'Aktau-1',
      by: ADMIN,
      now: Date.parse('2026-05-01T20:00Z'),
    });
    expect(late.session).toBe('Aktau-1-2026-05-02-2');
  });
});
