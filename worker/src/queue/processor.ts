/**
 * The job processor, on the worker's main thread: validate job data → take the target lock → run
 * the job body (a SyncRunner: in a sync thread in production, see ./sync-threads.ts) → report
 * counts. Failures are sorted into retry / never-retry / pause, and leave here only as a fresh
 * error carrying a safe message (./safe-failure.ts): no cell value reaches Redis or the logs.
 */
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { describeSource, parseJobData, targetKey, type SyncJobResult } from './job-data';
import { safeFailure } from './safe-failure';
import type { JobProgress, SyncRunner } from './sync-job';
import { SyncThreadFailure } from './sync-threads';
import type { TargetLocks } from './target-lock';

export type { JobProgress } from './sync-job';

export interface ProcessorDeps {
  /** The job body: read the source, sync into the target. */
  readonly run: SyncRunner;
  readonly locks: TargetLocks;
  readonly log: Logger;
  /** Shown in results and logs: host:pid plus the worker's id. */
  readonly workerName: string;
  /** How long a job that finds its target busy waits before it is tried again. */
  readonly busyDelayMs: number;
  /** Pauses this queue for every worker (BullMQ rate limit); wired to `worker.rateLimit` by the factory. */
  readonly rateLimit: (ms: number) => Promise<void>;
}

export function createProcessor(deps: ProcessorDeps) {
  return async function processSyncJob(job: Job, token?: string): Promise<SyncJobResult> {
    const log = deps.log.child({ jobId: job.id, attempt: job.attemptsMade + 1 });
    let data;
    try {
      data = parseJobData(job.data);
    } catch (e) {
      const message = safeFailure(e).message;
      log.error({ err: message }, 'refusing job');
      throw new UnrecoverableError(message);
    }
    const target = targetKey(data.target);
    const lock = await deps.locks.acquire(target);
    if (!lock) {
      // Another sync is writing this workbook: come back later without using up an attempt.
      log.info({ target, retryInMs: deps.busyDelayMs }, 'target busy; job delayed');
      await job.moveToDelayed(Date.now() + deps.busyDelayMs, token);
      throw new DelayedError();
    }
    const startedAt = Date.now();
    log.info({ target, source: describeSource(data.source) }, 'sync started');
    try {
      let rows = 0;
      const progress = (p: JobProgress) => {
        rows = p.rows ?? rows;
        return job.updateProgress(p).catch((e) => log.warn({ err: (e as Error).message }, 'progress not saved'));
      };
      const counts = await deps.run(data, (p) => void progress(p));
      const finishedAt = Date.now();
      await progress({ phase: 'done', percent: 100, rows });
      const summary: SyncJobResult = { target, ...counts, startedAt, finishedAt, worker: deps.workerName };
      log.info(
        {
          target,
          rowsRead: counts.rowsRead,
          rejected: counts.rejected,
          inserted: counts.inserted,
          updated: counts.updated,
          durationMs: counts.durationMs,
        },
        'sync done',
      );
      if (!lock.held) log.error({ target }, 'target lock was lost during this sync');
      return summary;
    } catch (error) {
      // From a sync thread the failure comes classified and safe; inline errors are made safe here.
      const failure = error instanceof SyncThreadFailure ? error.failure : safeFailure(error);
      if (failure.kind === 'permanent') {
        log.error({ target, err: failure.message }, 'sync failed permanently (not retried)');
        throw new UnrecoverableError(failure.message);
      }
      if (failure.kind === 'rate-limited') {
        // Pause the queue for every worker, and put this job back without using up an attempt.
        log.warn({ target, pauseMs: failure.retryAfterMs }, 'Sheets rate limit: queue paused');
        await deps.rateLimit(failure.retryAfterMs);
        throw Worker.RateLimitError();
      }
      log.warn(
        { target, err: failure.message, attemptsLeft: (job.opts.attempts ?? 1) - job.attemptsMade - 1 },
        'sync failed; will retry',
      );
      // A fresh error: the original's stack starts with its message, and BullMQ stores the stack.
      // eslint-disable-next-line preserve-caught-error -- a cause would carry the unredacted original into Redis
      throw new Error(failure.message);
    } finally {
      await lock.release();
    }
  };
}
