/**
 * The attendance sidebar in real Chromium through the local harness (the same server functions
 * over a MemoryWorkbook), in kk, ru and en, at phone width: a facilitator picks a session, ticks,
 * saves and sees the result; starts today's session; imports the Zoom report; a participant named
 * `<img src=x onerror=alert(1)>` is text; nothing is wider than a 360 (or 320) px screen; a user who
 * may not mark, and a facilitator removed from the group meanwhile, get the refusal in their
 * language. Screenshots: test-results/attendance-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { MemoryWorkbook } from '../../shared/src/memory-workbook';
import { CATALOGS, format, LANGS, type Lang } from '../src/i18n';
import { openSidebar } from '../dev/chromium';
import { demoPlan, XSS_NAME } from '../dev/seed';
import { FACILITATOR, facilitatedPlan, ZOOM_SESSION } from '../dev/seed-facilitated';
import { startDevServer, type DevServer } from '../dev/server';
import { chromiumDescribe, SCREENSHOTS, useChromium } from './chromium-suite';

const suite = chromiumDescribe();
const NOW = Date.parse('2026-05-01T06:00:00Z'); // 11:00 in Almaty: no session of Almaty-1 today yet
const ZOOM = path.join(__dirname, '..', '..', 'worker', 'test', 'fixtures', 'attendance', 'zoom-week3.csv');

const records = (wb: MemoryWorkbook, tab: string) => {
  const t = wb.tabs.get(tab)!;
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i] ?? null])));
};
const marks = (wb: MemoryWorkbook, session: string) =>
  records(wb, 'Attendance')
    .filter((r) => r['Session ID'] === session)
    .map((r) => [r.Email, r.Mark])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

/** Nothing wider than the window: no horizontal scrolling, no element sticking out on the right. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width)
      out.push(`page ${document.documentElement.scrollWidth} > ${width}`);
    for (const e of Array.from(document.querySelectorAll('#app *'))) {
      const r = e.getBoundingClientRect();
      if (r.width && r.right > width + 0.5) out.push(`${e.tagName}.${e.className} right ${Math.round(r.right)}`);
    }
    return out;
  });
}

suite('attendance sidebar (Chromium)', () => {
  const chrome = useChromium();

  describe.each(LANGS)('%s', (lang: Lang) => {
    const m = CATALOGS[lang];
    let workbook: MemoryWorkbook;
    let server: DevServer;

    beforeEach(async () => {
      workbook = new MemoryWorkbook();
      workbook.apply(demoPlan({ language: lang }));
      workbook.apply(facilitatedPlan());
      server = await startDevServer({ workbook, distDir: chrome.dist, now: () => NOW });
    });
    afterEach(() => server?.close());

    const open = async (user: string, width = 360) => {
      const opened = await openSidebar(chrome.browser, server.url, 'attendance', lang, user, 900);
      await opened.page.setViewportSize({ width, height: 900 });
      return opened;
    };

    test('a facilitator picks a session, ticks, saves and sees the result; the <img> name is text; 360 px fit', async () => {
      const { page, errors } = await open(FACILITATOR);
      await page.getByTestId('person').first().waitFor();
      expect(await page.getByTestId('group').inputValue()).toBe('Almaty-1');
      await page.getByTestId('session').selectOption(ZOOM_SESSION);
      await page.locator('[data-testid=person][data-email="xss@uni.kz"]').waitFor();
      expect(await page.getByTestId('session').inputValue()).toBe(ZOOM_SESSION);
      expect(await page.getByTestId('name').allInnerTexts()).toEqual([
        XSS_NAME,
        'Bolat Nurlanov',
        'Dana Ermekova',
        'Сапарова Айгерим Нурлановна',
      ]);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.getByTestId('count').innerText()).toBe(format(m['att.count'], { present: 0, total: 4 }));

      // Tap the rows (the whole row is the target), not the little boxes.
      await page.locator('[data-email="aigerim@school.kz"] label').click();
      await page.locator('[data-email="dana@uni.kz"] label').click();
      expect(await page.getByTestId('count').innerText()).toBe(format(m['att.count'], { present: 2, total: 4 }));
      expect(await overflow(page)).toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, `attendance-ticks-${lang}.png`), fullPage: true });
      await page.getByTestId('save').click();
      const saved = format(m['att.saved'], { present: 2, absent: 2, excused: 0, updated: 4 });
      await page.getByTestId('status').filter({ hasText: saved }).waitFor();
      expect(marks(workbook, ZOOM_SESSION)).toEqual([
        ['aigerim@school.kz', 'present'],
        ['bolat.nurlanov@uni.kz', 'absent'],
        ['dana@uni.kz', 'present'],
        ['xss@uni.kz', 'absent'],
      ]);
      // The list is the server's answer: the ticks it stored, the derived flags in the sheet.
      const ticked = await page
        .getByTestId('tick')
        .evaluateAll((boxes) => boxes.map((b) => [(b as HTMLInputElement).value, (b as HTMLInputElement).checked]));
      expect(Object.fromEntries(ticked)).toEqual({
        'xss@uni.kz': false,
        'bolat.nurlanov@uni.kz': false,
        'dana@uni.kz': true,
        'aigerim@school.kz': true,
      });
      expect(records(workbook, 'Participants').find((p) => p.Email === 'bolat.nurlanov@uni.kz')!.Flags).toBe(
        'MISSED_SESSIONS',
      );
      await page.screenshot({ path: path.join(SCREENSHOTS, `attendance-saved-${lang}.png`), fullPage: true });

      // Saving again changes nothing; the excused mark of the sheet cannot be ticked over.
      await page.getByTestId('save').click();
      await page
        .getByTestId('status')
        .filter({ hasText: format(m['att.saved'], { present: 2, absent: 2, excused: 0, updated: 0 }) })
        .waitFor();
      await page.getByTestId('session').selectOption('ALA-W4');
      await page.getByTestId('excused').waitFor();
      expect(await page.getByTestId('excused').innerText()).toBe(m['att.excused']);
      expect(await page.locator('[data-email="dana@uni.kz"] input').isDisabled()).toBe(true);
      await page.setViewportSize({ width: 320, height: 900 });
      expect(await overflow(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

    test("today's session is started once, then ticked; the Zoom report of a session imports with the unmatched listed", async () => {
      const { page, errors } = await open(FACILITATOR);
      await page.getByTestId('start').waitFor();
      expect(await page.getByTestId('start').innerText()).toBe(format(m['att.start'], { date: '2026-05-01' }));
      await page.getByTestId('topic').fill('Debate <b>club</b>');
      await page.getByTestId('start').click();
      await page
        .getByTestId('status')
        .filter({ hasText: format(m['att.started'], { session: 'Almaty-1-2026-05-01' }) })
        .waitFor();
      expect(await page.getByTestId('start').count()).toBe(0);
      expect(await page.locator('#session option:checked').innerText()).toBe(
        format(m['att.todayOption'], {
          label: format(m['att.sessionOption'], { date: '2026-05-01', label: 'Debate <b>club</b>' }),
        }),
      );
      expect(records(workbook, 'Sessions').at(-1)).toMatchObject({ Topic: 'Debate <b>club</b>', Date: '2026-05-01' });
      await page.getByTestId('all-present').click();
      await page.getByTestId('save').click();
      await page
        .getByTestId('status')
        .filter({ hasText: format(m['att.saved'], { present: 4, absent: 0, excused: 0, updated: 4 }) })
        .waitFor();

      await page.getByTestId('session').selectOption(ZOOM_SESSION);
      await page.locator('[data-testid=import] summary').click();
      await page.getByTestId('report').setInputFiles({
        name: 'zoom-week3.csv',
        mimeType: 'text/csv',
        buffer: fs.readFileSync(ZOOM),
      });
      await page.getByTestId('import-button').click();
      await page.getByTestId('imported').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('imported').innerText()).toBe(
        format(m['att.imported'], { format: 'Zoom', present: 2, absent: 2, updated: 4, minutes: 90, from: 45 }),
      );
      expect(await page.getByTestId('unmatched').innerText()).toBe(
        format(m['att.unmatchedLine'], {
          lines: 9,
          reason: 'iPhone / Visitor: no participant with this e-mail or name',
          minutes: 10,
        }),
      );
      expect(await page.locator('[data-email="aigerim@school.kz"] input').isChecked()).toBe(true);
      expect(await page.locator('b').count()).toBe(0);
      expect(await overflow(page)).toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, `attendance-import-${lang}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

    test('refusals in the user language: a user who facilitates no group; a facilitator removed from the group meanwhile', async () => {
      const stranger = await open('someone@else.kz');
      await stranger.page.getByTestId('status').waitFor();
      expect(await stranger.page.getByTestId('status').innerText()).toBe(m['att.error.notFacilitator']);
      await stranger.page.screenshot({ path: path.join(SCREENSHOTS, `attendance-refused-${lang}.png`) });
      await stranger.page.close();

      const { page, errors } = await open(FACILITATOR);
      await page.getByTestId('person').first().waitFor();
      const groups = workbook.tabs.get('Groups')!;
      groups.rows[0][groups.header.indexOf('Facilitators')] = 'someone.new@kazate.kz';
      const before = JSON.stringify(workbook.tabs.get('Attendance')!.rows);
      await page.getByTestId('all-present').click();
      await page.getByTestId('save').click();
      await page.getByTestId('status').filter({ hasText: m['att.error.notFacilitator'] }).waitFor();
      expect(await page.getByTestId('status').getAttribute('class')).toContain('error');
      expect(JSON.stringify(workbook.tabs.get('Attendance')!.rows)).toBe(before);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  });
});
