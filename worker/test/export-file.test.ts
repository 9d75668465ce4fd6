import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { readExportFile, ExportFileError } from '../src/sources/export-file';

const DATA = path.resolve(__dirname, '../../../shared/data/coursera');
const LEGACY = path.join(__dirname, 'fixtures/legacy');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-export-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const header2026 = () =>
  fs.readFileSync(path.join(DATA, 'course-activity_2026_35col_header.csv'), 'utf8').split(/\r?\n/)[0];

describe('real Coursera exports', () => {
  test('2020 usage report (19 columns): every row read, none rejected, the low-engagement completions visible', async () => {
    const batch = await readExportFile(path.join(DATA, 'usage-report_2020_19col_fpt.csv'));
    expect(batch.records).toHaveLength(4013);
    expect(batch.rejected).toEqual([]);
    expect(batch.hasCertificateColumn).toBe(false);
    const completed = batch.records.filter((r) => r.record.completed);
    expect(completed).toHaveLength(1618);
    expect(completed.filter((r) => r.record.progress < 60)).toHaveLength(177);
    const first = batch.records[0];
    expect(first).toMatchObject({
      line: 2,
      record: { email: '483@fpt.edu.vn', slug: 'introcss', externalId: 'WED201c-HN-H483', progress: 0 },
    });
    expect(first.record.enrolledAt).toBe(Date.parse('2020-02-16T07:42:14.026Z'));
    expect(batch.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('2024–25 27-column variant: extra learner attributes kept out of the way, Vietnamese text intact', async () => {
    const batch = await readExportFile(path.join(DATA, 'usage-report_2025_27col_sample.csv'));
    expect(batch.rejected).toEqual([]);
    expect(batch.hasCertificateColumn).toBe(true);
    expect(batch.records.map((r) => r.record.email)).toEqual(['learner1@example.edu', 'learner2@example.com']);
    expect(batch.records[0].record).toMatchObject({ removed: true, progress: 0, name: 'Learner One' });
    expect(batch.records[1].record).toMatchObject({
      progress: 57.73,
      grade: 46.25,
      learningHours: null,
      estimatedHours: 13.52,
      externalId: '102',
    });
  });

  test('2026 CourseActivity CSV (35 quoted columns): zone-less times read as UTC, certificate column present', async () => {
    const batch = await readExportFile(path.join(DATA, 'course-activity_2026_35col_header.csv'));
    expect(batch.rejected).toEqual([]);
    expect(batch.hasCertificateColumn).toBe(true);
    expect(batch.records[1].record).toMatchObject({
      email: 'done@example.com',
      completed: true,
      completedAt: Date.parse('2026-02-02T00:00:00Z'),
      certificateUrl: 'https://cert.example/abc',
      learningHours: 5,
      grade: 85,
    });
  });

  test('2026 CSV with BOM, CRLF and a newline inside a quoted field: line numbers stay true', async () => {
    const h = header2026();
    const n = h.split('","').length;
    const row = (cells: Record<number, string>) => Array.from({ length: n }, (_, i) => `"${cells[i] ?? ''}"`).join(',');
    // Columns: 0 Name, 1 Email, 5 Course Slug, 11 Overall Progress, 13 Completed
    const body = [
      h,
      row({ 0: 'Multi\r\nLine Name', 1: 'ml@example.com', 5: 'c1', 11: '50', 13: 'No' }),
      row({ 0: 'Bad', 1: 'bad@example.com', 5: 'c1', 11: '150', 13: 'No' }),
      '',
      row({ 0: 'Ok', 1: 'OK@Example.com', 5: 'c1', 11: '100', 13: 'Yes' }),
    ].join('\r\n');
    const file = path.join(tmp, 'activity.csv');
    fs.writeFileSync(file, `\uFEFF${body}\r\n`);
    const batch = await readExportFile(file);
    expect(batch.records.map((r) => [r.line, r.record.email, r.record.name])).toEqual([
      [2, 'ml@example.com', 'Multi\r\nLine Name'],
      [6, 'ok@example.com', 'Ok'],
    ]);
    expect(batch.rejected).toEqual([
      expect.objectContaining({
        line: 4,
        reason: 'column L "Overall Progress": Overall Progress must be between 0 and 100',
      }),
    ]);
  });

  test('XLSX export: sheet "Course Activity" found by name, real Excel dates and numbers', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Summary').addRow(['Report generated', new Date()]);
    const ws = book.addWorksheet('Course Activity');
    ws.addRow([
      'Name',
      'Email',
      'External ID',
      'Course',
      'Course Slug',
      'Enrollment Time',
      'Overall Progress',
      'Completed',
      'Removed From Program',
      'Completion Time',
      'Course Grade',
      'Course Certificate URL',
    ]);
    ws.addRow([
      'Әлия',
      'aliya@uni.kz',
      'S1',
      'Law',
      'intro-law',
      new Date(Date.UTC(2026, 1, 1, 9)),
      61.5,
      'Yes',
      'No',
      new Date(Date.UTC(2026, 4, 20, 12)),
      90,
      'https://coursera.org/verify/X',
    ]);
    ws.addRow(['Bad', 'bad@uni.kz', '', 'Law', 'intro-law', 'yesterday', 10, 'No', 'No', null, null, null]);
    const file = path.join(tmp, 'activity.xlsx');
    await book.xlsx.writeFile(file);
    const batch = await readExportFile(file);
    expect(batch.source).toBe('activity.xlsx');
    expect(batch.records).toHaveLength(1);
    expect(batch.records[0]).toMatchObject({
      line: 2,
      record: {
        email: 'aliya@uni.kz',
        name: 'Әлия',
        progress: 61.5,
        completedAt: Date.UTC(2026, 4, 20, 12),
        certificateUrl: 'https://coursera.org/verify/X',
      },
    });
    expect(batch.rejected).toEqual([
      expect.objectContaining({ line: 3, reason: expect.stringContaining('column F "Enrollment Time"') }),
    ]);
  });

  test('XLSX with report title rows above the header finds the header', async () => {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('Learner Activity');
    ws.addRow(['Learner activity & progress — KZ University']);
    ws.addRow(['Generated', new Date(Date.UTC(2026, 5, 1))]);
    ws.addRow([]);
    ws.addRow(['Email', 'Course Slug', 'Overall Progress', 'Completed']);
    ws.addRow(['a@uni.kz', 'intro-law', 70, 'No']);
    const file = path.join(tmp, 'titled.xlsx');
    await book.xlsx.writeFile(file);
    const batch = await readExportFile(file);
    expect(batch.records).toEqual([
      expect.objectContaining({ line: 5, record: expect.objectContaining({ email: 'a@uni.kz', progress: 70 }) }),
    ]);
  });

  test('2026 ZIP of six CSVs: CourseActivity is taken', async () => {
    const zip = new JSZip();
    for (const name of [
      'ProgramActivity',
      'LearningPathActivity',
      'ActivityByBusinessUnit',
      'ActivityByCountry',
      'ActivityByCity',
    ]) {
      zip.file(`${name}.csv`, '"Name","Count"\r\n"x","1"\r\n');
    }
    zip.file('CourseActivity.csv', fs.readFileSync(path.join(DATA, 'course-activity_2026_35col_header.csv')));
    const file = path.join(tmp, 'export.zip');
    fs.writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const batch = await readExportFile(file);
    expect(batch.source).toBe('export.zip:CourseActivity.csv');
    expect(batch.records.map((r) => r.record.email)).toEqual(['jane@example.com', 'done@example.com']);
  });
});

describe('files that are not progress exports are refused', () => {
  test('the specialization report names the missing columns', async () => {
    const err = await readExportFile(path.join(DATA, 'specialization-report_2020_fpt.csv')).catch((e) => e);
    expect(err).toBeInstanceOf(ExportFileError);
    expect(err.message).toMatch(
      /specialization-report_2020_fpt\.csv: not a Coursera progress export .*"Course Slug", "Overall Progress"/,
    );
  });
  test('malformed CSV names the line', async () => {
    const file = path.join(tmp, 'broken.csv');
    fs.writeFileSync(file, 'Email,Course Slug,Overall Progress,Completed\na@x.kz,c,10,No\n"b@x.kz,c,10,No\n');
    await expect(readExportFile(file)).rejects.toThrow(/broken\.csv: line \d+: malformed CSV/);
  });
  test('a missing file and an empty file', async () => {
    await expect(readExportFile(path.join(tmp, 'nope.csv'))).rejects.toThrow(/nope\.csv: no such file/);
    const empty = path.join(tmp, 'empty.csv');
    fs.writeFileSync(empty, '');
    await expect(readExportFile(empty)).rejects.toThrow(/empty\.csv: empty file/);
  });
});

describe('an export re-saved by Excel in a Kazakh or Russian locale', () => {
  const header = ['Name', 'Email', 'Course Slug', 'Overall Progress', 'Completed', 'Completion Time'];
  const rows = [
    ['Қасымова Әлия', 'aliya@uni.kz', 'intro-law', '57,73', 'Yes', '16.02.2020 14:52'],
    ['Ерлан', 'erlan@uni.kz', 'intro-law', '100', 'No', ''],
  ];
  test('semicolon-delimited with decimal commas and dotted dates', async () => {
    const file = path.join(tmp, 'semicolon.csv');
    fs.writeFileSync(file, [header, ...rows].map((r) => r.join(';')).join('\r\n'));
    const batch = await readExportFile(file);
    expect(batch.rejected).toEqual([]);
    expect(batch.records[0].record).toMatchObject({
      name: 'Қасымова Әлия',
      progress: 57.73,
      completed: true,
      completedAt: Date.UTC(2020, 1, 16, 14, 52),
    });
  });
  test('"Unicode text" (UTF-16LE with BOM, tab-delimited)', async () => {
    const file = path.join(tmp, 'unicode.txt');
    const text = [header, ...rows].map((r) => r.join('\t')).join('\r\n');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const batch = await readExportFile(file);
    expect(batch.records.map((r) => r.record.name)).toEqual(['Қасымова Әлия', 'Ерлан']);
  });
  test('a Windows-1251 file with English headers and Cyrillic names is decoded as Windows-1251, and says so', async () => {
    const batch = await readExportFile(path.join(LEGACY, 'usage-report_cp1251.csv'));
    expect(batch.encoding).toBe('windows-1251');
    expect(batch.rejected).toEqual([]);
    expect(batch.records.map((r) => [r.record.name, r.record.course])).toEqual([
      ['Иванов Пётр', 'Introduction to Law'],
      ['Сидорова Анна', 'Introduction to Law'],
      ['Smith John', 'Правоведение'],
    ]);
  });
  test('Cyrillic far below the header (after the first read chunk) is found too', async () => {
    const [header, ...rows] = fs
      .readFileSync(path.join(LEGACY, 'usage-report_cp1251.csv'))
      .toString('latin1')
      .split('\n');
    const ascii = Array.from({ length: 3000 }, (_, i) => `Name ${i},n${i}@uni.kz,S,Law,intro-law,,,10,No,No,,0`);
    const file = path.join(tmp, 'late-cyrillic.csv');
    fs.writeFileSync(file, Buffer.from([header, ...ascii, ...rows].join('\n'), 'latin1'));
    expect(fs.statSync(file).size).toBeGreaterThan(128 * 1024); // several stream chunks of ASCII first
    const batch = await readExportFile(file);
    expect(batch.encoding).toBe('windows-1251');
    expect(batch.records.at(-3)!.record.name).toBe('Иванов Пётр');
  });
  test('UTF-8 that turns invalid halfway is refused at the line, not read as garbage', async () => {
    const file = path.join(tmp, 'mixed.csv');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('Name,Email,Course Slug,Overall Progress,Completed\nӘлия,a@x.kz,c,1,No\n'),
        Buffer.from([0xc8, 0xe2, 0xe0, 0xed]), // "Иван" in Windows-1251
        Buffer.from(',b@x.kz,c,1,No\n'),
      ]),
    );
    await expect(readExportFile(file)).rejects.toThrow(
      /mixed\.csv: line 3: not valid UTF-8 here, though the lines before are UTF-8 \(in Excel, save it as "CSV UTF-8"/,
    );
  });
});
