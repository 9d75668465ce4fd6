/** End to end: `mooc-desk audit verify` on a real .xlsx after approvals made through the CLI, then after an edit with exceljs. */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { XlsxWorkbook } from '../../src/adapters/xlsx-workbook';
import { cli, courseResultCli } from '../support/cli';
import { eachTestInTempDir, sha } from '../support/temp-dir';

let dir: string;
let wb: string;
eachTestInTempDir('mooc-audit-', (d) => {
  dir = d;
  wb = path.join(d, 'progress.xlsx');
});

const AT = '2026-03-02T10:30:00+05:00';

/** `init`, then a course and two Progress rows typed in by header name. */
async function seed() {
  expect((await cli(['init', '--workbook', wb])).code).toBe(0);
  const book = await XlsxWorkbook.open(wb);
  const snap = book.read(['Settings', 'Courses', 'Progress']);
  const row = (tab: string, rec: Record<string, string | number>) => snap[tab]!.header.map((h) => rec[h] ?? null);
  await book.apply({
    tabs: [
      {
        tab: 'Settings',
        updates: [{ row: snap.Settings!.rows.findIndex((r) => r[0] === 'Admins'), col: 1, value: 'admin@uni.kz' }],
      },
      {
        tab: 'Courses',
        appends: [
          row('Courses', {
            'Course slug': 'python',
            Course: 'Python for Everybody',
            Mentor: 'mentor@uni.kz',
            Credits: 5,
          }),
        ],
      },
      {
        tab: 'Progress',
        appends: ['ready@uni.kz', 'other@uni.kz'].map((email) =>
          row('Progress', {
            Email: email,
            'Full name': 'Әйгерім Қасымова',
            'Course slug': 'python',
            'Course grade %': 94.5,
            'Engagement %': 90,
            Completed: 'Yes',
            Certificate: 'Yes',
            Status: 'Ready for approval',
          }),
        ),
      },
    ],
  });
}

/** The python course's mentor approves or revokes a student's result. */
const byMentor = (command: 'approve' | 'revoke', email: string, ...extra: string[]) =>
  courseResultCli(command, wb, email, 'python', '--by', 'mentor@uni.kz', ...extra);

/** Sets one Audit cell by header, as someone editing the file in Excel would. */
async function editAudit(sheetRow: number, header: string, value: string) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(wb);
  const ws = book.getWorksheet('Audit')!;
  const col = (ws.getRow(1).values as unknown[]).indexOf(header);
  expect(col).toBeGreaterThan(0);
  ws.getRow(sheetRow).getCell(col).value = value;
  await book.xlsx.writeFile(wb);
}

describe('mooc-desk audit verify', () => {
  test('a new workbook verifies (0 rows); usage errors exit 2', async () => {
    await seed();
    expect(await cli(['audit', 'verify', '--workbook', wb, '--json'])).toEqual({
      code: 0,
      stdout: '{"rows":0,"intact":true,"problems":[]}\n',
      stderr: '',
    });
    expect((await cli(['audit', '--workbook', wb])).code).toBe(2);
    expect((await cli(['audit', 'check', '--workbook', wb])).code).toBe(2);
    expect((await cli(['audit', 'verify'])).stderr).toContain('--workbook is required');
    expect((await cli(['audit', 'verify', '--workbook', path.join(dir, 'nope.xlsx')])).code).toBe(2);
    expect((await cli(['audit', '--help'])).stdout).toContain('Exit 0 when the\nchain is intact, 4 when it is broken');
  });

  test('approvals through the CLI verify (exit 0); an edited Audit cell exits 4 and the JSON names the row', async () => {
    await seed();
    for (const [email, extra] of [
      ['ready@uni.kz', []],
      ['other@uni.kz', ['--points', '90']],
    ] as const) {
      const res = await byMentor('approve', email, '--at', AT, ...extra);
      expect(res.stderr).toBe('');
    }
    expect((await byMentor('revoke', 'ready@uni.kz', '--reason', 'certificate withdrawn', '--at', AT)).code).toBe(0);

    const ok = await cli(['audit', 'verify', '--workbook', wb]);
    expect(ok).toEqual({ code: 0, stdout: 'Audit chain intact: 3 row(s) checked.\n', stderr: '' });
    expect(JSON.parse((await cli(['audit', 'verify', '--workbook', wb, '--json'])).stdout)).toEqual({
      rows: 3,
      intact: true,
      problems: [],
    });

    // Someone raises the points in the second approval's audit entry.
    await editAudit(
      3,
      'After',
      'Points=100; Letter=A; GPA=4; Traditional mark=Excellent (5); Approved by=mentor@uni.kz; Approved at=2026-03-02 10:30',
    );
    const before = sha(wb);
    const json = await cli(['audit', 'verify', '--workbook', wb, '--json']);
    expect(json.code).toBe(4);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual({
      rows: 3,
      intact: false,
      problems: [
        {
          row: 3,
          reason:
            'edited after it was written, or the row(s) just above it were deleted: its cells no longer match its hash',
        },
      ],
    });
    const human = await cli(['audit', 'verify', '--workbook', wb]);
    expect(human.code).toBe(4);
    expect(human.stdout).toBe(
      'Audit chain BROKEN: 3 row(s) checked; the first problem is at Audit row 3: edited after it was written, or the row(s) just above it were deleted: its cells no longer match its hash.\n' +
        'The 1 row(s) above it verify; from row 3 on no entry can be trusted.\n',
    );
    expect(sha(wb)).toBe(before); // verify only reads

    // A later approval chains from the stored hashes: the break stays at row 3.
    expect((await byMentor('approve', 'ready@uni.kz', '--at', AT)).code).toBe(0);
    expect(JSON.parse((await cli(['audit', 'verify', '--workbook', wb, '--json'])).stdout)).toMatchObject({
      rows: 4,
      intact: false,
      problems: [{ row: 3 }],
    });

    // A cleared hash is found at its own row.
    await editAudit(2, 'Hash', '');
    const missing = await cli(['audit', 'verify', '--workbook', wb, '--json']);
    expect(missing.code).toBe(4);
    expect(JSON.parse(missing.stdout).problems).toEqual([{ row: 2, reason: expect.stringMatching(/^hash missing/) }]);
  });
});
