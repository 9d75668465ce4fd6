/**
 * `mooc-desk sync --api-program ID`: the real binary (a child process) against the local Coursera
 * server, with the COURSERA_* environment the queue's API source reads, and no Redis.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { XlsxWorkbook } from '../../src/adapters/xlsx-workbook';
import { cli } from '../support/cli';
import { eachTestInTempDir, sha } from '../support/temp-dir';
import { FakeCourseraServer } from './fake-coursera-server';

const BIN = path.resolve(__dirname, '../../../bin/mooc-desk.js');
const FIXTURE = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../fixtures/coursera/api_enrollmentReports_page.json'), 'utf8'),
) as { elements: (Record<string, unknown> & { programId: string; contentId: string })[] };
const sample = FIXTURE.elements[0];
const PROGRAM = sample.programId;

let api: FakeCourseraServer;
let dir: string;
eachTestInTempDir('mooc-api-cli-', (d) => (dir = d));
beforeEach(async () => {
  api = await FakeCourseraServer.start();
  api.elements = Array.from({ length: 7 }, (_, i) => {
    const email = `learner${i}@univ.kz`;
    return { ...sample, email, externalId: email, id: `${email}~${PROGRAM}~${sample.contentId}` };
  });
  // One element of another program of the org: left out by --api-program.
  api.elements.push({ ...sample, programId: 'other-program', email: 'x@univ.kz', externalId: 'x@univ.kz' });
});
afterEach(() => api.close());

const env = () => ({
  COURSERA_CLIENT_ID: api.clientId,
  COURSERA_CLIENT_SECRET: api.clientSecret,
  COURSERA_ORG_ID: api.orgId,
  COURSERA_API_BASE: api.baseUrl,
});

/** The installed binary, asynchronously: the fake server runs in this process and must keep answering. */
function run(args: string[], extraEnv: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('sync --api-program reads every page of the program into the workbook, with the JSON a file sync prints; a re-run writes no Progress cell', async () => {
  const wb = path.join(dir, 'progress.xlsx');
  api.maxLimit = 3; // several pages
  const args = ['sync', '--api-program', PROGRAM, '--workbook', wb, '--as-of', '2020-03-01', '--json'];
  const first = await run(args, env());
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const report = JSON.parse(first.stdout) as Record<string, unknown>;
  expect(Object.keys(report).sort()).toEqual(
    [
      'source',
      'sha256',
      'rowsRead',
      'rejected',
      'inserted',
      'updated',
      'unchanged',
      'progressCellsWritten',
      'durationMs',
      'flags',
      'statuses',
      'coursesWithoutDeadline',
      'coursesNotInCatalog',
      'rejectedAlreadyLogged',
      'duplicateRows',
      'encoding',
      'rosterWithoutRecord',
      'participantProblems',
    ].sort(),
  );
  expect(report).toMatchObject({
    source: `coursera-api:${api.orgId}/${PROGRAM}`,
    rowsRead: 7,
    rejected: 0,
    inserted: 7,
    coursesNotInCatalog: ['html-css-javascript'],
    participantProblems: [],
  });
  expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(api.requests.filter((r) => r.path.endsWith('/enrollmentReports')).length).toBeGreaterThanOrEqual(3);

  const progress = (await XlsxWorkbook.open(wb)).read(['Progress']).Progress!;
  const col = (name: string) => progress.header.indexOf(name);
  expect(progress.rows.map((r) => r[col('Email')])).toEqual(api.elements.slice(0, 7).map((e) => e.email));
  expect(progress.rows[0][col('Course slug')]).toBe('html-css-javascript');
  expect(progress.rows[0][col('Certificate URL')]).toBe(sample.contentCertificateUrl);

  const again = await run(args, env());
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 7, progressCellsWritten: 0 });
});

test('Coursera refusing the credentials: exit 2, the message names the settings, the workbook is byte-for-byte as it was', async () => {
  const wb = path.join(dir, 'progress.xlsx');
  expect(
    (await cli(['sync', '--api-program', PROGRAM, '--workbook', wb, '--as-of', '2020-03-01'], dir, env())).code,
  ).toBe(0);
  const before = sha(wb);
  const res = await cli(['sync', '--api-program', PROGRAM, '--workbook', wb], dir, {
    ...env(),
    COURSERA_CLIENT_SECRET: 'wrong',
  });
  expect(res.code).toBe(2);
  expect(res.stderr).toMatch(/check COURSERA_CLIENT_ID and COURSERA_CLIENT_SECRET/);
  expect(res.stderr).toMatch(/workbook was not changed/);
  expect(sha(wb)).toBe(before);
});

test('missing settings: exit 2 naming them, no workbook created; Coursera rate-limiting for long: exit 1', async () => {
  const wb = path.join(dir, 'progress.xlsx');
  const bare = Object.fromEntries(Object.keys(env()).map((k) => [k, '']));
  const missing = await cli(['sync', '--api-program', PROGRAM, '--workbook', wb], dir, bare);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/COURSERA_CLIENT_ID is empty/);
  expect(fs.existsSync(wb)).toBe(false);

  // A Retry-After longer than the CLI waits: it gives up at once; trying later may work (exit 1, not 2).
  api.inject({ status: 429, retryAfter: 3600, path: 'reports' });
  const limited = await run(['sync', '--api-program', PROGRAM, '--workbook', wb], env());
  expect(limited.code).toBe(1);
  expect(limited.stderr).toMatch(/rate limit \(429\).*try again later/);
  expect(limited.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  expect(fs.existsSync(wb)).toBe(false);
});

test('usage: an export file and --api-program together, or an empty program id, are refused (exit 2)', async () => {
  const wb = path.join(dir, 'progress.xlsx');
  const both = await cli(['sync', 'usage.csv', '--api-program', PROGRAM, '--workbook', wb], dir, env());
  expect(both.code).toBe(2);
  expect(both.stderr).toMatch(/give exactly one export file, or --api-program ID/);
  const empty = await cli(['sync', '--api-program', ' ', '--workbook', wb], dir, env());
  expect(empty.code).toBe(2);
  expect(empty.stderr).toMatch(/--api-program needs a program id/);
});
