/**
 * The look as a user sees it: a workbook written by the .xlsx backend, opened and printed by a real
 * LibreOffice, its pages read back as pixels. A status colour must show on every Progress row —
 * past row 1,002 too, where the template's rules used to stop; a summary's three-line header must
 * print whole and its Total stand apart, grey and never red.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Row } from '../../shared/src/cells';
import { PROGRESS_TAB, SUMMARY_BY_SCHOOL_TAB, headersOf } from '../../shared/src/layout';
import { lookOf } from '../../shared/src/look';
import { XlsxWorkbook } from '../src/adapters/xlsx-workbook';
import { countColour, missingRenderTools, pdfPageBitmap, pdfPagesText, xlsxToPdf } from '../src/render/libreoffice';

/** The fill of a red status (Overdue, Needs review): the same palette in every backend. */
const RED_FILL = 'FFC7CE';
/** The Total row's fill (shared/src/look.ts TOTAL_ROW_STYLE). */
const TOTAL_FILL = 'F2F2F2';
const ROWS = 1100;
/** Data rows (1-based) that are Overdue; every other row is In progress, which has no colour. */
const overdue = (i: number) => (i >= 10 && i <= 20) || (i >= 1040 && i <= 1060);
/** Short enough to print whole in a column of any width. */
const email = (i: number) => `r${String(i).padStart(4, '0')}@x`;

const missing = missingRenderTools();
if (missing.length)
  test.skip(`rendering needs ${missing.join(', ')} (Debian: libreoffice-calc-nogui poppler-utils; CI installs them)`, () => {});
else
  describe('the Progress tab printed by LibreOffice', () => {
    let dir = '';
    let pdf = '';
    let pages: string[] = [];
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-desk-render-'));
      const file = path.join(dir, 'progress.xlsx');
      // As in real use: the template makes the tab and its formats, a later sync adds the rows.
      await (
        await XlsxWorkbook.open(file, { create: true })
      ).apply({
        tabs: [
          {
            tab: PROGRESS_TAB.name,
            create: { header: ['Email', 'Status'] },
            formats: PROGRESS_TAB.formats,
            look: { widths: { Email: 30, Status: 19 }, frozenColumns: 1, headerStyle: true },
          },
        ],
      });
      const rows: Row[] = Array.from({ length: ROWS }, (_, k) => [
        email(k + 1),
        overdue(k + 1) ? 'Overdue' : 'In progress',
      ]);
      await (await XlsxWorkbook.open(file)).apply({ tabs: [{ tab: PROGRESS_TAB.name, appends: rows }] });
      pdf = xlsxToPdf(file, dir);
      pages = pdfPagesText(pdf);
    }, 300_000);
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** The 1-based page that prints data row `i`. */
    const pageOf = (i: number) => {
      const at = pages.findIndex((text) => text.includes(email(i)));
      if (at < 0) throw new Error(`no page prints ${email(i)}`);
      return at + 1;
    };

    test('an Overdue row past row 1,002 is red', () => {
      const page = pageOf(1050);
      expect(pages[page - 1]).toContain('Overdue');
      expect(countColour(pdfPageBitmap(pdf, page), RED_FILL)).toBeGreaterThan(100);
    });

    test('a page of In progress rows has no red', () => {
      const page = pageOf(500);
      expect(pages[page - 1]).not.toContain('Overdue');
      expect(countColour(pdfPageBitmap(pdf, page), RED_FILL)).toBe(0);
    });
  });

if (!missing.length)
  describe('a summary printed by LibreOffice', () => {
    let dir = '';
    let pdf = '';
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-desk-render-summary-'));
      const file = path.join(dir, 'summary.xlsx');
      const figures = (school: string, low: number): Row => [school, 10, 8, 4, 0, 3, 0, low, 0, 0, 50, 0.4];
      // No school has a low-engagement learner, the Total (made up, to see it) has: only the Total could turn red.
      const rows = [figures('School of Law', 0), figures('School of Arts', 0), figures('Total', 7)];
      await (
        await XlsxWorkbook.open(file, { create: true })
      ).apply({
        tabs: [
          {
            tab: SUMMARY_BY_SCHOOL_TAB.name,
            replace: { header: headersOf(SUMMARY_BY_SCHOOL_TAB), rows },
            formats: SUMMARY_BY_SCHOOL_TAB.formats,
            numberFormats: SUMMARY_BY_SCHOOL_TAB.numberFormats,
            look: lookOf(SUMMARY_BY_SCHOOL_TAB),
          },
        ],
      });
      pdf = xlsxToPdf(file, dir);
    }, 300_000);
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('every line of a wrapped header prints: "Average engagement %" is three lines in its column', () => {
      const text = pdfPagesText(pdf)[0];
      expect(text).toMatch(/Average/);
      expect(text).toMatch(/Low/);
    });

    test('the Total is grey and outside the red problem counts', () => {
      const page = pdfPageBitmap(pdf, 1);
      expect(countColour(page, TOTAL_FILL, 2)).toBeGreaterThan(100);
      expect(countColour(page, RED_FILL)).toBe(0);
    });
  });
