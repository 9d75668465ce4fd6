import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GoogleAuthConfigError, presetTokenAuth, serviceAccountFromEnv } from '../../src/adapters/google-auth';
import { openSheetsWorkbook, parseSpreadsheetId } from '../../src/adapters/sheets-workbook';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gauth-'));
const write = (name: string, content: unknown) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
};
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const key = {
  type: 'service_account',
  project_id: 'univ',
  client_email: 'mooc-desk@univ.iam.gserviceaccount.com',
  private_key: pem,
};

test('a valid service-account key gives an auth client with the spreadsheets scope and the e-mail to share with', () => {
  const c = serviceAccountFromEnv({ GOOGLE_APPLICATION_CREDENTIALS: write('ok.json', key) });
  expect(c.serviceAccountEmail).toBe('mooc-desk@univ.iam.gserviceaccount.com');
  expect((c.auth as unknown as { scopes: string[] }).scopes).toEqual(['https://www.googleapis.com/auth/spreadsheets']);
});

test.each([
  ['unset', {}, /GOOGLE_APPLICATION_CREDENTIALS is not set/],
  [
    'missing file',
    { GOOGLE_APPLICATION_CREDENTIALS: path.join(dir, 'nope.json') },
    /cannot read the key file \(ENOENT\)/,
  ],
  ['not JSON', { GOOGLE_APPLICATION_CREDENTIALS: write('bad.json', '{oops') }, /not JSON/],
  [
    'a user OAuth client instead of a service account',
    { GOOGLE_APPLICATION_CREDENTIALS: write('user.json', { ...key, type: 'authorized_user' }) },
    /not a service-account key \(type is "authorized_user"/,
  ],
  [
    'no private key',
    { GOOGLE_APPLICATION_CREDENTIALS: write('nokey.json', { ...key, private_key: undefined }) },
    /private_key/,
  ],
])('refuses %s with a message saying what to fix', (_l, env, message) => {
  expect(() => serviceAccountFromEnv(env as NodeJS.ProcessEnv)).toThrow(GoogleAuthConfigError);
  expect(() => serviceAccountFromEnv(env as NodeJS.ProcessEnv)).toThrow(message);
});

test('a preset token is sent as is, without calling a token endpoint', async () => {
  const headers = await presetTokenAuth('abc').getRequestHeaders();
  expect(headers.get('authorization')).toBe('Bearer abc');
});

test('openSheetsWorkbook takes a sheet URL or id and the key from the environment', () => {
  const env = { GOOGLE_APPLICATION_CREDENTIALS: write('ok2.json', key) };
  const wb = openSheetsWorkbook('https://docs.google.com/spreadsheets/d/1AbC_d-EfGhIjKlMnOp/edit#gid=0', { env });
  expect(wb.spreadsheetId).toBe('1AbC_d-EfGhIjKlMnOp');
  expect(parseSpreadsheetId('1AbC_d-EfGhIjKlMnOp')).toBe('1AbC_d-EfGhIjKlMnOp');
  expect(() => parseSpreadsheetId('my sheet')).toThrow(/not a Google Sheets id or URL/);
});
