/**
 * A workbook saved by LibreOffice with a chart, cell notes, the user's own conditional formats and
 * data validation and a defined name (worker/test/fixtures/xlsx/, made by LibreOffice itself):
 * two syncs of the real 2020 export into it keep every one of those, and LibreOffice, exceljs and
 * a plain zip listing all still find them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { columnLetter } from '../../shared/src/cells';
import { XlsxWorkbook } from '../src/adapters/xlsx-workbook';
import { readZip } from '../src/adapters/xlsx/zip';
import { syncExportIntoXlsx } from '../src/sync/sync-xlsx';

const FIXTURE = path.join(__dirname, 'fixtures/xlsx/libreoffice-user-parts.xlsx');
const REAL_2020 = path.join(__dirname, '../../demo/usage-report_2020_19col_fpt.csv');
const AS_OF = '2020-03-01';

jest.setTimeout(240_000);

let dir: string;
let file: string;
let afterFirst: Buffer;
let afterSecond: Buffer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-user-parts-'));
  file = path.join(dir, 'progress.xlsx');
  fs.copyFileSync(FIXTURE, file);
  await syncExportIntoXlsx(REAL_2020, file, { asOf: AS_OF });
  afterFirst = fs.readFileSync(file);
  await syncExportIntoXlsx(REAL_2020, file, { asOf: AS_OF });
  afterSecond = fs.readFileSync(file);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The synced workbook converted by LibreOffice (headless, a private profile): the converted file's text. */
function libreOffice(format: string, output: string): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-lo-'));
  const out = path.join(dir, format);
  try {
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--norestore',
        '--convert-to',
        format,
        '--outdir',
        out,
        file,
      ],
      { stdio: 'ignore', timeout: 180_000 },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return fs.readFileSync(path.join(out, output), 'utf8');
}

async function parts(data: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(data);
  const out = new Map<string, string>();
  for (const name of Object.keys(zip.files))
    if (!zip.files[name].dir) out.set(name, await zip.files[name].async('string'));
  return out;
}

/** The worksheet part of a tab, by the workbook's sheet list and relationships. */
function sheetPart(p: Map<string, string>, tab: string): string {
  const id = new RegExp(`<sheet [^>]*name="${tab}"[^>]*r:id="([^"]+)"`).exec(p.get('xl/workbook.xml')!)![1];
  const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${id}"`).exec(
    p.get('xl/_rels/workbook.xml.rels')!,
  )!;
  return `xl/${target[1] ?? target[2]}`;
}

/** A pattern found in a (big) part; a boolean, so a failure does not print the whole sheet. */
const found = (text: string, re: RegExp) => re.test(text);

const relsOf = (part: string) => part.replace(/([^/]+)$/, '_rels/$1.rels');

describe('a LibreOffice workbook with a chart, notes, its own rules and a defined name, synced twice', () => {
  test('every part is still there and still referenced: chart, drawing, notes, their relationships, the defined name', async () => {
    const before = await parts(fs.readFileSync(FIXTURE));
    const after = await parts(afterSecond);
    for (const name of before.keys()) expect(after.has(name)).toBe(true);
    expect([...after.keys()].filter((n) => /charts\/chart\d+\.xml$/.test(n))).toHaveLength(1);
    expect([...after.keys()].filter((n) => /comments\d+\.xml$/.test(n))).toHaveLength(2);

    const progress = sheetPart(after, 'Progress');
    expect(after.get(progress)).toMatch(/<legacyDrawing r:id="[^"]+"\/>/);
    expect(after.get(relsOf(progress))).toMatch(/comments1\.xml/);
    expect(after.get(relsOf(progress))).toMatch(/vmlDrawing1\.vml/);
    const chartData = sheetPart(after, 'Chart data');
    expect(after.get(chartData)).toBe(before.get(chartData));
    expect(after.get(chartData)).toMatch(/<drawing r:id=/);
    expect(after.get('xl/drawings/_rels/drawing1.xml.rels')).toMatch(/charts\/chart1\.xml/);
    expect(after.get('xl/workbook.xml')).toMatch(
      /<definedName[^>]*name="LearnersByMonth"[^>]*>'Chart data'!\$A\$1:\$B\$5</,
    );
    expect(after.get('[Content_Types].xml')).toMatch(/\/xl\/charts\/chart1\.xml/);
    expect(after.get('xl/comments1.xml')).toContain('Mentors: write');
  });

  test("the user's own conditional formats (Progress, a Summary tab) and validation survive; ours cover every data row", async () => {
    const after = await parts(afterSecond);
    const progress = after.get(sheetPart(after, 'Progress'))!;
    expect(found(progress, /<conditionalFormatting sqref="D2:D5000"><cfRule type="cellIs"[^>]*operator="equal"/)).toBe(
      true,
    );
    expect(found(progress, /<dataValidation [^>]*sqref="D2:D1001"[^>]*><formula1>("|&quot;)urgent,later\1/)).toBe(true);
    const summary = after.get(sheetPart(after, 'Summary by school'))!;
    expect(found(summary, /<conditionalFormatting sqref="A2:A200"><cfRule type="cellIs"[^>]*operator="equal"/)).toBe(
      true,
    );

    const rows = (await XlsxWorkbook.open(file)).read(['Progress']).Progress!;
    expect(rows.rows.length).toBeGreaterThan(4000);
    const letter = columnLetter(rows.header.indexOf('Status'));
    const statusRules = [
      ...progress.matchAll(/<conditionalFormatting sqref="([^"]+)">(<cfRule type="containsText"[^]*?<\/cfRule>)/g),
    ].filter(([, sqref]) => sqref.startsWith(`${letter}2:`));
    expect(statusRules.map((m) => /text="([^"]+)"/.exec(m[2])![1]).sort()).toEqual(
      ['Approved', 'Needs review', 'Overdue', 'Ready for approval', 'Removed'].sort(),
    );
    for (const [, sqref, rule] of statusRules) {
      const [from, to] = sqref.split(':');
      expect(from).toBe(`${letter}2`);
      expect(Number(to.slice(letter.length))).toBeGreaterThanOrEqual(rows.rows.length + 1); // past row 1,002
      expect(rule).toMatch(new RegExp(`<formula>NOT\\(ISERROR\\(SEARCH\\("[^"]+",${letter}2\\)\\)\\)</formula>`));
    }
  });

  test('exceljs opens the result and reads the user tab and the synced rows', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.getWorksheet('Chart data')!.getCell('B3').value).toBe(180);
    expect(book.getWorksheet('Progress')!.rowCount).toBeGreaterThan(4000);
  });

  test('LibreOffice opens the result: its Progress, as CSV, holds the rows we read', async () => {
    const csv = libreOffice('csv', 'progress.csv').trim().split('\n');
    const progress = (await XlsxWorkbook.open(file)).read(['Progress']).Progress!;
    expect(csv[0]).toMatch(/^Email,Course slug,Status,My notes,/);
    expect(csv).toHaveLength(progress.rows.length + 1);
    expect(csv[1].split(',').slice(0, 3)).toEqual(progress.rows[0].slice(0, 3).map(String));
  });

  test('LibreOffice reads our status rules on the whole Status column, with their colours', () => {
    const fods = libreOffice('fods', 'progress.fods');
    const rule =
      /<calcext:conditional-format calcext:target-range-address="Progress\.C2:Progress\.C1048576">\s*<calcext:condition calcext:apply-style-name="([^"]+)" calcext:value="contains-text\(&quot;Overdue&quot;\)"/.exec(
        fods,
      );
    expect(rule).not.toBeNull();
    const style = new RegExp(
      `style:display-name="${rule![1]}"[^>]*>\\s*<style:table-cell-properties fo:background-color="([^"]+)"`,
    ).exec(fods);
    expect(style?.[1]).toBe('#ffc7ce');
  });

  test('a re-sync that changes no cell rewrites the Sync log part and nothing else', async () => {
    const first = await parts(afterFirst);
    const second = await parts(afterSecond);
    const syncLog = sheetPart(second, 'Sync log');
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    const changed = [...second.keys()].filter((name) => second.get(name) !== first.get(name));
    expect(changed).toEqual([syncLog]);
    // …and the unchanged parts are the very bytes they were, not re-compressed.
    const raw = (data: Buffer) => new Map(readZip(data).map((e) => [e.name, e.raw]));
    const [a, b] = [raw(afterFirst), raw(afterSecond)];
    for (const [name, bytes] of b)
      if (name !== syncLog) expect({ name, same: bytes.equals(a.get(name)!) }).toEqual({ name, same: true });
  });
});
