import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { workbookContract } from '../../shared/test/workbook-contract';
import { columnLetter } from '../../shared/src/cells';
import type { ValidationRule } from '../../shared/src/layout';
import { templatePlan } from '../../shared/src/sync-plan';
import {
  UnreadableWorkbookError,
  XlsxWorkbook,
  withWorkbookLock,
  WorkbookLockedError,
} from '../src/adapters/xlsx-workbook';

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-xlsx-'));

workbookContract('local .xlsx (zip parts)', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'book.xlsx');
  return {
    workbook: await XlsxWorkbook.open(file, { create: true }),
    reopen: () => XlsxWorkbook.open(file),
    readValidations: (tab: string) => validationsInFile(file, tab),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

/** The validation on each header's column (as row 2 has it), read from the file with exceljs. */
async function validationsInFile(file: string, tab: string): Promise<ValidationRule[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const ws = book.getWorksheet(tab)!;
  const model = (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation | undefined> } })
    .dataValidations.model;
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1);
  return header.flatMap((h, i): ValidationRule[] => {
    const dv = model[`${columnLetter(i)}2`];
    if (!dv) return [];
    const column = typeof h === 'object' && h !== null && !(h instanceof Date) ? JSON.stringify(h) : String(h);
    if (dv.type === 'list')
      return [{ column, kind: 'list', values: String(dv.formulae[0]).replace(/^"|"$/g, '').split(',') }];
    return [{ column, kind: 'number', min: Number(dv.formulae[0]), max: Number(dv.formulae[1]) }];
  });
}

describe('xlsx backend specifics', () => {
  test('formula-like text is a string cell in the file, never a formula', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'b.xlsx');
    const wb = await XlsxWorkbook.open(file, { create: true });
    await wb.apply({
      tabs: [{ tab: 'T', create: { header: ['V'] }, appends: [['=HYPERLINK("http://x","y")'], ['+1'], ['@x']] }],
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const ws = book.getWorksheet('T')!;
    for (const n of [2, 3, 4]) {
      expect(ws.getCell(`A${n}`).type).toBe(ExcelJS.ValueType.String);
      expect(ws.getCell(`A${n}`).formula).toBeUndefined();
    }
  });

  test('human formulas and dates are read as their values', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'h.xlsx');
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('Courses');
    ws.addRow(['Course slug', 'Deadline', 'Credits']);
    ws.addRow(['html', new Date(Date.UTC(2026, 4, 31)), { formula: '2+3', result: 5 }]);
    await book.xlsx.writeFile(file);
    const snap = (await XlsxWorkbook.open(file)).read(['Courses']);
    expect(snap.Courses!.rows[0]).toEqual(['html', '2026-05-31', 5]);
  });

  test('sheets inflated ahead read as they would have; a sheet that will not inflate is reported by the read', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'p.xlsx');
    const rows = Array.from({ length: 3000 }, (_, i) => [`l${i}@uni.kz`, `Әлия ${i}`, i / 7]);
    const wb = await XlsxWorkbook.open(file, { create: true });
    await wb.apply({ tabs: [{ tab: 'T', create: { header: ['Email', 'Name', 'N'] }, appends: rows }] });
    const cold = (await XlsxWorkbook.open(file)).read(['T']);
    const warm = await XlsxWorkbook.open(file);
    await warm.preload();
    expect(warm.read(['T'])).toEqual(cold);
    expect(warm.read(['T'])).toEqual(cold); // a second read after the preloaded bytes were taken

    // The sheet's compressed bytes damaged in place: the preload fails (a sync waits for it quietly),
    // and the read says which file and tab cannot be read.
    const data = fs.readFileSync(file);
    const at = data.indexOf(Buffer.from('xl/worksheets/sheet')) + 200;
    data.fill(0xff, at, at + 64);
    fs.writeFileSync(file, data);
    const broken = await XlsxWorkbook.open(file);
    await expect(broken.preload()).rejects.toThrow();
    expect(() => broken.read(['T'])).toThrow(UnreadableWorkbookError);
    expect(() => broken.read(['T'])).toThrow(`${file}: tab "T" cannot be read`);
  });

  test('a second sync on the same workbook is refused while the first holds the lock', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'l.xlsx');
    let release!: () => void;
    const first = withWorkbookLock(file, () => new Promise<void>((r) => (release = r)));
    await expect(withWorkbookLock(file, async () => 'second')).rejects.toThrow(WorkbookLockedError);
    release();
    await first;
    await expect(withWorkbookLock(file, async () => 'third')).resolves.toBe('third');
  });

  test('a lock left by a dead process is taken over', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 's.xlsx');
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, at: 'earlier' }));
    await expect(withWorkbookLock(file, async () => 'ok')).resolves.toBe('ok');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});

describe("the template carries the layout's data validation", () => {
  test('Model, School status, Match decision, Roster status are pick-lists and Points is 0–100, in the .xlsx file', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 't.xlsx');
    const wb = await XlsxWorkbook.open(file, { create: true });
    await wb.apply({ tabs: templatePlan({}) });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const colOf = (ws: ExcelJS.Worksheet, h: string) => (ws.getRow(1).values as string[]).indexOf(h);
    const validationAt = (tab: string, header: string, row = 7) => {
      const ws = book.getWorksheet(tab)!;
      return ws.getCell(row, colOf(ws, header)).dataValidation;
    };
    expect(validationAt('Courses', 'Model')).toMatchObject({ type: 'list', formulae: ['"partial,full"'] });
    expect(validationAt('Candidates', 'School status')).toMatchObject({
      type: 'list',
      formulae: ['"Active,Expelled,Dropping out,Academic leave"'],
    });
    expect(validationAt('Candidates', 'Match decision')).toMatchObject({ type: 'list' });
    expect(validationAt('Roster', 'Roster status', 500)).toMatchObject({
      type: 'list',
      formulae: ['"Active,Replaced,Withdrawn"'],
    });
    expect(validationAt('Progress', 'Points', 1000)).toMatchObject({
      type: 'decimal',
      operator: 'between',
      formulae: [0, 100],
    });
    expect(validationAt('Progress', 'Mentor comment')).toBeUndefined();
  });
});
