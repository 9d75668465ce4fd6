/**
 * Sync jobs into Google Sheets through the real googleapis client, against the local Sheets v4
 * test server: end to end, permanent failures, 429 storms pausing the queue, and the shared limiter.
 */
import fs from 'node:fs';
import { presetTokenAuth } from '../../src/adapters/google-auth';
import { backendsFromEnv } from '../../src/queue/backends';
import { sheetsJobsPerMinute } from '../../src/queue/config';
import { closeQueues, enqueueSync, openQueues, type SyncQueues } from '../../src/queue/queues';
import { silentLogger } from '../../src/queue/logger';
import type { SyncJobData, SyncJobResult } from '../../src/queue/job-data';
import { startSyncWorkers, type SyncWorkers } from '../../src/queue/worker';
import { FakeSheetsServer } from '../support/fake-sheets-server';
import { startRedis, type TestRedis } from '../support/redis-server';
import { sampleExport, testConfig, tmpDir, waitFor, waitForState } from './helpers';

const SERVICE_ACCOUNT = 'mooc-desk-sync@cet-project.iam.gserviceaccount.com';
let redis: TestRedis;
let sheets: FakeSheetsServer;
let dir: string;
let exportFile: string;
const open: { queues: SyncQueues[]; workers: SyncWorkers[] } = { queues: [], workers: [] };

beforeAll(async () => {
  [redis, sheets] = await Promise.all([startRedis(), FakeSheetsServer.start({ requiredToken: 'test-token' })]);
  dir = tmpDir();
  exportFile = sampleExport(dir, 100);
});

afterEach(async () => {
  sheets.clearFaults();
  await Promise.all(open.workers.splice(0).map((w) => w.close()));
  await Promise.all(open.queues.splice(0).map(closeQueues));
});

afterAll(async () => {
  await Promise.all([redis?.close(), sheets?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

function setup(overrides = {}) {
  const config = testConfig(redis.url, overrides);
  const queues = openQueues(config);
  open.queues.push(queues);
  const backends = backendsFromEnv(
    {},
    {
      sheetsRootUrl: sheets.rootUrl,
      sheetsCredentials: { auth: presetTokenAuth('test-token'), serviceAccountEmail: SERVICE_ACCOUNT },
      // In-call retries fast and few: what outlasts them is the queue's business.
      sheetsOptions: { backoff: { retries: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 500 } },
    },
  );
  const start = (opts: Partial<Parameters<typeof startSyncWorkers>[0]> = {}) => {
    const w = startSyncWorkers({ config, log: silentLogger, backends, concurrency: 1, kinds: ['sheets'], ...opts });
    open.workers.push(w);
    return w;
  };
  return { config, queues, start };
}

const job = (spreadsheetId: string): SyncJobData => ({
  v: 1,
  source: { kind: 'export', path: exportFile },
  target: { kind: 'sheets', spreadsheetId },
  asOf: '2020-03-01',
});

test('a job syncs an export into a Google spreadsheet: Progress rows, a Sync log row, a fixed number of API calls', async () => {
  const { config, queues, start } = setup();
  const id = sheets.createSpreadsheet({ title: 'CET progress' });
  sheets.resetStats();
  const added = await enqueueSync(queues, config, job(id));
  expect(added.queue).toBe('sync-sheets');
  start();
  const done = await waitForState(queues.sheets, added.jobId, ['completed', 'failed']);
  expect(done.failedReason).toBeUndefined();
  expect(done.returnvalue as SyncJobResult).toMatchObject({ target: `sheets:${id}`, rowsRead: 100, inserted: 100 });
  // A new spreadsheet has none of our tabs: nothing to read but the metadata.
  expect(sheets.stats.byMethod).toEqual({ 'spreadsheets.get': 1, 'spreadsheets.batchUpdate': 1 });
  const progress = sheets.values(id, 'Progress');
  expect(progress).toHaveLength(101);
  expect(progress[0]).toEqual(expect.arrayContaining(['Email', 'Course slug', 'Status', 'Points', 'Mentor comment']));
  const log = sheets.values(id, 'Sync log');
  expect(log).toHaveLength(2);
  expect(log[1][log[0].indexOf('Inserted')]).toBe(100);
  // The next sync: read = spreadsheets.get + values.batchGet, write = one batchUpdate, whatever the row count.
  sheets.resetStats();
  const again = await enqueueSync(queues, config, job(id));
  expect((await waitForState(queues.sheets, again.jobId, ['completed', 'failed'])).returnvalue).toMatchObject({
    unchanged: 100,
    progressCellsWritten: 0,
  });
  expect(sheets.stats.byMethod).toEqual({ 'spreadsheets.get': 1, 'values.batchGet': 1, 'spreadsheets.batchUpdate': 1 });
  expect(sheets.values(id, 'Sync log')).toHaveLength(3);
});

test('a spreadsheet not shared with the service account (403) fails at once with what to do', async () => {
  const { config, queues, start } = setup();
  const id = sheets.createSpreadsheet();
  sheets.forbid(id);
  const added = await enqueueSync(queues, config, job(id));
  start();
  const failed = await waitForState(queues.sheets, added.jobId, ['failed', 'completed']);
  expect(await failed.getState()).toBe('failed');
  expect(failed.attemptsMade).toBe(1);
  expect(failed.failedReason).toContain(`share the spreadsheet with ${SERVICE_ACCOUNT} as Editor`);
});

test('no such spreadsheet (404) fails at once; the next job still runs', async () => {
  const { config, queues, start } = setup();
  const bad = await enqueueSync(queues, config, job('no-such-sheet'));
  const good = await enqueueSync(queues, config, job(sheets.createSpreadsheet()));
  start();
  const failed = await waitForState(queues.sheets, bad.jobId, ['failed', 'completed']);
  expect(failed.failedReason).toMatch(/No spreadsheet with id no-such-sheet/);
  expect(failed.attemptsMade).toBe(1);
  expect(await (await waitForState(queues.sheets, good.jobId, ['failed', 'completed'])).getState()).toBe('completed');
});

test('a 429 storm pauses the whole queue for Retry-After, costs no attempts, and every job completes after it', async () => {
  const { config, queues, start } = setup();
  const ids = [0, 1, 2, 3].map(() => sheets.createSpreadsheet());
  sheets.inject({ status: 429, retryAfter: 2, times: Infinity });
  const w1 = start({ concurrency: 2, name: 'w1' });
  const w2 = start({ concurrency: 2, name: 'w2' });
  await Promise.all([w1.workers.sheets!.waitUntilReady(), w2.workers.sheets!.waitUntilReady()]);
  const added = [];
  for (const id of ids) added.push(await enqueueSync(queues, config, job(id)));
  const limited = () => queues.sheets.getRateLimitTtl(sheetsJobsPerMinute(config));
  // The storm outlasts the in-call retries: the queue is paused for every worker…
  const ttl = await waitFor(
    'the queue to be rate limited',
    async () => ((await limited()) > 0 ? limited() : null),
    15_000,
  );
  const pausedUntil = Date.now() + ttl;
  expect(ttl).toBeLessThanOrEqual(2000); // …for the server's Retry-After (2 s), not the 60 s default
  // …and the jobs are back in the queue, none active, none failed.
  await waitFor(
    'all jobs back in wait',
    async () => (await queues.sheets.getActiveCount()) === 0 && (await queues.sheets.getWaitingCount()) === 4,
    5000,
  );
  const callsWhilePaused = sheets.stats.calls;
  await new Promise((r) => setTimeout(r, 200));
  expect(await limited()).toBeGreaterThan(0);
  expect(sheets.stats.calls).toBe(callsWhilePaused); // nobody calls Google while paused
  expect(await queues.sheets.getFailedCount()).toBe(0);
  sheets.clearFaults();
  const done = await Promise.all(
    added.map((a) => waitForState(queues.sheets, a.jobId, ['completed', 'failed'], 20_000)),
  );
  for (const j of done) {
    expect(await j.getState()).toBe('completed');
    expect(j.stacktrace).toEqual([]); // never counted as a failed attempt
    expect((j.returnvalue as SyncJobResult).startedAt).toBeGreaterThanOrEqual(pausedUntil - 50); // ran again only after the pause
  }
  for (const id of ids) expect(sheets.values(id, 'Progress')).toHaveLength(101);
  expect(sheets.log.filter((l) => l.status === 429).length).toBeGreaterThanOrEqual(3);
});

test('the limiter is shared: two workers together never start more Sheets syncs per window than allowed', async () => {
  const { config, queues, start } = setup();
  // Production: 60 requests/min, 3 per sync, 10 % headroom → 18 syncs a minute for all workers.
  expect(sheetsJobsPerMinute(config)).toBe(18);
  expect(start().workers.sheets!.opts.limiter).toEqual({ max: 18, duration: 60_000 });
  await open.workers.pop()!.close();
  // The same mechanism on a short window, so the test takes seconds.
  const limiter = { max: 2, duration: 700 };
  const w1 = start({ concurrency: 3, name: 'w1', workerOptions: { limiter } });
  const w2 = start({ concurrency: 3, name: 'w2', workerOptions: { limiter } });
  await Promise.all([w1.workers.sheets!.waitUntilReady(), w2.workers.sheets!.waitUntilReady()]);
  const added = [];
  for (let i = 0; i < 6; i++) added.push(await enqueueSync(queues, config, job(sheets.createSpreadsheet())));
  const results = (
    await Promise.all(added.map((a) => waitForState(queues.sheets, a.jobId, ['completed'], 20_000)))
  ).map((j) => j.returnvalue as SyncJobResult);
  const starts = results.map((r) => r.startedAt).sort((a, b) => a - b);
  // Any three consecutive starts span more than one window.
  for (let i = 2; i < starts.length; i++)
    expect(starts[i] - starts[i - 2]).toBeGreaterThanOrEqual(limiter.duration - 50);
  expect(new Set(results.map((r) => r.worker))).toEqual(new Set(['w1', 'w2']));
});
