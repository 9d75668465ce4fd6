/**
 * A write Google may or may not have applied (the connection dropped after the server applied the
 * batchUpdate, or a 5xx) is never sent again blindly: the sync re-reads, re-plans and writes only
 * the difference. Against the local Sheets server, with the real googleapis client.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SheetsApiError, SheetsWriteOutcomeUnknownError } from '../../src/adapters/sheets-workbook';
import { readExportFile } from '../../src/sources/export-file';
import { runSync } from '../../src/sync/run-sync';
import { localSheets } from '../support/local-sheets';
import { eachTestInTempDir } from '../support/temp-dir';

const AS_OF = Date.UTC(2026, 2, 1);
const HEADER =
  'Email,Course,Course Slug,Enrollment Time,Last Course Activity Time,Overall Progress,Completed,Removed From Program';
let dir: string;
eachTestInTempDir('mooc-ambiguous-', (d) => (dir = d));
const sheets = localSheets();
beforeEach(() => {
  sheets.server.clearFaults();
  sheets.server.resetStats();
});

const open = sheets.open;

/** An export of `learners` (e-mail → progress %) in one course. */
async function exportOf(name: string, learners: Record<string, number>) {
  const file = path.join(dir, name);
  const lines = Object.entries(learners).map(
    ([email, p]) => `${email},Law,intro-law,2026-02-01T00:00:00Z,2026-02-10T00:00:00Z,${p},No,No`,
  );
  fs.writeFileSync(file, [HEADER, ...lines].join('\n'));
  return readExportFile(file);
}

const sync = (id: string, batch: Awaited<ReturnType<typeof exportOf>>) =>
  runSync(open(id), batch, { asOf: AS_OF, now: () => AS_OF });
const emails = (id: string) =>
  sheets.server
    .values(id, 'Progress')
    .slice(1)
    .map((r) => r[0]);
const logRows = (id: string) => sheets.server.values(id, 'Sync log').length - 1;
const writes = () => sheets.server.log.filter((l) => l.method === 'spreadsheets.batchUpdate').length;

test('the server applies the write and drops the connection: nothing is sent again, no row twice — over two syncs', async () => {
  const id = sheets.server.createSpreadsheet();
  sheets.server.inject({ status: 0, method: 'spreadsheets.batchUpdate', afterApply: true, dropConnection: true });
  const first = await sync(id, await exportOf('a.csv', { 'a@uni.kz': 10, 'b@uni.kz': 20 }));
  expect(first.stats).toMatchObject({ inserted: 2 });
  expect(writes()).toBe(1);
  expect(sheets.server.log.map((l) => l.method)).toEqual([
    'spreadsheets.get', // a new spreadsheet: no tab to read yet
    'spreadsheets.batchUpdate', // applied, then the socket was destroyed
    'spreadsheets.get',
    'values.batchGet', // the re-read finds the write there: nothing more to send
  ]);
  expect(emails(id)).toEqual(['a@uni.kz', 'b@uni.kz']);
  expect(logRows(id)).toBe(1);

  // The next sync appends a learner and updates one; the same failure again.
  sheets.server.resetStats();
  sheets.server.inject({ status: 0, method: 'spreadsheets.batchUpdate', afterApply: true, dropConnection: true });
  const second = await sync(id, await exportOf('b.csv', { 'a@uni.kz': 50, 'b@uni.kz': 20, 'c@uni.kz': 5 }));
  expect(second.stats).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
  expect(writes()).toBe(1);
  expect(emails(id)).toEqual(['a@uni.kz', 'b@uni.kz', 'c@uni.kz']);
  expect(logRows(id)).toBe(2);
  const progress = sheets.server.values(id, 'Progress');
  expect(progress[1][progress[0].indexOf('Engagement %')]).toBe(50);
});

test('a 5xx after the server applied the write: the re-read sees it, nothing is appended again', async () => {
  const id = sheets.server.createSpreadsheet();
  sheets.server.inject({ status: 503, method: 'spreadsheets.batchUpdate', afterApply: true });
  await sync(id, await exportOf('a.csv', { 'a@uni.kz': 10, 'b@uni.kz': 20 }));
  expect(writes()).toBe(1);
  expect(emails(id)).toEqual(['a@uni.kz', 'b@uni.kz']);
  expect(logRows(id)).toBe(1);
});

test('a write that did not land (connection dropped first, or a 5xx before applying): the re-plan writes it once', async () => {
  for (const fault of [{ status: 0, dropConnection: true }, { status: 500 }]) {
    const id = sheets.server.createSpreadsheet();
    sheets.server.resetStats();
    sheets.server.inject({ ...fault, method: 'spreadsheets.batchUpdate' });
    const res = await sync(id, await exportOf('a.csv', { 'a@uni.kz': 10, 'b@uni.kz': 20 }));
    expect(res.stats).toMatchObject({ inserted: 2 });
    expect(writes()).toBe(2);
    expect(emails(id)).toEqual(['a@uni.kz', 'b@uni.kz']);
    expect(logRows(id)).toBe(1);
  }
});

test('two unclear answers in a row: the sync stops with a retryable error saying so; still no row twice', async () => {
  const id = sheets.server.createSpreadsheet();
  sheets.server.inject({ status: 502, method: 'spreadsheets.batchUpdate', afterApply: true });
  await sync(id, await exportOf('a.csv', { 'a@uni.kz': 10 }));
  sheets.server.resetStats();
  sheets.server.inject({ status: 0, method: 'spreadsheets.batchUpdate', dropConnection: true, times: 2 });
  const err = await sync(id, await exportOf('b.csv', { 'a@uni.kz': 10, 'b@uni.kz': 20 })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SheetsWriteOutcomeUnknownError);
  expect((err as SheetsApiError).permanent).toBe(false);
  expect((err as Error).message).toMatch(
    /did not confirm the write .*may or may not have been applied, so it was not sent again/,
  );
  expect(writes()).toBe(2);
  expect(emails(id)).toEqual(['a@uni.kz']);
  // The next run (the queue's retry) completes it.
  await sync(id, await exportOf('b.csv', { 'a@uni.kz': 10, 'b@uni.kz': 20 }));
  expect(emails(id)).toEqual(['a@uni.kz', 'b@uni.kz']);
  expect(logRows(id)).toBe(2);
});

test('a clear refusal (400) fails at once as before: one write, no re-read, permanent', async () => {
  const id = sheets.server.createSpreadsheet();
  sheets.server.inject({ status: 400, method: 'spreadsheets.batchUpdate', message: 'Invalid requests[3]' });
  const err = await sync(id, await exportOf('a.csv', { 'a@uni.kz': 10 })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SheetsApiError);
  expect(err).not.toBeInstanceOf(SheetsWriteOutcomeUnknownError);
  expect((err as SheetsApiError).permanent).toBe(true);
  // A new spreadsheet has no tab to read: one get, the refused write, and nothing after it.
  expect(sheets.server.log.map((l) => l.method)).toEqual(['spreadsheets.get', 'spreadsheets.batchUpdate']);
});

test('at the HTTP layer: a write of cell updates only is retried after a 503; an append is retried only after a 429', async () => {
  const id = sheets.server.createSpreadsheet({
    tabs: {
      Notes: [
        ['Email', 'Note'],
        ['a@uni.kz', 'x'],
      ],
    },
  });
  const wb = open(id);
  await wb.read(['Notes']);
  sheets.server.inject({ status: 503, method: 'spreadsheets.batchUpdate' });
  await wb.apply({ tabs: [{ tab: 'Notes', updates: [{ row: 0, col: 1, value: 'y' }] }] });
  expect(writes()).toBe(2);
  expect(sheets.server.values(id, 'Notes')).toEqual([
    ['Email', 'Note'],
    ['a@uni.kz', 'y'],
  ]);

  sheets.server.resetStats();
  sheets.server.inject({ status: 429, retryAfter: 1, method: 'spreadsheets.batchUpdate' });
  await wb.apply({ tabs: [{ tab: 'Notes', appends: [['b@uni.kz', 'z']] }] });
  expect(writes()).toBe(2);
  expect(sheets.server.values(id, 'Notes')).toHaveLength(3);

  sheets.server.resetStats();
  sheets.server.inject({ status: 503, method: 'spreadsheets.batchUpdate', afterApply: true });
  const err = await wb.apply({ tabs: [{ tab: 'Notes', appends: [['c@uni.kz', 'w']] }] }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SheetsWriteOutcomeUnknownError);
  expect(writes()).toBe(1);
  expect(sheets.server.values(id, 'Notes').map((r) => r[0])).toEqual(['Email', 'a@uni.kz', 'b@uni.kz', 'c@uni.kz']);
});
