/** Shared by the queue tests: small real exports, reading the workbook back, waiting on job states. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Job, Queue } from 'bullmq';
import type { Row } from '../../../shared/src/cells';
import { XlsxWorkbook } from '../../src/adapters/xlsx-workbook';
import { makeBackends } from '../../src/queue/backends';
import { queueConfig, type QueueConfig } from '../../src/queue/config';
import type { SyncJobData } from '../../src/queue/job-data';
import { silentLogger } from '../../src/queue/logger';
import { closeQueues, openQueues, type SyncQueues } from '../../src/queue/queues';
import { startSyncWorkers, type SyncWorkers } from '../../src/queue/worker';
import { startRedis, type TestRedis } from '../support/redis-server';

export const REPO = path.resolve(__dirname, '../../..');
export const SAMPLE_EXPORT = path.join(REPO, 'demo/usage-report_2020_19col_fpt.csv');

export function tmpDir(prefix = 'mooc-queue-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The real 2020 usage report cut to its header and first `rows` data lines (keeps tests fast). */
export function sampleExport(dir: string, rows: number, name = `export-${rows}.csv`): string {
  const lines = fs.readFileSync(SAMPLE_EXPORT, 'utf8').split(/\r?\n/);
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.slice(0, rows + 1).join('\n')}\n`);
  return file;
}

/** `mooc-desk worker --queue xlsx` run from bin/ as a child process, its environment PATH, HOME and `env` only. */
export function spawnXlsxWorker(concurrency: number, env: Record<string, string>) {
  return spawn(
    process.execPath,
    [path.join(REPO, 'bin/mooc-desk.js'), 'worker', '--queue', 'xlsx', '--concurrency', String(concurrency)],
    {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** The job data that syncs the export file `source` into the .xlsx `workbook`, as of 2020-03-01. */
export const xlsxJob = (workbook: string, source: string): SyncJobData => ({
  v: 1,
  source: { kind: 'export', path: source },
  target: { kind: 'xlsx', path: workbook },
  asOf: '2020-03-01',
});

let prefixes = 0;
/** Each test gets its own key prefix on the file's Redis, so tests cannot see each other's jobs. */
export function testConfig(redisUrl: string, overrides: Partial<QueueConfig> = {}): QueueConfig {
  return queueConfig(
    { REDIS_URL: redisUrl },
    {
      MOOC_DESK_QUEUE_PREFIX: `t${process.pid}-${++prefixes}`,
      JOB_BACKOFF_MS: 100,
      TARGET_BUSY_DELAY_MS: 100,
      ...overrides,
    },
  );
}

export async function readTab(file: string, tab: string): Promise<{ header: string[]; rows: Row[] }> {
  const wb = await XlsxWorkbook.open(file);
  const snap = wb.read([tab]);
  const t = snap[tab];
  if (!t) throw new Error(`${file} has no tab ${tab}`);
  return { header: t.header, rows: t.rows };
}

/** Progress as a user compares it: rows keyed by email|slug with every sync-owned cell. */
export async function progressTable(file: string): Promise<string[]> {
  const { header, rows } = await readTab(file, 'Progress');
  return rows.map((r) => header.map((h, i) => `${h}=${r[i] ?? ''}`).join('|')).sort();
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  timeoutMs = 15_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function waitForState(queue: Queue, jobId: string, states: string[], timeoutMs = 15_000): Promise<Job> {
  return waitFor(
    `job ${jobId} to be ${states.join('/')}`,
    async () => {
      // State first, then the job: a job read before it finished would carry stale fields.
      if (!states.includes(await queue.getJobState(jobId))) return null;
      return (await queue.getJob(jobId)) ?? null;
    },
    timeoutMs,
  );
}

/**
 * A test file's bed for xlsx sync jobs: one real Redis and a temp folder with a sample export of
 * `exportRows` lines (both set up before the file's tests and removed after them); every queue and
 * worker a test opens through `setup` is closed after that test.
 */
export function xlsxSyncBed(exportRows: number) {
  const bed = { redis: undefined as unknown as TestRedis, dir: '', exportFile: '' };
  const open: { queues: SyncQueues[]; workers: SyncWorkers[] } = { queues: [], workers: [] };

  /** Queues on a fresh key prefix, and `start` for silent xlsx sync workers on them (concurrency 1 unless told). */
  function setup(overrides: Partial<QueueConfig> = {}) {
    const config = testConfig(bed.redis.url, overrides);
    const queues = openQueues(config);
    open.queues.push(queues);
    const start = (opts: Partial<Parameters<typeof startSyncWorkers>[0]> = {}) => {
      const w = startSyncWorkers({
        config,
        log: silentLogger,
        backends: makeBackends(),
        concurrency: 1,
        kinds: ['xlsx'],
        ...opts,
      });
      open.workers.push(w);
      return w;
    };
    return { config, queues, start };
  }

  /** The job that syncs `source` (the sample export unless named) into the .xlsx `workbook`. */
  const job = (workbook: string, source = bed.exportFile) => xlsxJob(workbook, source);

  beforeAll(async () => {
    bed.redis = await startRedis();
    bed.dir = tmpDir();
    bed.exportFile = sampleExport(bed.dir, exportRows);
  });

  afterEach(async () => {
    await Promise.all(open.workers.splice(0).map((w) => w.close()));
    await Promise.all(open.queues.splice(0).map(closeQueues));
  });

  afterAll(async () => {
    await bed.redis?.close();
    fs.rmSync(bed.dir, { recursive: true, force: true });
  });

  return Object.assign(bed, { setup, job });
}
