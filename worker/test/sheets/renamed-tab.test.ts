/** Finding 1 on the Google Sheets backend: a renamed Progress tab is found by its header and the sync refuses. */
import { headersOf, PROGRESS_TAB, SETTINGS_TAB } from '../../../shared/src/layout';
import { LayoutError } from '../../../shared/src/layout-guard';
import { exportBatch, line } from '../../../shared/test/helpers';
import { presetTokenAuth } from '../../src/adapters/google-auth';
import { SheetsWorkbook } from '../../src/adapters/sheets-workbook';
import { runSync } from '../../src/sync/run-sync';
import { FakeSheetsServer } from '../support/fake-sheets-server';

let server: FakeSheetsServer;
beforeAll(async () => {
  server = await FakeSheetsServer.start();
});
afterAll(() => server.close());

test('a set-up spreadsheet whose Progress was renamed: refused naming the tab, nothing written', async () => {
  const progress = headersOf(PROGRESS_TAB);
  const row = progress.map((h) =>
    h === 'Email' ? 'a@uni.kz' : h === 'Course slug' ? 'law' : h === 'Approved by' ? 'm@uni.kz' : null,
  );
  const id = server.createSpreadsheet({
    tabs: { [SETTINGS_TAB.name]: [headersOf(SETTINGS_TAB)], 'Progress (old)': [progress, row] },
    raw: true,
  });
  const wb = new SheetsWorkbook({
    spreadsheetId: id,
    auth: presetTokenAuth('t'),
    serviceAccountEmail: 'sa@x.iam.gserviceaccount.com',
    rootUrl: server.rootUrl,
    backoff: { sleep: async () => {}, random: () => 0.5 },
  });
  const sync = runSync(wb, exportBatch([line('a@uni.kz', 'law')]), { asOf: '2026-03-01' });
  await expect(sync).rejects.toThrow(LayoutError);
  await expect(runSync(wb, exportBatch([line('a@uni.kz', 'law')]), { asOf: '2026-03-01' })).rejects.toThrow(
    /a tab named "Progress \(old\)" has the Progress columns: rename it back to "Progress"/,
  );
  expect(server.log.filter((l) => l.method === 'spreadsheets.batchUpdate')).toEqual([]);
});
