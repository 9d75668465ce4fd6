/**
 * The approval sidebar at mentor scale, in real Chromium through the local harness, in kk, ru and
 * en: a mentor with 120+ rows over three courses and four groups gets 50 cards a page, filters by
 * status, course and group, searches, sees why a row needs review, sees the letter as points are
 * typed, keeps typed points after an error, cannot approve with empty points, and a bulk approve
 * asks first, naming the count (cancel writes nothing). Screenshots at 300 px go to test-results/.
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { MemoryWorkbook } from '../../shared/src/memory-workbook';
import { CATALOGS, format, LANGS } from '../src/i18n';
import { openSidebar } from '../dev/chromium';
import { LAW_MENTOR, mentorAtScalePlan } from '../dev/seed';
import { startDevServer, type DevServer } from '../dev/server';
import { chromiumDescribe, SCREENSHOTS, useChromium } from './chromium-suite';

const suite = chromiumDescribe();
const NOW = Date.parse('2026-05-01T06:00:00Z');
const SEEDED = 120;
/** When the seed's approvals are dated in the Audit; the harness clock is later. */
const SEEDED_AT = '2026-04-25 10:00';

/** What the Progress tab says, per row of the law mentor's courses (all law-* courses). */
function progressRecords(wb: MemoryWorkbook): Record<string, string | number | boolean | null>[] {
  const t = wb.tabs.get('Progress')!;
  return t.rows
    .map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i] ?? null])))
    .filter((r) => String(r['Course slug']).startsWith('law-'));
}
const kindOf = (r: Record<string, string | number | boolean | null>): string =>
  r['Approved by']
    ? 'approved'
    : ((
        {
          'Ready for approval': 'ready',
          'Needs review': 'review',
          'In progress': 'progress',
          'Not started': 'notstarted',
          Overdue: 'overdue',
          Removed: 'removed',
        } as Record<string, string>
      )[String(r.Status)] ?? 'other');

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
  expect(await locator.first().innerText()).toContain(text);
}

suite('approval sidebar at mentor scale (Chromium)', () => {
  const chrome = useChromium();

  describe.each(LANGS)('%s', (lang) => {
    const m = CATALOGS[lang];
    let workbook: MemoryWorkbook;
    let server: DevServer;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      workbook = new MemoryWorkbook();
      workbook.apply(mentorAtScalePlan(SEEDED));
      server = await startDevServer({ workbook, distDir: chrome.dist, now: () => NOW });
      ({ page, errors } = await openSidebar(chrome.browser, server.url, 'approval', lang, LAW_MENTOR));
      await page.getByTestId('row').first().waitFor();
    }, 60_000);
    afterAll(async () => {
      await page?.close();
      await server?.close();
    });

    const cards = () => page.getByTestId('row');
    const pageText = () => page.locator('#pager-top [data-testid=page]');
    const card = (email: string) => page.locator(`[data-testid=row][data-email="${email}"]`);
    /** Audit rows written by the sidebar (the seed's own approvals are recorded first). */
    const audit = () => workbook.tabs.get('Audit')!.rows.filter((r) => r[0] !== SEEDED_AT);
    const setFilters = async (f: { course?: string; group?: string; status?: string; search?: string }) => {
      await page.getByTestId('filter-course').selectOption(f.course ?? '');
      await page.getByTestId('filter-group').selectOption(f.group ?? '');
      await page.getByTestId('filter-status').selectOption(f.status ?? '');
      await page.getByTestId('search').fill(f.search ?? '');
    };

    test('50 cards a page, "1–50 of N", prev and next', async () => {
      const total = progressRecords(workbook).length;
      expect(total).toBe(SEEDED + 5);
      await expectText(pageText(), format(m['appr.page'], { from: 1, to: 50, total }));
      expect(await cards().count()).toBe(50);
      expect(await page.locator('#pager-top [data-testid=prev]').isDisabled()).toBe(true);
      await page.locator('#pager-top [data-testid=next]').click();
      await expectText(pageText(), format(m['appr.page'], { from: 51, to: 100, total }));
      await page.locator('#pager-bottom [data-testid=next]').click();
      await expectText(pageText(), format(m['appr.page'], { from: 101, to: total, total }));
      expect(await cards().count()).toBe(total - 100);
      expect(await page.locator('#pager-top [data-testid=next]').isDisabled()).toBe(true);
      await page.locator('#pager-top [data-testid=prev]').click();
      await expectText(pageText(), format(m['appr.page'], { from: 51, to: 100, total }));
      // The bulk button names no count before anything is selected.
      await expectText(page.getByTestId('approve-selected'), format(m['appr.approveSelected'], { n: 0 }));
    }, 60_000);

    test('filter by status: one badge per real status; Needs review rows say why in the user language', async () => {
      const records = progressRecords(workbook);
      const kinds = ['ready', 'review', 'progress', 'notstarted', 'overdue', 'removed', 'approved'] as const;
      const label = {
        ready: 'status.ready',
        review: 'status.review',
        progress: 'status.inProgress',
        notstarted: 'status.notStarted',
        overdue: 'status.overdue',
        removed: 'status.removed',
        approved: 'status.approved',
      } as const;
      for (const kind of kinds) {
        const n = records.filter((r) => kindOf(r) === kind).length;
        expect(n).toBeGreaterThan(0);
        await setFilters({ status: kind });
        await expectText(pageText(), format(m['appr.page'], { from: 1, to: Math.min(50, n), total: n }));
        const badges = await page
          .getByTestId('badge')
          .evaluateAll((els) => els.map((e) => [e.className, e.textContent]));
        expect(new Set(badges.map((b) => JSON.stringify(b)))).toEqual(
          new Set([JSON.stringify([`badge ${kind}`, m[label[kind]]])]),
        );
      }
      await setFilters({ status: 'review' });
      const whys = await page.getByTestId('why').allInnerTexts();
      expect(whys).toHaveLength(await cards().count());
      expect(whys.some((w) => w.includes(m['flag.LOW_ENGAGEMENT']))).toBe(true);
      expect(whys.some((w) => w.includes(m['flag.LATE']))).toBe(true);
      // A mentor cannot approve a row that needs review, but can comment on it.
      expect(await page.getByTestId('approve').count()).toBe(0);
      const target = cards().first();
      const email = (await target.getAttribute('data-email'))!;
      await target.locator('summary').click();
      await target.getByTestId('comment').fill('Asked for the proctored test <b>=1+1</b>');
      await target.getByTestId('save-comment').click();
      await expectText(page.getByTestId('status'), m['msg.commentSaved']);
      await expectText(card(email).getByTestId('comment-text'), 'Asked for the proctored test <b>=1+1</b>');
      expect(progressRecords(workbook).find((r) => r.Email === email)!['Mentor comment']).toBe(
        'Asked for the proctored test <b>=1+1</b>',
      );
      expect(await page.locator('b').count()).toBe(0);
      // The filter survived the re-render after the save.
      expect(await page.getByTestId('filter-status').inputValue()).toBe('review');
      await page.screenshot({ path: path.join(SCREENSHOTS, `addon-approval-review-${lang}.png`), fullPage: true });
    }, 60_000);

    test('filter by course and group, and search by name or e-mail', async () => {
      const records = progressRecords(workbook);
      const inCourse = records.filter((r) => r['Course slug'] === 'law-201').length;
      await setFilters({ course: 'law-201' });
      await expectText(pageText(), format(m['appr.page'], { from: 1, to: Math.min(50, inCourse), total: inCourse }));
      expect(new Set(await cards().evaluateAll((els) => els.map((e) => e.getAttribute('data-slug'))))).toEqual(
        new Set(['law-201']),
      );

      const both = records.filter((r) => r['Course slug'] === 'law-201' && r.Group === 'LAW-21-2').length;
      await setFilters({ course: 'law-201', group: 'LAW-21-2' });
      await expectText(pageText(), format(m['appr.page'], { from: 1, to: both, total: both }));
      expect(await cards().count()).toBe(both);

      await setFilters({ search: 'S0042@STUDENT' });
      await expectText(pageText(), format(m['appr.page'], { from: 1, to: 1, total: 1 }));
      expect(await cards().getAttribute('data-email')).toBe('s0042@student.example.kz');
      const name = String(records.find((r) => r.Email === 's0042@student.example.kz')!['Full name']);
      await setFilters({ search: name.split(' ')[1].toLowerCase() });
      const names = await page.getByTestId('name').allInnerTexts();
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((n) => n.toLowerCase().includes(name.split(' ')[1].toLowerCase()))).toBe(true);
      await setFilters({ search: 'no such student' });
      await page.getByTestId('no-match').waitFor();
      expect(await cards().count()).toBe(0);
    }, 60_000);

    test('the letter follows the points as typed; 101 is refused and stays 101; empty points are refused; nothing written', async () => {
      await setFilters({ search: 's0000@' });
      const row = card('s0000@student.example.kz');
      const points = row.getByTestId('points');
      await points.fill('94');
      await expectText(row.getByTestId('letter'), 'A-');
      await points.fill('95');
      await expectText(row.getByTestId('letter'), 'A');
      expect(await row.getByTestId('letter').innerText()).toBe('A');
      await points.fill('101');
      expect(await row.getByTestId('letter').innerText()).toBe('—');
      await row.getByTestId('approve').click();
      await expectText(page.getByTestId('status'), m['msg.points']);
      // The list re-rendered from the server's answer, and the field still says what was typed.
      expect(await card('s0000@student.example.kz').getByTestId('points').inputValue()).toBe('101');

      await card('s0000@student.example.kz').getByTestId('points').fill('');
      await card('s0000@student.example.kz').getByTestId('approve').click();
      await expectText(page.getByTestId('status'), m['msg.pointsRequired']);
      expect(await card('s0000@student.example.kz').getByTestId('points').inputValue()).toBe('');
      expect(audit()).toEqual([]);
      expect(progressRecords(workbook).find((r) => r.Email === 's0000@student.example.kz')!['Approved by']).toBeNull();
    }, 60_000);

    test('a bulk approve asks first, naming the count; cancel approves nothing, confirm approves exactly those', async () => {
      const records = progressRecords(workbook);
      const ready = records.filter((r) => r['Course slug'] === 'law-301' && kindOf(r) === 'ready');
      await setFilters({ course: 'law-301', status: 'ready' });
      await page.getByTestId('select-all').click();
      await expectText(page.getByTestId('approve-selected'), format(m['appr.approveSelected'], { n: ready.length }));
      await page.getByTestId('approve-selected').click();
      await expectText(page.getByTestId('confirm-text'), format(m['appr.confirmBulk'], { n: ready.length }));
      await page.screenshot({ path: path.join(SCREENSHOTS, `addon-approval-confirm-${lang}.png`) });
      await page.getByTestId('confirm-no').click();
      expect(await page.getByTestId('confirm').isHidden()).toBe(true);
      expect(audit()).toEqual([]);

      await page.getByTestId('approve-selected').click();
      await page.getByTestId('confirm-yes').click();
      await page.getByTestId('status').filter({ hasText: m['msg.approved'] }).first().waitFor();
      expect(
        audit()
          .map((r) => r[3])
          .sort(),
      ).toEqual(ready.map((r) => r.Email).sort());
      await page.getByTestId('no-match').waitFor();
      await setFilters({});
      await expectText(page.getByTestId('approve-selected'), format(m['appr.approveSelected'], { n: 0 }));
      expect(errors).toEqual([]);
    }, 60_000);
  });
});
