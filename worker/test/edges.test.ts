/**
 * Issue 10, "nothing lost at the edges": each test here failed on the main of the day it was written.
 * End to end through the CLI on real .xlsx files in a temp dir.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { spawnSync } from 'node:child_process';
import { XlsxWorkbook } from '../src/adapters/xlsx-workbook';
import { cli } from './support/cli';
import { eachTestInTempDir, sha } from './support/temp-dir';

const BIN = path.resolve(__dirname, '../../bin/mooc-desk.js');
let dir: string;
eachTestInTempDir('mooc-edges-', (d) => (dir = d));

const write = (name: string, text: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const HEADER =
  'Name,Email,External Id,Course,Course Slug,Enrollment Time,Last Course Activity Time,Overall Progress,Completed,Removed From Program,Completion Time,Course Grade';
const EXPORT = `${HEADER}
,a@uni.kz,,Law,intro-law,2026-02-01T00:00:00Z,2026-02-03T00:00:00Z,50,No,No,,
,b@uni.kz,,Law,intro-law,2026-02-01T00:00:00Z,2026-02-03T00:00:00Z,95,Yes,No,2026-02-20T00:00:00Z,90
,c@uni.kz,,Law,intro-law,2026-02-01T00:00:00Z,2026-02-03T00:00:00Z,10,No,No,,
`;

/** A synced workbook, then `edit` on it in Excel (exceljs). */
async function syncedThenEdited(edit: (book: ExcelJS.Workbook) => void): Promise<string> {
  const wb = path.join(dir, 'progress.xlsx');
  const first = await cli(['sync', write('e.csv', EXPORT), '--workbook', wb, '--as-of', '2026-03-01']);
  expect(first.code).toBe(0);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(wb);
  edit(book);
  await book.xlsx.writeFile(wb);
  return wb;
}

const headerCell = (ws: ExcelJS.Worksheet, header: string) => {
  const at = (ws.getRow(1).values as unknown[]).indexOf(header);
  if (at < 1) throw new Error(`no ${header}`);
  return ws.getRow(1).getCell(at);
};

async function refusedResync(wb: string, message: RegExp) {
  const before = sha(wb);
  const res = await cli(['sync', path.join(dir, 'e.csv'), '--workbook', wb, '--as-of', '2026-03-01']);
  expect(res.stderr).toMatch(message);
  expect(res.stderr).toMatch(/workbook was not changed/);
  expect(res.code).toBe(2);
  expect(sha(wb)).toBe(before);
}

describe('finding 1: Progress never doubles', () => {
  test('a deleted Email header: refused (exit 2), naming the column and what to do', async () => {
    const wb = await syncedThenEdited((b) => (headerCell(b.getWorksheet('Progress')!, 'Email').value = null));
    await refusedResync(wb, /"Progress".*3 rows.*no "Email" column.*header/s);
  });

  test('a renamed Email header, a deleted Course slug header: refused', async () => {
    const renamed = await syncedThenEdited(
      (b) => (headerCell(b.getWorksheet('Progress')!, 'Email').value = 'E-mail address'),
    );
    await refusedResync(renamed, /no "Email" column/);
    fs.rmSync(renamed);
    const noSlug = await syncedThenEdited((b) => (headerCell(b.getWorksheet('Progress')!, 'Course slug').value = null));
    await refusedResync(noSlug, /no "Course slug" column/);
  });

  test('a title row inserted above the header: refused, naming the row the header is on', async () => {
    const wb = await syncedThenEdited((b) =>
      b.getWorksheet('Progress')!.spliceRows(1, 0, ['Coursera progress, spring 2026']),
    );
    await refusedResync(wb, /"Progress".*header is on row 2.*row 1/s);
  });

  test('Roster and Courses with rows but no anchor column: refused', async () => {
    const wb = await syncedThenEdited((b) => {
      const ws = b.getWorksheet('Roster')!;
      ws.getRow(2).values = ['a@uni.kz', 'A'];
      headerCell(ws, 'Email').value = 'Mail';
    });
    await refusedResync(wb, /"Roster".*no "Email" column/s);
  });

  test('a renamed Progress tab: refused, naming the tab that has the Progress columns; no second Progress', async () => {
    const wb = await syncedThenEdited((b) => (b.getWorksheet('Progress')!.name = 'Progress 2026'));
    await refusedResync(wb, /a tab named "Progress 2026" has the Progress columns: rename it back to "Progress"/);
    expect((await XlsxWorkbook.open(wb)).read(['Progress']).Progress).toBeUndefined();
  });

  test('a Progress row copied by hand: a warning naming the sheet rows, counted once in the summaries, only the first updated', async () => {
    const wb = await syncedThenEdited((b) => {
      const ws = b.getWorksheet('Progress')!;
      ws.addRow((ws.getRow(2).values as unknown[]).slice(1));
    });
    const res = await cli(['sync', path.join(dir, 'e.csv'), '--workbook', wb, '--as-of', '2026-03-01']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/a@uni\.kz.*intro-law.*rows 2 and 5.*only row 2/s);
    const json = JSON.parse(
      (await cli(['sync', path.join(dir, 'e.csv'), '--workbook', wb, '--as-of', '2026-03-01', '--json'])).stdout,
    );
    expect(json.duplicateRows).toEqual([{ email: 'a@uni.kz', slug: 'intro-law', rows: [2, 5] }]);
    const snap = (await XlsxWorkbook.open(wb)).read(['Summary by course', 'Progress']);
    const total = snap['Summary by course']!.rows.at(-1)!;
    expect(total[0]).toBe('Total');
    expect(total[1]).toBe(3); // enrolled: 3 learners, not 4
    expect(snap.Progress!.rows).toHaveLength(4);
  });
});

describe('finding 2: a big bad file', () => {
  test('500k rejected rows (a real CLI process): no stack overflow, good rows synced, Rejected rows capped at 10,000 plus a summary row', () => {
    const lines = [`Email,Course Slug,Overall Progress,Completed`, 'good1@uni.kz,law,50,No', 'good2@uni.kz,law,60,Yes'];
    for (let i = 0; i < 500_000; i++) lines.push(`x${i}@uni.kz,law,1,maybe`);
    const exp = write('bad.csv', lines.join('\n') + '\n');
    const wb = path.join(dir, 'p.xlsx');
    // A child process, as a user runs it (the default stack, no jest overhead): ~12 s of CPU on the 2-core dev machine.
    const res = spawnSync(process.execPath, [BIN, 'sync', exp, '--workbook', wb, '--as-of', '2026-03-01', '--json'], {
      encoding: 'utf8',
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      rowsRead: 500_002,
      rejected: 500_000,
      inserted: 2,
      rejectedAlreadyLogged: false,
    });
    return XlsxWorkbook.open(wb).then((b) => {
      const rows = b.read(['Rejected rows'])['Rejected rows']!.rows;
      expect(rows).toHaveLength(10_001);
      expect(rows[0][2]).toBe(4);
      expect(rows[9_999][2]).toBe(10_003);
      expect(String(rows[10_000][3])).toMatch(/490000 more rejected rows, not listed/);
    });
  }, 180_000);

  test('the same small file synced twice: its rejected rows are in Rejected rows once', async () => {
    const exp = write('e.csv', `${HEADER}\n,a@uni.kz,,Law,intro-law,2026-02-01T00:00:00Z,,fifty,No,No,,\n`);
    const wb = path.join(dir, 'p.xlsx');
    await cli(['sync', exp, '--workbook', wb, '--as-of', '2026-03-01']);
    const res = await cli(['sync', exp, '--workbook', wb, '--as-of', '2026-03-01']);
    expect(res.stdout).toMatch(/already in the "Rejected rows" tab/);
    expect((await XlsxWorkbook.open(wb)).read(['Rejected rows'])['Rejected rows']!.rows).toHaveLength(1);
  });
});

describe('finding 3: unbounded text', () => {
  test('a 40,000-character Course Slug or a 300-character e-mail is a rejected row naming line and column', async () => {
    const long = 'x'.repeat(40_000);
    const email = `${'a'.repeat(290)}@uni.kz`;
    const exp = write(
      'e.csv',
      `${HEADER}\n,a@uni.kz,,Law,${long},2026-02-01T00:00:00Z,,50,No,No,,\n,${email},,Law,law,2026-02-01T00:00:00Z,,50,No,No,,\n`,
    );
    const wb = path.join(dir, 'p.xlsx');
    const res = JSON.parse((await cli(['sync', exp, '--workbook', wb, '--as-of', '2026-03-01', '--json'])).stdout);
    expect(res).toMatchObject({ rejected: 2, inserted: 0 });
    const rows = (await XlsxWorkbook.open(wb)).read(['Rejected rows'])['Rejected rows']!.rows;
    expect(rows[0].slice(2, 4)).toEqual([
      2,
      expect.stringMatching(/column E "Course Slug": longer than 200 characters \(40000\)/),
    ]);
    expect(rows[1].slice(2, 4)).toEqual([3, expect.stringMatching(/column B "Email": longer than 254 characters/)]);
    expect(String(rows[0][4]).length).toBeLessThan(6000);
  });
});

describe('finding 4: outputs never over inputs', () => {
  async function seeded() {
    const wb = path.join(dir, 'w.xlsx');
    expect((await cli(['init', '--workbook', wb])).code).toBe(0);
    return wb;
  }

  test('report recognition --out naming the workbook (as given, via ./, via a symlink): exit 2, workbook unchanged', async () => {
    const wb = await seeded();
    const before = sha(wb);
    fs.symlinkSync(wb, path.join(dir, 'link.xlsx'));
    for (const out of [wb, './w.xlsx', 'link.xlsx', path.join(dir, 'sub', '..', 'w.xlsx')]) {
      const res = await cli(['report', 'recognition', '--workbook', wb, '--out', out], dir);
      expect(res.stderr).toMatch(/--out .* is the workbook/);
      expect(res.code).toBe(2);
      expect(sha(wb)).toBe(before);
    }
  });

  test('an existing --out needs --force (report, enroll, replace --list)', async () => {
    const wb = await seeded();
    const existing = write('r.csv', 'keep me');
    const res = await cli(['report', 'recognition', '--workbook', wb, '--out', existing]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/r\.csv already exists.*--force/);
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
    expect((await cli(['report', 'recognition', '--workbook', wb, '--out', existing, '--force'])).code).toBe(0);
    expect(fs.readFileSync(existing, 'utf8')).not.toBe('keep me');

    const list = write('list.csv', 'keep me');
    const enroll = await cli(['enroll', '--workbook', wb, '--cohort', 'X', '--by', 'admin@uni.kz', '--out', list]);
    expect(enroll.code).toBe(2);
    expect(enroll.stderr).toMatch(/already exists.*--force/);
    expect(fs.readFileSync(list, 'utf8')).toBe('keep me');
    const replace = await cli([
      'replace',
      '--workbook',
      wb,
      '--out',
      'a@uni.kz',
      '--in',
      'b@uni.kz',
      '--reason',
      'r',
      '--by',
      'x@uni.kz',
      '--list',
      list,
    ]);
    expect(replace.code).toBe(2);
    expect(replace.stderr).toMatch(/already exists.*--force/);
  });
});

describe('finding 7: the small ones', () => {
  test('a ZIP entry named ../x or /abs: exit 2 with a message, nothing extracted', async () => {
    for (const bad of ['../x.csv', '/tmp/abs.csv']) {
      const zip = new JSZip();
      zip.file(bad, `${HEADER}\n`);
      zip.file('CourseActivity.csv', `${HEADER}\n`);
      const file = write('export.zip', await zip.generateAsync({ type: 'nodebuffer' }));
      const res = await cli(['sync', file, '--workbook', path.join(dir, 'p.xlsx')]);
      expect(res.stderr).not.toMatch(/\n\s+at /);
      expect(res.stderr).toMatch(/export\.zip.*unsafe entry name/);
      expect(res.code).toBe(2);
      expect(fs.existsSync(path.join(dir, 'p.xlsx'))).toBe(false);
    }
  });

  test('a year-0000 date is a rejected row naming line and column', async () => {
    const exp = write('e.csv', `${HEADER}\n,a@uni.kz,,Law,law,0000-01-01T00:00:00Z,,50,No,No,,\n`);
    const wb = path.join(dir, 'p.xlsx');
    expect(
      JSON.parse((await cli(['sync', exp, '--workbook', wb, '--as-of', '2026-03-01', '--json'])).stdout),
    ).toMatchObject({
      rejected: 1,
      inserted: 0,
    });
    const rows = (await XlsxWorkbook.open(wb)).read(['Rejected rows'])['Rejected rows']!.rows;
    expect(rows[0].slice(2, 4)).toEqual([2, expect.stringMatching(/column F "Enrollment Time": .*before 2000/)]);
  });
});
