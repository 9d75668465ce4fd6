/**
 * Sync jobs into a local .xlsx through a real Redis and real BullMQ workers (in this process).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { makeBackends, type Backends } from '../../src/queue/backends';
import { commandRedisOptions } from '../../src/queue/connection';
import { jobOptions, enqueueSync } from '../../src/queue/queues';
import type { SyncJobData, SyncJobResult } from '../../src/queue/job-data';
import { SYNC_JOB } from '../../src/queue/names';
import { upsertSyncSchedule, removeSyncSchedule } from '../../src/queue/scheduler';
import { progressTable, readTab, sampleExport, waitFor, waitForState, xlsxSyncBed } from './helpers';

const bed = xlsxSyncBed(120);
const { setup, job } = bed;

test('a job syncs an export into a new .xlsx: Progress rows, a Sync log row, progress reported', async () => {
  const { config, queues, start } = setup();
  const workbook = path.join(bed.dir, 'e2e.xlsx');
  const added = await enqueueSync(queues, config, job(workbook));
  expect(added.outcome).toBe('added');
  const progress: unknown[] = [];
  const w = start();
  w.workers.xlsx!.on('progress', (_job, p) => progress.push(p));
  const done = await waitForState(queues.xlsx, added.jobId, ['completed', 'failed']);
  expect(done.failedReason).toBeUndefined();
  const result = done.returnvalue as SyncJobResult;
  expect(result).toMatchObject({
    rowsRead: 120,
    rejected: 0,
    inserted: 120,
    updated: 0,
    target: `xlsx:${workbook}`,
    source: 'export-120.csv',
  });
  // The job data holds paths only; the result counts only: no learner data in Redis.
  expect(JSON.stringify(done.data)).not.toMatch(/@/);
  expect(JSON.stringify(result)).not.toMatch(/@/);

  const { header, rows } = await readTab(workbook, 'Progress');
  expect(rows).toHaveLength(120);
  const email = header.indexOf('Email');
  expect(rows.every((r) => String(r[email]).includes('@'))).toBe(true);
  const log = await readTab(workbook, 'Sync log');
  expect(log.rows).toHaveLength(1);
  expect(log.rows[0][log.header.indexOf('Source')]).toBe('export-120.csv');
  expect(log.rows[0][log.header.indexOf('Inserted')]).toBe(120);
  expect(progress.map((p) => (p as { phase: string }).phase)).toEqual(
    expect.arrayContaining(['reading', 'writing', 'done']),
  );
  expect(progress.at(-1)).toMatchObject({ phase: 'done', percent: 100 });
  // The finished job is kept, bounded.
  expect(done.opts.removeOnComplete).toEqual({ age: 7 * 86_400, count: 1000 });
  expect(done.opts.removeOnFail).toEqual({ age: 30 * 86_400, count: 5000 });
});

test('a file that is not an export fails at once (UnrecoverableError, one attempt) and leaves the workbook as it was', async () => {
  const { config, queues, start } = setup();
  const workbook = path.join(bed.dir, 'refused.xlsx');
  const notAnExport = path.join(bed.dir, 'roster.csv');
  fs.writeFileSync(notAnExport, 'Email,Full name\na@b.kz,A B\n');
  const added = await enqueueSync(queues, config, job(workbook, notAnExport));
  start();
  const failed = await waitForState(queues.xlsx, added.jobId, ['failed', 'completed']);
  expect(await failed.getState()).toBe('failed');
  expect(failed.attemptsMade).toBe(1);
  expect(failed.opts.attempts).toBe(5);
  expect(failed.failedReason).toMatch(/roster\.csv: not a Coursera progress export .*"Course Slug"/);
  expect(fs.existsSync(workbook)).toBe(false);
});

test('job data is validated: no relative paths, no extra fields (no PII smuggled into Redis)', async () => {
  const { config, queues } = setup();
  await expect(enqueueSync(queues, config, { ...job('rel.xlsx') })).rejects.toThrow(/absolute path/);
  await expect(
    enqueueSync(queues, config, { ...job(path.join(bed.dir, 'x.xlsx')), email: 'a@b.kz' } as SyncJobData),
  ).rejects.toThrow(/Unrecognized key/i);
});

test('deduplication by target: a second export for a waiting target replaces the first, not added twice', async () => {
  const { config, queues } = setup();
  const workbook = path.join(bed.dir, 'dedup.xlsx');
  const newer = sampleExport(bed.dir, 60, 'newer.csv');
  const a = await enqueueSync(queues, config, job(workbook));
  const b = await enqueueSync(queues, config, job(workbook, newer));
  expect(a.outcome).toBe('added');
  expect(b).toMatchObject({ outcome: 'updated', jobId: a.jobId });
  expect(await queues.xlsx.getWaitingCount()).toBe(1);
  expect((await queues.xlsx.getJob(a.jobId))!.data.source.path).toBe(newer);
  // Another workbook is another target.
  const c = await enqueueSync(queues, config, job(path.join(bed.dir, 'other.xlsx')));
  expect(c.outcome).toBe('added');
  expect(await queues.xlsx.getWaitingCount()).toBe(2);
});

test('two workers, one target: never two syncs at once, even with several jobs for it', async () => {
  // Slow syncs (a pause before each write) so the workers really compete for the target.
  const { config, queues, start } = setup({ MOOC_DESK_TEST_DELAY_BEFORE_APPLY_MS: 150 });
  const workbook = path.join(bed.dir, 'contended.xlsx');
  // Both workers share this process, so a wrapper around the real backends sees every sync.
  const real = makeBackends();
  let running = 0;
  let maxRunning = 0;
  const backends: Backends = {
    readSource: real.readSource,
    runTarget: (target, fn) =>
      real.runTarget(target, async (wb) => {
        maxRunning = Math.max(maxRunning, ++running);
        try {
          return await fn(wb);
        } finally {
          running--;
        }
      }),
  };
  const activations: { worker: string; jobId: string; at: number }[] = [];
  const [w1, w2] = [start({ concurrency: 2, name: 'w1', backends }), start({ concurrency: 2, name: 'w2', backends })];
  for (const w of [w1, w2])
    w.workers.xlsx!.on('active', (j) => activations.push({ worker: w.name, jobId: j.id!, at: Date.now() }));
  await Promise.all([w1.workers.xlsx!.waitUntilReady(), w2.workers.xlsx!.waitUntilReady()]);
  // Jobs that bypass deduplication, as scheduler runs, stalled-job recovery and retries can.
  const raw = new Queue(queues.xlsx.name, {
    connection: commandRedisOptions(config.REDIS_URL),
    prefix: config.MOOC_DESK_QUEUE_PREFIX,
  });
  const added = await raw.addBulk(
    Array.from({ length: 4 }, () => ({ name: SYNC_JOB, data: job(workbook), opts: jobOptions(config) })),
  );
  await raw.close();
  const jobs = await Promise.all(added.map((j) => waitForState(queues.xlsx, j.id!, ['completed', 'failed'], 20_000)));
  for (const j of jobs) expect(await j.getState()).toBe('completed');
  const windows = jobs.map((j) => j.returnvalue as SyncJobResult).sort((a, b) => a.startedAt - b.startedAt);
  // The lock windows (taken from Redis-side job results) are disjoint, and the in-process count agrees.
  for (let i = 1; i < windows.length; i++)
    expect(windows[i].startedAt).toBeGreaterThanOrEqual(windows[i - 1].finishedAt);
  for (const w of windows) expect(w.finishedAt - w.startedAt).toBeGreaterThanOrEqual(150);
  expect(maxRunning).toBe(1);
  // The guard was exercised: with 4 slots for 4 jobs, jobs became active while the target was busy
  // and were put back (more activations than jobs), on both workers.
  expect(activations.length).toBeGreaterThan(4);
  expect(new Set(activations.map((a) => a.worker))).toEqual(new Set(['w1', 'w2']));
  expect((await readTab(workbook, 'Sync log')).rows).toHaveLength(4);
  expect((await readTab(workbook, 'Progress')).rows).toHaveLength(120);
});

test('a job that meets a running sync of its target on another worker waits for it, without using an attempt', async () => {
  const { config, queues, start } = setup({ MOOC_DESK_TEST_DELAY_BEFORE_APPLY_MS: 400 });
  const workbook = path.join(bed.dir, 'handover.xlsx');
  const raw = new Queue(queues.xlsx.name, {
    connection: commandRedisOptions(config.REDIS_URL),
    prefix: config.MOOC_DESK_QUEUE_PREFIX,
  });
  const w1 = start({ concurrency: 1, name: 'w1' });
  const a = await raw.add(SYNC_JOB, job(workbook), jobOptions(config));
  // A is writing on w1 (its only slot), so w2 is the one that gets B.
  await waitFor(
    'A writing',
    async () => ((await queues.xlsx.getJob(a.id!))?.progress as { phase?: string })?.phase === 'writing',
  );
  const w2 = start({ concurrency: 1, name: 'w2' });
  const bActive: number[] = [];
  w2.workers.xlsx!.on('active', () => bActive.push(Date.now()));
  const b = await raw.add(SYNC_JOB, job(workbook), jobOptions(config));
  await raw.close();
  const [ra, rb] = await Promise.all(
    [a, b].map(
      async (j) => (await waitForState(queues.xlsx, j.id!, ['completed'], 20_000)).returnvalue as SyncJobResult,
    ),
  );
  expect(ra.worker).toBe('w1');
  expect(bActive[0]).toBeLessThan(ra.finishedAt); // w2 had B while A was still running…
  expect(rb.startedAt).toBeGreaterThanOrEqual(ra.finishedAt); // …but only synced after A released the target
  const bJob = (await queues.xlsx.getJob(b.id!))!;
  expect(bJob.attemptsMade).toBe(1); // the wait did not count as a failed attempt
  expect(bJob.stacktrace).toEqual([]);
  void w1;
});

test('a scheduled sync fires (cron with seconds, time zone) and keeps firing until removed', async () => {
  const { config, queues, start } = setup();
  const workbook = path.join(bed.dir, 'scheduled.xlsx');
  const first = await upsertSyncSchedule(queues, config, job(workbook), { pattern: '* * * * * *', tz: 'Asia/Almaty' });
  // Upserting again replaces, never doubles.
  await upsertSyncSchedule(queues, config, job(workbook), { pattern: '* * * * * *', tz: 'Asia/Almaty' });
  expect(await queues.xlsx.getJobSchedulersCount()).toBe(1);
  expect(first.schedulerId).toBe(`sync:xlsx:${workbook}`);
  start();
  const log = await waitFor(
    'two scheduled syncs',
    async () => (fs.existsSync(workbook) && (await readTab(workbook, 'Sync log')).rows.length >= 2 ? true : null),
    10_000,
  );
  expect(log).toBe(true);
  expect(await removeSyncSchedule(queues, { kind: 'xlsx', path: workbook })).toBe(true);
  expect(await progressTable(workbook)).toHaveLength(120);
  const done = await queues.xlsx.getCompleted();
  expect(done.length).toBeGreaterThanOrEqual(2);
  expect(done.every((j) => j.repeatJobKey === `sync:xlsx:${workbook}`)).toBe(true);
});
