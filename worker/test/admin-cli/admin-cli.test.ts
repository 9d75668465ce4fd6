/** End to end: the admin and mentor commands on a real .xlsx in a temp dir, run in-process. */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Cell } from '../../../shared/src/cells';
import { XlsxWorkbook } from '../../src/adapters/xlsx-workbook';
import { cli, courseResultCli } from '../support/cli';
import { eachTestInTempDir, sha } from '../support/temp-dir';
import { makeIin } from '../../../shared/test/eligibility/fixtures';

type Rec = Record<string, Cell>;
let dir: string;
let wb: string;
eachTestInTempDir('mooc-admin-cli-', (d) => {
  dir = d;
  wb = path.join(d, 'progress.xlsx');
});

const AT = '2026-03-02T10:30:00+05:00';

/** The template via `init`, then rows typed in by header name (as a user fills the sheet). */
async function seed(tabs: Record<string, Rec[]>, settings: Record<string, Cell> = {}) {
  expect((await cli(['init', '--workbook', wb])).code).toBe(0);
  const book = await XlsxWorkbook.open(wb);
  const snap = book.read(['Settings', ...Object.keys(tabs)]);
  const settingRows = snap.Settings!.rows;
  const plan = {
    tabs: [
      {
        tab: 'Settings',
        updates: Object.entries(settings).map(([k, v]) => ({
          row: settingRows.findIndex((r) => r[0] === k),
          col: 1,
          value: v,
        })),
      },
      ...Object.entries(tabs).map(([tab, recs]) => ({
        tab,
        appends: recs.map((r) => {
          for (const k of Object.keys(r)) if (!snap[tab]!.header.includes(k)) throw new Error(`${tab} has no ${k}`);
          return snap[tab]!.header.map((h) => r[h] ?? null);
        }),
      })),
    ],
  };
  await book.apply(plan);
}

async function tab(name: string): Promise<Rec[]> {
  const t = (await XlsxWorkbook.open(wb)).read([name])[name]!;
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i] ?? null])));
}

/** One worksheet of an .xlsx file as exceljs reads it (cell types included). */
async function worksheet(file: string, name: string) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  return book.getWorksheet(name)!;
}

/** The admin enrolls into the current cohort, writing the list to `list`. */
const enrollAsAdmin = (list: string, ...extra: string[]) =>
  cli(['enroll', '--workbook', wb, '--cohort', '2026 Spring', '--by', 'admin@uni.kz', '--out', list, ...extra]);

/** Checks eligibility, then enrolls every eligible candidate (the starting point of unenroll and replace). */
async function checkAndEnroll() {
  await cli(['eligibility', '--workbook', wb]);
  await enrollAsAdmin(path.join(dir, 'l.csv'), '--accept-possible');
}

const unenroll = (email: string, ...extra: string[]) => cli(['unenroll', '--workbook', wb, '--email', email, ...extra]);

const replace = (out: string, newcomer: string, ...extra: string[]) =>
  cli(['replace', '--workbook', wb, '--out', out, '--in', newcomer, ...extra]);

const candidate = (n: number, rec: Rec = {}): Rec => ({
  School: 'SITE',
  'Student ID': `S${n}`,
  IIN: makeIin('040101', 5, n * 10),
  'Full name': `Студент ${'АБВГДЕЖЗ'[n]}`,
  Email: `s${n}@uni.kz`,
  Group: 'CS-21',
  Year: 2,
  'School status': 'Active',
  ...rec,
});

describe('eligibility → enroll → replace', () => {
  beforeEach(() =>
    seed(
      {
        Candidates: [
          candidate(1),
          candidate(2),
          candidate(3, { IIN: '871008401428' }),
          candidate(4, { 'Full name': 'Aliyeva Zhanar', IIN: makeIin('031120', 6, 10) }),
          candidate(5, { 'Full name': '=HYPERLINK("http://x","y")' }),
        ],
        'Participants history': [
          { Cohort: '2024 Fall', IIN: makeIin('031120', 6, 500), Email: 'z@mail.kz', 'Full name': 'Жанар Әлиева' },
        ],
      },
      { Admins: 'admin@uni.kz', Cohort: '2026 Spring' },
    ),
  );

  test('eligibility --json counts every code and fills the three check columns; a re-run leaves the file byte-for-byte', async () => {
    const res = await cli(['eligibility', '--workbook', wb, '--json', '--at', AT]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.checked).toBe(5);
    expect(out.counts).toMatchObject({ ELIGIBLE: 3, INVALID_IIN: 1, POSSIBLE_MATCH: 1, PRIOR_PARTICIPANT: 0 });
    const rows = await tab('Candidates');
    expect(rows.map((r) => r.Eligibility)).toEqual([
      'ELIGIBLE',
      'ELIGIBLE',
      'INVALID_IIN',
      'POSSIBLE_MATCH',
      'ELIGIBLE',
    ]);
    expect(rows[2]['Eligibility detail']).toBe('IIN 871008401428: check digit is 8, expected 7');
    expect(rows[0]['Checked at']).toBe('2026-03-02 10:30');

    const before = sha(wb);
    const again = await cli(['eligibility', '--workbook', wb, '--at', '2026-03-03T09:00:00Z']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      'Checked 5 candidate(s): ELIGIBLE 3 · INVALID_IIN 1 · POSSIBLE_MATCH 1 (0 cell(s) written)',
    );
    expect(again.stdout).toContain(
      'row 5 s4@uni.kz: same birth date (2003-11-20) and name as Participants history row 2',
    );
    expect(sha(wb)).toBe(before);
  });

  test('enroll: refused (exit 3) while a POSSIBLE_MATCH is open; then writes Roster, history, audit and a BOM CSV; twice adds nobody', async () => {
    const list = path.join(dir, 'list.csv');
    const unchecked = await enrollAsAdmin(list);
    expect(unchecked.code).toBe(3);
    expect(unchecked.stderr).toContain('5 candidate(s) not checked yet');
    await cli(['eligibility', '--workbook', wb]);
    const before = sha(wb);
    const refused = await enrollAsAdmin(list);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe(
      'mooc-desk enroll: 1 candidate(s) are POSSIBLE_MATCH (Candidates rows 5): set their Match decision, or accept leaving them out\nNothing was written.\n',
    );
    expect(sha(wb)).toBe(before);
    expect(fs.existsSync(list)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const ok = await enrollAsAdmin(list, '--accept-possible', '--at', AT);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Enrolled 3 candidate(s) into cohort "2026 Spring"');
    expect(ok.stdout).toContain('Left out 1 POSSIBLE_MATCH (Candidates rows 5)');
    const bytes = fs.readFileSync(list);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = parse(bytes.toString('utf8').slice(1));
    expect(csv).toEqual([
      ['Full name', 'Email', 'External ID', 'School', 'Group', 'Cohort'],
      ['Студент Б', 's1@uni.kz', 'S1', 'SITE', 'CS-21', '2026 Spring'],
      ['Студент В', 's2@uni.kz', 'S2', 'SITE', 'CS-21', '2026 Spring'],
      [`'=HYPERLINK("http://x","y")`, 's5@uni.kz', 'S5', 'SITE', 'CS-21', '2026 Spring'],
    ]);
    expect((await tab('Roster')).map((r) => [r.Email, r.Cohort, r['Roster status']])).toEqual([
      ['s1@uni.kz', '2026 Spring', 'Active'],
      ['s2@uni.kz', '2026 Spring', 'Active'],
      ['s5@uni.kz', '2026 Spring', 'Active'],
    ]);
    // The formula-like name is a string cell in the Roster, not a formula.
    const roster = await worksheet(wb, 'Roster');
    expect(roster.getCell('B4').type).toBe(ExcelJS.ValueType.String);
    expect((await tab('Audit')).map((r) => [r.At, r.Who, r.Action, r.Email])).toEqual([
      ['2026-03-02 10:30', 'admin@uni.kz', 'Enroll', 's1@uni.kz'],
      ['2026-03-02 10:30', 'admin@uni.kz', 'Enroll', 's2@uni.kz'],
      ['2026-03-02 10:30', 'admin@uni.kz', 'Enroll', 's5@uni.kz'],
    ]);

    const again = await enrollAsAdmin(list, '--accept-possible', '--json', '--force');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ enrolled: 0, alreadyEnrolled: 3, listed: 0 });
    expect(await tab('Roster')).toHaveLength(3);
    expect(await tab('Participants history')).toHaveLength(4);
    const all = await enrollAsAdmin(list, '--accept-possible', '--all', '--force');
    expect(all.stdout).toContain('(3 row(s))');
  });

  test('enroll: only an admin named by a valid e-mail (exit 2 / 3), only into Settings "Cohort" unless --new-cohort; nothing written when refused', async () => {
    const list = path.join(dir, 'list.csv');
    await cli(['eligibility', '--workbook', wb]);
    const before = sha(wb);
    const enroll = (...extra: string[]) =>
      cli(['enroll', '--workbook', wb, '--out', list, '--accept-possible', '--at', AT, ...extra]);
    const noBy = await enroll('--cohort', '2026 Spring');
    expect([noBy.code, noBy.stderr]).toEqual([2, expect.stringContaining('--by is required')]);
    const notEmail = await enroll('--cohort', '2026 Spring', '--by', 'i am not an email');
    expect([notEmail.code, notEmail.stderr]).toEqual([
      2,
      expect.stringContaining('"i am not an email" is not a valid e-mail address'),
    ]);
    const mentor = await enroll('--cohort', '2026 Spring', '--by', 'mentor@uni.kz');
    expect([mentor.code, mentor.stderr]).toEqual([
      3,
      'mooc-desk enroll: mentor@uni.kz is not an admin (Settings "Admins"); only admins enroll students\nNothing was written.\n',
    ]);
    const typo = await enroll('--cohort', '2026 Sprnig', '--by', 'admin@uni.kz');
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain('cohort "2026 Sprnig" is not the current cohort "2026 Spring" (Settings "Cohort")');
    expect(sha(wb)).toBe(before);
    expect(fs.existsSync(list)).toBe(false);

    const fresh = await enroll('--cohort', '2026 Fall', '--by', 'admin@uni.kz', '--new-cohort');
    expect(fresh.stderr).toBe('');
    expect(fresh.stdout).toContain('Enrolled 3 candidate(s) into cohort "2026 Fall"');
    expect((await tab('Settings')).find((r) => r.Setting === 'Cohort')?.Value).toBe('2026 Fall');
    expect((await tab('Audit'))[0]).toMatchObject({
      Who: 'admin@uni.kz',
      Action: 'New cohort',
      Before: 'Cohort=2026 Spring',
      After: 'Cohort=2026 Fall',
    });
  });

  test('unenroll: an admin undoes a mistaken enrollment (Roster and history rows removed, audited); the next check sees a newcomer', async () => {
    await checkAndEnroll();
    const before = sha(wb);
    const mentor = await unenroll('s2@uni.kz', '--reason', 'typo', '--by', 'mentor@uni.kz');
    expect([mentor.code, mentor.stderr]).toEqual([3, expect.stringContaining('mentor@uni.kz is not an admin')]);
    const noReason = await unenroll('s2@uni.kz', '--by', 'admin@uni.kz');
    expect([noReason.code, noReason.stderr]).toEqual([2, expect.stringContaining('--reason is required')]);
    expect(sha(wb)).toBe(before);

    const ok = await unenroll('S2@uni.kz', '--reason', 'not in this intake', '--by', 'admin@uni.kz', '--at', AT);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe(
      'Unenrolled s2@uni.kz from cohort "2026 Spring": removed Roster row 3 and Participants history row 4\n',
    );
    expect((await tab('Roster')).map((r) => r.Email)).toEqual(['s1@uni.kz', 's5@uni.kz']);
    expect((await tab('Participants history')).map((r) => r.Email)).toEqual(['z@mail.kz', 's1@uni.kz', 's5@uni.kz']);
    expect((await tab('Audit')).at(-1)).toMatchObject({
      Who: 'admin@uni.kz',
      Action: 'Unenroll',
      Email: 's2@uni.kz',
      Reason: 'not in this intake',
    });
    const check = await cli(['eligibility', '--workbook', wb, '--json']);
    expect(JSON.parse(check.stdout).counts).toMatchObject({ ELIGIBLE: 3, PRIOR_PARTICIPANT: 0 });
    expect((await tab('Candidates'))[1]).toMatchObject({
      Email: 's2@uni.kz',
      Eligibility: 'ELIGIBLE',
      'Eligibility detail': null,
    });
  });

  test('replace: the leaver is marked Replaced, the newcomer joins; refusals exit 3, bad input exit 2, nothing written', async () => {
    await checkAndEnroll();
    // A late applicant, checked.
    const book = await XlsxWorkbook.open(wb);
    const header = book.read(['Candidates']).Candidates!.header;
    await book.apply({ tabs: [{ tab: 'Candidates', appends: [header.map((h) => candidate(6)[h] ?? null)] }] });
    await cli(['eligibility', '--workbook', wb]);
    const before = sha(wb);

    const notAdmin = await replace('s2@uni.kz', 's6@uni.kz', '--reason', 'left', '--by', 'mentor@uni.kz');
    expect(notAdmin.code).toBe(3);
    expect(notAdmin.stderr).toContain('mentor@uni.kz is not an admin');
    const ineligible = await replace('s2@uni.kz', 's3@uni.kz', '--reason', 'left', '--by', 'admin@uni.kz');
    expect(ineligible.code).toBe(3);
    expect(ineligible.stderr).toContain('s3@uni.kz (Candidates row 4) is INVALID_IIN');
    const unknown = await replace('ghost@uni.kz', 's6@uni.kz', '--reason', 'left', '--by', 'admin@uni.kz');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown student "ghost@uni.kz": not on the Roster');
    const noReason = await replace('s2@uni.kz', 's6@uni.kz', '--by', 'admin@uni.kz');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason is required');
    expect(sha(wb)).toBe(before);

    const list = path.join(dir, 'newcomer.csv');
    const ok = await replace(
      'S2@uni.kz',
      's6@uni.kz',
      '--reason',
      'transferred',
      '--by',
      'admin@uni.kz',
      '--list',
      list,
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect((await tab('Roster')).map((r) => [r.Email, r['Roster status']])).toEqual([
      ['s1@uni.kz', 'Active'],
      ['s2@uni.kz', 'Replaced'],
      ['s5@uni.kz', 'Active'],
      ['s6@uni.kz', 'Active'],
    ]);
    expect((await tab('Audit')).slice(-2).map((r) => [r.Action, r.Email, r.Reason])).toEqual([
      ['Replace (out)', 's2@uni.kz', 'transferred'],
      ['Replace (in)', 's6@uni.kz', 'transferred'],
    ]);
    expect(fs.readFileSync(list, 'utf8')).toContain('s6@uni.kz,S6,SITE,CS-21,2026 Spring');
  });
});

describe('approve → revoke → recognition report', () => {
  const progress = (email: string, slug: string, status: string, grade: number, flags = ''): Rec => ({
    Email: email,
    'Full name': email.split('@')[0],
    'Student ID': 'S-' + email.length,
    School: 'SITE',
    Group: 'CS-21',
    Course: slug === 'python' ? 'Python for Everybody' : 'Data Science',
    'Course slug': slug,
    Discipline: 'Programming',
    Model: 'partial',
    'Engagement %': status === 'Needs review' ? 40 : 90,
    Completed: 'Yes',
    Certificate: 'Yes',
    'Course grade %': grade,
    Flags: flags,
    Status: status,
    'Mentor comment': 'seen',
  });
  beforeEach(() =>
    seed(
      {
        Courses: [
          {
            'Course slug': 'python',
            Course: 'Python for Everybody',
            Discipline: 'Programming',
            Model: 'partial',
            Mentor: 'mentor@uni.kz',
            Credits: 5,
          },
          {
            'Course slug': 'data',
            Course: 'Data Science',
            Discipline: 'Statistics',
            Model: 'full',
            Mentor: 'other@uni.kz',
            Credits: 3,
          },
        ],
        Progress: [
          progress('ready@uni.kz', 'python', 'Ready for approval', 94.5),
          progress('review@uni.kz', 'python', 'Needs review', 80, 'LOW_ENGAGEMENT'),
        ],
      },
      { Admins: 'admin@uni.kz' },
    ),
  );
  /** Approves or revokes a student's python result. */
  const python = (command: 'approve' | 'revoke', email: string, ...extra: string[]) =>
    courseResultCli(command, wb, email, 'python', ...extra);
  const approve = (...extra: string[]) => python('approve', 'ready@uni.kz', '--at', AT, ...extra);
  const revokeByMentor = (...extra: string[]) => python('revoke', 'ready@uni.kz', '--by', 'mentor@uni.kz', ...extra);

  test('refusals exit 3 and bad input exit 2 with a clear message; the workbook is untouched', async () => {
    const before = sha(wb);
    const cases: [string[], number, string][] = [
      [
        ['--by', 'other@uni.kz'],
        3,
        'other@uni.kz may not approve ready@uni.kz in "python": the course\'s mentor is mentor@uni.kz',
      ],
      [
        ['--by', 'mentor@uni.kz', '--email', 'review@uni.kz'],
        3,
        'is not ready for approval: status is "Needs review" (LOW_ENGAGEMENT)',
      ],
      [
        ['--by', 'mentor@uni.kz', '--email', 'review@uni.kz', '--override', 'trust'],
        3,
        'an override is for admins only',
      ],
      [['--by', 'mentor@uni.kz', '--points', 'ninety'], 2, 'points must be a whole number from 0 to 100, not "ninety"'],
      [['--by', 'mentor@uni.kz', '--email', 'nobody@uni.kz'], 2, 'unknown student "nobody@uni.kz"'],
      [['--by', 'mentor@uni.kz', '--course', 'cobol'], 2, 'unknown course "cobol"'],
      [['--points', '90'], 2, '--by is required'],
    ];
    for (const [extra, code, message] of cases) {
      const res = await approve(...extra);
      expect({ extra, code: res.code }).toEqual({ extra, code });
      expect(res.stderr).toContain(message);
      expect(res.stdout).toBe('');
    }
    expect(sha(wb)).toBe(before);
    const missing = await courseResultCli('approve', path.join(dir, 'nope.xlsx'), 'a@b.kz', 'x', '--by', 'a@b.kz');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such workbook');
  });

  test('the mentor approves (the four cells and Status change), an admin overrides, the mentor revokes; all audited', async () => {
    const before = await tab('Progress');
    const ok = await approve('--by', 'Mentor@uni.kz', '--json');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      email: 'ready@uni.kz',
      course: 'python',
      points: 95,
      letter: 'A',
      gpa: 4,
      traditionalMark: 'Excellent (5)',
      approvedBy: 'mentor@uni.kz',
      approvedAt: '2026-03-02 10:30',
      override: false,
    });
    const after = await tab('Progress');
    expect(after[0]).toEqual({
      ...before[0],
      Points: 95,
      Letter: 'A',
      'Approved by': 'mentor@uni.kz',
      'Approved at': '2026-03-02 10:30',
      Status: 'Approved',
    });
    expect(after[1]).toEqual(before[1]);

    const overrideReason = ['--override-reason-code', 'other', '--override', 'proctored exam passed'];
    const adminPoints = ['--by', 'admin@uni.kz', '--points', '79'];
    const override = await python('approve', 'review@uni.kz', ...adminPoints, ...overrideReason, '--at', AT);
    expect(override.code).toBe(0);
    expect(override.stdout).toContain('79 points, B- (GPA 2.67, Good (4)) by admin@uni.kz (override)');

    const twice = await approve('--by', 'mentor@uni.kz');
    expect(twice.code).toBe(3);
    expect(twice.stderr).toContain('already approved by mentor@uni.kz');

    const noReason = await revokeByMentor();
    expect(noReason.code).toBe(2);

    const report = path.join(dir, 'recognition.xlsx');
    expect((await cli(['report', 'recognition', '--workbook', wb, '--out', report])).code).toBe(0);
    const ws = await worksheet(report, 'Recognition');
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      'Student',
      'Email',
      'Student ID',
      'IIN',
      'School',
      'Group',
      'Discipline',
      'Course',
      'Course slug',
      'Model',
      'Credits',
      'Points',
      'Letter',
      'GPA',
      'Traditional mark',
      'Mentor',
      'Approved by',
      'Approved at',
      'Override',
    ]);
    const row = (n: number) => Object.fromEntries(header.map((h, i) => [h, ws.getRow(n).getCell(i + 1).value]));
    expect(row(2)).toMatchObject({
      Student: 'ready',
      Course: 'Python for Everybody',
      Credits: 5,
      Points: 95,
      Letter: 'A',
      GPA: 4,
      'Traditional mark': 'Excellent (5)',
      Mentor: 'mentor@uni.kz',
      'Approved at': '2026-03-02 10:30',
    });
    expect(row(3)).toMatchObject({
      Student: 'review',
      Points: 79,
      Letter: 'B-',
      'Approved by': 'admin@uni.kz (override)',
      Override: 'other: proctored exam passed',
    });

    const revoke = await revokeByMentor('--reason', 'certificate withdrawn', '--at', AT);
    expect(revoke.code).toBe(0);
    expect((await tab('Progress'))[0]).toEqual(before[0]);
    expect((await tab('Audit')).map((r) => [r.Who, r.Action, r.Email, r.Reason])).toEqual([
      ['mentor@uni.kz', 'Approve', 'ready@uni.kz', null],
      ['admin@uni.kz', 'Approve (override)', 'review@uni.kz', 'other: proctored exam passed'],
      ['mentor@uni.kz', 'Revoke', 'ready@uni.kz', 'certificate withdrawn'],
    ]);

    const csv = path.join(dir, 'recognition.csv');
    const res = await cli(['report', 'recognition', '--workbook', wb, '--out', csv]);
    expect(res.stdout).toContain('1 approved course result(s)');
    expect(fs.readFileSync(csv, 'utf8').split('\r\n')[1]).toContain('review,review@uni.kz');
    expect((await cli(['report', 'grades', '--workbook', wb, '--out', csv])).code).toBe(2);

    // Approval cells typed by hand (no Audit entry) are left out and listed apart.
    const book2 = await XlsxWorkbook.open(wb);
    const p = book2.read(['Progress']).Progress!;
    await book2.apply({
      tabs: [
        {
          tab: 'Progress',
          updates: ['Points', 'Letter', 'Approved by', 'Approved at'].map((h, i) => ({
            row: 0,
            col: p.header.indexOf(h),
            value: [100, 'A', 'someone', '2026-03-01 10:00'][i],
          })),
        },
      ],
    });
    const typed = await cli(['report', 'recognition', '--workbook', wb, '--out', csv, '--force']);
    expect(typed.stdout).toContain('1 approved course result(s)');
    expect(typed.stdout).toContain('1 approvals left out: not matching the audit (rows 2)');
    expect(fs.readFileSync(path.join(dir, 'recognition.unverified.csv'), 'utf8')).toContain('ready@uni.kz');
  });
});
