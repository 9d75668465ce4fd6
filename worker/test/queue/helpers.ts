/** Shared by the queue tests: small real exports, reading the workbook back, waiting on job states. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Job, Queue } from 'bullmq';
import type { Row } from '../../../shared/src/cells';
import { XlsxWorkbook } from '../../src/adapters/xlsx-workbook';
import { queueConfig, type QueueConfig } from '../../src/queue/config';

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
