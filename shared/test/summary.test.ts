/** Counts a dean can act on (issue 12): the Roster as the base, the catalog's courses, History. */
import { MemoryWorkbook } from '../src/memory-workbook';
import { COURSES_TAB, headersOf, ROSTER_TAB, SETTINGS_TAB } from '../src/layout';
import { planSync, SYNC_TABS } from '../src/sync-plan';
import { compareHistory, readHistory } from '../src/history';
import { exportBatch, HEADER_2020, line } from './helpers';

const roster = (rows: (string | null)[][]) => ({ header: headersOf(ROSTER_TAB), rows });
const person = (email: string, school: string, group: string, status: string | null = null) => [
  email,
  `Name ${email}`,
  `ID-${email[0]}`,
  null,
  school,
  group,
  '2026',
  status,
];

function workbook(rosterRows: (string | null)[][]) {
  return new MemoryWorkbook({
    [SETTINGS_TAB.name]: { header: ['Setting', 'Value'], rows: [['Time zone', 'Asia/Almaty']] },
    [ROSTER_TAB.name]: roster(rosterRows),
    [COURSES_TAB.name]: {
      header: headersOf(COURSES_TAB),
      rows: [
        ['intro-law', 'Introduction to Law', 'Jurisprudence', 'partial', 'mentor@uni.kz', '2026-12-31', 3],
        ['ethics', 'Legal Ethics', 'Jurisprudence', 'partial', 'mentor@uni.kz', '2026-12-31', 2],
      ],
    },
  });
}

const CERT_HEADER = [...HEADER_2020, 'Course Certificate URL'];
function sync(wb: MemoryWorkbook, lines: ReturnType<typeof line>[], asOf = '2026-06-15', header = HEADER_2020) {
  const result = planSync(wb.read(SYNC_TABS), exportBatch(lines, header), { asOf });
  wb.apply(result.plan);
  return result;
}
const rows = (wb: MemoryWorkbook, tab: string) => wb.tabs.get(tab)!.rows;
const rowOf = (wb: MemoryWorkbook, tab: string, label: string) => {
  const i = rows(wb, tab).findIndex((r) => r[0] === label);
  if (i < 0) throw new Error(`no row "${label}" in ${tab}`);
  return wb.record(tab, i);
};
const done = { Completed: 'Yes', 'Completion Time': '2026-05-20T10:00:00Z', 'Overall Progress': '100' };

describe('rostered learners without a Coursera record', () => {
  const law = (email: string, status: string | null = null) => person(email, 'Law School', 'L-1', status);

  test('count as enrolled and not started, with a NO_COURSERA_RECORD row carrying their roster facts', () => {
    const wb = workbook([law('a@uni.kz'), law('b@uni.kz'), law('c@uni.kz'), law('d@uni.kz')]);
    const { stats } = sync(wb, [line('a@uni.kz', 'intro-law', done)]);
    expect(stats.rosterWithoutRecord).toBe(3);
    // Was "Enrolled 1, completion 100 %" with three rostered students absent from the export.
    expect(rowOf(wb, 'Summary by school', 'Law School')).toMatchObject({
      Enrolled: 4,
      Started: 1,
      Completed: 1,
      'Completion rate': 0.25,
    });
    expect(rowOf(wb, 'Summary by group', 'L-1')).toMatchObject({ Enrolled: 4 });
    expect(rowOf(wb, 'Summary by course', '(not set)')).toMatchObject({ Enrolled: 3, Started: 0 });
    const b = rows(wb, 'Progress').findIndex((r) => r[0] === 'b@uni.kz');
    expect(wb.record('Progress', b)).toMatchObject({
      'Full name': 'Name b@uni.kz',
      'Student ID': 'ID-b',
      School: 'Law School',
      Group: 'L-1',
      'Course slug': null,
      Flags: 'NO_COURSERA_RECORD',
      Status: 'Not started',
    });
  });

  test("the learner's first Coursera record takes the row over; a re-sync writes no Progress cell", () => {
    const wb = workbook([law('a@uni.kz'), law('b@uni.kz')]);
    sync(wb, [line('a@uni.kz', 'intro-law')]);
    expect(rows(wb, 'Progress')).toHaveLength(2);
    const { stats } = sync(wb, [line('a@uni.kz', 'intro-law'), line('b@uni.kz', 'ethics')]);
    expect(stats).toMatchObject({ inserted: 1, rosterWithoutRecord: 0 });
    expect(rows(wb, 'Progress').map((r) => r[0])).toEqual(['a@uni.kz', 'b@uni.kz']);
    expect(wb.record('Progress', 1)).toMatchObject({ 'Course slug': 'ethics', Course: 'Legal Ethics', Flags: '' });
    const again = sync(wb, [line('a@uni.kz', 'intro-law'), line('b@uni.kz', 'ethics')]);
    expect(again.stats.progressCellsWritten).toBe(0);
  });

  test('Replaced and Withdrawn learners leave the summaries; a placeholder of one reads Removed', () => {
    const wb = workbook([law('a@uni.kz'), law('b@uni.kz'), law('w@uni.kz', 'Withdrawn'), law('r@uni.kz', 'replaced')]);
    sync(wb, [line('a@uni.kz', 'intro-law', done), line('w@uni.kz', 'intro-law'), line('r@uni.kz', 'ethics')]);
    expect(rowOf(wb, 'Summary by school', 'Law School')).toMatchObject({ Enrolled: 2, Completed: 1 });
    expect(rowOf(wb, 'Summary by course', 'Total')).toMatchObject({ Enrolled: 2 });
    wb.tabs.get('Roster')!.rows[1][7] = 'Withdrawn'; // b leaves before ever opening Coursera
    sync(wb, [line('a@uni.kz', 'intro-law', done)]);
    const b = rows(wb, 'Progress').findIndex((r) => r[0] === 'b@uni.kz');
    expect(wb.record('Progress', b)).toMatchObject({ Removed: 'Yes', Status: 'Removed' });
    expect(rowOf(wb, 'Summary by school', 'Law School')).toMatchObject({ Enrolled: 1, 'Completion rate': 1 });
  });

  test('a Coursera learner not on a non-empty Roster keeps NOT_ON_ROSTER and is counted', () => {
    const wb = workbook([law('a@uni.kz')]);
    sync(wb, [line('a@uni.kz', 'intro-law'), line('x@uni.kz', 'intro-law')]);
    expect(wb.record('Progress', 1).Flags).toContain('NOT_ON_ROSTER');
    expect(rowOf(wb, 'Summary by school', '(not set)')).toMatchObject({ Enrolled: 1 });
  });

  test('an empty Roster adds no rows', () => {
    const wb = workbook([]);
    expect(sync(wb, [line('a@uni.kz', 'intro-law')]).stats.rosterWithoutRecord).toBe(0);
    expect(rows(wb, 'Progress')).toHaveLength(1);
  });
});

describe('summary rows', () => {
  test('courses outside the catalog share one "Other courses" row, listed last before Total', () => {
    const wb = workbook([]);
    sync(wb, [
      line('a@uni.kz', 'intro-law'),
      line('b@uni.kz', 'ableton-live'),
      line('c@uni.kz', 'addiction-treatment'),
      line('d@uni.kz', 'addiction-treatment'),
    ]);
    expect(rows(wb, 'Summary by course').map((r) => [r[0], r[1]])).toEqual([
      ['Introduction to Law', 1],
      ['Other courses (not in the catalog)', 3],
      ['Total', 4],
    ]);
    expect(rows(wb, 'Summary by discipline').map((r) => [r[0], r[1]])).toEqual([
      ['(not set)', 3],
      ['Jurisprudence', 1],
      ['Total', 4],
    ]);
  });

  test('Completed counts completions, Certificates counts certificates: they differ where the export says so', () => {
    const wb = workbook([]);
    const url = { 'Course Certificate URL': 'https://coursera.org/verify/A' };
    sync(
      wb,
      [
        line('a@uni.kz', 'intro-law', { ...done, ...url }),
        line('b@uni.kz', 'intro-law', done), // completed, no certificate (not paid for, or not issued yet)
        line('c@uni.kz', 'intro-law'),
      ],
      '2026-06-15',
      CERT_HEADER,
    );
    expect(wb.record('Progress', 1)).toMatchObject({ Completed: 'Yes', Certificate: 'No' });
    expect(rowOf(wb, 'Summary by course', 'Introduction to Law')).toMatchObject({
      Enrolled: 3,
      Completed: 2,
      Certificates: 1,
    });
  });
});

describe('History', () => {
  test('one row per school per as-of day, the same day replaced, a new day added; compare reads the change', () => {
    const wb = workbook([person('a@uni.kz', 'Law School', 'L-1'), person('b@uni.kz', 'Law School', 'L-1')]);
    sync(wb, [line('a@uni.kz', 'intro-law')], '2026-03-01');
    sync(wb, [line('a@uni.kz', 'intro-law', { 'Overall Progress': '50' })], '2026-03-01 18:00');
    expect(rows(wb, 'Summary history').map((r) => r.slice(0, 4))).toEqual([
      ['2026-03-01', 'Total', 2, 0],
      ['2026-03-01', 'Law School', 2, 0],
    ]);
    sync(
      wb,
      [line('a@uni.kz', 'intro-law', done), line('b@uni.kz', 'intro-law', { 'Overall Progress': '10' })],
      '2026-04-01',
    );
    const history = readHistory(wb.read(['Summary history'])['Summary history']);
    expect(history.map((p) => [p.date, p.school, p.completionRate])).toEqual([
      ['2026-03-01', 'Total', 0],
      ['2026-04-01', 'Total', 0.5],
      ['2026-03-01', 'Law School', 0],
      ['2026-04-01', 'Law School', 0.5],
    ]);
    const cmp = compareHistory(history, '2026-03-15', '2026-05-01');
    expect(cmp).toMatchObject({ fromDate: '2026-03-01', toDate: '2026-04-01' });
    expect(cmp.schools[0]).toMatchObject({ school: 'Law School', change: { completed: 1, completionRate: 0.5 } });
    expect(() => compareHistory(history, '2026-01-01', '2026-04-01')).toThrow(
      'Summary history has no date on or before 2026-01-01 (the first is 2026-03-01)',
    );
  });
});
