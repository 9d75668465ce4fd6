/**
 * The real sync (read → planSync → apply) against the Sheets backend over HTTP, on the real 2020
 * sample export: same table as the in-memory reference, a re-sync writes nothing in Progress and
 * costs three calls, and mentors' cells survive.
 */
import path from 'node:path';
import { MemoryWorkbook } from '../../../shared/src/memory-workbook';
import { PROGRESS_TAB } from '../../../shared/src/layout';
import { templatePlan } from '../../../shared/src/sync-plan';
import { presetTokenAuth } from '../../src/adapters/google-auth';
import { SheetsWorkbook } from '../../src/adapters/sheets-workbook';
import { readExportFile } from '../../src/sources/export-file';
import { runSync } from '../../src/sync/run-sync';
import { localSheets } from '../support/local-sheets';

const EXPORT = path.resolve(__dirname, '../../../demo/usage-report_2020_19col_fpt.csv');
const AS_OF = Date.UTC(2020, 5, 30, 12);

const sheets = localSheets();

const open = sheets.open;

test('a real export syncs into Google Sheets exactly as into memory; a re-sync writes no Progress cell in 3 calls', async () => {
  const batch = await readExportFile(EXPORT);
  const id = sheets.server.createSpreadsheet();
  const first = await runSync(open(id), batch, { asOf: AS_OF, now: () => AS_OF });
  const memory = new MemoryWorkbook();
  const reference = await runSync(memory, batch, { asOf: AS_OF, now: () => AS_OF });
  expect(first.stats).toEqual(reference.stats);
  expect(first.stats.inserted).toBeGreaterThan(3000);

  const snap = await open(id).read([PROGRESS_TAB.name, 'Summary by course']);
  const mem = memory.read([PROGRESS_TAB.name, 'Summary by course']);
  expect(snap.Progress!.header).toEqual(mem.Progress!.header);
  const norm = (rows: unknown[][], w: number) =>
    rows.map((r) => Array.from({ length: w }, (_, i) => (r[i] === '' || r[i] === undefined ? null : r[i])));
  expect(norm(snap.Progress!.rows, mem.Progress!.header.length)).toEqual(
    norm(mem.Progress!.rows, mem.Progress!.header.length),
  );
  expect(norm(snap['Summary by course']!.rows, 12)).toEqual(norm(mem['Summary by course']!.rows, 12));

  // A mentor comments on a row; then the same export comes again. (Points typed by hand would be
  // an approval the audit does not back: the sync would flag it UNVERIFIED_APPROVAL.)
  const header = snap.Progress!.header;
  const comment = header.indexOf('Mentor comment');
  const sheet = sheets.server.sheet(id, 'Progress');
  sheet.rows[1][comment] = '=not a formula, typed as text';
  sheets.server.resetStats();
  const again = await runSync(open(id), batch, { asOf: AS_OF, now: () => AS_OF });
  expect(again.stats.progressCellsWritten).toBe(0);
  expect(sheets.server.stats.byMethod).toEqual({
    'spreadsheets.get': 1,
    'values.batchGet': 1,
    'spreadsheets.batchUpdate': 1,
  });
  expect(sheets.server.cell(id, 'Progress', 1, comment)).toBe('=not a formula, typed as text');
  // The log got its second line.
  expect(sheets.server.values(id, 'Sync log')).toHaveLength(3);
});

test('the sync protects Audit, Sync log and the approval columns for admins, mentors and the service account; the next sync keeps them as they are', async () => {
  const SA = 'sync@project.iam.gserviceaccount.com';
  const openAs = (id: string) =>
    new SheetsWorkbook({
      spreadsheetId: id,
      auth: presetTokenAuth('t'),
      rootUrl: sheets.server.rootUrl,
      serviceAccountEmail: SA,
      backoff: { sleep: async () => undefined },
    });
  const memory = new MemoryWorkbook();
  memory.apply({ tabs: templatePlan({}) });
  const settings = memory.tabs.get('Settings')!;
  settings.rows.find((r) => r[0] === 'Admins')![1] = 'Admin@uni.kz';
  memory.tabs.get('Courses')!.rows.push(['law-101', 'Law', 'Law', 'partial', 'mentor@uni.kz; second@uni.kz', null, 5]);
  const id = sheets.server.createSpreadsheet();
  await openAs(id).apply({
    tabs: [...memory.tabs].map(([tab, t]) => ({ tab, create: { header: t.header }, appends: t.rows })),
  });
  const batch = await readExportFile(EXPORT);
  await runSync(openAs(id), batch, { asOf: AS_OF, now: () => AS_OF });
  const editors = ['admin@uni.kz', 'mentor@uni.kz', 'second@uni.kz', SA];
  const ranges = (tab: string) => sheets.server.sheet(id, tab).protectedRanges;
  expect(ranges('Audit').map((p) => [p.range, p.editors?.users])).toEqual([
    [{ sheetId: sheets.server.sheet(id, 'Audit').sheetId }, editors],
  ]);
  expect(ranges('Sync log')).toHaveLength(1);
  const header = sheets.server.values(id, 'Progress')[0] as string[];
  const locked = ranges('Progress').filter((p) => !p.warningOnly);
  expect(locked.map((p) => header[p.range.startColumnIndex!])).toEqual([
    'Points',
    'Letter',
    'Approved by',
    'Approved at',
  ]);
  expect(locked.every((p) => JSON.stringify(p.editors?.users) === JSON.stringify(editors))).toBe(true);
  expect(
    ranges('Progress')
      .filter((p) => p.warningOnly)
      .map((p) => header[p.range.startColumnIndex!]),
  ).toEqual(header.slice(0, header.indexOf('Status') + 1));

  const before = JSON.stringify(sheets.server.spreadsheet(id).sheets.map((s) => s.protectedRanges));
  await runSync(openAs(id), batch, { asOf: AS_OF, now: () => AS_OF });
  expect(JSON.stringify(sheets.server.spreadsheet(id).sheets.map((s) => s.protectedRanges))).toBe(before);
});

test('a first import too big for one request is split; if it dies midway, the next sync completes it to the same table', async () => {
  const batch = await readExportFile(EXPORT);
  const id = sheets.server.createSpreadsheet();
  const small = () =>
    new SheetsWorkbook({
      spreadsheetId: id,
      auth: presetTokenAuth('t'),
      rootUrl: sheets.server.rootUrl,
      maxRequestBytes: 200_000,
      backoff: { retries: 1, sleep: async () => undefined },
    });
  // The second batchUpdate and every one after it fail (a storm); the first one landed.
  sheets.server.beforeNext('spreadsheets.batchUpdate', () =>
    sheets.server.inject({ status: 503, method: 'spreadsheets.batchUpdate', times: Infinity }),
  );
  await expect(runSync(small(), batch, { asOf: AS_OF, now: () => AS_OF })).rejects.toThrow(/HTTP 503/);
  sheets.server.clearFaults();
  const partial = sheets.server.values(id, 'Progress').length - 1;
  expect(partial).toBeGreaterThan(0);
  expect(partial).toBeLessThan(3000);
  expect(() => sheets.server.sheet(id, 'Sync log')).toThrow(); // the log is written last: no false "done"

  await runSync(small(), batch, { asOf: AS_OF, now: () => AS_OF });
  const memory = new MemoryWorkbook();
  await runSync(memory, batch, { asOf: AS_OF, now: () => AS_OF });
  const mem = memory.read(['Progress']).Progress!;
  const got = (await open(id).read(['Progress'])).Progress!;
  const key = (r: unknown[]) => `${String(r[0])}|${String(r[7])}`;
  const width = mem.header.length;
  const norm = (rows: unknown[][]) =>
    rows
      .map((r) => Array.from({ length: width }, (_, i) => (r[i] === '' || r[i] === undefined ? null : r[i])))
      .sort((a, b) => key(a).localeCompare(key(b)));
  expect(norm(got.rows)).toEqual(norm(mem.rows));
});

test('someone sorts or inserts rows between our read and write: nothing is written, the retry lands every value on its own row', async () => {
  const header = 'Email,Course Slug,Overall Progress,Completed';
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-anchor-'));
  const file = (name: string, rows: string[]) => {
    fs.writeFileSync(path.join(dir, name), `${header}\n${rows.join('\n')}\n`);
    return path.join(dir, name);
  };
  const id = sheets.server.createSpreadsheet();
  await runSync(
    open(id),
    await readExportFile(file('a.csv', ['a@x.kz,law,10,No', 'b@x.kz,law,20,No', 'c@x.kz,law,30,No'])),
    { asOf: AS_OF },
  );
  const progress = () => {
    const [h, ...rows] = sheets.server.values(id, 'Progress');
    return Object.fromEntries(rows.map((r) => [r[h.indexOf('Email')], r[h.indexOf('Engagement %')]]));
  };
  expect(progress()).toEqual({ 'a@x.kz': 10, 'b@x.kz': 20, 'c@x.kz': 30 });

  const update = await readExportFile(file('b.csv', ['a@x.kz,law,11,No', 'b@x.kz,law,22,No', 'c@x.kz,law,33,No']));
  const wb = open(id);
  // The mentor sorts Progress by e-mail descending right after our read (before the anchor check).
  let reads = 0;
  sheets.server.beforeNext('values.batchGet', () => {
    reads++;
    sheets.server.beforeNext('values.batchGet', () => {
      const sheet = sheets.server.sheet(id, 'Progress');
      const [h, ...rows] = sheet.rows;
      sheet.rows = [h, ...rows.reverse()];
    });
  });
  const err = await runSync(wb, update, { asOf: AS_OF }).catch((e) => e);
  expect(reads).toBe(1);
  expect(err.message).toMatch(/"Progress" tab .* changed while syncing .* Nothing was written/);
  expect(err.permanent).toBe(false);
  expect(progress()).toEqual({ 'a@x.kz': 10, 'b@x.kz': 20, 'c@x.kz': 30 });
  expect(sheets.server.values(id, 'Sync log')).toHaveLength(2); // no log line for the refused attempt

  await runSync(open(id), update, { asOf: AS_OF });
  expect(progress()).toEqual({ 'a@x.kz': 11, 'b@x.kz': 22, 'c@x.kz': 33 });
  expect(
    sheets.server
      .values(id, 'Progress')
      .slice(1)
      .map((r) => r[0]),
  ).toEqual(['c@x.kz', 'b@x.kz', 'a@x.kz']); // the mentor's order is kept
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a new spreadsheet gets the layout's data validation (pick-lists, Points 0–100)", async () => {
  const id = sheets.server.createSpreadsheet();
  await open(id).apply({ tabs: templatePlan({}) });
  const rule = (tab: string, header: string) => {
    const sheet = sheets.server.sheet(id, tab);
    const col = (sheet.rows[0] as unknown[]).indexOf(header);
    return sheet.validations.get(col) as {
      condition: { type: string; values: { userEnteredValue: string }[] };
      strict: boolean;
    };
  };
  expect(rule('Courses', 'Model').condition).toEqual({
    type: 'ONE_OF_LIST',
    values: [{ userEnteredValue: 'partial' }, { userEnteredValue: 'full' }],
  });
  expect(rule('Progress', 'Points')).toMatchObject({
    strict: true,
    condition: { type: 'NUMBER_BETWEEN', values: [{ userEnteredValue: '0' }, { userEnteredValue: '100' }] },
  });
  expect(rule('Progress', 'Mentor comment')).toBeUndefined();
});
