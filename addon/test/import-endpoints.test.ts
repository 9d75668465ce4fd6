/**
 * The sheet alone: an admin imports a Coursera export through the add-on's server functions, over
 * the Apps Script workbook on typed fakes, and gets the CLI's result; replace and unenroll are
 * refused for a non-admin; the recognition report lands on a new tab; the Audit check answers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { RECOGNITION_HEADER } from '../../shared/src/enrollment/recognition';
import { headersOf, ROSTER_TAB } from '../../shared/src/layout';
import { MemoryWorkbook } from '../../shared/src/memory-workbook';
import { readExportFile } from '../../worker/src/sources/export-file';
import { runSync } from '../../worker/src/sync/run-sync';
import { MAX_IMPORT_BYTES } from '../src/api';
import { CATALOGS } from '../src/i18n';
import { AppsScriptWorkbook } from '../src/server/apps-script-workbook';
import { createServerApi } from '../src/server/endpoints';
import { nodeFileHost } from '../dev/node-files';
import { ADMIN, demoPlan, LAW_MENTOR } from '../dev/seed';
import { FakeApp, FakeLock, FakeSpreadsheet } from './fakes/spreadsheet';

const NOW = Date.parse('2026-05-01T06:00:00Z');
const DEMO = path.join(__dirname, '..', '..', 'demo', 'usage-report_2020_19col_fpt.csv');
/** The real 2020 export's header and first 200 lines, then a line whose Overall Progress is not a number. */
const lines = fs.readFileSync(DEMO, 'utf8').split(/\r?\n/);
const BAD_LINE = 202;
const csvText = [...lines.slice(0, 201), lines[1].replace(/,0,0,No,No,/, ',lots,0,No,No,'), ''].join('\n');

function sheet(user: string) {
  const ss = new FakeSpreadsheet();
  const wb = new AppsScriptWorkbook(ss, { app: new FakeApp(), lock: new FakeLock() });
  wb.apply(demoPlan());
  const who = { user };
  const api = createServerApi({
    workbook: wb,
    userEmail: () => who.user,
    userLocale: () => 'en',
    now: () => NOW,
    exclusive: (fn) => wb.withLock(fn),
    files: { ...nodeFileHost(), listTabs: () => ss.getSheets().map((s) => s.getName()) },
  });
  return { ss, wb, api, who };
}
const upload = (name: string, bytes: Buffer | string) => ({ name, base64: Buffer.from(bytes).toString('base64') });
const dump = (ss: FakeSpreadsheet, tab: string) => ss.getSheetByName(tab)!.dump();

describe('Import Coursera export (server function over the Apps Script workbook)', () => {
  test('a CSV: the same rows as `mooc-desk sync`, the bad line reported with line and column, text kept as text', async () => {
    const { ss, api } = sheet(ADMIN);
    const result = api.importExport(upload('usage.csv', csvText));
    expect(result).toMatchObject({ source: 'usage.csv', rowsRead: 201, rejected: 1, inserted: 200, updated: 0 });
    expect(result.rejectedRows).toEqual([
      { line: BAD_LINE, reason: expect.stringMatching(/^column K "Overall Progress": /) },
    ]);
    expect(Object.values(result.statuses).reduce((a, b) => a + b, 0)).toBe(200);

    // The CLI's reader and sync over the same file give the same Progress rows.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-import-'));
    const file = path.join(dir, 'usage.csv');
    fs.writeFileSync(file, csvText);
    const memory = new MemoryWorkbook();
    memory.apply(demoPlan());
    const cli = await runSync(memory, await readExportFile(file), { now: () => NOW });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(cli.stats).toMatchObject({ rowsRead: 201, rejected: 1, inserted: 200 });
    const progress = dump(ss, 'Progress');
    const cliProgress = memory.tabs.get('Progress')!;
    expect(progress[0]).toEqual(cliProgress.header);
    const byKey = (rows: unknown[][]) => rows.map((r) => `${String(r[0])}|${String(r[6])}`).sort();
    expect(byKey(progress.slice(1))).toEqual(byKey(cliProgress.rows));
    expect(
      dump(ss, 'Rejected rows')
        .slice(1)
        .map((r) => r[2]),
    ).toEqual([BAD_LINE]);

    // Re-import: nothing to update, and the rejected row is not logged twice.
    const again = api.importExport(upload('usage.csv', csvText));
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 200, rejectedAlreadyLogged: true });
    expect(dump(ss, 'Rejected rows')).toHaveLength(2);
    expect(dump(ss, 'Sync log')).toHaveLength(3);
  });

  test('the 2026 ZIP: its CourseActivity CSV is read in memory; a bad row names file, line and column', async () => {
    const { ss, api } = sheet(ADMIN);
    const zip = new JSZip();
    zip.file('Learners.csv', 'Email\nx@y.kz\n');
    zip.file(
      'CourseActivity_2026.csv',
      '\uFEFF"Email","Course Slug","Overall Progress","Completed"\r\n"a@uni.kz","law-101","80","No"\r\n"b@uni.kz","law-101","=HYPERLINK(1)","No"\r\n"c@uni.kz","law-101","101","No"\r\n',
    );
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const result = api.importExport(upload('export.zip', bytes));
    expect(result).toMatchObject({
      source: 'export.zip:CourseActivity_2026.csv',
      rowsRead: 3,
      rejected: 2,
      inserted: 1,
    });
    expect(result.rejectedRows.map((r) => r.line)).toEqual([3, 4]);
    expect(result.rejectedRows[0].reason).toMatch(/^column C "Overall Progress"/);
    const rejected = dump(ss, 'Rejected rows');
    // The formula-looking raw text stays text in the sheet.
    expect(String(rejected[1][4])).toContain('=HYPERLINK(1)');
    expect(rejected[1][1]).toBe('export.zip:CourseActivity_2026.csv');
  });

  test('refused with a message, nothing written: an .xlsx, an unsafe ZIP, a non-export, too large, a non-admin', async () => {
    const { ss, api, who } = sheet(ADMIN);
    const before = JSON.stringify(ss.sheets.map((s) => s.dump()));
    const xlsx = new JSZip();
    xlsx.file('[Content_Types].xml', '<Types/>');
    xlsx.file('xl/workbook.xml', '<workbook/>');
    const xlsxBytes = await xlsx.generateAsync({ type: 'nodebuffer' });
    expect(() => api.importExport(upload('export.xlsx', xlsxBytes))).toThrow(
      CATALOGS.en['import.xlsx'].replace('{file}', 'export.xlsx'),
    );
    const evil = new JSZip();
    evil.file('../CourseActivity.csv', 'Email\n');
    const evilBytes = await evil.generateAsync({ type: 'nodebuffer' });
    expect(() => api.importExport(upload('evil.zip', evilBytes))).toThrow(
      /evil\.zip: refused — unsafe entry name in the ZIP \(\.\.\//,
    );
    expect(() => api.importExport(upload('spec.csv', 'Name,Email\nA,a@b.kz\n'))).toThrow(
      /spec\.csv: not a Coursera progress export — line 1 \(the header\) lacks columns "Course Slug"/,
    );
    const huge = { name: 'big.csv', base64: 'A'.repeat(Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 8) };
    expect(() => api.importExport(huge)).toThrow(
      CATALOGS.en['import.tooLarge'].replace('{max}', String(MAX_IMPORT_BYTES / 1048576)),
    );
    who.user = LAW_MENTOR;
    expect(() => api.importExport(upload('usage.csv', csvText))).toThrow(CATALOGS.en['msg.adminsOnly']);
    expect(JSON.stringify(ss.sheets.map((s) => s.dump()))).toBe(before);
  });
});

describe('replace, unenroll, recognition report, audit check', () => {
  test('replace and unenroll are refused for a non-admin, and nothing is written', () => {
    const { ss, api } = sheet(LAW_MENTOR);
    const before = JSON.stringify(ss.sheets.map((s) => s.dump()));
    expect(() => api.replaceStudent('a@uni.kz', 'b@uni.kz', 'moved away')).toThrow(CATALOGS.en['msg.adminsOnly']);
    expect(() => api.unenrollStudent('a@uni.kz', 'mistake')).toThrow(CATALOGS.en['msg.adminsOnly']);
    expect(JSON.stringify(ss.sheets.map((s) => s.dump()))).toBe(before);
  });

  test('an admin reaches the shared replace rules (an unknown student is named)', () => {
    const { api } = sheet(ADMIN);
    expect(() => api.replaceStudent('nobody@uni.kz', 'b@uni.kz', 'moved away')).toThrow(
      CATALOGS.en['students.unknownStudent'].replace('{email}', 'nobody@uni.kz'),
    );
    expect(() => api.replaceStudent('nobody@uni.kz', 'b@uni.kz', '  ')).toThrow(CATALOGS.en['msg.reasonRequired']);
  });

  test('an admin replaces a student: the leaver Replaced, the newcomer on the Roster and in history, both audited, their list line', () => {
    const { ss, wb, api } = sheet(ADMIN);
    const leaving: Record<string, string> = {
      Email: 'leaving@student.example.kz',
      'Full name': 'Асель Нурова',
      School: 'School of Law',
      Group: 'G-1',
      Cohort: '2026-spring',
      'Roster status': 'Active',
    };
    const roster = headersOf(ROSTER_TAB).map((h) => leaving[h] ?? null);
    wb.apply({ tabs: [{ tab: ROSTER_TAB.name, appends: [roster] }] });
    api.runEligibilityCheck(); // Marat is ELIGIBLE
    const result = api.replaceStudent(
      'leaving@student.example.kz',
      'Marat@student.example.kz',
      'moved to another city',
    );
    expect(result).toMatchObject({
      leaving: 'leaving@student.example.kz',
      joining: 'marat@student.example.kz',
      cohort: '2026-spring',
      fileName: 'enrollment-marat_student.example.kz.csv',
    });
    expect(result.csv.split(/\r?\n/)[1]).toMatch(
      /^Марат Ержанов,marat@student\.example\.kz,.*,School of Law,G-1,2026-spring$/,
    );
    const rosterRows = dump(ss, 'Roster');
    const status = rosterRows[0].indexOf('Roster status');
    expect(rosterRows.slice(1).map((r) => [r[0], r[status]])).toEqual([
      ['leaving@student.example.kz', 'Replaced'],
      ['marat@student.example.kz', 'Active'],
    ]);
    expect(dump(ss, 'Participants history').map((r) => r[2])).toContain('marat@student.example.kz');
    const audit = dump(ss, 'Audit');
    const action = audit[0].indexOf('Action');
    expect(audit.slice(-2).map((r) => r[action])).toEqual(['Replace (out)', 'Replace (in)']);
    expect(api.checkAudit().intact).toBe(true);
  });

  test('the recognition report goes to a new tab each run; the seeded verified approval is on it', () => {
    const { ss, api } = sheet(LAW_MENTOR);
    const first = api.writeRecognitionReport();
    expect(first).toMatchObject({ tab: 'Recognition 2026-05-01 11:00', unverified: 0, unverifiedTab: null });
    expect(first.rows).toBeGreaterThan(0);
    const tab = dump(ss, first.tab);
    expect(tab[0]).toEqual([...RECOGNITION_HEADER]);
    expect(tab).toHaveLength(first.rows + 1);
    expect(api.writeRecognitionReport().tab).toBe('Recognition 2026-05-01 11:00 (2)');
  });

  test('the Audit check: intact, then broken at the row edited by hand', () => {
    const { ss, api } = sheet(LAW_MENTOR);
    const intact = api.checkAudit();
    expect(intact).toMatchObject({ intact: true, firstProblemRow: null });
    expect(intact.message).toBe(CATALOGS.en['audit.intact'].replace('{rows}', String(intact.rows)));
    const audit = ss.getSheetByName('Audit')!;
    const header = audit.dump()[0] as string[];
    audit.getRange(2, header.indexOf('After') + 1, 1, 1).setValues([['Points: 100']]);
    const broken = api.checkAudit();
    expect(broken).toMatchObject({ intact: false, firstProblemRow: 2, trustedRows: 0 });
    expect(broken.message).toContain('row 2');
  });
});
