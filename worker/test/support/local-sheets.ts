/**
 * The local Sheets v4 server for one test file — started before its tests, closed after — and a
 * SheetsWorkbook on it that retries without waiting (the same token every test file uses).
 */
import { presetTokenAuth } from '../../src/adapters/google-auth';
import { SheetsWorkbook } from '../../src/adapters/sheets-workbook';
import { FakeSheetsServer } from './fake-sheets-server';

export interface LocalSheets {
  readonly server: FakeSheetsServer;
  readonly open: (spreadsheetId: string) => SheetsWorkbook;
}

export function localSheets(configure: (server: FakeSheetsServer) => void = () => undefined): LocalSheets {
  let server: FakeSheetsServer | undefined;
  beforeAll(async () => {
    server = await FakeSheetsServer.start({ requiredToken: 't' });
    configure(server);
  });
  afterAll(() => server?.close());
  return {
    get server() {
      if (!server) throw new Error('the local Sheets server starts in beforeAll');
      return server;
    },
    open: (spreadsheetId) =>
      new SheetsWorkbook({
        spreadsheetId,
        auth: presetTokenAuth('t'),
        rootUrl: server!.rootUrl,
        backoff: { sleep: async () => undefined },
      }),
  };
}
