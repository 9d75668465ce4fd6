import { parse } from 'csv-parse/sync';
import { checkEligibility } from '../../src/eligibility/check';
import { EnrollmentRefused, InvalidRequest } from '../../src/rule-errors';
import { csvField, toCsv, UTF8_BOM } from '../../src/enrollment/csv';
import { planEnroll } from '../../src/enrollment/enroll';
import { planReplace } from '../../src/enrollment/replace';
import { planUnenroll } from '../../src/enrollment/unenroll';
import { ENROLLMENT_LIST_HEADER } from '../../src/enrollment/roster';
import { readSettings } from '../../src/settings';
import { isEmptyPlan } from '../../src/workbook';
import { verifyAuditChain } from '../../src/audit-chain';
import type { MemoryWorkbook } from '../../src/memory-workbook';
import {
  dump,
  fill,
  makeIin,
  NOW,
  NOW_TEXT,
  records,
  refused,
  setSetting,
  templateWorkbook,
  type Rec,
} from '../eligibility/fixtures';

const TABS = ['Settings', 'Candidates', 'Participants history', 'Roster', 'Audit'];
const snap = (wb: MemoryWorkbook) => wb.read(TABS);
const cand = (n: number, rec: Rec = {}): Rec => ({
  School: 'SITE',
  'Student ID': `S${n}`,
  IIN: makeIin('040101', 5, n * 10),
  'Full name': `Студент Номер${'абвгдежзик'[n]}`,
  Email: `s${n}@uni.kz`,
  Group: 'CS-21',
  Year: 2,
  'School status': 'Active',
  ...rec,
});

function workbook(): MemoryWorkbook {
  const wb = templateWorkbook();
  setSetting(wb, 'Admins', 'admin@uni.kz');
  setSetting(wb, 'Cohort', '2026 Spring');
  fill(
    wb,
    'Candidates',
    cand(1),
    cand(2),
    cand(3, { 'School status': 'Expelled' }),
    cand(4, { 'Full name': 'Zhanar Aliyeva', IIN: makeIin('031120', 6, 10) }),
    cand(5),
  );
  fill(wb, 'Participants history', {
    Cohort: '2024 Fall',
    IIN: makeIin('031120', 6, 500),
    Email: 'z@mail.kz',
    'Full name': 'Жанар Әлиева',
  });
  return wb;
}

const check = (wb: MemoryWorkbook, now = NOW) => wb.apply(checkEligibility(snap(wb), { now }).plan);

describe('enroll', () => {
  test('refused while candidates are unchecked, then while a POSSIBLE_MATCH is open', () => {
    const wb = workbook();
    const before = dump(wb);
    const e1 = refused(() => planEnroll(snap(wb), { cohort: '2026 Spring' }, 'admin@uni.kz', NOW));
    expect(e1).toBeInstanceOf(EnrollmentRefused);
    expect(e1.message).toBe(
      '5 candidate(s) not checked yet (Candidates rows 2, 3, 4, 5, 6): run the eligibility check first',
    );
    check(wb);
    const e2 = refused(() => planEnroll(snap(wb), { cohort: '2026 Spring' }, 'admin@uni.kz', NOW));
    expect(e2.code).toBe('POSSIBLE_MATCH');
    expect(e2.message).toContain('1 candidate(s) are POSSIBLE_MATCH (Candidates rows 5)');
    expect(refused(() => planEnroll(snap(wb), { cohort: ' ' }, 'admin@uni.kz', NOW))).toBeInstanceOf(InvalidRequest);
    check(wb); // unchanged check: no writes
    expect(wb.applied.length).toBe(2);
    expect(dump(wb)).not.toBe(before); // only the check wrote
  });

  test('moves ELIGIBLE candidates to Roster and history with the cohort, audits, lists them; twice adds nobody twice', () => {
    const wb = workbook();
    check(wb);
    const { plan, result } = planEnroll(snap(wb), { cohort: '2026 Spring', acceptPossible: true }, 'admin@uni.kz', NOW);
    wb.apply(plan);
    expect(result.enrolled.map((p) => p.email)).toEqual(['s1@uni.kz', 's2@uni.kz', 's5@uni.kz']);
    expect(result.leftOut.map((v) => v.email)).toEqual(['s4@uni.kz']);
    expect(records(wb, 'Roster')[0]).toEqual({
      Email: 's1@uni.kz',
      'Full name': 'Студент Номерб',
      'Student ID': 'S1',
      IIN: makeIin('040101', 5, 10),
      School: 'SITE',
      Group: 'CS-21',
      Cohort: '2026 Spring',
      'Roster status': 'Active',
    });
    expect(records(wb, 'Participants history').map((r) => [r.Cohort, r.Email])).toEqual([
      ['2024 Fall', 'z@mail.kz'],
      ['2026 Spring', 's1@uni.kz'],
      ['2026 Spring', 's2@uni.kz'],
      ['2026 Spring', 's5@uni.kz'],
    ]);
    expect(records(wb, 'Audit').map((r) => [r.At, r.Who, r.Action, r.Email, r.After])).toEqual([
      [NOW_TEXT, 'admin@uni.kz', 'Enroll', 's1@uni.kz', 'cohort=2026 Spring'],
      [NOW_TEXT, 'admin@uni.kz', 'Enroll', 's2@uni.kz', 'cohort=2026 Spring'],
      [NOW_TEXT, 'admin@uni.kz', 'Enroll', 's5@uni.kz', 'cohort=2026 Spring'],
    ]);
    expect(result.list[0]).toEqual(['Студент Номерб', 's1@uni.kz', 'S1', 'SITE', 'CS-21', '2026 Spring']);
    expect(readSettings(wb.read(['Settings']).Settings).cohort).toBe('2026 Spring');
    expect(wb.record('Candidates', 0)).toMatchObject({
      Eligibility: 'ELIGIBLE',
      'Eligibility detail': 'enrolled in cohort "2026 Spring" (Participants history row 3)',
    });

    // The enrolled are not "prior participants" of their own cohort: re-checking writes nothing.
    expect(isEmptyPlan(checkEligibility(snap(wb), { now: NOW + 1 }).plan)).toBe(true);
    const again = planEnroll(snap(wb), { cohort: '2026 Spring', acceptPossible: true }, 'admin@uni.kz', NOW + 2);
    expect(isEmptyPlan(again.plan)).toBe(true);
    expect(again.result).toMatchObject({ enrolled: [], alreadyEnrolled: 3, list: [] });
    expect(
      planEnroll(
        snap(wb),
        { cohort: '2026 Spring', acceptPossible: true, listAll: true },
        'admin@uni.kz',
        NOW,
      ).result.list.map((r) => r[1]),
    ).toEqual(['s1@uni.kz', 's2@uni.kz', 's5@uni.kz']);
  });

  test('a decided possible match is enrolled on the next run', () => {
    const wb = workbook();
    check(wb);
    wb.apply(planEnroll(snap(wb), { cohort: '2026 Spring', acceptPossible: true }, 'admin@uni.kz', NOW).plan);
    const t = wb.tabs.get('Candidates')!;
    t.rows[3][t.header.indexOf('Match decision')] = 'Different person';
    check(wb);
    const { result } = planEnroll(snap(wb), { cohort: '2026 Spring' }, 'admin@uni.kz', NOW);
    expect(result.enrolled.map((p) => p.email)).toEqual(['s4@uni.kz']);
  });

  test.each([
    [
      'a mentor',
      'mentor@uni.kz',
      'NOT_ADMIN',
      'mentor@uni.kz is not an admin (Settings "Admins"); only admins enroll students',
    ],
    ['any string', 'i am not an email', 'BAD_ACTOR', '"i am not an email" is not a valid e-mail address'],
    ['nobody', ' ', 'NO_ACTOR', 'say who is acting (the e-mail of the mentor or admin)'],
  ])('only an admin, named by a valid e-mail, enrolls: refused for %s, nothing written', (_, by, code, message) => {
    const wb = workbook();
    check(wb);
    const before = dump(wb);
    const e = refused(() => planEnroll(snap(wb), { cohort: '2026 Spring', acceptPossible: true }, by, NOW));
    expect([e.code, e.message]).toEqual([code, message]);
    expect(dump(wb)).toBe(before);
  });

  test('a cohort other than Settings "Cohort" (a typo) is refused; --new-cohort starts it: Settings "Cohort" changes and the change is audited', () => {
    const wb = workbook();
    check(wb);
    const typo = refused(() =>
      planEnroll(snap(wb), { cohort: '2026 Sprign', acceptPossible: true }, 'admin@uni.kz', NOW),
    );
    expect(typo.code).toBe('COHORT_MISMATCH');
    expect(typo.message).toBe(
      'cohort "2026 Sprign" is not the current cohort "2026 Spring" (Settings "Cohort"): check the spelling, or confirm that "2026 Sprign" starts a new cohort (--new-cohort)',
    );
    // Same cohort, other case and spaces: the same cohort.
    expect(
      planEnroll(snap(wb), { cohort: ' 2026 SPRING ', acceptPossible: true }, 'admin@uni.kz', NOW).result.enrolled,
    ).toHaveLength(3);

    const { plan, result } = planEnroll(
      snap(wb),
      { cohort: '2026 Fall', acceptPossible: true, newCohort: true },
      'admin@uni.kz',
      NOW,
    );
    wb.apply(plan);
    expect(result.enrolled.map((p) => p.cohort)).toEqual(['2026 Fall', '2026 Fall', '2026 Fall']);
    expect(readSettings(wb.read(['Settings']).Settings).cohort).toBe('2026 Fall');
    expect(records(wb, 'Audit')[0]).toMatchObject({
      Who: 'admin@uni.kz',
      Action: 'New cohort',
      Before: 'Cohort=2026 Spring',
      After: 'Cohort=2026 Fall',
    });
    // The next check treats the new cohort as current: the enrolled are not prior participants.
    expect(isEmptyPlan(checkEligibility(snap(wb), { now: NOW + 1 }).plan)).toBe(true);
  });

  test('a blank Settings "Cohort" needs the cohort confirmed as new', () => {
    const wb = workbook();
    setSetting(wb, 'Cohort', '');
    check(wb);
    expect(
      refused(() => planEnroll(snap(wb), { cohort: '2026 Spring', acceptPossible: true }, 'admin@uni.kz', NOW)).message,
    ).toBe('Settings "Cohort" is blank: confirm that "2026 Spring" starts a new cohort (--new-cohort)');
    wb.apply(
      planEnroll(snap(wb), { cohort: '2026 Spring', acceptPossible: true, newCohort: true }, 'admin@uni.kz', NOW).plan,
    );
    expect(readSettings(wb.read(['Settings']).Settings).cohort).toBe('2026 Spring');
  });

  test('refused when the Candidates changed after the check', () => {
    const wb = workbook();
    check(wb);
    const t = wb.tabs.get('Candidates')!;
    t.rows[0][t.header.indexOf('School status')] = 'Academic leave';
    const e = refused(() => planEnroll(snap(wb), { cohort: '2026 Spring', acceptPossible: true }, 'admin@uni.kz', NOW));
    expect(e.code).toBe('STALE_CHECK');
    expect(e.message).toContain('row 2 shows ELIGIBLE, now ACADEMIC_LEAVE');
  });
});

describe('replace', () => {
  function enrolled(): MemoryWorkbook {
    const wb = workbook();
    const t = wb.tabs.get('Candidates')!;
    t.rows.splice(3, 2); // s4 (possible match) and s5 are not in this intake
    check(wb);
    wb.apply(planEnroll(snap(wb), { cohort: '2026 Spring' }, 'admin@uni.kz', NOW).plan);
    fill(wb, 'Candidates', cand(6)); // a late applicant
    check(wb);
    return wb;
  }
  const req = { out: 's2@uni.kz', in: 's6@uni.kz', reason: 'moved to another university' };

  test('the leaver stays marked Replaced, the newcomer joins the same cohort, both are audited', () => {
    const wb = enrolled();
    const { plan, result } = planReplace(snap(wb), req, 'Admin@uni.kz', NOW);
    wb.apply(plan);
    expect(records(wb, 'Roster').map((r) => [r.Email, r.Cohort, r['Roster status']])).toEqual([
      ['s1@uni.kz', '2026 Spring', 'Active'],
      ['s2@uni.kz', '2026 Spring', 'Replaced'],
      ['s6@uni.kz', '2026 Spring', 'Active'],
    ]);
    expect(records(wb, 'Participants history').map((r) => r.Email)).toEqual([
      'z@mail.kz',
      's1@uni.kz',
      's2@uni.kz',
      's6@uni.kz',
    ]);
    expect(records(wb, 'Audit').slice(-2)).toEqual([
      {
        At: NOW_TEXT,
        Who: 'admin@uni.kz',
        Action: 'Replace (out)',
        Email: 's2@uni.kz',
        'Course slug': null,
        Before: 'Roster status=Active',
        After: 'Roster status=Replaced; replaced by s6@uni.kz',
        Reason: 'moved to another university',
        Hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      {
        At: NOW_TEXT,
        Who: 'admin@uni.kz',
        Action: 'Replace (in)',
        Email: 's6@uni.kz',
        'Course slug': null,
        Before: '',
        After: 'cohort=2026 Spring; replaces s2@uni.kz',
        Reason: 'moved to another university',
        Hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    expect(verifyAuditChain(wb.tabs.get('Audit'))).toMatchObject({ intact: true, problems: [] });
    expect(result.list).toEqual([['Студент Номерж', 's6@uni.kz', 'S6', 'SITE', 'CS-21', '2026 Spring']]);
    // The newcomer now counts as enrolled, not as a prior participant.
    expect(isEmptyPlan(checkEligibility(snap(wb), { now: NOW }).plan)).toBe(true);
    // Replacing the same student again is refused.
    expect(refused(() => planReplace(snap(wb), { ...req, in: 's1@uni.kz' }, 'admin@uni.kz', NOW)).message).toBe(
      's2@uni.kz is already "Replaced" on the Roster (row 3)',
    );
  });

  test.each([
    [
      'a non-admin',
      req,
      'mentor@uni.kz',
      'NOT_ADMIN',
      'mentor@uni.kz is not an admin (Settings "Admins"); only admins replace students',
    ],
    [
      'an unknown leaver',
      { ...req, out: 'ghost@uni.kz' },
      'admin@uni.kz',
      'UNKNOWN_EMAIL',
      'unknown student "ghost@uni.kz": not on the Roster',
    ],
    [
      'an unknown newcomer',
      { ...req, in: 'ghost@uni.kz' },
      'admin@uni.kz',
      'UNKNOWN_CANDIDATE',
      'unknown candidate "ghost@uni.kz": not in the Candidates tab',
    ],
    [
      'a newcomer who is not eligible',
      { ...req, in: 's3@uni.kz' },
      'admin@uni.kz',
      'NOT_ELIGIBLE',
      's3@uni.kz (Candidates row 4) is EXPELLED — School status: Expelled; only an ELIGIBLE candidate can replace a student',
    ],
    [
      'a newcomer already on the Roster',
      { ...req, in: 's1@uni.kz' },
      'admin@uni.kz',
      'ALREADY_ON_ROSTER',
      's1@uni.kz is already on the Roster (row 2)',
    ],
    ['no reason', { ...req, reason: '' }, 'admin@uni.kz', 'NO_REASON', 'a replacement needs a written reason'],
    [
      'a bad e-mail',
      { ...req, in: 'not mail' },
      'admin@uni.kz',
      'BAD_EMAIL',
      `the new student's e-mail "not mail" is not a valid e-mail address`,
    ],
  ])('refused: %s', (_, request, by, code, message) => {
    const wb = enrolled();
    const e = refused(() => planReplace(snap(wb), request, by, NOW));
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
  });
});

describe('unenroll', () => {
  function enrolled(): MemoryWorkbook {
    const wb = workbook();
    check(wb);
    wb.apply(planEnroll(snap(wb), { cohort: '2026 Spring', acceptPossible: true }, 'admin@uni.kz', NOW).plan);
    return wb;
  }
  const req = { email: 'S2@uni.kz', reason: 'enrolled by mistake' };

  test('removes the Roster row and the current-cohort history row enroll added, audits; the next check sees someone who never took part', () => {
    const wb = enrolled();
    const { plan, result } = planUnenroll(snap(wb), req, 'admin@uni.kz', NOW);
    expect(result).toEqual({ email: 's2@uni.kz', cohort: '2026 Spring', rosterRows: [1], historyRows: [2] });
    expect(plan.tabs.find((t) => t.tab === 'Roster')).toMatchObject({ deleteRows: [1], anchorColumns: [0] });
    wb.apply(plan);
    expect(records(wb, 'Roster').map((r) => r.Email)).toEqual(['s1@uni.kz', 's5@uni.kz']);
    expect(records(wb, 'Participants history').map((r) => [r.Cohort, r.Email])).toEqual([
      ['2024 Fall', 'z@mail.kz'],
      ['2026 Spring', 's1@uni.kz'],
      ['2026 Spring', 's5@uni.kz'],
    ]);
    expect(records(wb, 'Audit').at(-1)).toEqual({
      At: NOW_TEXT,
      Who: 'admin@uni.kz',
      Action: 'Unenroll',
      Email: 's2@uni.kz',
      'Course slug': null,
      Before: 'cohort=2026 Spring; Roster row 3; Participants history row 4',
      After: 'not enrolled',
      Reason: 'enrolled by mistake',
      Hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(verifyAuditChain(wb.tabs.get('Audit')).intact).toBe(true);
    expect(wb.record('Candidates', 1)).toMatchObject({
      Email: 's2@uni.kz',
      Eligibility: 'ELIGIBLE',
      'Eligibility detail': null,
    });
    // The check agrees (writes nothing), and enrolling again adds the person back.
    expect(isEmptyPlan(checkEligibility(snap(wb), { now: NOW + 1 }).plan)).toBe(true);
    const again = planEnroll(snap(wb), { cohort: '2026 Spring', acceptPossible: true }, 'admin@uni.kz', NOW + 2);
    expect(again.result.enrolled.map((p) => p.email)).toEqual(['s2@uni.kz']);
  });

  test.each([
    [
      'a mentor',
      req,
      'mentor@uni.kz',
      'NOT_ADMIN',
      'mentor@uni.kz is not an admin (Settings "Admins"); only admins undo enrollments',
    ],
    ['not an e-mail as actor', req, 'someone', 'BAD_ACTOR', '"someone" is not a valid e-mail address'],
    ['no reason', { ...req, reason: ' ' }, 'admin@uni.kz', 'NO_REASON', 'undoing an enrollment needs a written reason'],
    [
      'someone not on the Roster',
      { ...req, email: 's3@uni.kz' },
      'admin@uni.kz',
      'UNKNOWN_EMAIL',
      'unknown student "s3@uni.kz": not on the Roster',
    ],
  ])('refused: %s', (_, request, by, code, message) => {
    const wb = enrolled();
    const e = refused(() => planUnenroll(snap(wb), request, by, NOW));
    expect([e.code, e.message]).toEqual([code, message]);
  });

  test('an earlier cohort, or a replaced student, cannot be unenrolled (their history must stay)', () => {
    const wb = enrolled();
    setSetting(wb, 'Cohort', '2026 Fall');
    const e = refused(() => planUnenroll(snap(wb), req, 'admin@uni.kz', NOW));
    expect(e.code).toBe('NOT_CURRENT_COHORT');
    expect(e.message).toContain(
      's2@uni.kz is on the Roster (row 3) in cohort "2026 Spring", not the current cohort "2026 Fall"',
    );
    setSetting(wb, 'Cohort', '2026 Spring');
    const t = wb.tabs.get('Roster')!;
    t.rows[1][t.header.indexOf('Roster status')] = 'Replaced';
    expect(refused(() => planUnenroll(snap(wb), req, 'admin@uni.kz', NOW)).code).toBe('NOT_ACTIVE');
  });
});

describe('enrollment list CSV', () => {
  test('UTF-8 with BOM, CRLF, quoted where needed, formulas neutralised, Cyrillic intact', () => {
    const text = toCsv(ENROLLMENT_LIST_HEADER, [
      ['Әлиева Жанар', 'z@uni.kz', '007', 'SITE', 'CS-21', '2026 Spring'],
      ['=HYPERLINK("http://evil","x")', '+77011234567', '-1', '@cmd', '\tTab', 'a, b'],
      ['Line\nbreak', 'quote"inside', 42, null, 'semi;colon', ' padded '],
    ]);
    expect(text.startsWith(UTF8_BOM)).toBe(true);
    expect(text.split('\r\n')[0]).toBe(`${UTF8_BOM}Full name,Email,External ID,School,Group,Cohort`);
    const rows = parse(text.slice(1), { relax_column_count: false });
    expect(rows[1]).toEqual(['Әлиева Жанар', 'z@uni.kz', '007', 'SITE', 'CS-21', '2026 Spring']);
    expect(rows[2]).toEqual([`'=HYPERLINK("http://evil","x")`, "'+77011234567", "'-1", "'@cmd", "'\tTab", 'a, b']);
    expect(rows[3]).toEqual(['Line\nbreak', 'quote"inside', '42', '', 'semi;colon', ' padded ']);
    expect(csvField('\rX')).toBe(`"'\rX"`);
  });
});
