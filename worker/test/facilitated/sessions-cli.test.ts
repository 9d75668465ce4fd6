/**
 * End to end on a real .xlsx: a facilitated programme (two groups, their participants and
 * sessions) synced from a Coursera export, attendance imported from a Zoom and a Google Meet
 * report, and the sessions report checked against counts worked out by hand (in the comments).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Cell } from '../../../shared/src/cells';
import { XlsxWorkbook } from '../../src/adapters/xlsx-workbook';
import { HEADER_2020 } from '../../../shared/test/helpers';
import { cli } from '../support/cli';
import { eachTestInTempDir, sha } from '../support/temp-dir';

type Rec = Record<string, Cell>;
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'attendance');
const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'mooc-desk.js');
const FACILITATOR = 'gulnara.facilitator@kazate.kz';

let dir: string;
let wb: string;
eachTestInTempDir('mooc-sessions-', (d) => {
  dir = d;
  wb = path.join(d, 'progress.xlsx');
});

const participant = (
  email: string,
  name: string,
  group: string,
  category: string,
  field: string,
  score: Cell,
  status = 'selected',
) => ({
  Email: email,
  'Full name': name,
  Group: group,
  Category: category,
  Field: field,
  'EF SET score': score,
  'Application status': status,
});

const PROGRAMME: Record<string, Rec[]> = {
  Courses: [
    { 'Course slug': 'media-literacy', Course: 'English for Media Literacy' },
    { 'Course slug': 'english-stem', Course: 'English for STEM' },
  ],
  Groups: [
    {
      Group: 'Almaty-1',
      City: 'Almaty',
      Facilitators: FACILITATOR,
      Mode: 'online',
      Courses: 'media-literacy, english-stem',
      Start: '2020-01-15',
      End: '2020-05-31',
    },
    {
      Group: 'Aktau-1',
      City: 'Aktau',
      Facilitators: 'aktau.facilitator@kazate.kz',
      Mode: 'face-to-face',
      Courses: 'media-literacy',
      Start: '2020-01-15',
      End: '2020-05-31',
      'Minimum size': 2,
    },
  ],
  Participants: [
    participant('aigerim@school.kz', 'Сапарова Айгерим Нурлановна', 'Almaty-1', 'school teacher', 'English', 28),
    participant('bolat.nurlanov@uni.kz', 'Bolat Nurlanov', 'Almaty-1', 'university teacher', 'STEM', 55),
    participant('dana@uni.kz', 'Dana Ermekova', 'Almaty-1', 'pre-service student', 'English', 0),
    {
      ...participant('erlan@uni.kz', 'Erlan Sadykov', 'Almaty-1', 'university teacher', 'STEM', 60, 'withdrawn'),
      'Withdrawal reason': 'attendance is compulsory',
    },
    participant('farida@uni.kz', 'Farida Omarova', 'Almaty-1', 'school teacher', 'STEM', 120, 'applied'),
    participant('gani@uni.kz', 'Gani Tulegenov', 'Aktau-1', 'university teacher', 'humanities', 71),
    participant('hana@uni.kz', 'Hana Li', 'Aktau-1', 'other', 'arts', 41),
  ],
  Sessions: [
    {
      'Session ID': 'ALA-W3',
      Group: 'Almaty-1',
      Date: '2020-03-05',
      Mode: 'online',
      Topic: 'Fake news',
      Facilitator: FACILITATOR,
    },
    {
      'Session ID': 'ALA-W4',
      Group: 'Almaty-1',
      Date: '2020-03-12',
      Mode: 'online',
      Topic: 'Lab reports',
      Facilitator: FACILITATOR,
    },
    {
      'Session ID': 'AKT-W1',
      Group: 'Aktau-1',
      Date: '2020-03-05',
      Mode: 'face-to-face',
      Topic: 'Kick-off',
      Facilitator: '',
    },
  ],
  Attendance: [
    { 'Session ID': 'AKT-W1', Email: 'gani@uni.kz', Mark: 'present', Source: 'paper list' },
    { 'Session ID': 'AKT-W1', Email: 'hana@uni.kz', Mark: 'excused', Source: 'paper list' },
  ],
};

/** Coursera's 2020 usage report (no certificate column: a completion is the certificate). */
function exportCsv(): string {
  const line = (email: string, slug: string, progress: number, completedAt = '') => {
    const rec: Record<string, string> = {
      Email: email,
      'Course Slug': slug,
      Course: slug,
      'Enrollment Time': '2020-01-20T08:00:00Z',
      'Last Course Activity Time': '2020-03-01T08:00:00Z',
      'Overall Progress': String(progress),
      Completed: completedAt ? 'Yes' : 'No',
      'Completion Time': completedAt,
      'Removed From Program': 'No',
      'Course Grade': '0',
    };
    return HEADER_2020.map((h) => rec[h] ?? '').join(',');
  };
  return [
    HEADER_2020.join(','),
    line('aigerim@school.kz', 'media-literacy', 100, '2020-03-20T10:00:00Z'),
    line('aigerim@school.kz', 'english-stem', 100, '2020-05-20T10:00:00Z'),
    line('bolat.nurlanov@uni.kz', 'media-literacy', 100, '2020-04-10T10:00:00Z'),
    line('bolat.nurlanov@uni.kz', 'english-stem', 40),
    line('bolat.nurlanov@uni.kz', 'python-basics', 100, '2020-05-01T10:00:00Z'), // on his own: not the programme's
    line('dana@uni.kz', 'media-literacy', 100, '2020-05-25T10:00:00Z'),
    line('dana@uni.kz', 'english-stem', 10),
    line('gani@uni.kz', 'media-literacy', 100, '2020-03-25T10:00:00Z'),
    line('hana@uni.kz', 'media-literacy', 30),
  ].join('\n');
}

async function seed() {
  expect((await cli(['init', '--workbook', wb])).code).toBe(0);
  const book = await XlsxWorkbook.open(wb);
  const snap = book.read(Object.keys(PROGRAMME));
  await book.apply({
    tabs: Object.entries(PROGRAMME).map(([tab, recs]) => ({
      tab,
      appends: recs.map((r) => {
        for (const k of Object.keys(r)) if (!snap[tab]!.header.includes(k)) throw new Error(`${tab} has no ${k}`);
        return snap[tab]!.header.map((h) => r[h] ?? null);
      }),
    })),
  });
  fs.writeFileSync(path.join(dir, 'usage.csv'), exportCsv());
  const synced = await cli(['sync', 'usage.csv', '--workbook', wb, '--as-of', '2020-06-10', '--json'], dir);
  expect(synced.code).toBe(0);
  return JSON.parse(synced.stdout) as { participantProblems: string[]; flags: Record<string, number> };
}

async function tab(name: string): Promise<Rec[]> {
  const t = (await XlsxWorkbook.open(wb)).read([name])[name]!;
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i] ?? null])));
}

const byEmail = (rows: Rec[]) => new Map(rows.map((r) => [r.Email, r]));
const importReport = (file: string, session: string, ...extra: string[]) =>
  cli(
    [
      'attendance',
      'import',
      path.join(FIXTURES, file),
      '--workbook',
      wb,
      '--session',
      session,
      '--at',
      '2020-03-12T20:00:00+05:00',
      ...extra,
    ],
    dir,
  );

describe('facilitated sessions, end to end', () => {
  it('the sync fills CEFR levels and group flags, and shows a participant’s group and facilitator in Progress', async () => {
    const synced = await seed();
    expect(synced.participantProblems).toEqual([
      'Participants tab, row 6, column "EF SET score": 120 is not an EF SET score: at most 100 (0–100)',
    ]);
    const people = byEmail(await tab('Participants'));
    expect(people.get('aigerim@school.kz')!['CEFR level']).toBe('A1');
    expect(people.get('bolat.nurlanov@uni.kz')!['CEFR level']).toBe('B2');
    expect(people.get('dana@uni.kz')!['CEFR level']).toBeNull(); // 0: no valid test result
    expect(people.get('gani@uni.kz')!['CEFR level']).toBe('C2');
    expect(people.get('farida@uni.kz')!.Flags).toBe('INVALID_EF_SET_SCORE');
    const groups = await tab('Groups');
    expect(groups.map((g) => [g.Group, g.Participants, g.Flags])).toEqual([
      ['Almaty-1', 3, 'BELOW_MINIMUM_SIZE'], // 3 selected of the default minimum 20; withdrawn and applicants do not count
      ['Aktau-1', 2, null],
    ]);
    const progress = (await tab('Progress')).find(
      (r) => r.Email === 'bolat.nurlanov@uni.kz' && r['Course slug'] === 'english-stem',
    )!;
    expect([progress.Group, progress.Facilitator]).toEqual(['Almaty-1', FACILITATOR]);
  });

  it('imports a Zoom report: re-joins summed, a Latin name matched to its Cyrillic spelling, the facilitator apart, an unmatched guest listed; twice changes nothing', async () => {
    await seed();
    const first = await importReport('zoom-week3.csv', 'ALA-W3', '--json');
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toEqual({
      session: 'ALA-W3',
      present: 2, // Aigerim 20 + 25 = 45 of the facilitator's 90 minutes: exactly 50 %; Bolat 60
      absent: 1, // Dana is not in the report
      unmatched: [
        {
          lines: [9],
          name: 'iPhone / Visitor',
          email: '',
          minutes: 10,
          reason: 'iPhone / Visitor: no participant with this e-mail or name',
        },
      ],
      updated: 3,
    });
    const marks = (await tab('Attendance')).filter((r) => r['Session ID'] === 'ALA-W3');
    expect(marks.map((r) => [r.Email, r.Mark, r.Minutes])).toEqual([
      ['aigerim@school.kz', 'present', 45],
      ['bolat.nurlanov@uni.kz', 'present', 60],
      ['dana@uni.kz', 'absent', 0],
    ]);
    expect(marks.every((r) => r.Source === 'Zoom: zoom-week3.csv')).toBe(true);
    const rejected = await tab('Rejected rows');
    expect(rejected.filter((r) => String(r.Source).startsWith('attendance'))).toHaveLength(1);
    expect(rejected.at(-1)!.Line).toBe(9);

    const before = sha(wb);
    const again = await importReport('zoom-week3.csv', 'ALA-W3', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ present: 2, absent: 1, updated: 0 });
    expect(sha(wb)).toBe(before); // nothing to write: the file is untouched
  });

  it('imports a Google Meet report: Cyrillic name, a Ye/E spelling, durations in words; flags follow', async () => {
    await seed();
    await importReport('zoom-week3.csv', 'ALA-W3');
    const meet = await importReport('meet-week4.csv', 'ALA-W4');
    expect(meet.code).toBe(0);
    expect(meet.stdout).toContain('Session ALA-W4 (Google Meet): 2 present · 1 absent');
    expect(meet.stdout).toContain('line 6: Unknown Person: no participant with this e-mail or name (5 min)');
    const w4 = (await tab('Attendance')).filter((r) => r['Session ID'] === 'ALA-W4');
    expect(w4.map((r) => [r.Email, r.Mark, r.Minutes])).toEqual([
      ['aigerim@school.kz', 'absent', 40], // Айгерим Сапарова, 40 of 90 minutes: below half
      ['bolat.nurlanov@uni.kz', 'present', 60],
      ['dana@uni.kz', 'present', 50], // "Dana Yermekova" is Dana Ermekova
    ]);
    const people = byEmail(await tab('Participants'));
    expect([people.get('aigerim@school.kz')!['Attendance %'], people.get('aigerim@school.kz')!.Absences]).toEqual([
      50, 1,
    ]);
    expect(people.get('aigerim@school.kz')!.Flags).toBe('MISSED_SESSIONS');
    expect(people.get('bolat.nurlanov@uni.kz')!.Flags).toBeNull(); // the group has not ended on 2020-03-12
    expect(people.get('hana@uni.kz')!['Attendance %']).toBeNull(); // only an excused session
  });

  it('report sessions: participants vs completed vs certified by Category and Field, interim vs final, CEFR spread, attendance', async () => {
    await seed();
    await importReport('zoom-week3.csv', 'ALA-W3');
    await importReport('meet-week4.csv', 'ALA-W4');
    const interim = await cli(
      ['report', 'sessions', '--workbook', wb, '--out', 'interim.xlsx', '--as-of', '2020-03-31'],
      dir,
    );
    expect(interim.stderr).toBe('');
    expect(interim.stdout).toContain('2 course(s), 2 group(s), 3 session(s)');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(dir, 'interim.xlsx'));
    const rows = (name: string) =>
      (book.getWorksheet(name)!.getSheetValues().slice(2) as unknown[][]).map((r) => r.slice(1));
    // media-literacy: Almaty-1 (Aigerim, Bolat, Dana) + Aktau-1 (Gani, Hana); by 31 March only Aigerim (20.03) and Gani (25.03) had finished.
    expect(rows('Courses').filter((r) => r[0] === 'media-literacy')).toEqual([
      ['media-literacy', 'English for Media Literacy', 'Category', 'other', 1, 0, 0],
      ['media-literacy', 'English for Media Literacy', 'Category', 'pre-service student', 1, 0, 0],
      ['media-literacy', 'English for Media Literacy', 'Category', 'school teacher', 1, 1, 1],
      ['media-literacy', 'English for Media Literacy', 'Category', 'university teacher', 2, 1, 1],
      ['media-literacy', 'English for Media Literacy', 'Field', 'arts', 1, 0, 0],
      ['media-literacy', 'English for Media Literacy', 'Field', 'English', 2, 1, 1],
      ['media-literacy', 'English for Media Literacy', 'Field', 'humanities', 1, 1, 1],
      ['media-literacy', 'English for Media Literacy', 'Field', 'STEM', 1, 0, 0],
      ['media-literacy', 'English for Media Literacy', 'Total', undefined, 5, 2, 2],
    ]);
    expect(rows('Courses').find((r) => r[0] === 'english-stem' && r[2] === 'Total')).toEqual([
      'english-stem',
      'English for STEM',
      'Total',
      undefined,
      3,
      0,
      0,
    ]);
    expect(rows('Courses').some((r) => r[0] === 'python-basics')).toBe(false);
    expect(rows('CEFR levels')).toEqual([
      // Group, A1, A2, B1, B2, C1, C2, No score, Invalid score, Total (selected participants only)
      ['Aktau-1', 0, 0, 1, 0, 0, 1, 0, 0, 2],
      ['Almaty-1', 1, 0, 0, 1, 0, 0, 1, 0, 3],
      ['Total', 1, 0, 1, 1, 0, 1, 1, 0, 5],
    ]);
    expect(rows('Attendance').map((r) => r.slice(0, 8))).toEqual([
      ['ALA-W3', 'Almaty-1', '2020-03-05', 'online', 2, 1, 0, 0],
      ['ALA-W4', 'Almaty-1', '2020-03-12', 'online', 2, 1, 0, 0],
      ['AKT-W1', 'Aktau-1', '2020-03-05', 'face-to-face', 1, 0, 1, 0],
    ]);

    // Final: every completion counts; the report also brings the flags up to the as-of date.
    const final = await cli(
      ['report', 'sessions', '--workbook', wb, '--out', 'final.csv', '--as-of', '2020-06-10'],
      dir,
    );
    expect(final.code).toBe(0);
    const csv = (f: string) => parse(fs.readFileSync(path.join(dir, f), 'utf8'), { bom: true, from_line: 2 });
    expect(csv('final.csv').filter((r) => r[2] === 'Total')).toEqual([
      ['english-stem', 'English for STEM', 'Total', '', '3', '1', '1'],
      ['media-literacy', 'English for Media Literacy', 'Total', '', '5', '4', '4'],
    ]);
    expect(csv('final.cefr.csv')).toHaveLength(3);
    expect(csv('final.attendance.csv')).toHaveLength(3);
    const people = byEmail(await tab('Participants'));
    // Bolat attended both sessions (100 %) but english-stem is at 40 % after the group's End.
    expect(people.get('bolat.nurlanov@uni.kz')!.Flags).toBe('ATTENDS_NOT_COMPLETING');
  });

  it('bad input through the real bin: a report line names file, line and column, exit 2, workbook untouched; an unknown session too', async () => {
    await seed();
    const bad = path.join(dir, 'zoom-bad.csv');
    fs.writeFileSync(
      bad,
      fs.readFileSync(path.join(FIXTURES, 'zoom-week3.csv'), 'utf8').replace(',60,No,', ',sixty,No,'),
    );
    const before = sha(wb);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, 'attendance', 'import', ...args], { cwd: dir, encoding: 'utf8' });
    const res = run('zoom-bad.csv', '--workbook', wb, '--session', 'ALA-W3');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(
      'zoom-bad.csv: line 7, column "Duration (Minutes)": "sixty" is not a number of minutes',
    );
    const unknown = run(path.join(FIXTURES, 'zoom-week3.csv'), '--workbook', wb, '--session', 'ALA-W9');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--session ALA-W9: no such Session ID in the Sessions tab');
    fs.writeFileSync(path.join(dir, 'other.csv'), 'Name,Score\nA,1\n');
    const other = run('other.csv', '--workbook', wb, '--session', 'ALA-W3');
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('other.csv: line 1: not a Zoom participants report');
    expect(sha(wb)).toBe(before);
  });
});
