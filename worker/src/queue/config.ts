/**
 * Worker/queue settings from the environment, validated once (a bad value stops the process with
 * a message naming the variable, rather than a worker that misbehaves later).
 */
import { z } from 'zod';
import { InputError } from '../../../shared/src/errors';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

export const QueueEnvSchema = z.object({
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((u) => /^rediss?:\/\//.test(u), { message: 'must start with redis:// or rediss://' }),
  /**
   * Redis Cluster seed nodes, `host:port,host:port,…` (user/password/TLS from REDIS_URL). The
   * prefix then defaults to `{mooc-desk}` and must be a `{…}` hash tag.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, 'must be host:port,host:port,…')
    .optional(),
  /** Key prefix of every BullMQ key. On Redis Cluster a hash tag, `{mooc-desk}` by default. */
  MOOC_DESK_QUEUE_PREFIX: z.string().min(1).default('mooc-desk'),
  /** Jobs one worker process runs at once (per queue). */
  WORKER_CONCURRENCY: int(2, 1),
  /**
   * Sheets quota per minute per service account (60 read and, separately, 60 write requests),
   * shared by every worker process using that account.
   */
  SHEETS_REQUESTS_PER_MINUTE: int(60, 1),
  /** Requests of one kind a Sheets sync makes at most (reads: spreadsheets.get + values.batchGet + a re-read; writes: 1 batchUpdate, more only past 8 MB). */
  SHEETS_REQUESTS_PER_SYNC: int(3, 1),
  /** Retries inside one Sheets call on 429/5xx before the job gives up and the queue pauses. */
  SHEETS_CALL_RETRIES: int(2, 0),
  JOB_ATTEMPTS: int(5, 1),
  /** First retry delay; doubles each attempt (BullMQ exponential backoff). */
  JOB_BACKOFF_MS: int(10_000, 0),
  /** How long a worker's claim on a job lasts without renewal; a dead worker's job is taken over after it. */
  WORKER_LOCK_DURATION_MS: int(30_000, 500),
  WORKER_STALLED_INTERVAL_MS: int(30_000, 200),
  /** TTL of the per-target lock (renewed every third of it while a sync runs). */
  TARGET_LOCK_TTL_MS: int(30_000, 300),
  /** A job that finds its target busy is put back for this long (does not use up an attempt). */
  TARGET_BUSY_DELAY_MS: int(5_000, 10),
  KEEP_COMPLETED_JOBS: int(1000, 0),
  KEEP_COMPLETED_DAYS: int(7, 0),
  KEEP_FAILED_JOBS: int(5000, 0),
  KEEP_FAILED_DAYS: int(30, 0),
  /**
   * Test hook only (refused when NODE_ENV=production): pause this long between planning and
   * writing, so tests can kill or stop a worker mid-job deterministically.
   */
  MOOC_DESK_TEST_DELAY_BEFORE_APPLY_MS: int(0, 0),
  /** Test hook only (refused when NODE_ENV=production): block the sync's thread this long before writing, as a huge sync does. */
  MOOC_DESK_TEST_BLOCK_BEFORE_APPLY_MS: int(0, 0),
  NODE_ENV: z.string().optional(),
});

export type QueueConfig = z.infer<typeof QueueEnvSchema>;

export class QueueConfigError extends InputError {}

export function queueConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<QueueConfig> = {}): QueueConfig {
  const parsed = QueueEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new QueueConfigError(`bad environment: ${issues}`);
  }
  const config = { ...parsed.data, ...overrides };
  if (config.REDIS_CLUSTER_NODES) {
    // One hash slot for all our keys: BullMQ's scripts touch several keys of a queue at once.
    if (!env.MOOC_DESK_QUEUE_PREFIX && !overrides.MOOC_DESK_QUEUE_PREFIX) config.MOOC_DESK_QUEUE_PREFIX = '{mooc-desk}';
    if (!/^\{[^{}]+\}/.test(config.MOOC_DESK_QUEUE_PREFIX)) {
      throw new QueueConfigError(
        `MOOC_DESK_QUEUE_PREFIX: on Redis Cluster it must start with a {hash tag}, e.g. {mooc-desk} (got ${config.MOOC_DESK_QUEUE_PREFIX})`,
      );
    }
  }
  for (const hook of ['MOOC_DESK_TEST_DELAY_BEFORE_APPLY_MS', 'MOOC_DESK_TEST_BLOCK_BEFORE_APPLY_MS'] as const) {
    if (config.NODE_ENV === 'production' && config[hook] > 0)
      throw new QueueConfigError(`${hook} is a test hook and is refused when NODE_ENV=production`);
  }
  return config;
}

/** Sync jobs per minute that keep all workers together under the Sheets quota (10 % headroom for retries). */
export function sheetsJobsPerMinute(config: QueueConfig): number {
  return Math.max(1, Math.floor((config.SHEETS_REQUESTS_PER_MINUTE * 0.9) / config.SHEETS_REQUESTS_PER_SYNC));
}
