/**
 * The .xlsx backend and the TabPlan fields beyond the contract suite: renameFrom, headerUpdates,
 * look (widths, frozen panes, header style, Total row), number formats, kept cell styles, and our
 * rules in workbooks written before (healed at the next write). Checked by reading the file with
 * exceljs, as another program would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { XlsxWorkbook } from '../src/adapters/xlsx-workbook';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-xlsx-plan-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function excel(file: string): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  return book;
}

async function part(file: string, name: RegExp): Promise<string> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const hit = Object.keys(zip.files).find((n) => name.test(n));
  return hit ? zip.files[hit].async('string') : '';
}

test('renameFrom renames the tab, keeps its rows, and follows it in defined names', async () => {
  const file = path.join(dir, 'r.xlsx');
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Прогресс').addRows([['Email'], ['a@x.kz']]);
  book.definedNames.add("'Прогресс'!$A$1:$A$2", 'Learners');
  await book.xlsx.writeFile(file);
  const wb = await XlsxWorkbook.open(file);
  await wb.apply({
    tabs: [{ tab: 'Progress', renameFrom: 'Прогресс', updates: [{ row: 0, col: 0, value: 'b@x.kz' }] }],
  });
  const again = await XlsxWorkbook.open(file);
  expect(again.listTabs()).toEqual(['Progress']);
  expect(again.read(['Progress']).Progress!.rows).toEqual([['b@x.kz']]);
  expect(await part(file, /workbook\.xml$/)).toMatch(/<definedName name="Learners"[^>]*>Progress!\$A\$1:\$A\$2</);
});

test('headerUpdates rewrite header cells in place; look sets widths, frozen panes and a bold wrapped header', async () => {
  const file = path.join(dir, 'l.xlsx');
  const wb = await XlsxWorkbook.open(file, { create: true });
  await wb.apply({
    tabs: [{ tab: 'T', create: { header: ['Email', 'Name', 'Note'] }, appends: [['a@x.kz', 'A', 'n']] }],
  });
  await wb.apply({
    tabs: [
      {
        tab: 'T',
        headerUpdates: [{ col: 1, value: 'Аты-жөні' }],
        look: { widths: { email: 32, Note: 60, Missing: 9 }, frozenColumns: 2, headerStyle: true },
      },
    ],
  });
  const ws = (await excel(file)).getWorksheet('T')!;
  expect(ws.getRow(1).values).toEqual([undefined, 'Email', 'Аты-жөні', 'Note']);
  expect(ws.getCell('A2').value).toBe('a@x.kz');
  expect([ws.getColumn(1).width, ws.getColumn(2).width, ws.getColumn(3).width]).toEqual([32, undefined, 60]);
  expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 1 });
  for (const ref of ['A1', 'B1', 'C1']) {
    expect(ws.getCell(ref).font?.bold).toBe(true);
    expect(ws.getCell(ref).alignment?.wrapText).toBe(true);
  }
  expect(ws.getCell('A2').font?.bold).toBeFalsy();

  // The same look again changes nothing in the file.
  const before = fs.readFileSync(file);
  await (
    await XlsxWorkbook.open(file)
  ).apply({
    tabs: [{ tab: 'T', look: { widths: { email: 32, Note: 60 }, frozenColumns: 2, headerStyle: true } }],
  });
  const zipA = await JSZip.loadAsync(before);
  const zipB = await JSZip.loadAsync(fs.readFileSync(file));
  for (const name of Object.keys(zipA.files))
    expect({ name, xml: await zipB.files[name].async('string') }).toEqual({
      name,
      xml: await zipA.files[name].async('string'),
    });
});

test('a report with a Total row: the Total is set apart (bold, grey fill, a rule above) and outside every rule; number formats by header', async () => {
  const file = path.join(dir, 's.xlsx');
  const wb = await XlsxWorkbook.open(file, { create: true });
  const report = (rows: (string | number)[][]) => ({
    tab: 'Summary',
    replace: { header: ['School', 'Late', 'Completion rate'], rows },
    formats: [
      { kind: 'colorScale' as const, column: 'Completion rate' },
      { kind: 'redWhenPositive' as const, column: 'Late' },
    ],
    numberFormats: { 'Completion rate': '0.0%' },
    look: { totalRow: true },
  });
  await wb.apply({
    tabs: [
      report([
        ['Law', 1, 0.5],
        ['Total', 1, 0.5],
      ]),
    ],
  });
  await wb.apply({
    tabs: [
      report([
        ['Law', 1, 0.5],
        ['Arts', 0, 0.25],
        ['Total', 1, 0.4],
      ]),
    ],
  });
  const ws = (await excel(file)).getWorksheet('Summary')!;
  expect(ws.getCell('A4').font?.bold).toBe(true);
  expect(ws.getCell('B4').fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } });
  expect(ws.getCell('C4').border?.top).toMatchObject({ style: 'thin', color: { argb: 'FF808080' } });
  // Last time's Total row, now a school: plain again.
  expect(ws.getCell('A3').font?.bold).toBeFalsy();
  expect(JSON.stringify(ws.getCell('A3').fill ?? {})).not.toContain('solid');
  expect(ws.getCell('A3').border?.top).toBeUndefined();
  expect(ws.getCell('C2').numFmt).toBe('0.0%');
  expect(ws.getCell('C4').numFmt).toBe('0.0%');
  const xml = await part(file, /worksheets\/sheet1\.xml$/);
  // Neither the colour scale nor the red problem counts reach the Total (as on Google Sheets).
  expect(xml).toMatch(/<conditionalFormatting sqref="C2:C3"><cfRule type="colorScale"/);
  expect(xml).toMatch(/<conditionalFormatting sqref="B2:B3"><cfRule type="cellIs"/);
  expect(xml.match(/<conditionalFormatting /g)).toHaveLength(2); // replaced, not stacked
});

test('a wrapped header is as high as its longest header needs; one that fits on a line keeps the default', async () => {
  const file = path.join(dir, 'h.xlsx');
  const wb = await XlsxWorkbook.open(file, { create: true });
  const header = ['School', 'Average engagement %', 'Late'];
  const look = { widths: { School: 44, 'Average engagement %': 12, Late: 11 }, headerStyle: true };
  await wb.apply({ tabs: [{ tab: 'S', replace: { header, rows: [['Law', 50, 0]] }, look }] });
  const row1 = () => part(file, /worksheets\/sheet1\.xml$/).then((x) => /<row r="1"[^>]*>/.exec(x)![0]);
  expect(await row1()).toBe('<row r="1" ht="45" customHeight="1">'); // Average / engagement / %
  // Wider: two lines; and a header on an existing tab (no rows rewritten) gets it too.
  await wb.apply({ tabs: [{ tab: 'S', look: { ...look, widths: { ...look.widths, 'Average engagement %': 14 } } }] });
  expect(await row1()).toBe('<row r="1" ht="30" customHeight="1">');
  await wb.apply({
    tabs: [{ tab: 'N', create: { header: ['Email', 'Note'] }, look: { widths: { Email: 30 }, headerStyle: true } }],
  });
  expect(await part(file, /worksheets\/sheet2\.xml$/)).toMatch(/<row r="1">/);
});

test('a written cell keeps its style; a user style elsewhere is untouched', async () => {
  const file = path.join(dir, 'k.xlsx');
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet('People');
  ws.addRows([
    ['Email', 'Score'],
    ['a@x.kz', 1],
  ]);
  ws.getCell('B2').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
  ws.getCell('A2').font = { italic: true };
  await book.xlsx.writeFile(file);
  await (await XlsxWorkbook.open(file)).apply({ tabs: [{ tab: 'People', updates: [{ row: 0, col: 1, value: 7 }] }] });
  const after = (await excel(file)).getWorksheet('People')!;
  expect(after.getCell('B2').value).toBe(7);
  expect(after.getCell('B2').fill).toMatchObject({ pattern: 'solid', fgColor: { argb: 'FFFFFF00' } });
  expect(after.getCell('A2').font?.italic).toBe(true);
});

test('status rules written before (down to row 1,002, no `text`) reach every row after the next write', async () => {
  const file = path.join(dir, 'o.xlsx');
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet('Progress');
  ws.addRow(['Email', 'Status']);
  ws.addConditionalFormatting({
    ref: 'B2:B1002',
    rules: [
      {
        type: 'containsText',
        priority: 1,
        operator: 'containsText',
        text: 'Overdue',
        style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFC7CE' } } },
      },
    ],
  });
  await book.xlsx.writeFile(file);
  const rows = Array.from({ length: 1500 }, (_, i) => [`l${i}@x.kz`, 'Overdue']);
  await (await XlsxWorkbook.open(file)).apply({ tabs: [{ tab: 'Progress', appends: rows }] });
  const xml = await part(file, /worksheets\/sheet1\.xml$/);
  const cf = /<conditionalFormatting sqref="([^"]+)"><cfRule ([^>]*)>/.exec(xml)!;
  expect(cf[1]).toBe('B2:B1048576');
  expect(cf[2]).toMatch(/text="Overdue"/);
});

test('applies take effect at once and reach the file in order; a failed write puts the workbook back', async () => {
  const file = path.join(dir, 'w.xlsx');
  const wb = await XlsxWorkbook.open(file, { create: true });
  const first = wb.apply({ tabs: [{ tab: 'T', create: { header: ['V'] }, appends: [['one']] }] });
  const second = wb.apply({ tabs: [{ tab: 'T', appends: [['two']] }] });
  expect(wb.read(['T']).T!.rows).toEqual([['one'], ['two']]);
  await Promise.all([first, second]);
  expect((await XlsxWorkbook.open(file)).read(['T']).T!.rows).toEqual([['one'], ['two']]);

  fs.rmSync(dir, { recursive: true, force: true }); // the folder is gone: the write cannot happen
  await expect(wb.apply({ tabs: [{ tab: 'T', appends: [['three']] }] })).rejects.toThrow();
  expect(wb.read(['T']).T!.rows).toEqual([['one'], ['two']]);
});
