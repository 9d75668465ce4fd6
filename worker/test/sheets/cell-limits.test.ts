/** The local Sheets server enforces Google's limits, so tests can see a write the real API would refuse. */
import { presetTokenAuth } from '../../src/adapters/google-auth';
import { SheetsWorkbook } from '../../src/adapters/sheets-workbook';
import { FakeSheetsServer } from '../support/fake-sheets-server';

let server: FakeSheetsServer;
beforeAll(async () => {
  server = await FakeSheetsServer.start();
});
afterAll(() => server.close());

const wb = (spreadsheetId: string) =>
  new SheetsWorkbook({
    spreadsheetId,
    auth: presetTokenAuth('t'),
    serviceAccountEmail: 'sa@x.iam.gserviceaccount.com',
    rootUrl: server.rootUrl,
    backoff: { sleep: async () => {}, random: () => 0.5 },
  });

test("a cell over 50,000 characters: 400 INVALID_ARGUMENT with Google's message, nothing written", async () => {
  const id = server.createSpreadsheet({ tabs: { T: [['a']] } });
  const res = await fetch(`${server.rootUrl}v4/spreadsheets/${id}/values/T!A2?valueInputOption=RAW`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ values: [['x'.repeat(50_001)]] }),
  });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { status: string; message: string } };
  expect(body.error.status).toBe('INVALID_ARGUMENT');
  expect(body.error.message).toMatch(/Your input contains more than the maximum of 50000 characters in a single cell/);
  const book = wb(id);
  await expect(book.apply({ tabs: [{ tab: 'T', appends: [['ok', 'y'.repeat(50_001)]] }] })).rejects.toThrow(
    /50000 characters in a single cell/,
  );
  expect((await book.read(['T'])).T!.rows).toEqual([]);
  await book.apply({ tabs: [{ tab: 'T', appends: [['z'.repeat(50_000)]] }] });
  expect((await book.read(['T'])).T!.rows).toHaveLength(1);
});

test('a request over 10 MiB is refused', async () => {
  const id = server.createSpreadsheet({ tabs: { T: [['a']] } });
  const res = await fetch(`${server.rootUrl}v4/spreadsheets/${id}/values/T!A2?valueInputOption=RAW`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ values: Array.from({ length: 300 }, () => ['w'.repeat(40_000)]) }),
  });
  expect([400, 413]).toContain(res.status);
});
