/**
 * A sync job whose source is the Coursera API (a local server shaped like the real one), wired
 * from the same COURSERA_* environment a production worker reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { backendsFromEnv } from '../../src/queue/backends';
import { closeQueues, enqueueSync, openQueues } from '../../src/queue/queues';
import { silentLogger } from '../../src/queue/logger';
import type { SyncJobData, SyncJobResult } from '../../src/queue/job-data';
import { startSyncWorkers } from '../../src/queue/worker';
import { FakeCourseraServer } from '../coursera-api/fake-coursera-server';
import { startRedis, type TestRedis } from '../support/redis-server';
import { readTab, REPO, testConfig, tmpDir, waitForState } from './helpers';

const FIXTURE = JSON.parse(
  fs.readFileSync(path.join(REPO, 'worker/test/fixtures/coursera/api_enrollmentReports_page.json'), 'utf8'),
) as { elements: (Record<string, unknown> & { programId: string; contentId: string })[] };
const PROGRAM = String(FIXTURE.elements[0].programId);
let redis: TestRedis;
let api: FakeCourseraServer;
let dir: string;

beforeAll(async () => {
  [redis, api] = await Promise.all([startRedis(), FakeCourseraServer.start()]);
  dir = tmpDir();
  const sample = FIXTURE.elements[0];
  api.elements = Array.from({ length: 250 }, (_, i) => ({
    ...sample,
    email: `learner${i}@univ.kz`,
    externalId: `learner${i}@univ.kz`,
    id: `learner${i}@univ.kz~${PROGRAM}~${sample.contentId}`,
  }));
  api.withTotal = false; // paging.total missing, as the API sometimes does
});

afterAll(async () => {
  await Promise.all([redis?.close(), api?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function runOne(env: NodeJS.ProcessEnv, workbook: string) {
  const config = testConfig(redis.url);
  const queues = openQueues(config);
  const workers = startSyncWorkers({
    config,
    log: silentLogger,
    backends: backendsFromEnv(env),
    kinds: ['xlsx'],
    concurrency: 1,
  });
  try {
    const data: SyncJobData = {
      v: 1,
      source: { kind: 'coursera-api', programId: PROGRAM },
      target: { kind: 'xlsx', path: workbook },
      asOf: '2020-03-01',
    };
    const added = await enqueueSync(queues, config, data);
    return await waitForState(queues.xlsx, added.jobId, ['completed', 'failed']);
  } finally {
    await workers.close();
    await closeQueues(queues);
  }
}

test('an API program syncs into the workbook like an export would (all pages read)', async () => {
  const workbook = path.join(dir, 'api.xlsx');
  const env = {
    COURSERA_CLIENT_ID: api.clientId,
    COURSERA_CLIENT_SECRET: api.clientSecret,
    COURSERA_ORG_ID: api.orgId,
    COURSERA_API_BASE: api.baseUrl,
  };
  const done = await runOne(env, workbook);
  expect(done.failedReason).toBeUndefined();
  expect(done.returnvalue as SyncJobResult).toMatchObject({
    rowsRead: 250,
    inserted: 250,
    source: `coursera-api:${api.orgId}/${PROGRAM}`,
  });
  expect(api.requests.filter((r) => r.path.endsWith('enrollmentReports')).length).toBeGreaterThanOrEqual(3);
  const { header, rows } = await readTab(workbook, 'Progress');
  expect(rows).toHaveLength(250);
  expect(rows.map((r) => r[header.indexOf('Email')])).toContain('learner249@univ.kz');
  const log = await readTab(workbook, 'Sync log');
  expect(log.rows[0][log.header.indexOf('Source')]).toBe(`coursera-api:${api.orgId}/${PROGRAM}`);
});

test('missing API credentials fail the job at once, saying which setting is missing', async () => {
  const workbook = path.join(dir, 'no-creds.xlsx');
  const done = await runOne({}, workbook);
  expect(done.finishedOn).toBeDefined();
  expect(done.returnvalue).toBeNull();
  expect(done.attemptsMade).toBe(1);
  expect(done.failedReason).toMatch(/COURSERA_CLIENT_ID is not set/);
  expect(fs.existsSync(workbook)).toBe(false);
});
