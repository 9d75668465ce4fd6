import { checkEligibility, ELIGIBILITY_CODES, evaluateCandidates } from '../../src/eligibility/check';
import { decidePossibleMatch } from '../../src/eligibility/decide';
import { EnrollmentRefused, InvalidRequest } from '../../src/rule-errors';
import { isEmptyPlan } from '../../src/workbook';
import type { MemoryWorkbook } from '../../src/memory-workbook';
import { dump, fill, makeIin, NOW, NOW_TEXT, records, setSetting, templateWorkbook, type Rec } from './fixtures';

const SNAP = (wb: MemoryWorkbook) => wb.read(['Settings', 'Candidates', 'Participants history', 'Roster', 'Audit']);

const IIN = {
  asel: makeIin('050315', 6, 1),
  prior: makeIin('040101', 5, 1),
  byEmail: makeIin('040202', 6, 1),
  bySid: makeIin('040303', 5, 1),
  otherSchool: makeIin('040404', 6, 1),
  expelled: makeIin('040505', 5, 1),
  dropping: makeIin('040606', 6, 1),
  leave: makeIin('040707', 5, 1),
  zhanar: makeIin('031120', 6, 10),
  zhanarHistory: makeIin('031120', 6, 500),
  historyOther: makeIin('990101', 3, 1),
};

const cand = (rec: Rec): Rec => ({ School: 'SITE', Group: 'CS-21', Year: 3, 'School status': 'Active', ...rec });

function scenario(): MemoryWorkbook {
  const wb = templateWorkbook();
  fill(
    wb,
    'Candidates',
    cand({ 'Student ID': 'S001', IIN: IIN.asel, 'Full name': 'Асель Нурланова', Email: 'asel@uni.kz' }), // row 2
    cand({ 'Student ID': 'S002', IIN: IIN.prior, 'Full name': 'Prior By IIN', Email: 'prior@uni.kz' }), // 3
    cand({ 'Student ID': 'S003', IIN: IIN.byEmail, 'Full name': 'Prior By Email', Email: 'Old.Student@Uni.kz' }), // 4
    cand({ 'Student ID': 'S004', IIN: IIN.bySid, 'Full name': 'Prior By Sid', Email: 'sid@uni.kz' }), // 5
    cand({
      School: 'KBTU',
      'Student ID': 'S004',
      IIN: IIN.otherSchool,
      'Full name': 'Other School',
      Email: 'other@kbtu.kz',
    }), // 6
    cand({
      'Student ID': 'S005',
      IIN: IIN.expelled,
      'Full name': 'Expelled One',
      Email: 'exp@uni.kz',
      'School status': 'Expelled',
    }), // 7
    cand({
      'Student ID': 'S006',
      IIN: IIN.dropping,
      'Full name': 'Dropping One',
      Email: 'drop@uni.kz',
      'School status': 'dropping out',
    }), // 8
    cand({
      'Student ID': 'S007',
      IIN: IIN.leave,
      'Full name': 'Leave One',
      Email: 'leave@uni.kz',
      'School status': 'Academic leave',
    }), // 9
    cand({ 'Student ID': 'S008', IIN: IIN.asel, 'Full name': 'Asel Nurlanova', Email: 'asel.n@gmail.com' }), // 10 duplicate of 2
    cand({ 'Student ID': 'S009', IIN: '871008401428', 'Full name': 'Bad Checksum', Email: 'bad@uni.kz' }), // 11
    cand({ 'Student ID': 'S010', IIN: '871008401427', 'Full name': 'Bad Email', Email: 'not-an-email' }), // 12
    cand({ 'Student ID': 'S011', IIN: null, 'Full name': 'No Iin', Email: '' }), // 13
    cand({ 'Student ID': 'S012', IIN: IIN.zhanar, 'Full name': 'Әлиева Жанар', Email: 'zhanar@uni.kz' }), // 14
    cand({
      'Student ID': 'S013',
      IIN: '800416300257',
      'Full name': 'Graduated One',
      Email: 'grad@uni.kz',
      'School status': 'Graduated',
    }), // 15
    {}, // 16: an empty line
  );
  fill(
    wb,
    'Participants history',
    {
      Cohort: '2025 Spring',
      IIN: IIN.prior,
      Email: 'someone@else.kz',
      'Student ID': 'X1',
      'Full name': 'Prior By IIN',
      School: 'SITE',
    },
    {
      Cohort: '2025 Spring',
      IIN: IIN.historyOther,
      Email: ' old.student@uni.kz ',
      'Student ID': 'X2',
      'Full name': 'Old Student',
      School: 'SITE',
    },
    {
      Cohort: '2024 Fall',
      IIN: null,
      Email: 'gone@uni.kz',
      'Student ID': 'S004',
      'Full name': 'Sid Person',
      School: 'site',
    },
    {
      Cohort: '2024 Fall',
      IIN: IIN.zhanarHistory,
      Email: 'z.aliyeva@mail.kz',
      'Student ID': 'Z9',
      'Full name': 'Zhanar Aliyeva',
      School: 'SITE',
    },
  );
  return wb;
}

describe('eligibility check', () => {
  test('every code, with a detail a human can act on', () => {
    const wb = scenario();
    const { plan, result } = checkEligibility(SNAP(wb), { now: NOW });
    wb.apply(plan);
    const got = records(wb, 'Candidates').map((r) => [r.Eligibility, r['Eligibility detail']]);
    expect(got.slice(0, 15)).toEqual([
      ['ELIGIBLE', null],
      ['PRIOR_PARTICIPANT', 'cohort "2025 Spring" (Participants history row 2, same IIN)'],
      ['PRIOR_PARTICIPANT', 'cohort "2025 Spring" (Participants history row 3, same email)'],
      ['PRIOR_PARTICIPANT', 'cohort "2024 Fall" (Participants history row 4, same student ID)'],
      ['ELIGIBLE', null], // same Student ID at another school is another person
      ['EXPELLED', 'School status: Expelled'],
      ['DROPPING_OUT', 'School status: dropping out'],
      ['ACADEMIC_LEAVE', 'School status: Academic leave'],
      ['DUPLICATE', 'same IIN as Candidates row 2'],
      ['INVALID_IIN', 'IIN 871008401428: check digit is 8, expected 7'],
      ['INVALID_EMAIL', '"not-an-email" is not a valid e-mail address'],
      ['MISSING_DATA', 'missing IIN, Email'],
      [
        'POSSIBLE_MATCH',
        `same birth date (2003-11-20) and name as Participants history row 5: "Zhanar Aliyeva", cohort "2024 Fall", IIN ${IIN.zhanarHistory}; set Match decision to "Same person" or "Different person"`,
      ],
      ['MISSING_DATA', 'School status "Graduated" is not one of Active, Expelled, Dropping out, Academic leave'],
      [null, null], // the empty line is not a candidate and gets nothing
    ]);
    expect(records(wb, 'Candidates')[0]['Checked at']).toBe(NOW_TEXT);
    expect(result.checked).toBe(14);
    expect(result.counts).toEqual({
      ELIGIBLE: 2,
      PRIOR_PARTICIPANT: 3,
      EXPELLED: 1,
      DROPPING_OUT: 1,
      ACADEMIC_LEAVE: 1,
      DUPLICATE: 1,
      INVALID_IIN: 1,
      INVALID_EMAIL: 1,
      MISSING_DATA: 2,
      POSSIBLE_MATCH: 1,
    });
    expect(Object.keys(result.counts)).toEqual([...ELIGIBILITY_CODES]);
  });

  test('only check cells are written, and a second run writes nothing', () => {
    const wb = scenario();
    wb.tabs.get('Candidates')!.header.push('My notes');
    wb.tabs.get('Candidates')!.rows[0].length = wb.tabs.get('Candidates')!.header.length;
    wb.tabs.get('Candidates')!.rows[0][wb.tabs.get('Candidates')!.header.length - 1] = 'call her';
    const { plan } = checkEligibility(SNAP(wb), { now: NOW });
    const cols = new Set(plan.tabs.flatMap((t) => (t.updates ?? []).map((u) => wb.tabs.get(t.tab)!.header[u.col])));
    expect([...cols].sort()).toEqual(['Checked at', 'Eligibility', 'Eligibility detail']);
    expect(plan.tabs.map((t) => t.tab)).toEqual(['Candidates']);
    wb.apply(plan);
    expect(records(wb, 'Candidates')[0]['My notes']).toBe('call her');

    const again = checkEligibility(SNAP(wb), { now: NOW + 3_600_000 });
    expect(isEmptyPlan(again.plan)).toBe(true);
    expect(again.result.cellsWritten).toBe(0);
  });

  test('fixing one row rewrites only that row, with a new Checked at', () => {
    const wb = scenario();
    wb.apply(checkEligibility(SNAP(wb), { now: NOW }).plan);
    const t = wb.tabs.get('Candidates')!;
    t.rows[10][t.header.indexOf('Email')] = 'fixed@uni.kz';
    const { plan } = checkEligibility(SNAP(wb), { now: NOW + 60_000 });
    expect(plan.tabs[0].updates!.map((u) => u.row)).toEqual([10, 10, 10]);
    wb.apply(plan);
    expect(wb.record('Candidates', 10)).toMatchObject({
      Eligibility: 'ELIGIBLE',
      'Eligibility detail': null,
      'Checked at': '2026-03-02 10:31',
    });
  });

  test('a Match decision settles a POSSIBLE_MATCH for every later check', () => {
    for (const [decision, code, detail] of [
      ['Different person', 'ELIGIBLE', 'not the same person as Participants history row 5 (Match decision)'],
      ['Same person', 'PRIOR_PARTICIPANT', 'cohort "2024 Fall" (Participants history row 5, confirmed same person)'],
    ]) {
      const wb = scenario();
      const t = wb.tabs.get('Candidates')!;
      t.rows[12][t.header.indexOf('Match decision')] = decision;
      wb.apply(checkEligibility(SNAP(wb), { now: NOW }).plan);
      expect(wb.record('Candidates', 12)).toMatchObject({ Eligibility: code, 'Eligibility detail': detail });
    }
  });

  test('a possible match is found across scripts when one list carries the patronymic', () => {
    const wb = scenario();
    const t = wb.tabs.get('Candidates')!;
    t.rows[12][t.header.indexOf('Full name')] = 'ӘЛИЕВА Жанар Серікқызы';
    expect(evaluateCandidates(SNAP(wb))[12]).toMatchObject({ code: 'POSSIBLE_MATCH', historyRow: 3 });
    // Another birth date (same name): no match.
    t.rows[12][t.header.indexOf('IIN')] = makeIin('031121', 6, 10);
    expect(evaluateCandidates(SNAP(wb))[12].code).toBe('ELIGIBLE');
  });

  test('history rows of the cohort being enrolled are not prior participation', () => {
    const wb = scenario();
    fill(wb, 'Participants history', {
      Cohort: '2026 Spring',
      IIN: IIN.asel,
      Email: 'asel@uni.kz',
      'Full name': 'Асель Нурланова',
    });
    const asel = () => evaluateCandidates(SNAP(wb)).find((v) => v.row === 0)!;
    expect(asel().code).toBe('PRIOR_PARTICIPANT'); // no current cohort known: it looks like an earlier one
    setSetting(wb, 'Cohort', '2026 Spring');
    expect(asel()).toMatchObject({
      code: 'ELIGIBLE',
      detail: 'enrolled in cohort "2026 Spring" (Participants history row 6)',
    });
    expect(evaluateCandidates(SNAP(wb), '2026 spring').find((v) => v.row === 0)!.code).toBe('ELIGIBLE');
  });

  test('an unusable Candidates tab is refused with its name and nothing is planned', () => {
    const wb = scenario();
    wb.tabs.delete('Candidates');
    expect(() => checkEligibility(SNAP(wb), { now: NOW })).toThrow(InvalidRequest);
    expect(() => checkEligibility(SNAP(wb), { now: NOW })).toThrow('the workbook has no "Candidates" tab');
    const wb2 = scenario();
    const t = wb2.tabs.get('Candidates')!;
    t.header[t.header.indexOf('IIN')] = 'ИИН';
    expect(() => checkEligibility(SNAP(wb2), { now: NOW })).toThrow('Candidates tab: missing column(s) "IIN"');
  });

  test('check columns a user deleted come back at the right end; moved columns are found by name', () => {
    const wb = templateWorkbook();
    const header = ['Email', 'Full name', 'IIN', 'Student ID', 'School', 'School status'];
    wb.tabs.set('Candidates', {
      header,
      rows: [['a@uni.kz', 'A B', '871008401427', '1', 'SITE', 'Active']],
      formats: [],
      numberFormats: {},
    });
    const { plan } = checkEligibility(SNAP(wb), { now: NOW });
    expect(plan.tabs[0].addColumns).toEqual([
      'Group',
      'Year',
      'Match decision',
      'Eligibility',
      'Eligibility detail',
      'Checked at',
    ]);
    wb.apply(plan);
    expect(wb.record('Candidates', 0)).toMatchObject({
      Email: 'a@uni.kz',
      Eligibility: 'ELIGIBLE',
      'Checked at': NOW_TEXT,
    });
  });
});

describe('deciding a POSSIBLE_MATCH', () => {
  test('only an admin decides; the decision, the new verdict and an Audit row land together', () => {
    const wb = scenario();
    setSetting(wb, 'Admins', 'Admin@Uni.kz, dean@uni.kz');
    wb.apply(checkEligibility(SNAP(wb), { now: NOW }).plan);
    const before = dump(wb);
    expect(() => decidePossibleMatch(SNAP(wb), { row: 12, decision: 'different' }, 'mentor@uni.kz', NOW)).toThrow(
      EnrollmentRefused,
    );
    expect(() => decidePossibleMatch(SNAP(wb), { row: 0, decision: 'different' }, 'admin@uni.kz', NOW)).toThrow(
      'is ELIGIBLE, not POSSIBLE_MATCH',
    );
    expect(() => decidePossibleMatch(SNAP(wb), { row: 99, decision: 'same' }, 'admin@uni.kz', NOW)).toThrow(
      'Candidates row 101 is empty or does not exist',
    );
    expect(dump(wb)).toBe(before);

    const { plan, result } = decidePossibleMatch(
      SNAP(wb),
      { row: 12, decision: 'different', reason: 'different father name in the passport' },
      'admin@uni.kz',
      NOW,
    );
    wb.apply(plan);
    expect(result.verdict.code).toBe('ELIGIBLE');
    expect(wb.record('Candidates', 12)).toMatchObject({
      'Match decision': 'Different person',
      Eligibility: 'ELIGIBLE',
    });
    expect(records(wb, 'Audit')).toEqual([
      {
        At: NOW_TEXT,
        Who: 'admin@uni.kz',
        Action: 'Match decision',
        Email: 'zhanar@uni.kz',
        'Course slug': null,
        Before:
          'POSSIBLE_MATCH: same birth date (2003-11-20) and name as Participants history row 5: "Zhanar Aliyeva", cohort "2024 Fall", IIN ' +
          IIN.zhanarHistory,
        After: 'Different person → ELIGIBLE',
        Reason: 'different father name in the passport',
        Hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    // The next full check keeps the decision.
    expect(isEmptyPlan(checkEligibility(SNAP(wb), { now: NOW + 1 }).plan)).toBe(true);
  });
});
