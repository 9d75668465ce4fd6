import { google } from 'googleapis';
import { workbookContract } from '../../../shared/test/workbook-contract';
import { presetTokenAuth } from '../../src/adapters/google-auth';
import { SheetsApiError, SheetsWorkbook } from '../../src/adapters/sheets-workbook';
import { FakeSheetsServer } from '../support/fake-sheets-server';
import type { ValidationRule } from '../../../shared/src/layout';
import { quoteSheetName } from '../../src/adapters/sheets-workbook';
import type { StoredProtection } from '../../../shared/src/memory-workbook';
import { widthChars, type StoredLook } from '../../../shared/src/look';

const TOKEN = 'test-access-token';
const SA = 'mooc-desk-sync@univ-project.iam.gserviceaccount.com';
let server: FakeSheetsServer;
const sleeps: number[] = [];

beforeAll(async () => {
  server = await FakeSheetsServer.start({ requiredToken: TOKEN });
});
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  sleeps.length = 0;
});

function open(spreadsheetId: string, extra: Partial<ConstructorParameters<typeof SheetsWorkbook>[0]> = {}) {
  return new SheetsWorkbook({
    spreadsheetId,
    auth: presetTokenAuth(TOKEN),
    serviceAccountEmail: SA,
    rootUrl: server.rootUrl,
    backoff: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    ...extra,
  });
}

/** A Sheets API client of the fake server, and the header row of `tab` as values.get returns it. */
async function apiWithHeader(spreadsheetId: string, tab: string) {
  const api = google.sheets({
    version: 'v4',
    auth: presetTokenAuth(TOKEN),
    rootUrl: server.rootUrl,
    fetchImplementation: fetch,
  });
  const header =
    (await api.spreadsheets.values.get({ spreadsheetId, range: `${quoteSheetName(tab)}!1:1` })).data.values?.[0] ?? [];
  return { api, header };
}

/**
 * Data validation as a client of the API sees it: the header row from values.get, the rules of
 * row 2 from spreadsheets.get grid data (`sheets.data.rowData.values.dataValidation`).
 */
async function validationsViaApi(spreadsheetId: string, tab: string): Promise<ValidationRule[]> {
  const { api, header } = await apiWithHeader(spreadsheetId, tab);
  const got = await api.spreadsheets.get({
    spreadsheetId,
    ranges: [`${quoteSheetName(tab)}!2:2`],
    fields: 'sheets(properties(title),data(startColumn,rowData(values(dataValidation))))',
  });
  const data = got.data.sheets?.[0]?.data?.[0];
  return (data?.rowData?.[0]?.values ?? []).flatMap((cell, i): ValidationRule[] => {
    const condition = cell.dataValidation?.condition;
    const column = String(header[(data?.startColumn ?? 0) + i] ?? '');
    const values = (condition?.values ?? []).map((v) => v.userEnteredValue ?? '');
    if (condition?.type === 'ONE_OF_LIST') return [{ column, kind: 'list', values }];
    if (condition?.type === 'NUMBER_BETWEEN')
      return [{ column, kind: 'number', min: Number(values[0]), max: Number(values[1]) }];
    return [];
  });
}

/** Our protected ranges as a client of the API sees them (`spreadsheets.get`, `fields=sheets.protectedRanges`). */
async function protectionsViaApi(spreadsheetId: string, tab: string): Promise<StoredProtection[]> {
  const { api, header } = await apiWithHeader(spreadsheetId, tab);
  const got = await api.spreadsheets.get({ spreadsheetId, fields: 'sheets(properties(title),protectedRanges)' });
  const sheet = got.data.sheets?.find((s) => s.properties?.title === tab);
  return (sheet?.protectedRanges ?? [])
    .filter((p) => p.description?.startsWith('MOOC Desk:'))
    .map((p) => ({
      description: p.description!,
      ...(p.range?.startColumnIndex !== undefined && p.range?.startColumnIndex !== null
        ? { column: String(header[p.range.startColumnIndex]) }
        : {}),
      editors: (p.editors?.users ?? []).map((u) => u.toLowerCase()).sort(),
      warningOnly: !!p.warningOnly,
    }));
}

/**
 * A tab's look as a client of the API sees it: widths (columnMetadata), frozen counts
 * (gridProperties), the header's and column A's userEnteredFormat (bold, wrap, the Total's rule
 * above), and the rows each of our conditional formats covers.
 */
async function lookViaApi(spreadsheetId: string, tab: string): Promise<StoredLook> {
  const { api, header } = await apiWithHeader(spreadsheetId, tab);
  const q = quoteSheetName(tab);
  const meta = await api.spreadsheets.get({
    spreadsheetId,
    ranges: [q],
    fields: 'sheets(properties(gridProperties),conditionalFormats,data(columnMetadata(pixelSize)))',
  });
  const sheet = meta.data.sheets![0];
  const cells = await api.spreadsheets.get({
    spreadsheetId,
    ranges: [`${q}!1:1`, `${q}!A2:A`],
    fields: 'sheets(data(rowData(values(userEnteredFormat))))',
  });
  const [top, columnA] = cells.data.sheets![0].data!;
  const headerCells = (top.rowData?.[0]?.values ?? []).slice(0, header.length);
  const widths = (sheet.data?.[0]?.columnMetadata ?? []).slice(0, header.length);
  return {
    widths: Object.fromEntries(widths.map((m, i) => [String(header[i]), widthChars(m.pixelSize ?? 0)])),
    frozenRows: sheet.properties?.gridProperties?.frozenRowCount ?? 0,
    frozenColumns: sheet.properties?.gridProperties?.frozenColumnCount ?? 0,
    headerBold: headerCells.length > 0 && headerCells.every((c) => c.userEnteredFormat?.textFormat?.bold),
    headerWrap: headerCells.length > 0 && headerCells.every((c) => c.userEnteredFormat?.wrapStrategy === 'WRAP'),
    totalRows: (columnA.rowData ?? []).flatMap((r, i) => {
      const f = r.values?.[0]?.userEnteredFormat;
      return f?.textFormat?.bold && f.borders?.top?.style ? [i + 2] : [];
    }),
    formatRows: Object.fromEntries(
      (sheet.conditionalFormats ?? []).map((rule) => {
        const r = rule.ranges![0];
        return [
          String(header[r.startColumnIndex ?? 0]),
          { from: (r.startRowIndex ?? 0) + 1, to: r.endRowIndex ?? null },
        ];
      }),
    ),
  };
}

workbookContract('Google Sheets API (googleapis → local Sheets v4 server)', () => {
  const id = server.createSpreadsheet();
  return {
    workbook: open(id),
    reopen: () => open(id),
    readValidations: (tab) => validationsViaApi(id, tab),
    readProtections: (tab) => protectionsViaApi(id, tab),
    readLook: (tab) => lookViaApi(id, tab),
    self: SA,
  };
});

describe('Sheets backend: protected ranges', () => {
  test('ours are added once, updated in place, and a range a person protected is left alone; unchanged = no requests', async () => {
    const id = server.createSpreadsheet({ tabs: { Audit: [['At', 'Who']] } });
    const sheetId = server.sheet(id, 'Audit').sheetId;
    const api = google.sheets({
      version: 'v4',
      auth: presetTokenAuth(TOKEN),
      rootUrl: server.rootUrl,
      fetchImplementation: fetch,
    });
    await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            addProtectedRange: {
              protectedRange: {
                range: { sheetId, startColumnIndex: 1, endColumnIndex: 2 },
                description: 'the dean',
                editors: { users: ['dean@uni.kz'] },
              },
            },
          },
        ],
      },
    });
    const protections = [{ description: 'MOOC Desk: Audit is append-only', editors: ['admin@uni.kz'] }];
    const wb = open(id);
    await wb.read(['Audit']);
    await wb.apply({ tabs: [{ tab: 'Audit', protections }] });
    const stored = server.sheet(id, 'Audit').protectedRanges;
    expect(stored.map((p) => [p.description, p.range, p.editors?.users])).toEqual([
      ['the dean', { sheetId, startColumnIndex: 1, endColumnIndex: 2 }, ['dean@uni.kz']],
      ['MOOC Desk: Audit is append-only', { sheetId }, ['admin@uni.kz', SA]],
    ]);
    const ours = stored[1].protectedRangeId;

    const again = open(id);
    await again.read(['Audit']);
    server.resetStats();
    await again.apply({ tabs: [{ tab: 'Audit', protections }] });
    expect(server.stats.byMethod['spreadsheets.batchUpdate'] ?? 0).toBe(0);

    await again.apply({
      tabs: [{ tab: 'Audit', protections: [{ ...protections[0], editors: ['admin@uni.kz', 'mentor@uni.kz'] }] }],
    });
    expect(
      server.sheet(id, 'Audit').protectedRanges.map((p) => [p.protectedRangeId === ours, p.editors?.users]),
    ).toEqual([
      [false, ['dean@uni.kz']],
      [true, ['admin@uni.kz', 'mentor@uni.kz', SA]],
    ]);
  });
});

describe('Sheets backend: deleting rows', () => {
  const people = {
    tabs: [
      {
        tab: 'People',
        create: { header: ['Email', 'Name'] },
        appends: [
          ['a@x.kz', 'A'],
          ['b@x.kz', 'B'],
          ['c@x.kz', 'C'],
          ['d@x.kz', 'D'],
        ],
      },
    ],
  };

  test('deleteDimension requests, bottom run first, in the same atomic batchUpdate as the other writes', async () => {
    const id = server.createSpreadsheet();
    await open(id).apply(people);
    const wb = open(id);
    await wb.read(['People']);
    server.resetStats();
    const spy = jest.spyOn(JSON, 'stringify');
    await wb.apply({
      tabs: [
        { tab: 'People', anchorColumns: [0], deleteRows: [0, 2, 1], appends: [['e@x.kz', 'E']] },
        { tab: 'Log', create: { header: ['At'] }, appends: [['now']] },
      ],
    });
    const body = spy.mock.calls
      .map((c) => c[0])
      .find((x) => x && typeof x === 'object' && 'requests' in (x as object)) as {
      requests: Record<string, unknown>[];
    };
    spy.mockRestore();
    expect(server.stats.byMethod['spreadsheets.batchUpdate']).toBe(1);
    const sheetId = server.sheet(id, 'People').sheetId;
    expect(body.requests.filter((r) => r.deleteDimension).map((r) => r.deleteDimension)).toEqual([
      { range: { sheetId, dimension: 'ROWS', startIndex: 1, endIndex: 4 } },
    ]);
    expect(server.values(id, 'People')).toEqual([
      ['Email', 'Name'],
      ['d@x.kz', 'D'],
      ['e@x.kz', 'E'],
    ]);
    // Runs that do not touch: bottom first.
    await open(id).apply({
      tabs: [
        {
          tab: 'People',
          appends: [
            ['f@x.kz', 'F'],
            ['g@x.kz', 'G'],
          ],
        },
      ],
    });
    const wb2 = open(id);
    await wb2.read(['People']);
    const spy2 = jest.spyOn(JSON, 'stringify');
    await wb2.apply({ tabs: [{ tab: 'People', anchorColumns: [0], deleteRows: [0, 3] }] });
    const body2 = spy2.mock.calls
      .map((c) => c[0])
      .find((x) => x && typeof x === 'object' && 'requests' in (x as object)) as {
      requests: Record<string, unknown>[];
    };
    spy2.mockRestore();
    expect(
      body2.requests.map((r) => (r.deleteDimension as { range: { startIndex: number } }).range.startIndex),
    ).toEqual([4, 1]);
    expect(server.values(id, 'People').map((r) => r[0])).toEqual(['Email', 'e@x.kz', 'f@x.kz']);
  });

  test('rows inserted by a person between the read and the write: nothing is deleted', async () => {
    const id = server.createSpreadsheet();
    await open(id).apply(people);
    const wb = open(id);
    await wb.read(['People']);
    server.beforeNext('values.batchGet', (_ss, s) => {
      const sheet = s.sheet(id, 'People');
      sheet.rows.splice(1, 0, ['new@x.kz', 'New']);
    });
    await expect(wb.apply({ tabs: [{ tab: 'People', anchorColumns: [0], deleteRows: [1] }] })).rejects.toThrow(
      /changed while syncing \(row 2 was "a@x.kz", now "new@x.kz"/,
    );
    expect(server.values(id, 'People').map((r) => r[0])).toEqual([
      'Email',
      'new@x.kz',
      'a@x.kz',
      'b@x.kz',
      'c@x.kz',
      'd@x.kz',
    ]);
  });
});

describe('Sheets backend specifics', () => {
  const seed = {
    tabs: [
      {
        tab: 'People',
        create: { header: ['Email', 'Name', 'Score', 'Points', 'Note'] },
        appends: [
          ['a@x.kz', 'A', 1, null, null],
          ['b@x.kz', 'B', 2, null, null],
        ],
      },
    ],
  };

  test('formula-like text is stored as text: the grid holds strings, never formulas', async () => {
    const id = server.createSpreadsheet();
    const nasty = ['=1+1', '=HYPERLINK("http://evil.example","click")', '+1', '-2+3', '@x', '00123', 'TRUE'];
    await open(id).apply({ tabs: [{ tab: 'T', create: { header: ['V'] }, appends: nasty.map((v) => [v]) }] });
    nasty.forEach((v, i) => expect(server.cell(id, 'T', i + 1, 0)).toBe(v));
    // The server does tell the two apart: the same text typed by a user (USER_ENTERED) becomes a formula.
    server.type(id, 'T', 'B2', [['=1+1']]);
    expect(server.cell(id, 'T', 1, 1)).toEqual({ formula: '=1+1' });
    const snap = await open(id).read(['T']);
    expect(snap.T!.rows[0]).toEqual(['=1+1', 2]);
  });

  test('the test server tells RAW from USER_ENTERED over HTTP, as Google does', async () => {
    const id = server.createSpreadsheet({ tabs: { 'Summary by school': [] } });
    const api = google.sheets({
      version: 'v4',
      auth: presetTokenAuth(TOKEN),
      rootUrl: server.rootUrl,
      fetchImplementation: fetch,
    });
    await api.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        valueInputOption: 'USER_ENTERED',
        data: [{ range: "'Summary by school'!A1:C1", values: [['=1+1', '+1', "'=x"]] }],
      },
    });
    await api.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Summary by school'!A2",
      valueInputOption: 'RAW',
      requestBody: { values: [['=1+1', '+1']] },
    });
    const got = await api.spreadsheets.values.get({
      spreadsheetId: id,
      range: "'Summary by school'!A1:C2",
      valueRenderOption: 'UNFORMATTED_VALUE',
    });
    expect(got.data.values).toEqual([
      [2, 1, '=x'],
      ['=1+1', '+1'],
    ]);
    const bad = await api.spreadsheets.values.get({ spreadsheetId: id, range: "'No such tab'!A1" }).catch((e) => e);
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/Unable to parse range: 'No such tab'!A1/);
  });

  test('a sync costs 3 calls (get, batchGet, batchUpdate) for 10 rows and for 1000 rows', async () => {
    const calls: number[] = [];
    for (const n of [10, 1000]) {
      const id = server.createSpreadsheet();
      const rows = Array.from({ length: n }, (_, i) => [`s${i}@x.kz`, `Name ${i}`, i, null, null]);
      await open(id).apply({ tabs: [{ ...seed.tabs[0], appends: rows }] });
      server.resetStats();
      const wb = open(id);
      const snap = await wb.read(['People', 'Roster']);
      // Every row changes a cell, plus new rows and a log append: the write is still one request.
      const updates = snap.People!.rows.map((_, i) => ({ row: i, col: 2, value: i + 0.5 }));
      await wb.apply({
        tabs: [
          { tab: 'People', updates, appends: [['new@x.kz', 'N', 0, null, null]] },
          { tab: 'Log', create: { header: ['At'] }, appends: [['now']] },
        ],
      });
      calls.push(server.stats.calls);
      expect(wb.stats.calls).toBe(server.stats.calls);
      expect(server.stats.byMethod).toEqual({
        'spreadsheets.get': 1,
        'values.batchGet': 1,
        'spreadsheets.batchUpdate': 1,
      });
      expect(server.values(id, 'People')[n][2]).toBe(n - 1 + 0.5);
    }
    expect(calls).toEqual([3, 3]);
  });

  test('neighbouring updates are merged into blocks, and only addressed cells are written', async () => {
    const id = server.createSpreadsheet();
    const wb = open(id);
    await wb.apply(seed);
    await wb.read(['People']);
    server.resetStats();
    server.beforeNext('spreadsheets.batchUpdate', () => undefined);
    const spy = jest.spyOn(JSON, 'stringify');
    await wb.apply({
      tabs: [
        {
          tab: 'People',
          updates: [
            { row: 0, col: 1, value: 'A2' },
            { row: 0, col: 2, value: 10 },
            { row: 1, col: 1, value: 'B2' },
            { row: 1, col: 2, value: 20 },
            { row: 1, col: 4, value: 'note' },
          ],
        },
      ],
    });
    const body = spy.mock.calls
      .map((c) => c[0])
      .find((x) => x && typeof x === 'object' && 'requests' in (x as object)) as
      { requests: Record<string, unknown>[] } | undefined;
    spy.mockRestore();
    const updateCells = body!.requests.filter((r) => 'updateCells' in r);
    expect(updateCells).toHaveLength(2); // B2:C3 as one block, E3 alone
    expect(server.values(id, 'People')).toEqual([
      ['Email', 'Name', 'Score', 'Points', 'Note'],
      ['a@x.kz', 'A2', 10],
      ['b@x.kz', 'B2', 20, null, 'note'],
    ]);
  });

  test('a human edit between read and write wins: their cells and their new row survive', async () => {
    const id = server.createSpreadsheet();
    await open(id).apply(seed);
    const wb = open(id);
    const snap = await wb.read(['People']);
    expect(snap.People!.rows).toHaveLength(2);
    // While the sync computes its plan, a mentor types Points and a note, and adds a row at the bottom.
    server.beforeNext('spreadsheets.batchUpdate', () => {
      server.type(id, 'People', 'D2', [[95, 'great work']]);
      server.type(id, 'People', 'A4', [['typed@x.kz', 'Typed by hand']]);
    });
    await wb.apply({
      tabs: [{ tab: 'People', updates: [{ row: 0, col: 2, value: 99 }], appends: [['c@x.kz', 'C', 3, null, null]] }],
    });
    expect(server.values(id, 'People')).toEqual([
      ['Email', 'Name', 'Score', 'Points', 'Note'],
      ['a@x.kz', 'A', 99, 95, 'great work'],
      ['b@x.kz', 'B', 2],
      ['typed@x.kz', 'Typed by hand'],
      ['c@x.kz', 'C', 3],
    ]);
  });

  test('429 with Retry-After, then success: waits at least Retry-After and the write lands once', async () => {
    const id = server.createSpreadsheet();
    const wb = open(id);
    server.inject({ status: 429, retryAfter: 7, method: 'spreadsheets.batchUpdate', times: 2 });
    await wb.apply(seed);
    expect(sleeps).toHaveLength(2);
    expect(sleeps.every((ms) => ms >= 7000)).toBe(true);
    expect(wb.stats.retries).toBe(2);
    expect(server.values(id, 'People')).toHaveLength(3);
  });

  // Reads and replay-safe writes; a write that appends is sent once (see ambiguous-write.test.ts).
  test('a 500 storm: backs off exponentially with jitter, then gives up with a clear message', async () => {
    const id = server.createSpreadsheet();
    server.resetStats();
    server.inject({ status: 500, times: Infinity, method: 'spreadsheets.get' });
    const wb = open(id, {
      backoff: {
        retries: 4,
        baseDelayMs: 100,
        maxDelayMs: 1000,
        sleep: async (ms) => void sleeps.push(ms),
        random: () => 0.5,
      },
    });
    const err = await wb.read(['People']).catch((e) => e);
    expect(err).toBeInstanceOf(SheetsApiError);
    expect(err.message).toMatch(/kept failing with HTTP 500 while reading tabs People .*gave up after 5 attempts/);
    expect(err.permanent).toBe(false);
    expect(sleeps).toEqual([75, 150, 300, 600]);
    expect(server.stats.byMethod['spreadsheets.get']).toBe(5);
  });

  test('403: says to share the sheet with the service account as Editor, without retrying', async () => {
    const id = server.createSpreadsheet();
    server.forbid(id);
    server.resetStats();
    const err = await open(id)
      .read(['Progress'])
      .catch((e) => e);
    expect(err).toBeInstanceOf(SheetsApiError);
    expect(err.message).toContain(`share the spreadsheet with ${SA} as Editor`);
    expect(err.permanent).toBe(true);
    expect(server.stats.calls).toBe(1);
  });

  test('404: names the spreadsheet id, without retrying', async () => {
    server.resetStats();
    const err = await open('no-such-sheet-id')
      .read(['Progress'])
      .catch((e) => e);
    expect(err.message).toMatch(/^No spreadsheet with id no-such-sheet-id: check the id/);
    expect(err.status).toBe(404);
    expect(server.stats.calls).toBe(1);
  });

  test('400 from Google (a tab deleted after the read) fails at once and changes nothing', async () => {
    const id = server.createSpreadsheet();
    await open(id).apply(seed);
    const wb = open(id);
    await wb.read(['People']);
    server.beforeNext('spreadsheets.batchUpdate', (ss) => {
      ss!.sheets = ss!.sheets.filter((s) => s.title !== 'People');
    });
    server.resetStats();
    const err = await wb
      .apply({
        tabs: [
          { tab: 'Log', create: { header: ['At'] } },
          { tab: 'People', updates: [{ row: 0, col: 1, value: 'X' }] },
        ],
      })
      .catch((e) => e);
    expect(err.message).toMatch(/refused the request .* No grid with id/);
    expect(server.stats.byMethod['spreadsheets.batchUpdate']).toBe(1);
    expect(server.spreadsheet(id).sheets.map((s) => s.title)).toEqual(['Sheet1']);
  });

  test('401 when the token is not accepted tells the admin to check the key', async () => {
    const id = server.createSpreadsheet();
    const err = await open(id, { auth: presetTokenAuth('wrong') })
      .read(['X'])
      .catch((e) => e);
    expect(err.message).toMatch(/GOOGLE_APPLICATION_CREDENTIALS/);
  });

  test('tab names that need quoting work in ranges', async () => {
    const id = server.createSpreadsheet();
    const wb = open(id);
    await wb.apply({
      tabs: [{ tab: "Summary by school's", create: { header: ['School', 'Late'] }, appends: [['Law', 1]] }],
    });
    const snap = await open(id).read(["Summary by school's"]);
    expect(snap["Summary by school's"]!.rows).toEqual([['Law', 1]]);
  });

  test('a look already in place sends nothing; a changed width sends only that column', async () => {
    const id = server.createSpreadsheet();
    const look = { widths: { Email: 30, Name: 28 }, frozenColumns: 2, headerStyle: true };
    await open(id).apply({ tabs: [{ tab: 'People', create: { header: ['Email', 'Name', 'Note'] }, look }] });
    const writes = () => server.stats.byMethod['spreadsheets.batchUpdate'] ?? 0;
    const before = writes();
    await open(id).apply({ tabs: [{ tab: 'People', look }] });
    expect(writes()).toBe(before);
    const sent: unknown[] = [];
    const wb = open(id);
    const spy = jest.spyOn(wb['api'].spreadsheets, 'batchUpdate');
    await wb.apply({ tabs: [{ tab: 'People', look: { ...look, widths: { Email: 30, Name: 40 } } }] });
    for (const call of spy.mock.calls)
      sent.push(...(call[0] as unknown as { requestBody: { requests: unknown[] } }).requestBody.requests);
    expect(sent).toEqual([
      {
        updateDimensionProperties: {
          range: { sheetId: server.sheet(id, 'People').sheetId, dimension: 'COLUMNS', startIndex: 1, endIndex: 2 },
          properties: { pixelSize: 285 },
          fields: 'pixelSize',
        },
      },
      expect.objectContaining({
        repeatCell: expect.objectContaining({ range: expect.objectContaining({ endRowIndex: 1 }) }),
      }),
    ]);
    expect(server.sheet(id, 'People').columnWidths.get(1)).toBe(285);
  });

  test('conditional formats become Sheets rules and are not stacked on re-apply; a human rule is kept', async () => {
    const id = server.createSpreadsheet();
    const tab = {
      tab: 'Summary',
      create: { header: ['School', 'Late', 'Completion rate', 'Status'] },
      appends: [['Law', 2, 0.5, 'Overdue']],
      formats: [
        { kind: 'colorScale' as const, column: 'Completion rate' },
        { kind: 'redWhenPositive' as const, column: 'Late' },
        { kind: 'textColor' as const, column: 'Status', equals: 'Overdue', color: 'red' as const },
      ],
      numberFormats: { 'Completion rate': '0.0%' },
    };
    await open(id).apply({ tabs: [tab] });
    const sheet = server.sheet(id, 'Summary');
    const rules = sheet.conditionalFormats as {
      ranges: { startColumnIndex: number }[];
      gradientRule?: unknown;
      booleanRule?: { condition: { type: string; values: { userEnteredValue: string }[] } };
    }[];
    expect(
      rules.map((r) => [r.ranges[0].startColumnIndex, r.gradientRule ? 'gradient' : r.booleanRule!.condition.type]),
    ).toEqual([
      [2, 'gradient'],
      [1, 'NUMBER_GREATER'],
      [3, 'TEXT_EQ'],
    ]);
    expect(sheet.frozenRowCount).toBe(1);
    // A human adds a rule of their own; then the sync re-applies the same formats (twice).
    sheet.conditionalFormats.push({
      ranges: [{ sheetId: sheet.sheetId, startRowIndex: 1, startColumnIndex: 0, endColumnIndex: 1 }],
      booleanRule: { condition: { type: 'TEXT_CONTAINS', values: [{ userEnteredValue: 'Law' }] }, format: {} },
    });
    for (let i = 0; i < 2; i++) {
      const wb = open(id);
      await wb.read(['Summary']);
      await wb.apply({
        tabs: [
          {
            tab: 'Summary',
            replace: { header: tab.create.header, rows: [['Law', 3, 0.7, 'Overdue']] },
            formats: tab.formats,
          },
        ],
      });
    }
    expect(sheet.conditionalFormats).toHaveLength(4);
    // Columns moved (report rebuilt with another order): our rules follow, the human's stays.
    const wb = open(id);
    await wb.read(['Summary']);
    await wb.apply({
      tabs: [
        {
          tab: 'Summary',
          replace: { header: ['School', 'Completion rate', 'Late', 'Status'], rows: [['Law', 0.7, 3, 'Overdue']] },
          formats: tab.formats,
        },
      ],
    });
    const after = server.sheet(id, 'Summary').conditionalFormats as typeof rules;
    expect(after).toHaveLength(4);
    expect(after.filter((r) => r.gradientRule).map((r) => r.ranges[0].startColumnIndex)).toEqual([1]);
    expect(after.some((r) => r.booleanRule?.condition.type === 'TEXT_CONTAINS')).toBe(true);
  });

  test('a write larger than the request limit is split into several batchUpdates, in order', async () => {
    const id = server.createSpreadsheet();
    const rows = Array.from({ length: 3000 }, (_, i) => [`s${i}@x.kz`, 'x'.repeat(50), i]);
    const wb = open(id, { maxRequestBytes: 100_000 });
    server.resetStats();
    await wb.apply({
      tabs: [
        { tab: 'Big', create: { header: ['Email', 'Pad', 'N'] }, appends: rows },
        { tab: 'Log', create: { header: ['At'] }, appends: [['done']] },
      ],
    });
    expect(server.stats.byMethod['spreadsheets.batchUpdate']).toBeGreaterThan(3);
    const values = server.values(id, 'Big');
    expect(values).toHaveLength(3001);
    expect(values[3000]).toEqual(['s2999@x.kz', 'x'.repeat(50), 2999]);
    expect(server.values(id, 'Log')).toEqual([['At'], ['done']]);
  });
});
