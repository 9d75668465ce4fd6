/**
 * Our conditional-format rules are recognised whether Google returns their range open-ended (as
 * sent) or bounded with an end row: re-syncs never stack a second rule set. Local Sheets server in
 * the mode that stores ranges bounded to the grid.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readExportFile } from '../../src/sources/export-file';
import { runSync } from '../../src/sync/run-sync';
import { localSheets } from '../support/local-sheets';
import { eachTestInTempDir } from '../support/temp-dir';

const AS_OF = Date.UTC(2026, 2, 1);
const HEADER =
  'Email,Course,Course Slug,Enrollment Time,Last Course Activity Time,Overall Progress,Completed,Removed From Program';
let dir: string;
eachTestInTempDir('mooc-cf-', (d) => (dir = d));
const sheets = localSheets((s) => (s.boundedConditionalFormatRanges = true));

const open = sheets.open;

async function syncProgress(id: string, progress: number[]) {
  const file = path.join(dir, `e${progress.join('-')}.csv`);
  const lines = progress.map(
    (p, i) =>
      `l${i}@uni.kz,Law,intro-law,2026-02-01T00:00:00Z,2026-02-10T00:00:00Z,${p},${p === 100 ? 'Yes' : 'No'},No`,
  );
  fs.writeFileSync(file, [HEADER, ...lines].join('\n'));
  await runSync(open(id), await readExportFile(file), { asOf: AS_OF, now: () => AS_OF });
}

type Range = { startRowIndex?: number; endRowIndex?: number; startColumnIndex?: number; endColumnIndex?: number };
const rulesOf = (id: string, tab: string) =>
  sheets.server.sheet(id, tab).conditionalFormats as {
    ranges: Range[];
    booleanRule?: unknown;
    gradientRule?: unknown;
  }[];
/** Each rule as what it does and where (column), to spot a set added twice. */
const ruleKeys = (id: string, tab: string) =>
  rulesOf(id, tab).map((r) => `${r.ranges[0].startColumnIndex}|${JSON.stringify(r.booleanRule ?? r.gradientRule)}`);

test('bounded ranges coming back: two syncs (and a third with changed summaries) leave exactly one rule set per tab', async () => {
  const id = sheets.server.createSpreadsheet();
  await syncProgress(id, [10, 50]);
  const tabs = sheets.server
    .spreadsheet(id)
    .sheets.filter((s) => s.conditionalFormats.length)
    .map((s) => s.title);
  expect(tabs).toEqual(expect.arrayContaining(['Progress', 'Summary by school', 'Summary by course']));
  // The server really bounded them: each has an end row now.
  expect(rulesOf(id, 'Summary by course').every((r) => typeof r.ranges[0].endRowIndex === 'number')).toBe(true);
  const first = new Map(tabs.map((t) => [t, ruleKeys(id, t)]));
  for (const keys of first.values()) expect(new Set(keys).size).toBe(keys.length);

  await syncProgress(id, [10, 50]);
  await syncProgress(id, [100, 70]); // summaries change: their tabs are rewritten with their formats
  for (const t of tabs) expect(ruleKeys(id, t)).toEqual(first.get(t));
});

test('a summary rebuilt under a grid someone lengthened: one rule set, ending right above the Total', async () => {
  const id = sheets.server.createSpreadsheet();
  await syncProgress(id, [10, 50]);
  const sheet = sheets.server.sheet(id, 'Summary by course');
  const before = ruleKeys(id, 'Summary by course');
  sheet.rowCount += 500; // someone added rows below
  await syncProgress(id, [100, 70]);
  expect(ruleKeys(id, 'Summary by course')).toEqual(before);
  // The Total is the last row written; our rules cover the rows above it and stop there.
  const total = sheets.server.values(id, 'Summary by course').findIndex((r) => r[0] === 'Total');
  expect(total).toBeGreaterThan(1);
  expect(rulesOf(id, 'Summary by course').every((r) => r.ranges[0].endRowIndex === total)).toBe(true);
});
