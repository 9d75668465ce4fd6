/**
 * `mooc-desk worker` as a real child process: killed with SIGKILL mid-job (another worker finishes
 * the job, same table as a clean run), stopped with SIGTERM mid-job (it finishes first), and a
 * Redis restart under a running worker.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeBackends } from '../../src/queue/backends';
import { closeQueues, enqueueSync, openQueues } from '../../src/queue/queues';
import { silentLogger } from '../../src/queue/logger';
import type { SyncJobResult } from '../../src/queue/job-data';
import type { QueueConfig } from '../../src/queue/config';
import { startSyncWorkers, type SyncWorkers } from '../../src/queue/worker';
import { syncExportIntoXlsx } from '../../src/sync/sync-xlsx';
import { cli } from '../support/cli';
import { freePort, startRedis, type TestRedis } from '../support/redis-server';
import {
  progressTable,
  readTab,
  sampleExport,
  spawnXlsxWorker,
  testConfig,
  tmpDir,
  waitFor,
  waitForState,
  xlsxJob,
} from './helpers';

let redis: TestRedis;
let dir: string;
let exportFile: string;
const children: ChildProcess[] = [];
const workers: SyncWorkers[] = [];

beforeAll(async () => {
  redis = await startRedis();
  dir = tmpDir();
  exportFile = sampleExport(dir, 150);
});

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(workers.splice(0).map((w) => w.close()));
});

afterAll(async () => {
  await redis?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function envFor(config: QueueConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: config.REDIS_URL,
    MOOC_DESK_QUEUE_PREFIX: config.MOOC_DESK_QUEUE_PREFIX,
    WORKER_LOCK_DURATION_MS: String(config.WORKER_LOCK_DURATION_MS),
    WORKER_STALLED_INTERVAL_MS: String(config.WORKER_STALLED_INTERVAL_MS),
    TARGET_LOCK_TTL_MS: String(config.TARGET_LOCK_TTL_MS),
    TARGET_BUSY_DELAY_MS: String(config.TARGET_BUSY_DELAY_MS),
    LOG_FORMAT: 'json',
    ...extra,
  };
}

/** The real CLI entry in a child process, with JSON logs captured. */
function spawnWorker(env: Record<string, string>): {
  proc: ChildProcess;
  logs: () => Record<string, unknown>[];
  exited: Promise<number | null>;
} {
  const proc = spawnXlsxWorker(1, env);
  children.push(proc);
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const logs = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .concat(err ? [{ stderr: err }] : []);
  return { proc, logs, exited };
}

const job = (workbook: string) => xlsxJob(workbook, exportFile);

// Here rather than with the other CLI tests: ioredis keeps a timer for ~2 s after a refused
// connection, and this file runs long enough for it to lapse before jest exits.
test('enqueue with Redis down: exit 1, naming the URL without its password', async () => {
  const port = await freePort();
  const down = await cli(['enqueue', '--export', exportFile, '--workbook', 'w.xlsx'], dir, {
    REDIS_URL: `redis://:secret@127.0.0.1:${port}`,
  });
  expect(down.code).toBe(1);
  expect(down.stderr).toMatch(new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127.0.0.1:${port}`));
  expect(down.stderr).not.toContain('secret');
});

const phase = async (queues: ReturnType<typeof openQueues>, id: string) =>
  ((await queues.xlsx.getJob(id))?.progress as { phase?: string } | undefined)?.phase;

test('a worker killed (SIGKILL) mid-job: another worker completes the job, with the same table as a clean run', async () => {
  // Short lock and stalled-check periods so recovery takes seconds, not the production 30 s.
  const config = testConfig(redis.url, {
    WORKER_LOCK_DURATION_MS: 1000,
    WORKER_STALLED_INTERVAL_MS: 500,
    TARGET_LOCK_TTL_MS: 1000,
  });
  const workbook = path.join(dir, 'killed.xlsx');
  const queues = openQueues(config);
  try {
    // Enqueue through the CLI, as an admin would.
    const enq = await cli(
      ['enqueue', '--export', exportFile, '--workbook', workbook, '--as-of', '2020-03-01', '--json'],
      dir,
      envFor(config),
    );
    expect(enq.stderr).toBe('');
    const { jobId } = JSON.parse(enq.stdout) as { jobId: string };
    // This worker stops for a minute right before writing: it will be killed there.
    const doomed = spawnWorker(envFor(config, { MOOC_DESK_TEST_DELAY_BEFORE_APPLY_MS: '60000' }));
    await waitFor(
      'the job to reach the write step in the child',
      async () => (await phase(queues, jobId)) === 'writing',
      20_000,
    );
    doomed.proc.kill('SIGKILL');
    await doomed.exited;
    expect(fs.existsSync(workbook)).toBe(false); // killed before its atomic write: nothing half-written
    expect(fs.existsSync(`${workbook}.lock`)).toBe(true); // …but its file lock is left behind

    const rescuer = startSyncWorkers({
      config,
      log: silentLogger,
      backends: makeBackends(),
      kinds: ['xlsx'],
      concurrency: 1,
      name: 'rescuer',
    });
    workers.push(rescuer);
    const done = await waitForState(queues.xlsx, jobId, ['completed', 'failed'], 20_000);
    expect(await done.getState()).toBe('completed');
    expect((done.returnvalue as SyncJobResult).worker).toBe('rescuer');
    expect(done.attemptsStarted).toBe(2);

    const clean = path.join(dir, 'clean.xlsx');
    await syncExportIntoXlsx(exportFile, clean, { asOf: '2020-03-01' });
    const [got, want] = [await progressTable(workbook), await progressTable(clean)];
    expect(got).toHaveLength(150);
    expect(got).toEqual(want);
    expect((await readTab(workbook, 'Sync log')).rows).toHaveLength(1); // the killed attempt wrote nothing
    expect(fs.existsSync(`${workbook}.lock`)).toBe(false);
  } finally {
    await closeQueues(queues);
  }
});

test('SIGTERM mid-job: the worker finishes the active job, then exits 0; nothing is lost', async () => {
  const config = testConfig(redis.url);
  const workbook = path.join(dir, 'sigterm.xlsx');
  const queues = openQueues(config);
  try {
    const child = spawnWorker(envFor(config, { MOOC_DESK_TEST_DELAY_BEFORE_APPLY_MS: '1500' }));
    const a = await enqueueSync(queues, config, job(workbook));
    await waitFor('the job to be writing', async () => (await phase(queues, a.jobId)) === 'writing', 20_000);
    const signalledAt = Date.now();
    child.proc.kill('SIGTERM');
    // A job queued after the signal is left for the next worker, not started by the closing one.
    const b = await enqueueSync(queues, config, job(path.join(dir, 'after-sigterm.xlsx')));
    expect(await child.exited).toBe(0);
    const done = await queues.xlsx.getJob(a.jobId);
    expect(await done!.getState()).toBe('completed');
    expect((done!.returnvalue as SyncJobResult).finishedAt).toBeGreaterThan(signalledAt);
    expect(await (await queues.xlsx.getJob(b.jobId))!.getState()).toBe('waiting');
    expect((await readTab(workbook, 'Sync log')).rows).toHaveLength(1);
    const messages = child.logs().map((l) => l.msg);
    expect(messages).toEqual(
      expect.arrayContaining([
        'worker started',
        'shutting down: finishing active jobs (send again to force)',
        'sync done',
        'worker stopped',
      ]),
    );
    expect(messages.indexOf('sync done')).toBeLessThan(messages.indexOf('worker stopped'));
  } finally {
    await closeQueues(queues);
  }
});

test('Redis restarted under a running worker: it reconnects, finishes the job, and takes new ones', async () => {
  const config = testConfig(redis.url, { MOOC_DESK_TEST_DELAY_BEFORE_APPLY_MS: 800 });
  const workbook = path.join(dir, 'restart.xlsx');
  const w = startSyncWorkers({
    config,
    log: silentLogger,
    backends: makeBackends(),
    kinds: ['xlsx'],
    concurrency: 1,
    name: 'survivor',
  });
  workers.push(w);
  let queues = openQueues(config);
  const a = await enqueueSync(queues, config, job(workbook));
  await waitFor('the job to be writing', async () => (await phase(queues, a.jobId)) === 'writing', 20_000);
  await closeQueues(queues);
  // Down while the job is mid-write; persisted state comes back (SHUTDOWN SAVE + reload).
  await redis.restart({ keepData: true, downMs: 500 });
  queues = openQueues(config);
  try {
    const done = await waitForState(queues.xlsx, a.jobId, ['completed', 'failed'], 20_000);
    expect(await done.getState()).toBe('completed');
    const b = await enqueueSync(queues, config, job(workbook));
    const second = await waitForState(queues.xlsx, b.jobId, ['completed', 'failed'], 20_000);
    expect(await second.getState()).toBe('completed');
    expect((second.returnvalue as SyncJobResult).worker).toBe('survivor');
    expect((await readTab(workbook, 'Sync log')).rows.length).toBeGreaterThanOrEqual(2);
    expect(await progressTable(workbook)).toHaveLength(150);
  } finally {
    await closeQueues(queues);
  }
});
