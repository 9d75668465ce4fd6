/**
 * The Import sidebar in real Chromium through the local harness (the same server function over a
 * MemoryWorkbook): an admin in Russian picks a real Coursera CSV with one bad line and sees the
 * sync's summary, the bad line named with its line and column, and text from the file shown as
 * text; a too-large file is refused in the page; a PERMISSION_DENIED answer gets the multi-account
 * hint. Screenshot: test-results/import-ru.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MemoryWorkbook } from '../../shared/src/memory-workbook';
import { MAX_IMPORT_BYTES } from '../src/api';
import { CATALOGS } from '../src/i18n';
import { ADMIN, demoPlan } from '../dev/seed';
import { startDevServer, type DevServer } from '../dev/server';
import { openSidebar } from '../dev/chromium';
import { chromiumDescribe, SCREENSHOTS, useChromium } from './chromium-suite';

const suite = chromiumDescribe();
const NOW = Date.parse('2026-05-01T06:00:00Z');
const m = CATALOGS.ru;
const DEMO = path.join(__dirname, '..', '..', 'demo', 'usage-report_2020_19col_fpt.csv');
const lines = fs.readFileSync(DEMO, 'utf8').split(/\r?\n/);
/** 50 real lines, then one whose Overall Progress is markup (line 52). */
const CSV = [...lines.slice(0, 51), lines[1].replace(/,0,0,No,No,/, ',<b>x</b>,0,No,No,'), ''].join('\n');

suite('Import sidebar in Chromium', () => {
  const chrome = useChromium();
  let workbook: MemoryWorkbook;
  let server: DevServer;

  beforeAll(async () => {
    workbook = new MemoryWorkbook();
    workbook.apply(demoPlan({ language: 'ru' }));
    server = await startDevServer({ workbook, distDir: chrome.dist, now: () => NOW });
  });
  afterAll(() => server?.close());

  test('ru: pick a CSV, import, see the summary and the rejected line', async () => {
    const { page, errors } = await openSidebar(chrome.browser, server.url, 'import', 'ru', ADMIN);
    const seeded = workbook.tabs.get('Progress')!.rows.length;
    await page.getByTestId('import').waitFor();
    expect(await page.locator('label[for=file]').innerText()).toBe(
      m['import.choose'].replace('{max}', String(MAX_IMPORT_BYTES / 1048576)),
    );
    await page.getByTestId('file').setInputFiles({ name: 'usage.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByTestId('import').click();
    await page.getByTestId('summary').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('rows-read').innerText()).toBe(`${m['import.rowsRead']}\t51`);
    expect(await page.getByTestId('inserted').innerText()).toBe(`${m['import.inserted']}\t50`);
    expect(await page.getByTestId('rejected').innerText()).toBe(`${m['import.rejected']}\t1`);
    // Statuses and flags in the user's words, not the rules' names.
    const statuses = await page.getByTestId('statuses').innerText();
    expect(statuses).toContain(`${m['status.ready']} 4`);
    expect(statuses).toContain(`${m['status.inProgress']} 29`);
    expect(statuses).not.toMatch(/Ready for approval|In progress|Not started/);
    expect(await page.getByTestId('flags').innerText()).toContain(`${m['flag.NOT_STARTED']} 17`);
    const rejected = await page.getByTestId('rejected-rows').innerText();
    expect(rejected).toMatch(/^строка 52: column K "Overall Progress": /);
    // The value from the file is shown as text, never parsed as markup.
    expect(await page.locator('[data-testid=rejected-rows] b').count()).toBe(0);
    expect(workbook.tabs.get('Progress')!.rows).toHaveLength(seeded + 50);
    expect(workbook.tabs.get('Rejected rows')!.rows.map((r) => r[2])).toEqual([52]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'import-ru.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('a file over the limit is refused in the page; nothing is sent', async () => {
    const { page, errors } = await openSidebar(chrome.browser, server.url, 'import', 'ru', ADMIN);
    await page.getByTestId('import').waitFor();
    const before = workbook.tabs.get('Sync log')!.rows.length;
    await page.getByTestId('file').setInputFiles({
      name: 'big.csv',
      mimeType: 'text/csv',
      buffer: Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x61),
    });
    await page.getByTestId('import').click();
    await page
      .getByTestId('status')
      .filter({ hasText: m['import.tooLarge'].replace('{max}', String(MAX_IMPORT_BYTES / 1048576)) })
      .waitFor();
    expect(workbook.tabs.get('Sync log')!.rows).toHaveLength(before);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('PERMISSION_DENIED from google.script.run: the multi-account hint', async () => {
    const { page } = await openSidebar(chrome.browser, server.url, 'import', 'ru', ADMIN);
    await page.getByTestId('import').waitFor();
    await page.route('**/rpc/importExport', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ ok: false, error: 'ScriptError: PERMISSION_DENIED' }),
      }),
    );
    await page.getByTestId('file').setInputFiles({ name: 'usage.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByTestId('import').click();
    await page.getByTestId('status').filter({ hasText: 'PERMISSION_DENIED' }).waitFor();
    expect(await page.getByTestId('status').innerText()).toContain(m['common.multiAccountHint']);
    await page.close();
  }, 60_000);
});
