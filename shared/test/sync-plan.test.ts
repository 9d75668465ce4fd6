import { MemoryWorkbook } from '../src/memory-workbook';
import { headersOf, PROGRESS_TAB, ROSTER_TAB, COURSES_TAB, GRADE_SCALE_TAB, SETTINGS_TAB } from '../src/layout';
import { planSync, SYNC_TABS, templatePlan } from '../src/sync-plan';
import { countPlanCells } from '../src/workbook';
import { exportBatch, line } from './helpers';

const AS_OF = '2026-06-15';

function seeded() {
  return new MemoryWorkbook({
    [SETTINGS_TAB.name]: {
      header: ['Setting', 'Value'],
      rows: [
        ['Engagement threshold %', 60],
        ['Time zone', 'Asia/Almaty'],
      ],
    },
    [ROSTER_TAB.name]: {
      header: headersOf(ROSTER_TAB),
      rows: [['Aigerim@Uni.kz', 'Айгерім Сәрсенова', 'S-001', '000101650017', 'Law School', 'L-1', '2026']],
    },
    [COURSES_TAB.name]: {
      header: headersOf(COURSES_TAB),
      rows: [['intro-law', 'Introduction to Law', 'Jurisprudence', 'partial', 'mentor@uni.kz', '2026-05-31', 3]],
    },
  });
}

async function sync(wb: MemoryWorkbook, lines: ReturnType<typeof line>[], asOf: string | number = AS_OF) {
  const result = planSync(wb.read(SYNC_TABS), exportBatch(lines), { asOf });
  wb.apply(result.plan);
  return result;
}

const progress = (wb: MemoryWorkbook) => wb.tabs.get('Progress')!;

describe('sync into an empty workbook', () => {
  test('creates the whole layout and one Progress row per learner × course, joined with roster and catalog', async () => {
    const wb = seeded();
    const { stats } = await sync(wb, [
      line('aigerim@uni.kz', 'intro-law', {
        Completed: 'Yes',
        'Completion Time': '2026-05-20T10:00:00.000Z',
        'Overall Progress': '92.5',
        'Course Grade': '88.4',
      }),
      line('stranger@uni.kz', 'intro-law', { 'Overall Progress': '10' }),
    ]);
    expect(stats).toMatchObject({ rowsRead: 2, rejected: 0, inserted: 2, updated: 0, unchanged: 0 });
    for (const name of SYNC_TABS) expect(wb.tabs.has(name)).toBe(true);
    expect(progress(wb).header).toEqual(headersOf(PROGRESS_TAB));
    const a = wb.record('Progress', 0);
    expect(a).toMatchObject({
      Email: 'aigerim@uni.kz',
      'Full name': 'Айгерім Сәрсенова',
      'Student ID': 'S-001',
      School: 'Law School',
      Course: 'Introduction to Law',
      Mentor: 'mentor@uni.kz',
      Deadline: '2026-05-31',
      'Completed at': '2026-05-20 15:00', // Almaty wall clock
      'Engagement %': 92.5,
      Completed: 'Yes',
      Flags: '',
      Status: 'Ready for approval',
      Points: null,
    });
    expect(wb.record('Progress', 1)).toMatchObject({
      Flags: 'LOW_ENGAGEMENT, OVERDUE, NOT_ON_ROSTER',
      Status: 'Overdue',
    });
    expect(stats.flags.NOT_ON_ROSTER).toBe(1);
    expect(stats.statuses['Ready for approval']).toBe(1);
  });
});

describe('re-sync', () => {
  test('the same export again writes zero Progress cells', async () => {
    const wb = seeded();
    const lines = [
      line('aigerim@uni.kz', 'intro-law'),
      line('b@uni.kz', 'intro-law', { Completed: 'Yes', 'Completion Time': '2026-06-02T10:00:00Z' }),
    ];
    await sync(wb, lines);
    const again = await sync(wb, lines);
    expect(again.stats).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, progressCellsWritten: 0 });
    expect(countPlanCells(again.plan, 'Progress')).toBe(0);
    expect(again.plan.tabs.filter((t) => t.tab.startsWith('Summary'))).toEqual([]);
  });

  test('human columns and user-added columns survive, reordered columns are found by name', async () => {
    const wb = seeded();
    await sync(wb, [
      line('aigerim@uni.kz', 'intro-law', { Completed: 'Yes', 'Completion Time': '2026-05-20T10:00:00Z' }),
    ]);
    const tab = progress(wb);
    // A mentor comments, adds a column, and someone moves Status to the front. (Points typed by
    // hand would be an approval the audit does not back: see the next test.)
    const col = (h: string) => tab.header.indexOf(h);
    tab.rows[0][col('Mentor comment')] = 'Strong work';
    tab.header.push('Dean note');
    tab.rows[0].length = tab.header.length;
    tab.rows[0][tab.header.length - 1] = 'seen';
    const from = col('Status');
    for (const r of [tab.header, ...tab.rows] as unknown[][]) r.unshift(r.splice(from, 1)[0]);

    const result = await sync(wb, [
      line('aigerim@uni.kz', 'intro-law', {
        Completed: 'Yes',
        'Completion Time': '2026-05-20T10:00:00Z',
        'Overall Progress': '95',
      }),
    ]);
    const written = result.plan.tabs.find((t) => t.tab === 'Progress')!.updates!;
    expect(written.map((u) => tab.header[u.col])).toEqual(['Engagement %']);
    expect(wb.record('Progress', 0)).toMatchObject({
      Status: 'Ready for approval',
      'Mentor comment': 'Strong work',
      'Dean note': 'seen',
      'Engagement %': 95,
    });
    expect(tab.header[0]).toBe('Status');
  });

  test('an approval typed by hand (no Audit entry) is UNVERIFIED_APPROVAL and Needs review; the approval cells are left as typed', async () => {
    const wb = seeded();
    const lines = [
      line('aigerim@uni.kz', 'intro-law', { Completed: 'Yes', 'Completion Time': '2026-05-20T10:00:00Z' }),
    ];
    await sync(wb, lines);
    const tab = progress(wb);
    tab.rows[0][tab.header.indexOf('Approved by')] = 'mentor@uni.kz';
    const result = await sync(wb, lines);
    const updates = result.plan.tabs.find((t) => t.tab === 'Progress')!.updates!;
    expect(updates.map((u) => tab.header[u.col])).toEqual(['Flags', 'Status']);
    expect(wb.record('Progress', 0)).toMatchObject({
      Status: 'Needs review',
      Flags: 'UNVERIFIED_APPROVAL',
      'Approved by': 'mentor@uni.kz',
    });
    expect(result.stats.flags.UNVERIFIED_APPROVAL).toBe(1);
  });

  test('a layout column the user deleted is re-added at the end, not over their data', async () => {
    const wb = seeded();
    await sync(wb, [line('aigerim@uni.kz', 'intro-law')]);
    const tab = progress(wb);
    const at = tab.header.indexOf('Learning hours');
    tab.header.splice(at, 1);
    tab.rows.forEach((r) => r.splice(at, 1));
    await sync(wb, [line('aigerim@uni.kz', 'intro-law')]);
    expect(tab.header[tab.header.length - 1]).toBe('Learning hours');
    expect(wb.record('Progress', 0)['Learning hours']).toBe(4.5);
  });

  test('rows keep their order; new learners are appended at the end; rows missing from the export stay', async () => {
    const wb = seeded();
    await sync(wb, [line('a@uni.kz', 'intro-law'), line('b@uni.kz', 'intro-law')]);
    await sync(wb, [line('c@uni.kz', 'intro-law'), line('A@UNI.KZ', 'intro-law', { 'Overall Progress': '80' })]);
    // aigerim is on the Roster without a Coursera record: her NO_COURSERA_RECORD row came with the first sync.
    expect(progress(wb).rows.map((r) => r[0])).toEqual(['a@uni.kz', 'b@uni.kz', 'aigerim@uni.kz', 'c@uni.kz']);
    expect(wb.record('Progress', 0)['Engagement %']).toBe(80);
  });

  test('as-of moving past the deadline turns rows the export did not mention overdue', async () => {
    const wb = seeded();
    await sync(wb, [line('a@uni.kz', 'intro-law')], '2026-05-01');
    expect(wb.record('Progress', 0).Status).toBe('In progress');
    await sync(wb, [line('z@uni.kz', 'intro-law')], '2026-06-02');
    expect(wb.record('Progress', 0).Status).toBe('Overdue');
  });
});

describe('bad rows and odd input', () => {
  test('a bad row is reported with line, column and reason; good rows still sync', async () => {
    const wb = seeded();
    const { stats } = await sync(wb, [
      line('a@uni.kz', 'intro-law'),
      line('b@uni.kz', 'intro-law', { 'Overall Progress': 'abc' }),
      line('not-an-email', 'intro-law'),
    ]);
    expect(stats).toMatchObject({ rowsRead: 3, rejected: 2, inserted: 1 });
    const rejected = wb.tabs.get('Rejected rows')!;
    expect(rejected.rows.map((r) => [r[2], r[3]])).toEqual([
      [3, 'column K "Overall Progress": Overall Progress must be a number from 0 to 100, got "abc"'],
      [4, 'column B "Email": Email is not an e-mail address: "not-an-email"'],
    ]);
    expect(String(rejected.rows[0][4])).toContain('Email=b@uni.kz');
  });

  test('formula-like text from an export is stored as the same text', async () => {
    const wb = seeded();
    await sync(wb, [
      line('a@uni.kz', 'intro-law', { Course: '=HYPERLINK("http://evil","x")', Name: '+1', 'External Id': '@x' }),
    ]);
    // The catalog names the course, so use one it does not list.
    await sync(wb, [
      line('b@uni.kz', 'other', { Course: '=HYPERLINK("http://evil","x")', Name: '+1', 'External Id': '@x' }),
    ]);
    const b = progress(wb).rows.findIndex((r) => r[0] === 'b@uni.kz');
    expect(wb.record('Progress', b)).toMatchObject({
      Course: '=HYPERLINK("http://evil","x")',
      'Full name': '+1',
      'Student ID': '@x',
    });
  });

  test('a duplicated learner × course in one export: the later line wins, the earlier is reported', async () => {
    const wb = seeded();
    const { stats } = await sync(wb, [
      line('a@uni.kz', 'intro-law', { 'Overall Progress': '20' }),
      line('a@uni.kz', 'intro-law', { 'Overall Progress': '70' }),
    ]);
    expect(stats).toMatchObject({ inserted: 1, rejected: 1 });
    expect(wb.record('Progress', 0)['Engagement %']).toBe(70);
    expect(String(wb.tabs.get('Rejected rows')!.rows[0][3])).toMatch(/duplicate of line 3/);
  });

  test('courses without any deadline are listed and get no late/overdue flags', async () => {
    const wb = seeded();
    const { stats } = await sync(
      wb,
      [line('aigerim@uni.kz', 'no-deadline-course', { Completed: 'Yes', 'Completion Time': '2030-01-01T00:00:00Z' })],
      '2031-01-01',
    );
    expect(stats.coursesWithoutDeadline).toEqual(['no-deadline-course']);
    expect(wb.record('Progress', 0).Flags).toBe('');
  });

  test('Default deadline applies to courses without their own', async () => {
    const wb = seeded();
    wb.tabs.get('Settings')!.rows.push(['Default deadline', '01.03.2026']);
    await sync(wb, [line('aigerim@uni.kz', 'other', { Completed: 'Yes', 'Completion Time': '2026-03-01T19:00:00Z' })]);
    expect(wb.record('Progress', 0)).toMatchObject({ Deadline: '2026-03-01', Flags: 'LATE', Status: 'Needs review' });
  });

  test('a bad setting stops the sync with a message naming the row', () => {
    const wb = seeded();
    wb.tabs.get('Settings')!.rows.push(['Time zone', 'Mars/Olympus']);
    expect(() => planSync(wb.read(SYNC_TABS), exportBatch([line('a@uni.kz', 'x')]), { asOf: AS_OF })).toThrow(
      /Settings tab: timeZone: unknown time zone/,
    );
  });
});

describe('summaries', () => {
  test('by school, course and mentor with totals; removed learners excluded', async () => {
    const wb = seeded();
    await sync(wb, [
      line('aigerim@uni.kz', 'intro-law', {
        Completed: 'Yes',
        'Completion Time': '2026-05-20T10:00:00Z',
        'Overall Progress': '100',
      }),
      line('b@uni.kz', 'intro-law', { 'Overall Progress': '20' }),
      line('c@uni.kz', 'intro-law', { 'Removed From Program': 'Yes' }),
    ]);
    const bySchool = wb.tabs.get('Summary by school')!;
    const row = (label: string) =>
      wb.record(
        'Summary by school',
        bySchool.rows.findIndex((r) => r[0] === label),
      );
    expect(row('Law School')).toMatchObject({
      Enrolled: 1,
      Completed: 1,
      'Ready for approval': 1,
      'Completion rate': 1,
    });
    expect(row('(not set)')).toMatchObject({ Enrolled: 1, Overdue: 1, 'Low engagement': 1, 'Completion rate': 0 });
    expect(row('Total')).toMatchObject({
      Enrolled: 2,
      Completed: 1,
      'Average engagement %': 60,
      'Completion rate': 0.5,
    });
    const byMentor = wb.tabs.get('Summary by mentor')!;
    // Certificates 0: this 2020-style export has no certificate column, and Completed alone is no certificate.
    expect(byMentor.rows[0]).toEqual(['mentor@uni.kz', 2, 2, 1, 0, 1, 0, 1, 0, 1, 60, 0.5]);
    expect(wb.tabs.get('Summary by school')!.formats.map((f) => f.kind)).toContain('colorScale');
  });
});

describe('settings and text limits a real spreadsheet brings', () => {
  test('a threshold cell formatted as a percentage (0.6 for "60%") means 60', () => {
    const wb = seeded();
    wb.tabs.get('Settings')!.rows[0][1] = 0.6;
    const { settings } = planSync(wb.read(SYNC_TABS), exportBatch([line('aigerim@uni.kz', 'intro-law')]), {
      asOf: AS_OF,
    });
    expect(settings.engagementThreshold).toBe(60);
  });
  test('a text value longer than a cell may hold is a rejected row, not a failed sync', async () => {
    const wb = seeded();
    const { stats } = await sync(wb, [
      line('a@uni.kz', 'intro-law', { Name: 'x'.repeat(60_000) }),
      line('b@uni.kz', 'intro-law'),
    ]);
    expect(stats).toMatchObject({ inserted: 1, rejected: 1 });
    const rejected = wb.tabs.get('Rejected rows')!.rows[0];
    expect(rejected[3]).toBe('column A "Name": longer than 500 characters (60000)'); // names: LENGTH_CAPS.fullName
    expect(String(rejected[4]).length).toBeLessThan(5100);
  });
});

describe('the template in a language', () => {
  const seeded = (language?: 'kk' | 'ru') => {
    const wb = new MemoryWorkbook();
    wb.apply({ tabs: templatePlan({}, language) });
    return wb.read([GRADE_SCALE_TAB.name, SETTINGS_TAB.name]);
  };

  test('a new workbook seeds its traditional marks in its language; letters and points stay the scale', () => {
    const ru = seeded('ru')[GRADE_SCALE_TAB.name]!.rows;
    expect(ru[0]).toEqual(['A', 4, 95, 100, 'Отлично (5)']);
    expect(ru.map((r) => r[4])).toContain('Неудовлетворительно (2)');
    expect(seeded('kk')[GRADE_SCALE_TAB.name]!.rows[6][4]).toBe('Қанағаттанарлық (3)');
    expect(seeded()[GRADE_SCALE_TAB.name]!.rows[0][4]).toBe('Excellent (5)');
    expect(seeded('kk')[SETTINGS_TAB.name]!.rows.find((r) => r[0] === 'Language')?.[1]).toBe('kk');
  });
});
