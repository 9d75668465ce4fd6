/**
 * The import as Apps Script runs it: the built Code.js in a bare V8 context (no Node, no Buffer),
 * Utilities and SpreadsheetApp as typed fakes, called through the top-level stub. Also measures a
 * 10k- and 50k-row import (V8 time of our code and the fake sheet; Google's own writes come on top),
 * the figures addon/README.md quotes for the 6-minute limit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import JSZip from 'jszip';
import { generateExport } from '../../bench/generate';
import { AppsScriptWorkbook } from '../src/server/apps-script-workbook';
import { ADMIN, demoPlan } from '../dev/seed';
import { gasWorld } from './fakes/apps-script-globals';
import { FakeApp, FakeLock, FakeSpreadsheet } from './fakes/spreadsheet';
import { useBuiltAddon } from './build-once';

const built = useBuiltAddon();
const MEASURE = process.env.IMPORT_BENCH_ROWS?.split(',').map(Number) ?? [10_000];

function bundle(options: { language?: string } = {}): { context: vm.Context; ss: FakeSpreadsheet } {
  const ss = new FakeSpreadsheet();
  new AppsScriptWorkbook(ss, { app: new FakeApp(), lock: new FakeLock() }).apply(demoPlan(options));
  const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: ADMIN });
  const context = vm.createContext({ ...world.globals });
  vm.runInContext(built.code, context, { filename: 'Code.js' });
  return { context, ss };
}

describe('Import in the built bundle (bare V8)', () => {
  test('there is no Buffer in Apps Script: the bundled csv-parse still reads a ZIP export', async () => {
    const { context, ss } = bundle();
    expect(typeof (context as { Buffer?: unknown }).Buffer).toBe('undefined');
    const zip = new JSZip();
    zip.file(
      'CourseActivity.csv',
      'Email,Course Slug,Overall Progress,Completed\r\na@uni.kz,law-101,80,No\r\nb@uni.kz,law-101,x,No\r\n',
    );
    const base64 = (await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })).toString('base64');
    const result = context.importExport({ name: 'e.zip', base64 });
    expect(result).toMatchObject({ rowsRead: 2, inserted: 1, rejected: 1 });
    expect(result.rejectedRows[0]).toMatchObject({ line: 3 });
    expect(
      ss
        .getSheetByName('Progress')!
        .dump()
        .some((r) => r[0] === 'a@uni.kz'),
    ).toBe(true);
  });

  test('after Settings › Language is switched, an import renames and relabels the workbook as `mooc-desk sync` does', () => {
    // The demo's English workbook whose admin has just set Language to kk.
    const { context, ss } = bundle({ language: 'kk' });
    const csv = 'Email,Course Slug,Overall Progress,Completed\r\nnew@uni.kz,law-101,0,No\r\n';
    const result = context.importExport({ name: 'e.csv', base64: Buffer.from(csv).toString('base64') });
    expect(result).toMatchObject({ rowsRead: 1, inserted: 1 });
    expect(ss.getSheetByName('Progress')).toBeNull();
    const progress = ss.getSheetByName('Үлгерім')!;
    const rows = progress.dump();
    const status = rows[0].indexOf('Мәртебе');
    expect(status).toBeGreaterThan(0);
    // Every Status in Kazakh, the seeded rows' too, and the colour rules look for those texts.
    expect(rows.slice(1).map((r) => r[status])).not.toContain('Ready for approval');
    expect(rows.slice(1).map((r) => r[status])).toContain('Бекітуге дайын');
    const texts = progress.conditionalRules.map(
      (r) => (r as unknown as { spec: { textEqualTo?: string } }).spec.textEqualTo,
    );
    expect(texts).toContain('Бекітуге дайын');
    expect(texts).not.toContain('Ready for approval');
  });

  test.each(MEASURE)(
    '%i rows: import time in V8',
    (rows) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-import-bench-'));
      const file = path.join(dir, 'export.csv');
      generateExport(file, rows);
      const bytes = fs.readFileSync(file);
      fs.rmSync(dir, { recursive: true, force: true });
      const { context, ss } = bundle();
      const started = process.hrtime.bigint();
      const result = context.importExport({ name: 'export.csv', base64: bytes.toString('base64') });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(
        `import ${rows} rows (${(bytes.length / 1048576).toFixed(1)} MB) in the bundle: ${(ms / 1000).toFixed(1)} s, ${ss.stats.cellsWritten} cells written`,
      );
      expect(result.rowsRead).toBe(rows);
      expect(result.inserted + result.rejected).toBeGreaterThan(0);
    },
    600_000,
  );
});
