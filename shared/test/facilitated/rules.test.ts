/** The facilitated-programme rules at their boundaries: CEFR bands, absences, the 80 % rule, group size, certificate pending. */
import { cefrFromScore } from '../../src/facilitated/cefr';
import {
  groupFlags,
  hasEnded,
  participantFlags,
  tallyAttendance,
  type ParticipantFacts,
} from '../../src/facilitated/flags';
import { evaluate, type ProgressFacts } from '../../src/rules';
import { DAY_MS, endOfDayExclusive } from '../../src/time';

describe('CEFR level from the EF SET score', () => {
  it.each([
    [1, 'A1'],
    [30, 'A1'],
    [31, 'A2'],
    [40, 'A2'],
    [41, 'B1'],
    [50, 'B1'],
    [51, 'B2'],
    [60, 'B2'],
    [61, 'C1'],
    [70, 'C1'],
    [71, 'C2'],
    [100, 'C2'],
    ['55', 'B2'],
  ])('%p → %s', (score, level) => {
    expect(cefrFromScore(score)).toMatchObject({ kind: 'level', level });
  });

  it('blank and 0 (no valid test result) give no level', () => {
    expect(cefrFromScore(null)).toEqual({ kind: 'none' });
    expect(cefrFromScore('  ')).toEqual({ kind: 'none' });
    expect(cefrFromScore(0)).toEqual({ kind: 'none' });
  });

  it.each([
    [-1, 'at least 0'],
    [101, 'at most 100'],
    [45.5, 'a whole number'],
    ['B2', 'not a number'],
  ])('%p is an error that says why', (score, why) => {
    const r = cefrFromScore(score);
    expect(r.kind).toBe('invalid');
    expect(r.kind === 'invalid' && r.message).toContain(why);
  });
});

describe('participant flags', () => {
  const base: ParticipantFacts = {
    attendance: tallyAttendance([]),
    allowedAbsences: 0,
    groupEnded: true,
    courses: [{ engagement: 100, completed: true }],
    engagementThreshold: 60,
    invalidScore: false,
    active: true,
  };
  const marks = (present: number, absent: number, excused = 0) =>
    tallyAttendance([
      ...Array<'present'>(present).fill('present'),
      ...Array<'absent'>(absent).fill('absent'),
      ...Array<'excused'>(excused).fill('excused'),
    ]);

  it('attendance rate leaves excused sessions out', () => {
    expect(marks(3, 1, 2)).toEqual({ present: 3, absent: 1, excused: 2, rate: 0.75 });
    expect(marks(0, 0, 1).rate).toBeNull();
  });

  it('MISSED_SESSIONS when absences exceed the allowed number (0 by default: every session)', () => {
    expect(participantFlags({ ...base, attendance: marks(5, 0, 3) })).toEqual([]);
    expect(participantFlags({ ...base, attendance: marks(5, 1) })).toEqual(['MISSED_SESSIONS']);
    expect(participantFlags({ ...base, attendance: marks(5, 2), allowedAbsences: 2 })).toEqual([]);
    expect(participantFlags({ ...base, attendance: marks(5, 3), allowedAbsences: 2 })).toEqual(['MISSED_SESSIONS']);
    expect(participantFlags({ ...base, attendance: marks(5, 3), active: false })).toEqual([]);
  });

  it('ATTENDS_NOT_COMPLETING from 80 % attendance, below the threshold, only after the group ended', () => {
    const behind = { ...base, allowedAbsences: 100, courses: [{ engagement: 59.9, completed: false }] };
    expect(participantFlags({ ...behind, attendance: marks(4, 1) })).toEqual(['ATTENDS_NOT_COMPLETING']); // exactly 80 %
    expect(participantFlags({ ...behind, attendance: marks(79, 21) })).toEqual([]);
    expect(participantFlags({ ...behind, attendance: marks(4, 1), groupEnded: false })).toEqual([]);
    expect(
      participantFlags({ ...behind, attendance: marks(4, 1), courses: [{ engagement: 60, completed: false }] }),
    ).toEqual([]); // exactly the threshold is adequate
    expect(participantFlags({ ...behind, attendance: marks(4, 1), courses: [undefined] })).toEqual([
      'ATTENDS_NOT_COMPLETING',
    ]); // never started: no Progress row
    expect(
      participantFlags({
        ...behind,
        attendance: marks(4, 1),
        courses: [
          { engagement: 100, completed: true },
          { engagement: 10, completed: false },
        ],
      }),
    ).toEqual(['ATTENDS_NOT_COMPLETING']); // completed one course, refused the second
  });

  it('the group has ended from the first instant after its End day', () => {
    const end = endOfDayExclusive('2020-05-31', 'Asia/Almaty');
    expect(hasEnded(end, end)).toBe(true);
    expect(hasEnded(end, end - 1)).toBe(false);
    expect(hasEnded(null, end)).toBe(false);
  });

  it('a group below its minimum size is flagged; exactly the minimum is not', () => {
    expect(groupFlags(19, 20)).toEqual(['BELOW_MINIMUM_SIZE']);
    expect(groupFlags(20, 20)).toEqual([]);
  });
});

describe('CERTIFICATE_PENDING (every programme)', () => {
  const completedAt = Date.parse('2020-04-01T10:00:00Z');
  const facts: ProgressFacts = {
    engagement: 100,
    completed: true,
    completedAt,
    certificate: false,
    removed: false,
    lastActivityAt: completedAt,
    deadline: null,
    approved: false,
    onRoster: null,
  };
  const settings = { engagementThreshold: 60, timeZone: 'Asia/Almaty', atRiskDays: 14, certificatePendingDays: 14 };

  it('flags a completion with no certificate from N days after it, and changes no status', () => {
    expect(evaluate(facts, settings, completedAt + 14 * DAY_MS).flags).toContain('CERTIFICATE_PENDING');
    expect(evaluate(facts, settings, completedAt + 14 * DAY_MS - 1).flags).not.toContain('CERTIFICATE_PENDING');
    expect(evaluate(facts, settings, completedAt + 14 * DAY_MS).status).toBe(
      evaluate(facts, settings, completedAt).status,
    );
  });

  it('not with a certificate, not without a completion time, and the days come from Settings', () => {
    const later = completedAt + 30 * DAY_MS;
    expect(evaluate({ ...facts, certificate: true }, settings, later).flags).not.toContain('CERTIFICATE_PENDING');
    expect(evaluate({ ...facts, completedAt: null }, settings, later).flags).not.toContain('CERTIFICATE_PENDING');
    expect(
      evaluate(facts, { ...settings, certificatePendingDays: 31 }, later).flags.includes('CERTIFICATE_PENDING'),
    ).toBe(false);
  });
});
