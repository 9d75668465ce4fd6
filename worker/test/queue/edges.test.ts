/**
 * Issue 10, "nothing lost at the edges", on one real Redis: a sync that blocks longer than the job
 * lock completes exactly once (sync threads), jobs that can never succeed fail at once, and no
 * cell value of a failed job reaches Redis or the logs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import IORedis from 'ioredis';
import type { Job } from 'bullmq';
import { createLogger } from '../../src/queue/logger';
import type { SyncJobResult } from '../../src/queue/job-data';
import { enqueueSync } from '../../src/queue/queues';
import { redactQuoted, safeMessage } from '../../src/queue/safe-failure';
import { ExportFileError } from '../../../shared/src/export-collector';
import { readTab, sampleExport, waitFor, waitForState, xlsxSyncBed } from './helpers';

const bed = xlsxSyncBed(100);
const { setup, job } = bed;

function memoryLog() {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  return { log: createLogger({ env: { LOG_FORMAT: 'json', LOG_LEVEL: 'debug' }, stream }), text: () => out };
}

describe('a sync longer than the job lock', () => {
  test('completes exactly once: one attempt, never stalled, the target lock held to the end', async () => {
    // Lock 2 s, stalled check every second, target lock TTL 1 s — and a sync that blocks its
    // thread for 5 s before writing, as a 200k-row plan does for minutes.
    const { config, queues, start } = setup({
      WORKER_LOCK_DURATION_MS: 2000,
      WORKER_STALLED_INTERVAL_MS: 1000,
      TARGET_LOCK_TTL_MS: 1000,
      MOOC_DESK_TEST_BLOCK_BEFORE_APPLY_MS: 5000,
    });
    const workbook = path.join(bed.dir, 'long.xlsx');
    const { log, text } = memoryLog();
    const w = start({ log });
    expect(w.threads).toBeDefined();
    const events = { stalled: 0, completed: 0, active: 0 };
    w.workers.xlsx!.on('stalled', () => events.stalled++);
    w.workers.xlsx!.on('completed', () => events.completed++);
    w.workers.xlsx!.on('active', () => events.active++);
    const added = await enqueueSync(queues, config, job(workbook));
    const lockKey = w.threads && `${config.MOOC_DESK_QUEUE_PREFIX}:target-lock:xlsx:${workbook}`;
    const probe = new IORedis(bed.redis.url);
    try {
      await waitFor(
        'the sync to reach its write step',
        async () => ((await queues.xlsx.getJob(added.jobId))?.progress as { phase?: string })?.phase === 'writing',
        20_000,
      );
      // While the thread is blocked the main thread renews both locks: sample them for 4 s.
      const samples: { targetTtl: number; jobLockTtl: number }[] = [];
      for (let t = Date.now(); Date.now() - t < 4000;) {
        samples.push({
          targetTtl: await probe.pttl(lockKey!),
          jobLockTtl: await probe.pttl(`${config.MOOC_DESK_QUEUE_PREFIX}:sync-xlsx:${added.jobId}:lock`),
        });
        await new Promise((r) => setTimeout(r, 200));
      }
      const done = await waitForState(queues.xlsx, added.jobId, ['completed', 'failed'], 20_000);
      expect(done.failedReason).toBeUndefined();
      expect(await done.getState()).toBe('completed');
      expect(done.attemptsMade).toBe(1);
      expect(done.attemptsStarted).toBe(1);
      expect(done.stalledCounter).toBe(0);
      expect(events).toEqual({ stalled: 0, completed: 1, active: 1 });
      const result = done.returnvalue as SyncJobResult;
      expect(result.finishedAt - result.startedAt).toBeGreaterThanOrEqual(5000);
      expect(samples.length).toBeGreaterThan(10);
      expect(samples.every((s) => s.targetTtl > 0 && s.jobLockTtl > 0)).toBe(true);
      expect(text()).not.toMatch(/target lock (was )?lost|stalled/);
      expect(await probe.exists(lockKey!)).toBe(0); // released at the end
      expect((await readTab(workbook, 'Sync log')).rows).toHaveLength(1);
    } finally {
      probe.disconnect();
    }
  });
});

describe('jobs that can never succeed fail at once', () => {
  test.each([
    [
      'a missing target folder',
      () => job(path.join(bed.dir, 'no-such-folder', 'p.xlsx')),
      /no-such-folder: no such folder for the workbook p\.xlsx/,
    ],
    [
      'a missing export file',
      () => job(path.join(bed.dir, 'p2.xlsx'), path.join(bed.dir, 'gone.csv')),
      /gone\.csv: no such file/,
    ],
    ['an export path that is a folder', () => job(path.join(bed.dir, 'p3.xlsx'), bed.dir), /: not a file/],
  ])('%s: UnrecoverableError, one attempt', async (_what, data, reason) => {
    const { config, queues, start } = setup();
    start();
    const added = await enqueueSync(queues, config, data());
    const failed = await waitForState(queues.xlsx, added.jobId, ['failed', 'completed']);
    expect(failed.failedReason).toMatch(reason);
    expect(failed.attemptsMade).toBe(1);
    expect(failed.opts.attempts).toBe(5);
  });

  (process.getuid?.() === 0 ? test.skip : test)(
    'an export this process may not read (not testable as root)',
    async () => {
      const { config, queues, start } = setup();
      const locked = sampleExport(bed.dir, 5, 'locked.csv');
      fs.chmodSync(locked, 0o000);
      start();
      const added = await enqueueSync(queues, config, job(path.join(bed.dir, 'p4.xlsx'), locked));
      const failed = await waitForState(queues.xlsx, added.jobId, ['failed', 'completed']);
      expect(failed.failedReason).toMatch(/locked\.csv: cannot read the export \(EACCES\)/);
      expect(failed.attemptsMade).toBe(1);
    },
  );
});

describe('no cell value of a failed job reaches Redis or the logs', () => {
  const SECRET = 'Aigerim';

  /** Edits one workbook cell per entry: in `tab`, the row whose first column is `key` (added when missing), column `column`. */
  async function editWorkbook(file: string, tab: string, key: string, column: string, value: string) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const ws = book.getWorksheet(tab)!;
    const header = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    const col = header.indexOf(column);
    let row: ExcelJS.Row | undefined;
    ws.eachRow((r, n) => {
      const v = r.getCell(1).value;
      const text = typeof v === 'object' && v !== null && !(v instanceof Date) ? JSON.stringify(v) : String(v ?? '');
      if (n > 1 && text === key) row = r;
    });
    row ??= ws.addRow([key]);
    row.getCell(col).value = value;
    await book.xlsx.writeFile(file);
  }

  /** Every value under the test's prefix, whatever the key type. */
  async function redisDump(prefix: string): Promise<string> {
    const r = new IORedis(bed.redis.url);
    try {
      const keys = await r.keys(`${prefix}:*`);
      const parts: unknown[] = [];
      for (const k of keys) {
        const type = await r.type(k);
        if (type === 'string') parts.push(await r.get(k));
        else if (type === 'hash') parts.push(await r.hgetall(k));
        else if (type === 'list') parts.push(await r.lrange(k, 0, -1));
        else if (type === 'set') parts.push(await r.smembers(k));
        else if (type === 'zset') parts.push(await r.zrange(k, 0, -1));
        else if (type === 'stream') parts.push(await r.xrange(k, '-', '+'));
      }
      return JSON.stringify({ keys, parts });
    } finally {
      r.disconnect();
    }
  }

  test.each([
    ['thread', 'Settings', 'Default deadline', 'Value', /Settings tab, row \d+ \(Default deadline\): not a date: "…"/],
    ['inline', 'Settings', 'Default deadline', 'Value', /Settings tab, row \d+ \(Default deadline\): not a date: "…"/],
    [
      'thread',
      'Settings',
      'Engagement threshold %',
      'Value',
      /Settings tab, row \d+ \(Engagement threshold %\): "…" is not a number/,
    ],
    ['thread', 'Settings', 'Time zone', 'Value', /Settings tab: timeZone: unknown time zone/],
    ['thread', 'Courses', 'some-course', 'Deadline', /Courses tab, row 2 \(some-course\): Deadline not a date: "…"/],
  ] as const)('syncs in a %s: %s › %s (%s) = "Aigerim "', async (syncIn, tab, key, column, reason) => {
    const { config, queues, start } = setup();
    const workbook = path.join(bed.dir, `leak-${syncIn}-${tab}-${column}-${key.replace(/\W/g, '')}.xlsx`);
    const { log, text } = memoryLog();
    const w = start({ log, syncIn });
    const failedEvents: { job: unknown; message: string; stack?: string }[] = [];
    w.workers.xlsx!.on('failed', (j: Job | undefined, e: Error) =>
      failedEvents.push({ job: j?.asJSON(), message: e.message, stack: e.stack }),
    );
    const first = await enqueueSync(queues, config, job(workbook));
    expect(await (await waitForState(queues.xlsx, first.jobId, ['completed', 'failed'], 20_000)).getState()).toBe(
      'completed',
    );

    await editWorkbook(workbook, tab, key, column, `${SECRET} `);
    const added = await enqueueSync(queues, config, job(workbook));
    const failed = await waitForState(queues.xlsx, added.jobId, ['failed', 'completed'], 20_000);
    expect(failed.attemptsMade).toBe(1); // a bad Settings/Courses cell is permanent
    expect(failed.failedReason).toMatch(reason);
    await waitFor('the failed event', () => failedEvents.length > 0);

    expect(failed.failedReason).not.toContain(SECRET);
    expect(JSON.stringify(failed.stacktrace)).not.toContain(SECRET);
    expect(failed.stacktrace!.join('\n')).toMatch(reason);
    expect(JSON.stringify(failedEvents)).not.toContain(SECRET);
    const errs = text()
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { err?: string }).err)
      .filter(Boolean);
    expect(errs.length).toBeGreaterThanOrEqual(2); // 'sync failed permanently' and 'job failed'
    for (const e of errs) expect(e).toMatch(reason);
    expect(text()).not.toContain(SECRET);
    expect(await redisDump(config.MOOC_DESK_QUEUE_PREFIX)).not.toContain(SECRET);
  });

  test('the rule: quoted values go, our own names stay; foreign errors keep only their type and place', () => {
    // csv-parse quotes the field it choked on.
    expect(
      safeMessage(
        new ExportFileError(
          'e.csv: line 3: malformed CSV — Invalid Opening Quote: a quote is found on field 1 at line 3, value is "Aigerim "',
        ),
      ),
    ).toBe('e.csv: line 3: malformed CSV — Invalid Opening Quote: a quote is found on field 1 at line 3, value is "…"');
    expect(redactQuoted('x.csv: lacks columns "Course Slug", "Overall Progress"; value “Aigerim” «Aigerim»')).toBe(
      'x.csv: lacks columns "Course Slug", "Overall Progress"; value "…" "…"',
    );
    const foreign = safeMessage(new TypeError(`Cannot read properties of undefined (reading 'Aigerim')`));
    expect(foreign).not.toContain(SECRET);
    expect(foreign).toMatch(
      /^unexpected TypeError in worker\/test\/queue\/edges\.test\.ts:\d+ \(its message is not shown/,
    );
    const fsError = Object.assign(new Error(`ENOSPC: no space left on device, write '/data/p.xlsx'`), {
      code: 'ENOSPC',
      syscall: 'write',
    });
    expect(safeMessage(fsError)).toBe(`ENOSPC: no space left on device, write '/data/p.xlsx'`);
  });
});
